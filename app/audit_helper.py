"""Hashing runs of audit entries on the second core while the verifying process reads the next run.

``audit verify`` spends most of a chain walk building each entry's payload and hashing it; each entry needs
only its own stored values and the previous entry's *stored* hash, so runs of entries can be checked out of
order and the results taken in order. ``ChainHasher`` hands a run to one spawned helper process (never the
database key: only entries this process has already read) when the helper has fewer than ``AHEAD`` runs
waiting, and checks the run here otherwise, so both cores stay busy whichever is faster. The walk in
``app.audit`` takes the results in chain order, so the first bad entry it names is the lowest one, exactly
as a walk in one process would.

If no helper can be started (or it dies), runs are checked here: the same function, the same answer.
Called from one thread (the one walking the chain); the helper runs nothing but ``check``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

# Runs given to the helper and not yet finished, above which the caller checks runs itself (or, when it may
# not, waits): enough that the helper never idles while the caller reads, few enough to bound memory.
AHEAD = 2

Check = Callable[[str, Sequence[tuple[Any, ...]]], int | None]


class Pending:
    """One run's result to come: the index of its first altered entry, or None when all are intact."""

    def __init__(self, check: Check, prev_hash: str, entries: Sequence[tuple[Any, ...]], future: Future[Any] | None):
        self._check = check
        self._prev_hash = prev_hash
        self._entries = entries
        self._future = future
        self._result: int | None = None if future is not None else check(prev_hash, entries)

    def done(self) -> bool:
        return self._future is None or self._future.done()

    def result(self) -> int | None:
        if self._future is not None:
            try:
                self._result = self._future.result()
            except Exception:  # the helper died (memory, a killed process): check the run here, same answer
                self._result = self._check(self._prev_hash, self._entries)
            self._future = None
        return self._result


class ChainHasher:
    """Checks runs of entries with ``check(prev_hash, entries)``, in a helper process when ``helper`` and here.

    ``local=False``: every run goes to the helper (the caller's own core is busy with other work, e.g. the
    row check running beside the chain walk)."""

    def __init__(self, check: Check, *, helper: bool, local: bool = True) -> None:
        self._check = check
        self._local = local
        self._pool: ProcessPoolExecutor | None = None
        self._sent: list[Future[Any]] = []
        if helper:
            try:
                # spawn, not fork: the GUI process has threads (Qt, the task runner) a fork would copy mid-state
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            except (OSError, RuntimeError):  # no helper to be had: everything is checked here
                self._pool = None

    def __enter__(self) -> ChainHasher:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    @property
    def has_helper(self) -> bool:
        return self._pool is not None

    def submit(self, prev_hash: str, entries: Sequence[tuple[Any, ...]]) -> Pending:
        self._sent = [f for f in self._sent if not f.done()]
        if self._pool is not None and (len(self._sent) < AHEAD or not self._local):
            try:
                future = self._pool.submit(self._check, prev_hash, entries)
            except (BrokenProcessPool, RuntimeError):
                self._pool = None
            else:
                self._sent.append(future)
                return Pending(self._check, prev_hash, entries, future)
        return Pending(self._check, prev_hash, entries, None)

    def close(self) -> None:
        """Stop the helper; runs not started are dropped (a cancelled or failed walk needs none of them)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._sent = []


class RowsHelper:
    """``app.audit.verify_rows`` in a spawned helper process with its own query-only connection, while this
    process walks the chain: the two halves of ``audit verify`` on two cores. The helper is given the ledger's
    path and password through its start-up pipe (never a command line, file or environment); it reads only.
    ``result()`` is the helper's list of row problems, or None when it could not give one (it failed to start,
    died, or raised): the caller then checks the rows itself. ``stop()`` ends it at once (a broken chain)."""

    def __init__(self, path: str, password: str, limit: int) -> None:
        context = multiprocessing.get_context("spawn")  # spawn: the GUI process has threads a fork would copy
        self._receiver, sender = context.Pipe(duplex=False)
        self._process: Any = context.Process(target=_rows_in_helper, args=(path, password, limit, sender), daemon=True)
        try:
            self._process.start()
        except (OSError, RuntimeError):
            self._process = None
        sender.close()

    def result(self) -> list[Any] | None:
        if self._process is None:
            return None
        try:
            outcome = self._receiver.recv()
        except (EOFError, OSError):  # it died without an answer
            outcome = None
        finally:
            self.stop()
        return outcome[1] if outcome is not None and outcome[0] == "ok" else None

    def stop(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        self._receiver.close()


def _rows_in_helper(path: str, password: str, limit: int, sender: Any) -> None:
    from sqlalchemy.orm import Session

    from app.audit import verify_rows
    from app.storage.database import open_reader

    try:
        engine = open_reader(path, password)
        try:
            with Session(engine) as session:
                outcome: tuple[str, Any] = ("ok", verify_rows(session, limit))
        finally:
            engine.dispose()
    except Exception as exc:  # the parent checks the rows itself and meets the same error, with its traceback
        outcome = ("failed", type(exc).__name__)
    sender.send(outcome)
    sender.close()
