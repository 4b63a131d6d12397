"""SPARQL over the graph with Oxigraph (pyoxigraph): the named query library in ``queries/``,
read-only checks, clear syntax errors, and results as table, CSV, TSV, JSON, XML, Turtle, RDF/XML,
JSON-LD or N-Triples.

It imports only pyoxigraph and the standard library at first (rdflib and the project's namespaces
when first needed), because the sandboxed query workers load it.

The project's prefixes (``:``, ``nlmg:``, ``schema:``, ``sem:``, ``skos:``, ``rel:`` ...) are
predeclared, so a query may use them without PREFIX lines.

>>> from graph import load
>>> result = run(to_store(load()), "ASK { :kathy-h a nlmg:Character }")
>>> result.boolean
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "GRAPH_FORMATS",
    "TABLE_FORMATS",
    "NamedQuery",
    "OutboundError",
    "QueryError",
    "QueryResult",
    "check_read_only",
    "find_query",
    "fingerprint",
    "named_queries",
    "run",
    "run_serialized",
    "serialize",
    "to_store",
]

TABLE_FORMATS = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES, "rdf-xml": ox.RdfFormat.RDF_XML}
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(PREFIX\s+[\w-]*:|BASE\b)", re.IGNORECASE)  # IRIs are blanked before this is matched


_T = TypeVar("_T")


class QueryError(ValueError):
    """A query that cannot run: bad syntax, an unknown prefix, an update, a SERVICE call."""


class OutboundError(QueryError):
    """The engine tried to reach another machine or service (a ``SERVICE`` call) and was stopped."""


_OUTBOUND = (
    "SERVICE is not allowed: queries run on this graph only and never call out to other endpoints "
    "(the engine tried to open a connection, and the sandbox refused it)"
)


@dataclass(frozen=True)
class NamedQuery:
    """A documented query of the library: ``queries/<name>.rq``."""

    name: str
    path: Path
    title: str
    description: str
    text: str


@dataclass
class QueryResult:
    """The answer to a query: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def of(cls, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, max_rows: int | None = None) -> QueryResult:
        """Read an Oxigraph answer whole, stopping past ``max_rows``.

        Raises:
            QueryError: more than ``max_rows`` solutions or triples.
        """
        if isinstance(answer, ox.QueryBoolean):
            return cls("ASK", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = []
            for solution in answer:
                rows.append({v: solution[v] for v in variables})
                if max_rows is not None and len(rows) > max_rows:
                    raise QueryError(f"the result has more than {max_rows} rows: add a LIMIT or narrow the query")
            return cls("SELECT", variables=variables, rows=rows)
        triples = []
        for triple in answer:
            triples.append(triple)
            if max_rows is not None and len(triples) > max_rows:
                raise QueryError(f"the result has more than {max_rows} triples: narrow the query")
        return cls("CONSTRUCT", triples=triples)

    def records(self) -> list[dict[str, str | None]]:
        """Rows as plain strings: IRIs in their short form, literals as their text."""
        return [{v: _plain(row.get(v)) for v in self.variables} for row in self.rows]

    def values(self, variable: str) -> list[str]:
        """Every value of one variable, in order, as ``records`` shows it."""
        return [r[variable] for r in self.records() if r[variable] is not None]


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        from graph.problems import short_name

        return short_name(term.value)
    return term.value  # type: ignore[attr-defined]


#: The parts of a query a keyword check must not look into: strings, IRIs and comments (which end at \\r or \\n).
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^<>"{}|^`\\\s]*>|#[^\r\n]*')


def _strip_comments_and_strings(text: str) -> str:
    """The query with comments, strings and IRIs blanked out, same length (for keyword checks)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def fingerprint(text: str) -> str:
    """The query without its comments and with its white space collapsed: what two sendings of one query share.

    >>> fingerprint("# run 1\\nASK  {\\n}") == fingerprint("# run 2\\nASK { }")
    True
    """
    bare = _OPAQUE.sub(lambda m: " " if m.group(0).startswith("#") else m.group(0), text)
    return " ".join(bare.split())


def check_read_only(text: str) -> None:
    """Refuse updates and federated calls before they reach the engine.

    >>> check_read_only("INSERT DATA { <a:b> <a:c> <a:d> }")
    Traceback (most recent call last):
    ...
    graph.sparql.QueryError: this is a SPARQL update (INSERT); the graph is read-only: only SELECT, ASK, CONSTRUCT and DESCRIBE are allowed
    """
    bare = _OPAQUE.sub(" ", text)  # what is left to check: no comment, string or IRI (each a space: positions are not needed here)
    body = bare
    while (match := _PROLOGUE.match(body)) is not None:
        body = body[match.end() :]
    if (update := _UPDATE.match(body)) is not None:
        raise QueryError(f"this is a SPARQL update ({update.group(1).upper()}); the graph is read-only: only SELECT, ASK, CONSTRUCT and DESCRIBE are allowed")
    if _SERVICE.search(bare):
        raise QueryError("SERVICE is not allowed: queries run on this graph only and never call out to other endpoints")


def _explain(error: SyntaxError, text: str) -> QueryError:
    message = str(error)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return QueryError(f"SPARQL syntax error: {message}")
    line, column, why = int(match.group(1)), int(match.group(2)), match.group(3)
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "Prefix not found" in why:
        from graph.namespaces import PREFIXES

        declared = set(re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE)) | set(PREFIXES)
        used = [p for p in re.findall(r"(?<![\w<:/#-])([A-Za-z][\w-]*):(?!/)", _strip_comments_and_strings(text)) if p not in declared]
        name = f"'{used[0]}:'" if used else "a prefix"
        return QueryError(
            f"unknown prefix {name} at line {line}, column {column}: declare it with "
            f"PREFIX {used[0] if used else 'name'}: <...> or use one of {', '.join(p + ':' for p in PREFIXES)}"
        )
    expected = " ".join(why.split())
    if len(expected) > 160:
        expected = expected[:160] + "..."
    return QueryError(f"SPARQL syntax error at line {line}, column {column}: {expected}\n  {source}\n  {' ' * max(column - 1, 0)}^")


def to_store(graph: Graph, named: dict[str, Graph] | None = None) -> ox.Store:
    """An in-memory Oxigraph store holding ``graph`` in its default graph (and ``named`` graphs by IRI)."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for iri, named_graph in (named or {}).items():
        store.load(named_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    return store


def run(
    store: ox.Store, text: str, *, graph_iri: str | None = None, max_rows: int | None = None, prefixes: dict[str, str] | None = None, **options: object
) -> QueryResult:
    """Run a read-only query; ``graph_iri`` picks a named graph as the default graph (and hides the other named graphs).

    This runs in the calling process, which may reach the network: run a query from someone else through
    ``graph.workers`` (``run_once`` or the endpoint's pool), whose processes cannot.

    Args:
        prefixes: the prefixes the query may use undeclared (default: the project's).
        options: ``default_graph`` and ``named_graphs``, as ``pyoxigraph.Store.query`` takes them.

    Raises:
        OutboundError: the engine tried to open a connection (a SERVICE call that passed the check).
        QueryError: bad syntax (with line and column), unknown prefix, update or SERVICE, or more
            than ``max_rows`` results.
    """
    if graph_iri:
        options = {"default_graph": ox.NamedNode(graph_iri), "named_graphs": []}
    return _engine(lambda: QueryResult.of(_query(store, text, prefixes, options), max_rows), text)


def _query(store: ox.Store, text: str, prefixes: dict[str, str] | None, options: dict) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    check_read_only(text)
    if prefixes is None:
        from graph.namespaces import PREFIXES as prefixes
    return store.query(text, prefixes=prefixes, **options)


def _engine(action: Callable[[], _T], text: str) -> _T:
    """``action()``, with the engine's errors as ``QueryError`` (syntax, with line and column) and ``OutboundError``."""
    try:
        return action()
    except SyntaxError as error:
        raise _explain(error, text) from None
    except OSError:  # the engine reads memory only: an OSError is a connection it tried (SERVICE)
        raise OutboundError(_OUTBOUND) from None


#: The most bytes of a table answer written straight from the engine; a larger one is made again row by row.
DIRECT_BYTES = 1 << 20
#: The table formats written straight from the engine (Oxigraph reads them back to count the rows).
_DIRECT_FORMATS = ("json", "xml", "tsv")


class _Capped:
    """A write target that refuses more than ``DIRECT_BYTES``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > DIRECT_BYTES:
            raise BufferError("over the size written directly")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def run_serialized(
    store: ox.Store, text: str, table_fmt: str | None, graph_fmt: str | None, *, max_rows: int, prefixes: dict[str, str] | None = None, **options: object
) -> tuple[str, str | None, bytes]:
    """Run a read-only query and serialize its answer: ``(kind, format, body)``; the format is ``None`` (and the body empty)
    when the answer's kind (SELECT and ASK, or CONSTRUCT and DESCRIBE) has no format given.

    A SELECT or ASK answer in JSON, XML or TSV goes straight from the engine's writer (up to ``DIRECT_BYTES``;
    its rows are counted by reading back what was written); any other (CSV cannot be read back) is read row by
    row first, as ``run`` does.

    Raises:
        QueryError, OutboundError: as ``run``.
    """
    answer = _engine(lambda: _query(store, text, prefixes, options), text)
    if isinstance(answer, ox.QueryTriples) or table_fmt not in _DIRECT_FORMATS:
        result = _engine(lambda: QueryResult.of(answer, max_rows), text)
        fmt = graph_fmt if result.kind == "CONSTRUCT" else table_fmt
        return result.kind, fmt, serialize(result, fmt).encode("utf-8") if fmt is not None else b""
    kind = "ASK" if isinstance(answer, ox.QueryBoolean) else "SELECT"
    written = _Capped()
    try:
        _engine(lambda: answer.serialize(written, format=TABLE_FORMATS[table_fmt]), text)
    except BufferError:  # a large answer: read it again, row by row, stopping past max_rows
        return kind, table_fmt, serialize(run(store, text, max_rows=max_rows, prefixes=prefixes, **options), table_fmt).encode("utf-8")
    body = b"".join(written.parts)
    if kind == "SELECT" and sum(1 for _ in ox.parse_query_results(body, format=TABLE_FORMATS[table_fmt])) > max_rows:
        raise QueryError(f"the result has more than {max_rows} rows: add a LIMIT or narrow the query")
    return kind, table_fmt, body


def serialize(result: QueryResult, fmt: str) -> str:
    """The result in ``fmt``: table/csv/tsv/json/xml for SELECT and ASK, turtle/json-ld/ntriples for triples."""
    if result.kind == "CONSTRUCT":
        if fmt not in GRAPH_FORMATS:
            fmt = "turtle"
        from graph.namespaces import PREFIXES

        return ox.serialize(result.triples, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES).decode("utf-8")
    if fmt not in TABLE_FORMATS:
        raise QueryError(f"format {fmt!r} is for CONSTRUCT and DESCRIBE; choose one of {', '.join(TABLE_FORMATS)}")
    if fmt == "table":
        from graph.render import render

        if result.kind == "ASK":
            return "yes" if result.boolean else "no"
        return render(result.records(), "table", result.variables) + f"\n({len(result.rows)} rows)"
    return _solutions(result).serialize(format=TABLE_FORMATS[fmt]).decode("utf-8")


def _solutions(result: QueryResult) -> ox.QuerySolutions | ox.QueryBoolean:
    """Rebuild oxigraph results (so every format uses Oxigraph's own writer), blank nodes included."""
    if result.kind == "ASK":
        document: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [{v: _term_json(term) for v, term in row.items() if term is not None} for row in result.rows]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return ox.parse_query_results(json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON)


def _term_json(term: object) -> dict:
    """One term as SPARQL JSON results write it."""
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    return {"type": "bnode" if isinstance(term, ox.BlankNode) else "uri", "value": term.value}  # type: ignore[attr-defined]


def _header(text: str, key: str) -> str:
    match = re.search(rf"^#\s*{key}:\s*(.+)$", text, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else ""


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every ``.rq`` file under ``queries/``, by name (its path without ``.rq``)."""
    from graph import paths

    root = Path(folder) if folder is not None else paths.queries_dir()
    found = {}
    for path in sorted(root.rglob("*.rq")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(root).with_suffix("").as_posix()
        found[name] = NamedQuery(name, path, _header(text, "title") or name, _header(text, "description"), text)
    return found


def find_query(name: str, folder: Path | None = None) -> NamedQuery:
    """A named query by its full name or, where unique, its last part.

    Raises:
        LookupError: no query or several queries have that name.
    """
    library = named_queries(folder)
    if name in library:
        return library[name]
    matches = [q for key, q in library.items() if key.rsplit("/", 1)[-1] == name]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(f"{name!r} names several queries: {', '.join(q.name for q in matches)}")
    raise LookupError(f"no named query {name!r}: 'nlmg query --list' shows them all")
