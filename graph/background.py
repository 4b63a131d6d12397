"""One piece of work done in a forked child while this process goes on (a build validates the data
in a child while it renders: the machine has more than one core).

The child sends its result back pickled through a pipe. If the child fails in any way (an exception,
killed, a result that does not unpickle), ``result`` does the work in this process instead, so a
failure there costs time, never a wrong answer. A process running other threads never forks (a lock
another thread holds would stay locked in the child for ever): the work is then done here, in turn.

>>> pending = start(lambda: sum(range(10)))
>>> pending.result()
45
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Pending", "fork_children", "start"]

T = TypeVar("T")


class Pending(Generic[T]):
    """The work of one forked child: ``result()`` waits for it; ``cancel()`` stops it."""

    def __init__(self, work: Callable[[], T], pid: int | None, pipe: int | None) -> None:
        self._work, self._pid, self._pipe = work, pid, pipe

    def _collect(self) -> bytes | None:
        """The child's pickled result, or ``None`` if it failed; the child is reaped."""
        if self._pid is None or self._pipe is None:
            return None
        chunks = []
        with os.fdopen(self._pipe, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._pipe = None
        return b"".join(chunks) if os.waitstatus_to_exitcode(status) == 0 else None

    def result(self) -> T:
        """The child's result once it is done (or the work done here, if the child failed)."""
        payload = self._collect()
        if payload is not None:
            with contextlib.suppress(Exception):  # a damaged answer: do the work here
                return pickle.loads(payload)
        return self._work()

    def cancel(self) -> None:
        """Stop the child and reap it (when this process gives up before asking for the result)."""
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            if self._pipe is not None:
                os.close(self._pipe)
            self._pid = self._pipe = None


#: Whether ``start`` forks: a worker of a pool that already keeps every core busy does the work in turn.
_forking = True


def fork_children(allowed: bool) -> None:
    """Let ``start`` fork (the default), or not: a shelf's worker does each book's pieces in turn (forking
    there only cost time, with no core to spare); a process that ran rudof never forks again (its Rust
    threads are not copied into a child, and a child that used the engine would wait for them for ever)."""
    global _forking
    _forking = allowed


def start(work: Callable[[], T]) -> Pending[T]:
    """Run ``work`` in a forked child (its result must pickle); without ``fork``, with other threads
    running, or when ``fork_children(False)`` said so, ``result()`` runs it here."""
    if not _forking or not hasattr(os, "fork") or threading.active_count() > 1:
        return Pending(work, None, None)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)  # never the parent's exit handlers or buffered output
    os.close(write_end)
    return Pending(work, pid, read_end)
