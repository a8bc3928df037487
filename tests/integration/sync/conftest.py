"""One onboarded tree per session, copied for every test (onboarding three databases costs seconds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.sync.support import LazyTree, Tree, make_tree


@pytest.fixture(scope="session")
def tree_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("tree")
    made = make_tree(folder)
    made.close()
    return folder, made.ref


@pytest.fixture
def tree(tree_template: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Tree]:
    folder, ref = tree_template
    copy = tmp_path / "tree"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.lock"))
    t = LazyTree(copy, ref)
    yield t
    t.close()
