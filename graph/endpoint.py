"""A local SPARQL 1.1 Protocol endpoint over the graph, with an offline query page.

``GET /sparql?query=...``, ``POST`` as a form (``query=...``) or with the query as the body
(``application/sparql-query``); results in the format the ``Accept`` header asks for; ``as_of=N``
(or ``default-graph-uri`` set to a cut's named graph) answers from the spoiler cut after chapter N.
``GET /sparql`` without a query gives the SPARQL 1.1 Service Description, ``GET /void`` (and
``/.well-known/void``) the VoID description; ``GET /`` is the query page and ``/output/`` serves
the built pages (the companion, the ontology) read-only.

Safe by default: it binds 127.0.0.1 and answers only requests whose ``Host`` names the address it
is bound to (DNS rebinding: 403); it refuses updates and ``SERVICE`` (403), and the query workers
cannot open a connection anyway (``graph.sandbox``). It bounds the request size (413), the time to
send a request (408), the number of connections, the result size and the time a query may take
(504). Queries run in the worker processes of ``graph.workers``; a thread per connection waits a
bounded time for a free worker (503).

>>> negotiate("text/csv;q=0.5, application/sparql-results+json", TABLE_TYPES)
'json'
>>> negotiate("text/turtle", TABLE_TYPES) is None
True
"""

from __future__ import annotations

import contextlib
import functools
import html
import ipaddress
import re
import signal
import socket
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote

from rdflib import Graph

from graph import paths, sparql
from graph.describe import service_description, void_description
from graph.namespaces import PREFIXES
from graph.spoilers import CHAPTERS
from graph.visibility import cut_chapters
from graph.workers import AS_OF_GRAPH, GRAPH_TYPES, MAX_WORKERS, TABLE_TYPES, Limits, RequestError, Target, WorkerPool, as_of_graph_iri, dataset_dump

__all__ = [
    "EndpointServer",
    "allowed_hosts",
    "negotiate",
    "prepared_dataset",
    "start_server",
    "wait_until_stopped",
]

#: The Content-Type sent for each format.
CONTENT_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "json-ld": "application/ld+json; charset=utf-8",
    "rdf-xml": "application/rdf+xml; charset=utf-8",
    "ntriples": "application/n-triples; charset=utf-8",
}
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]{1,2000}")
_STATIC_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".png": "image/png", ".svg": "image/svg+xml",
                 ".json": "application/json", ".jsonld": "application/ld+json", ".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples",
                 ".trig": "application/trig", ".csv": "text/csv; charset=utf-8", ".md": "text/plain; charset=utf-8", ".graphml": "application/xml",
                 ".gexf": "application/xml"}  # fmt: skip


def negotiate(accept: str | None, offered: Mapping[str, str]) -> str | None:
    """The format of the offered media type that ``accept`` likes best; ``None`` if none is acceptable.

    A missing or empty header takes the first offer. Each offer takes the ``q`` of the most specific
    range that matches it (exact, then ``type/*``, then ``*/*``); the highest ``q`` wins, then the
    range earlier in the header, then the earlier offer.

    >>> negotiate(None, GRAPH_TYPES)
    'turtle'
    >>> negotiate("text/*;q=0.9, application/ld+json;q=0.8", GRAPH_TYPES)
    'turtle'
    """
    if not accept or not accept.strip():
        return next(iter(offered.values()))
    ranges = []
    for position, item in enumerate(accept.split(",")[:64]):
        kind, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        if kind:
            ranges.append((kind.lower(), weight, position))
    best: tuple[float, int, int] | None = None
    choice = None
    for order, (media, fmt) in enumerate(offered.items()):
        matches = [(_specificity(kind, media), weight, position) for kind, weight, position in ranges if _specificity(kind, media)]
        if not matches:
            continue
        _, weight, position = max(matches, key=lambda m: m[0])
        if weight <= 0:
            continue
        rank = (weight, -position, -order)
        if best is None or rank > best:
            best, choice = rank, fmt
    return choice


@functools.lru_cache(maxsize=64)
def _negotiated(accept: str) -> tuple[str | None, str | None]:
    return negotiate(accept, TABLE_TYPES), negotiate(accept, GRAPH_TYPES)


def _formats(accept: str) -> tuple[str | None, str | None]:
    """The table format and the graph format ``accept`` likes best; a client's usual headers are worked out once."""
    return _negotiated(accept) if len(accept) <= 256 else (negotiate(accept, TABLE_TYPES), negotiate(accept, GRAPH_TYPES))


def allowed_hosts(host: str) -> frozenset[str]:
    """The ``Host`` names a server bound to ``host`` answers to: that address, and the loopback names if it is loopback.

    A wildcard address (``0.0.0.0``, ``::``) adds the loopback names and this machine's name.

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', 'localhost']
    """
    names = {host.lower().strip("[]")}
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None and address.is_loopback:
        names.add("localhost")
    if address is not None and address.is_unspecified:
        names |= {"localhost", "127.0.0.1", "::1", socket.gethostname().lower(), socket.getfqdn().lower()}
    if host.lower() == "localhost":
        names |= {"127.0.0.1", "::1"}
    return frozenset(names)


def _split_host(header: str) -> tuple[str, str | None]:
    """The name (without IPv6 brackets) and the port of a ``Host`` header.

    >>> _split_host("[::1]:7878"), _split_host("localhost")
    (('::1', '7878'), ('localhost', None))
    """
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else None
    name, colon, port = header.partition(":")
    return name, port if colon else None


def _specificity(media_range: str, media: str) -> int:
    """3 if the range names ``media`` exactly, 2 for ``type/*``, 1 for ``*/*``, 0 if it does not match."""
    if media_range == media:
        return 3
    if media_range == media.split("/")[0] + "/*":
        return 2
    return 1 if media_range == "*/*" else 0


# ---------------------------------------------------------------------------------------------
# HTTP


class EndpointServer(ThreadingHTTPServer):
    """The HTTP server: a thread per connection (at most ``max_connections``) in front of the worker pool."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog (socketserver's 5 drops connections under 8 concurrent clients)
    max_connections = 256
    request_deadline = 20.0  # seconds a client has to send a whole request (line, headers and body)

    pool: WorkerPool
    descriptions: dict[str, Graph]

    def __init__(self, address: tuple[str, int], limits: Limits, output_dir: Path, queries_dir: Path | None, quiet: bool) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.limits, self.output_dir, self.queries_dir, self.quiet = limits, Path(output_dir), queries_dir, quiet
        self.hosts = allowed_hosts(address[0])
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._slots = threading.BoundedSemaphore(self.max_connections)
        self._deadlines: dict[socket.socket, float] = {}
        self._deadlines_lock = threading.Lock()
        super().__init__(address, _Handler)
        threading.Thread(target=self._reap, name="nlmg-sparql-deadlines", daemon=True).start()

    # -- bounded connections and whole-request deadlines

    def process_request(self, request: socket.socket, client_address: tuple) -> None:  # type: ignore[override]
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 2\r\nConnection: close\r\n\r\n")
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: socket.socket, client_address: tuple) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.disarm(request)
            self._slots.release()

    def arm(self, connection: socket.socket) -> None:
        """Start the clock: ``connection`` must send a whole request within ``request_deadline``."""
        with self._deadlines_lock:
            self._deadlines[connection] = time.monotonic() + self.request_deadline

    def disarm(self, connection: socket.socket) -> None:
        with self._deadlines_lock:
            self._deadlines.pop(connection, None)

    def _reap(self) -> None:
        """Cut off every client that has not sent its whole request in time (a 408, then close)."""
        while not self._stopped:
            time.sleep(0.25)
            now = time.monotonic()
            with self._deadlines_lock:
                late = [c for c, deadline in self._deadlines.items() if deadline < now]
                for connection in late:
                    del self._deadlines[connection]
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.sendall(b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: socket.socket, client_address: tuple) -> None:
        """One line in the log, never a traceback (a client that hangs up is not the server's error)."""
        error = sys.exc_info()[1]
        if not self.quiet and not isinstance(error, ConnectionError | TimeoutError):
            print(f"error on a connection from {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"

    def shutdown(self) -> None:
        """Stop serving, close the socket and stop the workers (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            super().shutdown()
            self._thread.join(10)
        self.server_close()
        self.pool.close()


def _page(server: EndpointServer) -> bytes:
    """The query page with the named queries and the map links filled in."""
    template = resources.files("graph").joinpath("assets/endpoint.html").read_text(encoding="utf-8")
    try:
        library = list(sparql.named_queries(server.queries_dir).values())
    except (OSError, UnicodeDecodeError):
        library = []
    examples = "".join(
        f'<li><button type="button" class="example" data-query="{html.escape(q.text)}" title="{html.escape(q.description or q.name)}">'
        f"{html.escape(q.title)}</button> <code>{html.escape(q.name)}</code></li>"
        for q in library
    )
    built = {"index.html": "The reader's companion", "ontology/index.html": "The ontology, documented"}
    links = "".join(f'<li><a href="/output/{path}">{title}</a></li>' for path, title in built.items() if (server.output_dir / path).is_file())
    filled = {
        "<!--EXAMPLES-->": examples or "<li>No named queries yet: add <code>.rq</code> files under <code>queries/</code>.</li>",
        "<!--OUTPUTS-->": links or "<li>Nothing built yet: run <code>nlmg build</code>.</li>",
        "<!--CHAPTERS-->": "".join(f'<option value="{n}">after chapter {n}</option>' for n in range(1, CHAPTERS + 1)),
        "<!--LIMITS-->": f"time limit {server.limits.timeout:g} s, at most {server.limits.max_rows:,} rows",
    }
    for marker, value in filled.items():
        template = template.replace(marker, value)
    return template.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: EndpointServer
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # so that an answer to a malformed request line still has a status line
    server_version = "nlmg-sparql/1"
    timeout = 30  # seconds a silent client may hold a connection
    disable_nagle_algorithm = True  # headers and body leave at once (else a keep-alive client waits 40 ms for a delayed ACK)
    _cors = False

    # -- plumbing

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None, *, head: bool = False) -> None:
        """The status line, the headers and the body in one write (one packet for most answers)."""
        self.log_request(status)
        lines = [
            f"{self.protocol_version} {status} {self.responses.get(status, ('',))[0]}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            "X-Content-Type-Options: nosniff",
        ]
        if self._cors:
            lines.append("Access-Control-Allow-Origin: *")
        lines.extend(f"{key}: {value}" for key, value in (headers or {}).items())
        if self.close_connection:
            lines.append("Connection: close")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "strict")
        self.wfile.write(message if head or self.command == "HEAD" else message + body)

    def _fail(self, error: RequestError) -> None:
        """Send an error answer; a client that has hung up meanwhile only closes the connection."""
        try:
            self._send(error.status, (error.message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8", error.headers)
        except OSError:
            self.close_connection = True

    def handle_one_request(self) -> None:
        self.server.arm(self.connection)
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        finally:
            self.server.disarm(self.connection)

    def _check_host(self) -> None:
        """Refuse a ``Host`` the server is not bound to (a DNS-rebinding page names its own domain)."""
        header = self.headers.get("Host")
        if header is None:
            if self.request_version == "HTTP/1.0":
                return
            raise RequestError(400, "an HTTP/1.1 request needs a Host header")
        name, port = _split_host(header)
        if name not in self.server.hosts or port not in (None, str(self.server.server_address[1])):
            self.close_connection = True
            raise RequestError(403, f"this server answers only to {', '.join(sorted(self.server.hosts))} (the Host header names another site)")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by http.server itself (bad request line, 414): plain text too."""
        self.close_connection = True
        self._fail(RequestError(code, message or self.responses.get(code, ("error",))[0]))

    def _dispatch(self, method: str) -> None:
        try:
            path = self.path.split("?", 1)[0]
            self._cors = path in ("/sparql", "/void", "/.well-known/void")
            if method != "POST":
                self.server.disarm(self.connection)  # the whole request is in
            self._check_host()
            if path == "/sparql":
                if method not in ("GET", "HEAD", "POST"):
                    raise RequestError(405, "use GET or POST on /sparql", {"Allow": "GET, HEAD, POST, OPTIONS"})
                self._sparql(method)
            elif method not in ("GET", "HEAD"):
                raise RequestError(405, f"{method} is not allowed here: everything but /sparql is read-only", {"Allow": "GET, HEAD, OPTIONS"})
            elif path in ("/", "/index.html"):
                self._send(200, _page(self.server), "text/html; charset=utf-8", {"Cache-Control": "no-store"})
            elif path in ("/void", "/.well-known/void"):
                self._description("void")
            elif path == "/output":
                self._send(301, b"", "text/plain", {"Location": "/output/"})
            elif path.startswith("/output/"):
                self._static(path[len("/output/") :])
            else:
                raise RequestError(404, "not found: the query page is at /, the endpoint at /sparql, the built pages under /output/")
        except RequestError as error:
            self._fail(error)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception as error:  # no traceback ever reaches the client
            self.log_error("internal error on %s: %s: %s", self.path[:200], type(error).__name__, error)
            self.close_connection = True
            self._fail(RequestError(500, "internal error"))

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:
        """CORS preflight (what YASGUI and other browser clients send first): only /sparql, read-only methods."""
        self.server.disarm(self.connection)
        try:
            self._check_host()
        except RequestError as error:
            self._fail(error)
            return
        self._cors = self.path.split("?", 1)[0] in ("/sparql", "/void", "/.well-known/void")
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self._cors:
            headers |= {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Accept, Content-Type, X-Requested-With",
                "Access-Control-Max-Age": "600",
            }
            if self.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
                headers["Access-Control-Allow-Private-Network"] = "true"  # browsers ask before a public page reads a local server
        self._send(204, b"", "text/plain", headers)

    # -- the SPARQL protocol

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise RequestError(411, "send the request with a Content-Length (chunked bodies are not accepted)")
        if length is None:
            self.close_connection = True
            raise RequestError(411, "a POST needs a Content-Length header")
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            raise RequestError(400, "the Content-Length header is not a number") from None
        if size < 0 or size > self.server.limits.max_request_bytes:
            self.close_connection = True  # the body stays unread
            raise RequestError(413, f"the request is larger than {self.server.limits.max_request_bytes:,} bytes")
        body = self.rfile.read(size)
        self.server.disarm(self.connection)
        if len(body) < size:
            self.close_connection = True
            raise RequestError(400, f"the body ended after {len(body):,} of the {size:,} bytes its Content-Length announced: nothing was run")
        return body

    def _parameters(self, method: str) -> dict[str, list[str]]:
        query_string = self.path.partition("?")[2]
        limit = self.server.limits.max_request_bytes
        if len(query_string) > limit:
            raise RequestError(413, f"the request is larger than {limit:,} bytes")

        def parse(text: str) -> dict[str, list[str]]:
            try:
                return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=50, errors="strict")
            except (ValueError, UnicodeDecodeError):
                raise RequestError(400, "the parameters are not valid URL-encoded UTF-8 (or there are too many of them)") from None

        params = parse(query_string)
        if method == "POST":
            body = self._body()
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestError(400, "the request body is not UTF-8") from None
            if media == "application/x-www-form-urlencoded":
                for key, values in parse(text).items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                params.setdefault("query", []).append(text)
            elif media == "application/sparql-update":
                raise RequestError(403, "this endpoint is read-only: SPARQL updates are refused")
            else:
                raise RequestError(
                    415,
                    "POST the query as application/x-www-form-urlencoded (query=...) or as application/sparql-query",
                    {"Accept-Post": "application/sparql-query"},
                )
        return params

    def _sparql(self, method: str) -> None:
        params = self._parameters(method)
        if "update" in params:
            raise RequestError(403, "this endpoint is read-only: SPARQL updates are refused")
        queries = params.get("query", [])
        if not queries and method != "POST":
            self._description("service")
            return
        if len(queries) != 1 or not queries[0].strip():
            raise RequestError(400, "give exactly one SPARQL query: /sparql?query=..., or POST it (the query page is at /)")
        text = queries[0]
        if len(text.encode("utf-8")) > self.server.limits.max_request_bytes:
            raise RequestError(413, f"the query is longer than {self.server.limits.max_request_bytes:,} bytes")
        target = self._target(params)
        try:
            sparql.check_read_only(text)
        except sparql.QueryError as error:
            raise RequestError(403, str(error)) from None
        table_fmt, graph_fmt = _formats(self.headers.get("Accept") or "")
        if table_fmt is None and graph_fmt is None:
            raise RequestError(406, f"no result format fits the Accept header; offered: {', '.join([*TABLE_TYPES, *GRAPH_TYPES])}")
        fmt, body = self.server.pool.run(text, target, table_fmt, graph_fmt)
        self._send(200, body, CONTENT_TYPES[fmt], {"Vary": "Accept", "Cache-Control": "no-store"})

    @staticmethod
    def _target(params: dict[str, list[str]]) -> Target:
        """Where the query runs: ``as_of``, or the protocol's ``default-graph-uri`` and ``named-graph-uri``."""
        given = [v for v in params.get("as_of", []) if v.strip()]
        defaults, named = params.get("default-graph-uri", []), params.get("named-graph-uri", [])
        for iri in (*defaults, *named):
            if not _IRI.fullmatch(iri):
                raise RequestError(400, f"default-graph-uri and named-graph-uri take absolute IRIs, e.g. {AS_OF_GRAPH}9; not {iri[:100]!r}")
        if len(defaults) + len(named) > CHAPTERS * 2:
            raise RequestError(400, f"at most {CHAPTERS * 2} default-graph-uri and named-graph-uri in all")
        if given and (defaults or named):
            raise RequestError(400, f"give as_of or default-graph-uri/named-graph-uri, not both (as_of=N means default-graph-uri={AS_OF_GRAPH}N)")
        if defaults or named:
            return ("dataset", tuple(defaults), tuple(named))
        if not given:
            return None
        if len(given) > 1 or not given[0].strip().isdigit() or not 1 <= int(given[0]) <= CHAPTERS:
            raise RequestError(400, f"as_of must be one chapter number from 1 to {CHAPTERS}")
        return ("cut", int(given[0]))

    def _description(self, which: str) -> None:
        """The service description or the VoID description, in the RDF format the Accept header likes best."""
        fmt = negotiate(self.headers.get("Accept"), GRAPH_TYPES)
        if fmt is None:
            raise RequestError(406, f"the description is available as {', '.join(GRAPH_TYPES)}")
        graph = self.server.descriptions[which]
        formats = {"turtle": "turtle", "rdf-xml": "xml", "json-ld": "json-ld", "ntriples": "nt"}
        self._send(200, graph.serialize(format=formats[fmt], encoding="utf-8"), CONTENT_TYPES[fmt], {"Vary": "Accept"})

    # -- the generated files, read-only

    def _static(self, relative: str) -> None:
        try:
            parts = unquote(relative, errors="strict").split("/")
        except UnicodeDecodeError:
            raise RequestError(400, "the path is not valid URL-encoded UTF-8") from None
        if len(parts) > 32 or len(relative) > 1024:
            raise RequestError(404, "not found: no file under output/ lies that deep")
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            raise RequestError(403, "paths with '..' are refused")
        if any(p.startswith(".") for p in parts if p):
            raise RequestError(404, "not found")
        missing = RequestError(404, f"not found under output/ (run 'nlmg build' to write the pages): /output/{relative[:200]}")
        try:
            root = self.server.output_dir.resolve()
            target = root.joinpath(*[p for p in parts if p]).resolve()
            if not target.is_relative_to(root):
                raise RequestError(403, "that path leads outside output/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                raise missing
            content = target.read_bytes()
        except OSError:  # a name too long, a file that vanished
            raise missing from None
        self._send(200, content, _STATIC_TYPES.get(target.suffix.lower(), "application/octet-stream"))


_PREPARED: weakref.WeakKeyDictionary[Graph, tuple[int, bytes, dict[str, int]]] = weakref.WeakKeyDictionary()


def prepared_dataset(graph: Graph) -> tuple[bytes, dict[str, int]]:
    """What the workers load (N-Quads: the graph and its 23 spoiler cuts) and the size of each cut, by graph IRI.

    The cuts come from each triple's first chapter (``cut_chapters``), made once per graph and reused while
    the graph keeps its size.
    """
    known = _PREPARED.get(graph)
    if known is not None and known[0] == len(graph):
        return known[1], known[2]
    chapters = cut_chapters(graph)
    sizes = {as_of_graph_iri(n): sum(1 for c in chapters.values() if c <= n) for n in range(1, CHAPTERS + 1)}
    dump = dataset_dump(graph, chapters)
    _PREPARED[graph] = (len(graph), dump, sizes)
    return dump, sizes


def start_server(
    graph: Graph,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timeout: float = 5.0,
    max_rows: int = 10_000,
    workers: int = 2,
    max_request_bytes: int = 64 * 1024,
    queue_wait: float | None = None,
    output_dir: Path | None = None,
    queries_dir: Path | None = None,
    quiet: bool = True,
    prepared: tuple[bytes, dict[str, int]] | None = None,
) -> tuple[EndpointServer, str]:
    """Start the endpoint in a background thread; return the server and its base URL.

    ``port=0`` picks a free port. Stop it with ``server.shutdown()``. ``prepared``: ``prepared_dataset(graph)``
    when the caller already has it (from the cache).

    Raises:
        ValueError: a limit out of range. OSError: the address cannot be bound.
    """
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be from 0 to 65535, not {port}")
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"the number of workers must be from 1 to {MAX_WORKERS}, not {workers}")
    limits = Limits(timeout=timeout, max_rows=max_rows, max_request_bytes=max_request_bytes, queue_wait=queue_wait)
    server = EndpointServer((host, port), limits, output_dir if output_dir is not None else paths.output_dir(), queries_dir, quiet)  # bind first
    try:
        dump, sizes = prepared if prepared is not None else prepared_dataset(graph)
        server.pool = WorkerPool(dump, workers, limits, PREFIXES)
        server.descriptions = {
            "service": service_description(server.url + "sparql", graph, sizes, void_url=server.url + "void"),
            "void": void_description(graph, endpoint=server.url + "sparql"),
        }
    except BaseException:
        server.server_close()
        raise
    server._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="nlmg-sparql-http", daemon=True)
    server._thread.start()
    return server, server.url


def wait_until_stopped(server: EndpointServer) -> None:
    """Block until Ctrl-C or SIGTERM, then shut the server down cleanly."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
        print("stopping...", file=sys.stderr)
        started = time.monotonic()
        server.shutdown()
        print(f"stopped ({time.monotonic() - started:.1f} s)", file=sys.stderr)
