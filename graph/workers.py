"""Query worker processes: each holds a copy of the Oxigraph store and answers one query at a time.

Oxigraph cannot interrupt a query, so the endpoint runs queries here: in pre-started processes (fresh
interpreters, never forks of the threaded server), each with a memory limit. A query that overruns
its time is stopped by killing its worker, and a fresh one takes its place in the background.

>>> as_of_graph_iri(9)
'https://w3id.org/nlmg/graph/as-of/9'
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph import sparql
from graph.namespaces import BASE
from graph.spoilers import CHAPTERS, as_of

__all__ = ["GRAPH_TYPES", "MAX_WORKERS", "TABLE_TYPES", "Limits", "RequestError", "WorkerPool", "as_of_graph_iri", "dataset_dump"]

#: Media types offered for SELECT and ASK results -> ``sparql.serialize`` format; the first is the default.
TABLE_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Media types offered for CONSTRUCT and DESCRIBE results; the first is the default.
GRAPH_TYPES: dict[str, str] = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "ntriples", "application/turtle": "turtle"}
_AS_OF_GRAPH = BASE + "graph/as-of/"
#: A query that may name graphs (a false positive, e.g. in a comment, only costs speed).
_NAMES_GRAPHS = re.compile(r"(?<![?$\w])FROM\s+(NAMED\b|<|[\w-]*:)|(?<![?$\w])GRAPH\s*(\?|\$|<|[\w-]*:)", re.IGNORECASE)
#: Most worker processes (each holds a copy of the store, about 90 MB).
MAX_WORKERS = 32


def as_of_graph_iri(chapter: int) -> str:
    """The named graph holding the spoiler cut after ``chapter``."""
    return f"{_AS_OF_GRAPH}{chapter}"


def dataset_dump(graph: Graph) -> bytes:
    """N-Quads of one store: ``graph`` in the default graph, each chapter's cut in its named graph."""
    store = sparql.to_store(graph, named={as_of_graph_iri(n): as_of(graph, n) for n in range(1, CHAPTERS + 1)})
    return store.dump(format=ox.RdfFormat.N_QUADS)


@dataclass(frozen=True)
class Limits:
    """What one request may cost.

    Attributes:
        timeout: seconds a query may run before its worker is killed.
        max_rows: most solutions (or triples) in an answer.
        max_request_bytes: largest request body or query accepted.
        queue_wait: seconds a request waits for a free worker (default: twice ``timeout``).
        memory_bytes: address-space limit of each worker process (``None``: no limit).
    """

    timeout: float = 5.0
    max_rows: int = 10_000
    max_request_bytes: int = 64 * 1024
    queue_wait: float | None = None
    memory_bytes: int | None = 4 * 1024**3

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"the time limit must be a positive number of seconds, not {self.timeout!r}")
        if self.max_rows < 1:
            raise ValueError(f"the row limit must be at least 1, not {self.max_rows!r}")
        if self.max_request_bytes < 1024:
            raise ValueError("the request size limit must be at least 1024 bytes")

    @property
    def wait(self) -> float:
        return self.queue_wait if self.queue_wait is not None else 2 * self.timeout


class RequestError(Exception):
    """An HTTP error answer: a status and a plain-text message for the client."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, dict(headers or {})


def _worker_main(fd: int, memory_bytes: int) -> None:  # pragma: no cover - runs in the child process
    """Load the store sent over the socket ``fd``, then answer queries one by one until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the whole process group; the parent stops us
    conn = Connection(fd)
    if memory_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ImportError, ValueError, OSError):
            pass
    dataset = ox.Store()
    dataset.load(conn.recv_bytes(), format=ox.RdfFormat.N_QUADS)
    plain = ox.Store()  # the default graph alone: 3 to 10 times faster than the same graph beside 23 named cuts
    plain.load(dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format=ox.RdfFormat.N_TRIPLES)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(dataset, plain, *request))


def _answer(dataset: ox.Store, plain: ox.Store, text: str, graph_iri: str | None, max_rows: int, table_fmt: str | None, graph_fmt: str | None) -> tuple:
    """``("ok", format, body)`` or ``("error", status, message)``, never an exception.

    A query with ``as_of`` (``graph_iri``), or that may name graphs (GRAPH, FROM), runs on the dataset;
    any other on the store of the default graph alone, which holds the same triples.
    """
    store = dataset if graph_iri or _NAMES_GRAPHS.search(text) else plain
    try:
        result = sparql.run(store, text, graph_iri=graph_iri, max_rows=max_rows)
        fmt = graph_fmt if result.kind == "CONSTRUCT" else table_fmt
        if fmt is None:
            offered = GRAPH_TYPES if result.kind == "CONSTRUCT" else TABLE_TYPES
            return ("error", 406, f"a {result.kind} answer is available as {', '.join(offered)}; the Accept header allows none of them")
        return ("ok", fmt, sparql.serialize(result, fmt).encode("utf-8"))
    except sparql.QueryError as error:
        return ("error", 400, str(error))
    except MemoryError:
        return ("error", 503, "the query needed more memory than a worker may use: narrow it")
    except Exception as error:  # an engine error must not kill the worker or leak a traceback
        return ("error", 500, f"the query failed: {type(error).__name__}: {error}")


class _Worker:
    """One worker process (a fresh interpreter, never a fork of this threaded one) and a socket to it."""

    def __init__(self, memory_bytes: int | None) -> None:
        ours, theirs = socket.socketpair()
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))}
        code = "import sys; from graph.workers import _worker_main; _worker_main(int(sys.argv[1]), int(sys.argv[2]))"
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(theirs.fileno()), str(memory_bytes or 0)], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env
            )
        self.conn = Connection(ours.detach())

    def load(self, dump: bytes) -> None:
        """Send the store (blocks until the new process has started and reads it)."""
        with contextlib.suppress(OSError):  # it died while starting: wait_ready says so
            self.conn.send_bytes(dump)

    def wait_ready(self, seconds: float) -> bool:
        try:
            return self.conn.poll(seconds) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.conn.close()


class WorkerPool:
    """Pre-started query processes, each with its own copy of the store; a killed one is replaced.

    Args:
        dump: the store as N-Quads (see ``dataset_dump``).
        size: how many workers.
        limits: the time limit, the bounded wait for a free worker and the memory limit.
    """

    def __init__(self, dump: bytes, size: int, limits: Limits) -> None:
        if not 1 <= size <= MAX_WORKERS:
            raise ValueError(f"the number of workers must be from 1 to {MAX_WORKERS}, not {size!r}")
        self.size, self.limits, self._dump = size, limits, dump
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0
        starting = [self._spawn() for _ in range(size)]  # start them all, then load them: their start-ups overlap
        for worker in starting:
            worker.load(dump)
        for worker in starting:
            if not worker.wait_ready(120):
                self.close()
                raise RuntimeError("a SPARQL worker process did not start")
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.limits.memory_bytes)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start its successor in the background."""
        self._retire(worker)
        self.restarts += 1

        def start() -> None:
            if self._closed:
                return
            fresh = self._spawn()
            fresh.load(self._dump)
            if fresh.wait_ready(120) and not self._closed:
                self._idle.put(fresh)
            else:
                self._retire(fresh)

        threading.Thread(target=start, name="nlmg-sparql-respawn", daemon=True).start()

    def run(self, text: str, graph_iri: str | None, table_fmt: str | None, graph_fmt: str | None) -> tuple[str, bytes]:
        """Run a query on a free worker; return ``(format, body)``.

        Raises:
            RequestError: 503 no worker free in time, 504 time limit reached (the worker is killed),
                or the worker's own refusal (400 bad query or too many rows, 406, 500).
        """
        if self._closed:
            raise RequestError(503, "the endpoint is shutting down")
        try:
            worker = self._idle.get(timeout=self.limits.wait)
        except queue.Empty:
            raise RequestError(503, f"all {self.size} query workers stayed busy for {self.limits.wait:g} s: try again", {"Retry-After": "2"}) from None
        try:
            worker.conn.send((text, graph_iri, self.limits.max_rows, table_fmt, graph_fmt))
            if not worker.conn.poll(self.limits.timeout):
                self._replace(worker)
                raise RequestError(504, f"the query ran for more than {self.limits.timeout:g} s and was stopped: narrow it or add a LIMIT")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            if self._closed:
                raise RequestError(503, "the endpoint is shutting down") from None
            raise RequestError(503, "the query worker stopped (the query may have needed too much memory): narrow it") from None
        self._idle.put(worker)
        if reply[0] == "error":
            raise RequestError(reply[1], reply[2])
        return reply[1], reply[2]

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            self._retire(worker)
