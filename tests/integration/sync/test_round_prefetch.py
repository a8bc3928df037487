"""A hub's round with the next package parsed in a helper process while the current one applies: the same
outcome as one by one, and every check still runs at each package's own turn, against the data as it is then."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.domain.models import Household
from app.sync import importer, keys, package, prefetch
from app.sync.exporter import ENTRY_COLUMNS
from tests.integration.sync.support import CITY, TOWN_A, Tree, add_household, business_state, get
from tests.integration.sync.test_refusals import _age_of, _sign


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return inbox


def test_the_helper_parses_as_this_process_does(tree: Tree) -> None:
    for _ in range(3):
        add_household(tree.a, tree.ref["village_a"])
    path = tree.a.export(CITY)
    data = path.read_bytes()
    with tree.city.db.session() as s:
        envelope = importer.verify(s, data)
        plain = package.decrypt(envelope, keys.age_identities(s))
    here = prefetch.parse(plain, envelope.header)
    with prefetch.Prefetcher() as pre:
        pre.start(path, data, plain, envelope.header)
        ahead = pre.take(path)
        assert ahead is not None and pre.take(path) is None  # handed out once
        assert ahead.future.result() is not None  # the helper did the work, not the fallback
        there = ahead.parsed(plain, envelope.header)
    assert there.entries == here.entries and len(here.entries) > 3
    # 3 households with their members, pairings and visits: every entry's hash matches, on both sides
    assert [there.hash_matches(e) for e in there.entries] == [True] * len(there.entries)
    assert [here.hash_matches(e) for e in here.entries] == [True] * len(here.entries)


def test_a_package_twice_in_one_round_applies_once(tree: Tree, tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    hid = add_household(tree.a, tree.ref["village_a"])
    path = tree.a.export(CITY)
    shutil.copy(path, inbox / "1.bfsync")
    shutil.copy(path, inbox / "2.bfsync")  # read and parsed ahead while its twin applies
    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied", "duplicate"]
    assert list(business_state(tree.city)["household"]) == [hid]


def test_an_altered_entry_parsed_ahead_is_refused_and_nothing_of_it_kept(
    tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _inbox(tmp_path)
    kept = add_household(tree.a, tree.ref["village_a"])
    shutil.copy(tree.a.export(CITY), inbox / "a.bfsync")  # TOWN_A sorts first: B's package is parsed ahead
    lost = add_household(tree.b, tree.ref["village_b"])
    good = tree.b.export(CITY).read_bytes()
    with tree.city.db.session() as s:
        envelope = package.split(good)
        payload = package.open_payload(envelope, keys.age_identities(s))
    payload["entries"][-1][ENTRY_COLUMNS.index("actor")] = "someone else"  # re-signed by B: only the hash shows it
    header = {k: v for k, v in envelope.header.items() if k not in ("format", "payload_bytes")}
    (inbox / "b.bfsync").write_bytes(package.build(header, payload, _age_of(tree.city), lambda b: _sign(tree.b, b)))
    parsed_here: list[str] = []  # parses in this process (the helper's are not seen here)
    parse = prefetch.parse
    monkeypatch.setattr(
        prefetch, "parse", lambda plain, header: parsed_here.append(header["sender"]) or parse(plain, header)
    )
    reports = importer.import_folder(tree.city.db, inbox)
    assert [(r.file, r.status) for r in reports] == [("a.bfsync", "applied"), ("b.bfsync", "chain")]
    assert parsed_here == [TOWN_A]  # B's package was parsed (and its hashes checked) by the helper
    assert get(tree.city, Household, kept) is not None and get(tree.city, Household, lost) is None
