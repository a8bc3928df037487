"""Row ids: UUIDv7 text, unique and in creation order, and never repeated by a forked child (the random bits
are drawn from the OS a block at a time, so a child must not reuse the block it inherited)."""

from __future__ import annotations

import os
import uuid

import pytest

from app.ids import new_id


def test_ids_are_uuid7_unique_and_ordered() -> None:
    ids = [new_id() for _ in range(5000)]  # more than one block of random bits (512 ids a block)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    parsed = [uuid.UUID(i) for i in ids]
    assert {u.version for u in parsed} == {7}
    assert [str(u) for u in parsed] == ids  # canonical spelling


@pytest.mark.posix
def test_a_forked_child_does_not_repeat_the_parents_random_bits() -> None:
    new_id()  # the parent now holds a partly used block
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its next ids, then leave at once
        os.close(reader)
        os.write(writer, ",".join(new_id() for _ in range(4)).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        child = pipe.read().split(",")
    os.waitpid(pid, 0)
    parent = [new_id() for _ in range(4)]
    # The last 62 bits (after the variant) are the random part: none may be shared between the two processes.
    random_bits = {i.replace("-", "")[-15:] for i in parent}
    assert len(child) == 4
    assert random_bits.isdisjoint(i.replace("-", "")[-15:] for i in child)
