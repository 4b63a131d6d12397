"""Query worker processes: each holds copies of the Oxigraph stores and answers one query at a time.

Oxigraph cannot interrupt a query, so queries run here, in other processes: the endpoint's are forks
of a *zygote*, a fresh interpreter (never a fork of the threaded server) that loads the stores once,
so a new worker is ready in milliseconds; ``nlmg query``'s is one fork of the command itself.
Each has a memory limit and the walls of ``graph.sandbox`` (no network, no new sockets), so a
``SERVICE`` call that gets past the text check reaches nothing: the engine's attempt to connect
fails, and the client gets a 403. A query that overruns its time is stopped by killing its worker.

The pool keeps the answers it gave (the graph does not change while it is served; at most
``ANSWER_CACHE_BYTES``), and a *quick lane*: one worker that takes a query only when every other
worker is busy; when a query there runs past ``Limits.quick_timeout``, a warm spare takes over the
lane, so runaway queries cannot make a plain ASK wait. The spare also replaces a killed worker.

>>> as_of_graph_iri(9)
'https://w3id.org/nlmg/graph/as-of/9'
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import pickle
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph import sandbox, sparql
from graph.wire import Channel, pack_reply, unpack_reply

__all__ = [
    "AS_OF_GRAPH",
    "GRAPH_TYPES",
    "MAX_WORKERS",
    "TABLE_TYPES",
    "Limits",
    "RequestError",
    "Target",
    "WorkerPool",
    "as_of_graph_iri",
    "dataset_dump",
    "run_once",
]

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
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/rdf+xml": "rdf-xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "ntriples",
    "application/turtle": "turtle",
    "application/xml": "rdf-xml",
}
#: The IRI of the named graph of a spoiler cut is this plus the chapter number.
AS_OF_GRAPH = "https://w3id.org/nlmg/graph/as-of/"
#: A query that may name graphs (a false positive, e.g. in a comment, only costs speed).
_NAMES_GRAPHS = re.compile(r"(?<![?$\w])FROM\s+(NAMED\b|<|[\w-]*:)|(?<![?$\w])GRAPH\s*(\?|\$|<|[\w-]*:)", re.IGNORECASE)
#: Most worker processes (each holds a copy of the store, about 90 MB).
MAX_WORKERS = 32
#: Longest time limit accepted, in seconds.
MAX_TIMEOUT = 3600.0
#: Seconds a query that reached the time limit is refused at once if sent again.
_REMEMBER_TIMEOUTS = 30.0
#: Answers kept in memory (the graph never changes while it is served), at most this many bytes in all.
ANSWER_CACHE_BYTES = 64 * 1024**2
#: The formats a worker answers in, numbered in its replies.
_FORMATS = (*sparql.TABLE_FORMATS, *sparql.GRAPH_FORMATS)
#: What a new worker sends first, then whether each wall is up (a byte each).
_READY = b"ready"
#: A query calling one of these gives a different answer each time: never from the cache.
_VOLATILE = re.compile(r"\b(RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)

#: Where a query runs: ``None`` the whole book; ``("cut", n)`` the spoiler cut after chapter n;
#: ``("dataset", default_graphs, named_graphs)`` the protocol's default-graph-uri and named-graph-uri.
Target = tuple | None


def as_of_graph_iri(chapter: int) -> str:
    """The named graph holding the spoiler cut after ``chapter``."""
    return f"{AS_OF_GRAPH}{chapter}"


def _ox_term(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as Oxigraph's (the same term its N-Triples parser makes of rdflib's serialization)."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    return ox.BlankNode(str(term)) if isinstance(term, BNode) else ox.NamedNode(str(term))


def dataset_dump(graph, chapters=None) -> bytes:
    """N-Quads of one store: ``graph`` in the default graph, each chapter's spoiler cut in its named graph.

    ``chapters`` maps every triple to the first chapter whose cut holds it (``graph.visibility.cut_chapters``,
    made if not given): cut ``n`` is the triples whose chapter is at most ``n``, written without cutting the graph.
    """
    if chapters is None:
        from graph.visibility import cut_chapters

        chapters = cut_chapters(graph)
    parts = {triple: [str(_ox_term(term)) for term in triple] for triple in {*graph, *chapters}}
    lines = [" ".join(parts[triple]) + " .\n" for triple in graph]
    by_chapter = sorted((chapter, parts[triple]) for triple, chapter in chapters.items())
    for n in range(1, max((c for c, _ in by_chapter), default=0) + 1):
        name, suffix = f"<{as_of_graph_iri(n)}>", f"c{n}"  # each graph its own blank nodes, as when loaded one by one
        lines.extend(" ".join(p + suffix if p[0] == "_" else p for p in row) + f" {name} .\n" for chapter, row in by_chapter if chapter <= n)
    return "".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Limits:
    """What one query may cost.

    Attributes:
        timeout: seconds a query may run before its worker is killed.
        max_rows: most solutions (or triples) in an answer.
        max_request_bytes: largest request body or query accepted.
        queue_wait: seconds a request waits for a free worker (default: twice ``timeout``).
        memory_bytes: address-space limit of each worker process (``None``: no limit).
        quick_timeout: time limit of a query on the quick lane (used while the other workers are busy).
    """

    timeout: float = 5.0
    max_rows: int = 10_000
    max_request_bytes: int = 64 * 1024
    queue_wait: float | None = None
    memory_bytes: int | None = 4 * 1024**3
    quick_timeout: float = 0.5

    def __post_init__(self) -> None:
        if not (isinstance(self.timeout, int | float) and math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            raise ValueError(f"the time limit must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, not {self.timeout!r}")
        if self.max_rows < 1:
            raise ValueError(f"the row limit must be at least 1, not {self.max_rows!r}")
        if self.max_request_bytes < 1024:
            raise ValueError("the request size limit must be at least 1024 bytes")
        if self.memory_bytes is not None and self.memory_bytes < 256 * 1024**2:
            raise ValueError("the memory limit must be at least 256 MB")

    @property
    def wait(self) -> float:
        return self.queue_wait if self.queue_wait is not None else 2 * self.timeout


class RequestError(Exception):
    """An HTTP error answer: a status and a plain-text message for the client."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, dict(headers or {})


# ---------------------------------------------------------------------------------------------
# Inside a worker


class _Stores:
    """The stores a worker answers from: the dataset, the whole book alone, one per spoiler cut (made on first use)."""

    def __init__(self, dump: bytes, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.dataset = ox.Store()
        self.dataset.load(dump, format=ox.RdfFormat.N_QUADS, lenient=True)  # made by ``dataset_dump`` from checked terms: skip re-checking
        self.whole = self._graph_alone(ox.DefaultGraph())  # 3 to 10 times faster than the same graph beside 23 cuts
        self.cut_names = {g.value for g in self.dataset.named_graphs() if isinstance(g, ox.NamedNode) and g.value.startswith(AS_OF_GRAPH)}
        self._cuts: dict[str, ox.Store] = {}

    def _graph_alone(self, name: ox.NamedNode | ox.DefaultGraph) -> ox.Store:
        store = ox.Store()
        store.load(self.dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return store

    def cut(self, iri: str) -> ox.Store | None:
        """The store of the cut named ``iri``; ``None`` if the dataset has no such cut (a store is made only for those it has)."""
        if iri not in self.cut_names:
            return None
        if iri not in self._cuts:
            self._cuts[iri] = self._graph_alone(ox.NamedNode(iri))
        return self._cuts[iri]

    def pick(self, text: str, target: Target) -> tuple[ox.Store, dict]:
        """The store and query options for ``target``; the dataset only where the query may name graphs (or names no cut)."""
        names_graphs = _NAMES_GRAPHS.search(text) is not None
        if target is None:
            return (self.dataset if names_graphs else self.whole), {}
        if target[0] == "cut":
            iri = as_of_graph_iri(target[1])
            cut = None if names_graphs else self.cut(iri)
            if cut is not None:
                return cut, {}
            return self.dataset, {"default_graph": ox.NamedNode(iri), "named_graphs": []}  # FROM and GRAPH must not reach the other cuts
        _, defaults, named = target
        cut = self.cut(defaults[0]) if len(defaults) == 1 and not named and not names_graphs else None
        if cut is not None:
            return cut, {}
        options: dict = {}
        if defaults:
            options["default_graph"] = [ox.NamedNode(iri) for iri in defaults]
        if named:
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named]
        return self.dataset, options


def _answer(stores: _Stores, walled: bool, text: str, target: Target, max_rows: int, table_fmt: str | None, graph_fmt: str | None) -> bytes:
    """The reply (``wire.pack_reply``): the answer in its format, or a refusal with its HTTP status; never an exception."""
    reply = _reply(stores, walled, text, target, max_rows, table_fmt, graph_fmt)
    if reply[0] == "ok":
        return pack_reply(True, _FORMATS.index(reply[1]), reply[2])
    return pack_reply(False, reply[1], reply[2].encode("utf-8", "replace"))


def _reply(stores: _Stores, walled: bool, text: str, target: Target, max_rows: int, table_fmt: str | None, graph_fmt: str | None) -> tuple:
    """``("ok", format, body)`` or ``("error", status, message)``, never an exception."""
    try:
        store, options = stores.pick(text, target)
        kind, fmt, body = sparql.run_serialized(store, text, table_fmt, graph_fmt, max_rows=max_rows, prefixes=stores.prefixes, **options)
        if fmt is None:
            offered = GRAPH_TYPES if kind == "CONSTRUCT" else TABLE_TYPES
            return ("error", 406, f"a {kind} answer is available as {', '.join(offered)}; the Accept header allows none of them")
        return ("ok", fmt, body)
    except sparql.OutboundError as error:
        return ("error", 403 if walled else 500, str(error))
    except sparql.QueryError as error:
        return ("error", 400, str(error))
    except MemoryError:
        return ("error", 503, "the query needed more memory than a worker may use: narrow it")
    except Exception as error:  # an engine error must not kill the worker or leak a traceback
        return ("error", 500, f"the query failed: {type(error).__name__}: {error}")


def _read_reply(ok: bool, code: int, payload: bytes) -> tuple[str, bytes]:
    """``(format, body)`` of a worker's answer.

    Raises:
        RequestError: the worker's refusal (a status out of range becomes 500), or a format it may not name.
    """
    if not ok:
        raise RequestError(code if 400 <= code <= 599 else 500, payload.decode("utf-8", "replace"))
    if code >= len(_FORMATS):
        raise RequestError(500, "the query worker named an unknown result format")
    return _FORMATS[code], payload


def _limit_memory(memory_bytes: int | None) -> None:
    if memory_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ImportError, ValueError, OSError):
            pass


def _zygote_main(fd: int) -> None:  # pragma: no cover - runs in the child process
    """Seal this process and load the stores sent over the socket ``fd``; then, for each socket the parent
    sends, fork a query worker that answers on it (a fork inherits the stores and the walls: it is ready at once)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the whole process group; the parent stops us
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    walls = sandbox.seal()  # first, before any thread starts
    conn = Connection(os.dup(fd))
    dump, prefixes, memory_bytes = conn.recv()
    _limit_memory(memory_bytes)
    stores = _Stores(dump, prefixes)
    del dump
    conn.send(("ready", walls.as_dict()))
    control = socket.socket(fileno=fd)
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not fds:  # the parent has gone
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            conn.close()
            _serve(Channel(socket.socket(fileno=fds[0])), stores, walls)
            os._exit(0)
        os.close(fds[0])
        control.sendall(pid.to_bytes(8, "little"))


def _serve(channel: Channel, stores: _Stores, walls: sandbox.Walls) -> None:  # pragma: no cover - runs in a worker
    """Answer the queries that come over ``channel``, one by one, until it closes."""
    channel.send(_READY + bytes([walls.netns, walls.seccomp]))
    while True:
        try:
            request = pickle.loads(channel.recv())  # from the endpoint, which this process trusts (never the other way)
        except (EOFError, OSError):
            return
        channel.send(_answer(stores, walls.any, *request))


# ---------------------------------------------------------------------------------------------
# The endpoint's pool

#: Started as ``python -c``: a bare ``graph`` package, so that only this module and what it imports load.
_CHILD = (
    "import sys, types; package = types.ModuleType('graph'); package.__path__ = [sys.argv[1]]; sys.modules['graph'] = package; "
    "from graph.workers import _zygote_main; _zygote_main(int(sys.argv[2]))"
)


class _Zygote:
    """A fresh interpreter (never a fork of this threaded one) holding the stores, which forks the query workers."""

    def __init__(self, dump: bytes, prefixes: dict[str, str], memory_bytes: int | None) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(Path(__file__).resolve().parent), str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
            )
        self.control = ours
        self._lock = threading.Lock()
        conn = Connection(os.dup(ours.fileno()))
        try:
            conn.send((dump, prefixes, memory_bytes))
            ready = conn.poll(120) and conn.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        finally:
            conn.close()
        if not ready:
            self.stop()
            raise RuntimeError("the SPARQL worker process did not start")

    def fork(self) -> _Worker:
        """A new query worker, ready at once.

        Raises:
            OSError: the zygote has gone.
        """
        ours, theirs = socket.socketpair()
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)  # a reply of a few hundred KB in few reads
        with theirs, self._lock:
            socket.send_fds(self.control, [b"f"], [theirs.fileno()])
            answer = b""
            while len(answer) < 8:
                chunk = self.control.recv(8 - len(answer))
                if not chunk:
                    raise OSError("the SPARQL worker process has gone")
                answer += chunk
        return _Worker(Channel(ours), int.from_bytes(answer, "little"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.control.close()


class _Worker:
    """One query worker (a fork of the zygote) and the channel to it."""

    def __init__(self, channel: Channel, pid: int) -> None:
        self.channel, self.pid = channel, pid
        self.walls: dict[str, bool] = {}

    def wait_ready(self, seconds: float) -> bool:
        try:
            if not self.channel.poll(seconds):
                return False
            message = self.channel.recv(seconds)
        except (EOFError, OSError, ValueError):
            return False
        if len(message) != len(_READY) + 2 or not message.startswith(_READY):
            return False
        self.walls = {"netns": bool(message[-2]), "seccomp": bool(message[-1])}
        return True

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.channel.close()


class WorkerPool:
    """Pre-started query processes, each with its own copy of the stores; a killed one is replaced.

    Args:
        dump: the store as N-Quads (see ``dataset_dump``).
        size: how many workers take any query.
        limits: the time limits, the bounded wait for a free worker and the memory limit.
        prefixes: the prefixes every query may use undeclared.
        quick: also run a quick-lane worker and a warm spare.
    """

    def __init__(self, dump: bytes, size: int, limits: Limits, prefixes: dict[str, str], *, quick: bool = True) -> None:
        if not 1 <= size <= MAX_WORKERS:
            raise ValueError(f"the number of workers must be from 1 to {MAX_WORKERS}, not {size!r}")
        self.size, self.limits, self._quick = size, limits, quick
        self._idle: dict[str, list[_Worker]] = {"main": [], "quick": []}
        self._spares: list[_Worker] = []
        self._ready = threading.Condition()
        self._workers: set[_Worker] = set()
        self._timed_out: dict[tuple, float] = {}  # queries that reached the time limit, until when they are refused
        self._slow: dict[tuple, float] = {}  # queries that overran the quick lane, until when they wait for a main worker
        self._answers: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()  # least recently used first
        self._tickets = itertools.count()
        self._waiting: dict[int, tuple[str, ...]] = {}  # ticket of each waiting request -> the lanes it may use
        self._answers_bytes = 0
        self._closed = False
        self.restarts = 0
        self.walls: dict[str, bool] = {}
        self._zygote = _Zygote(dump, prefixes, limits.memory_bytes)
        lanes = ["main"] * size + (["quick", "spare"] if quick else [])
        started = [(lane, self._spawn()) for lane in lanes]
        for lane, worker in started:
            if worker is None or not worker.wait_ready(60):
                self.close()
                raise RuntimeError("a SPARQL worker process did not start")
            self.walls = worker.walls
            (self._spares if lane == "spare" else self._idle[lane]).append(worker)

    def _spawn(self) -> _Worker | None:
        try:
            worker = self._zygote.fork()
        except OSError:
            return None
        with self._ready:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._ready:
            self._workers.discard(worker)
        worker.stop()

    def _release(self, worker: _Worker, lane: str) -> None:
        with self._ready:
            self._idle[lane].append(worker)
            self._ready.notify_all()

    def _replace(self, worker: _Worker, lane: str) -> None:
        """Kill ``worker`` now; a warm spare takes its place, and a new spare (or successor) starts in the background.

        ``lane="spare"``: the worker was itself standing in for the spare; its successor becomes the spare.
        """
        self._retire(worker)
        self.restarts += 1
        spare = None
        if lane != "spare":
            with self._ready:
                spare = self._spares.pop() if self._spares else None
            if spare is not None:
                self._release(spare, lane)

        def start() -> None:
            if self._closed:
                return
            fresh = self._spawn()
            if fresh is None:
                return
            if not fresh.wait_ready(60) or self._closed:
                self._retire(fresh)
            elif spare is not None or lane == "spare":
                with self._ready:
                    self._spares.append(fresh)
            else:
                self._release(fresh, lane)

        threading.Thread(target=start, name="nlmg-sparql-respawn", daemon=True).start()

    def _acquire(self, key: tuple, deadline: float) -> tuple[_Worker, str]:
        """A free worker: a main one, else the quick lane unless the query overran it lately; 503 at ``deadline``.

        While requests wait, a freed worker goes to the newest one that may use it (last in, first out):
        under overload, a query sent now is answered now, rather than after the runaways queued before it.
        """
        with self._ready:
            ticket = next(self._tickets)
            try:
                while True:
                    lanes = ("main",) if self._slow.get(key, 0) > time.monotonic() else ("main", "quick")
                    self._waiting[ticket] = lanes
                    for lane in lanes:
                        if self._idle[lane] and ticket == max(t for t, usable in self._waiting.items() if lane in usable):
                            return self._idle[lane].pop(), lane
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self._closed:
                        raise RequestError(503, f"every query worker stayed busy for {self.limits.wait:g} s: try again", {"Retry-After": "2"})
                    self._ready.wait(remaining)
            finally:
                del self._waiting[ticket]
                self._ready.notify_all()  # the next newest may now take what this one left

    def _promote_spare(self) -> bool:
        """Put the warm spare on the quick lane (its worker is busy with a long query); false if there is none."""
        with self._ready:
            if not self._spares:
                return False
            self._idle["quick"].append(self._spares.pop())
            self._ready.notify_all()
            return True

    def _remember(self, memo: dict[tuple, float], key: tuple) -> None:
        now = time.monotonic()
        for old in [k for k, until in memo.items() if until <= now]:
            del memo[old]
        memo[key] = now + _REMEMBER_TIMEOUTS

    def run(self, text: str, target: Target, table_fmt: str | None, graph_fmt: str | None) -> tuple[str, bytes]:
        """Run a query on a free worker; return ``(format, body)``.

        A query that overruns the quick lane's limit goes on to the full limit there while the warm spare
        takes over the lane (the worker becomes the spare when it is done); without a spare it is stopped
        and waits for a main worker. It does not take the quick lane again for a while.

        Raises:
            RequestError: 503 no worker free in time, 504 time limit reached (the worker is killed;
                the same query sent again soon is refused at once), or the worker's own refusal (400,
                403, 406, 500).
        """
        if self._closed:
            raise RequestError(503, "the endpoint is shutting down")
        cache_key = (text, target, table_fmt, graph_fmt)
        with self._ready:
            if cache_key in self._answers:
                self._answers.move_to_end(cache_key)
                return self._answers[cache_key]
        key = (sparql.fingerprint(text), target)  # a new comment does not make a runaway new
        if self._timed_out.get(key, 0) > time.monotonic():
            raise RequestError(504, f"this query reached the time limit ({self.limits.timeout:g} s) a moment ago: narrow it or add a LIMIT")
        worker, lane = self._acquire(key, time.monotonic() + self.limits.wait)
        quick = min(self.limits.quick_timeout, self.limits.timeout)
        started = time.monotonic()
        try:
            worker.channel.send(pickle.dumps((text, target, self.limits.max_rows, table_fmt, graph_fmt)))
            answered = worker.channel.poll(self.limits.timeout if lane == "main" else quick)
            if not answered and lane == "quick":  # a long query on the quick lane: it goes on there, and the spare takes the lane
                self._remember(self._slow, key)
                if not self._promote_spare():  # no spare: stop it, so the lane stays free; it waits for a main worker
                    self._replace(worker, lane)
                    return self.run(text, target, table_fmt, graph_fmt)
                lane = "spare"
                answered = worker.channel.poll(self.limits.timeout - quick)
            if answered:
                ok, code, payload = unpack_reply(worker.channel.recv(max(self.limits.timeout - (time.monotonic() - started), 0) + 1))
        except (EOFError, OSError, ValueError):
            self._replace(worker, lane)
            if self._closed:
                raise RequestError(503, "the endpoint is shutting down") from None
            raise RequestError(503, "the query worker stopped (the query may have needed too much memory): narrow it") from None
        if not answered:
            self._remember(self._timed_out, key)  # before a successor is free to take
            self._replace(worker, lane)
            raise RequestError(504, f"the query ran for more than {self.limits.timeout:g} s and was stopped: narrow it or add a LIMIT")
        if lane == "spare":
            with self._ready:
                self._spares.append(worker)
        else:
            self._release(worker, lane)
        answer = _read_reply(ok, code, payload)
        if not _VOLATILE.search(text):
            self._keep(cache_key, answer)
        return answer

    def _keep(self, key: tuple, answer: tuple[str, bytes]) -> None:
        """Remember an answer, forgetting the least recently used ones beyond ``ANSWER_CACHE_BYTES`` (the queries' text counted in)."""
        size = len(answer[1]) + len(key[0])
        if size > ANSWER_CACHE_BYTES // 16:
            return
        with self._ready:
            if key not in self._answers:
                self._answers[key] = answer
                self._answers_bytes += size
            while self._answers_bytes > ANSWER_CACHE_BYTES:
                (text, *_), (_, body) = self._answers.popitem(last=False)
                self._answers_bytes -= len(body) + len(text)

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._ready:
            workers = list(self._workers)
            self._ready.notify_all()
        for worker in workers:
            self._retire(worker)
        self._zygote.stop()


# ---------------------------------------------------------------------------------------------
# One query in a fork (``nlmg query``)


def _quiet_stderr() -> None:
    """Send this process's standard error to /dev/null (and stop faulthandler writing there)."""
    import faulthandler

    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def run_once(store: ox.Store, text: str, limits: Limits, table_fmt: str | None, graph_fmt: str | None, prefixes: dict[str, str]) -> tuple[str, bytes]:
    """Run one query on ``store`` in a sealed fork of this process, with the endpoint's limits.

    Raises:
        RequestError: as ``WorkerPool.run`` (504 over the time limit, 400 too many rows ...).
    """
    stores = _Stores.__new__(_Stores)
    stores.prefixes, stores.dataset, stores.whole, stores.cut_names, stores._cuts = prefixes, store, store, set(), {}
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(read_end)
            _quiet_stderr()  # an engine that runs out of memory aborts with its own message: the parent explains
            walls = sandbox.seal()
            _limit_memory(limits.memory_bytes)
            reply = _answer(stores, walls.any, text, None, limits.max_rows, table_fmt, graph_fmt)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(reply)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + limits.timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_end], [], [], remaining)[0]:
                os.kill(pid, signal.SIGKILL)
                raise RequestError(504, f"the query ran for more than {limits.timeout:g} s and was stopped: narrow it, or raise --timeout")
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    if not chunks:
        raise RequestError(503, "the query stopped before it answered (it may have needed more memory than allowed): narrow it, or raise --memory")
    try:
        return _read_reply(*unpack_reply(b"".join(chunks)))
    except ValueError:
        raise RequestError(500, "the query process sent a malformed answer") from None
