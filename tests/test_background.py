"""``graph.background``: work done in a forked child, or here when the child fails."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from rdflib import Graph

from graph import background


@pytest.fixture(autouse=True)
def forking(monkeypatch):
    """Each test starts in a process that may fork (a test before it, in this worker, may have run rudof)."""
    monkeypatch.setattr(background, "_forking", True)


@pytest.fixture
def alone(monkeypatch):
    """The fork itself under test: a thread another test left in this worker (a browser driver's, a server's)
    would make ``start`` work here; the children below take no lock such a thread could hold."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@pytest.mark.usefixtures("alone")
def test_the_work_runs_in_another_process():
    assert background.start(os.getpid).result() != os.getpid()


@pytest.mark.usefixtures("alone")
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


@pytest.mark.usefixtures("alone")
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


@pytest.mark.usefixtures("alone")
def test_a_process_that_ran_rudof_does_the_work_itself(graph):
    from graph.paths import shapes_file
    from graph.shacl import shape_results

    shape_results(graph, Graph().parse(shapes_file()))  # leaves rudof's Rust threads in this process
    assert background.start(os.getpid).result() == os.getpid()
