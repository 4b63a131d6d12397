"""``graph.background``: work done in a forked child, or here when the child fails."""

from __future__ import annotations

import os
import signal
import threading

from graph import background


def test_the_work_runs_in_another_process():
    assert background.start(os.getpid).result() != os.getpid()


def test_a_child_that_raises_or_is_killed_costs_time_not_the_answer():
    parent = os.getpid()

    def raises_in_the_child() -> str:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return "done here"

    def killed_in_the_child() -> str:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return "done here"

    assert background.start(raises_in_the_child).result() == "done here"
    assert background.start(killed_in_the_child).result() == "done here"


def test_a_cancelled_child_is_stopped_and_reaped():
    pending = background.start(lambda: signal.pause())
    pending.cancel()
    pending.cancel()  # twice is harmless


def test_a_process_with_other_threads_does_the_work_itself():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert background.start(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        other.join()
