"""Run the SHACL shapes over a graph with rudof, a SHACL engine written in Rust, and read its results back.

rudof validates the novel's graph in about a fifth of a second, where pySHACL takes one and a half;
the tests check that both engines find the same violations (``tests/test_shacl_engines.py``).
Results come back as rdflib terms of the graph that was checked, so a caller can trace them to a file.

>>> from rdflib import Graph
>>> from graph.load import load
>>> from graph import paths
>>> shape_results(load(), Graph().parse(paths.shapes_file()))
[]
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH
from rdflib.util import from_n3

__all__ = ["ShapeResult", "shape_results"]


@dataclass(frozen=True)
class ShapeResult:
    """One violation: the node that fails, the value at fault (if any), the shape's message and the shape."""

    focus: Node
    value: Node | None
    message: str
    source_shape: str


def _term(text: str | None) -> Node | None:
    """A term as rudof prints it (an IRI bare, a blank node ``_:label``, a literal in N-Triples form)."""
    if text is None:
        return None
    if text.startswith("_:"):
        return BNode(text[2:])
    if text.startswith('"'):
        term = from_n3(text)
        return term if isinstance(term, Literal) else Literal(text)
    return URIRef(text.strip("<>"))


def _shape_message(shapes: Graph, shape: str, path: str | None, component: str | None) -> str | None:
    """The ``sh:message`` of the shape behind a result (rudof words some results itself: an ``sh:or``, ``sh:uniqueLang``).

    rudof names a node shape by its IRI but a property shape by a blank node of its own, so a property
    shape is found by its path and the parameter of the constraint that failed (``sh:minCount`` for
    ``sh:MinCountConstraintComponent``), when exactly one message fits.
    """
    if not shape.startswith("_:"):
        message = shapes.value(URIRef(shape.strip("<>")), SH.message)
        return str(message) if message is not None else None
    if not path or not component or not component.endswith("ConstraintComponent"):
        return None
    name = component.removeprefix(str(SH)).removesuffix("ConstraintComponent")
    parameter = SH[name[0].lower() + name[1:]]
    fits = {
        str(message)
        for candidate in shapes.subjects(SH.path, URIRef(path.strip("<>")))
        if (candidate, parameter, None) in shapes
        for message in shapes.objects(candidate, SH.message)
    }
    return fits.pop() if len(fits) == 1 else None


def shape_results(data: Graph, shapes: Graph) -> list[ShapeResult]:
    """Every SHACL violation of ``data`` against ``shapes``; raises ``ValueError`` if rudof cannot use the shapes."""
    import pyrudof  # imported here: a command that finds the data already validated never needs it

    if len(data) == 0:
        return []  # nothing to check (rudof refuses empty input); the integrity checks say what is missing
    from graph import background

    background.fork_children(False)  # rudof's Rust thread pool stays: a forked child using it would wait for ever
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    try:
        engine.read_shacl(shapes.serialize(format="nt"), format=pyrudof.ShaclFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
        report = engine.validate_shacl()
    except pyrudof.RudofError as error:
        raise ValueError(str(error).strip().splitlines()[0]) from error
    results = []
    for violation in report.violations:
        own = str(_term(violation.message)) if violation.message else ""
        message = _shape_message(shapes, violation.source_shape, violation.path, violation.constraint_component) or own or "does not meet a shape"
        results.append(ShapeResult(_term(violation.focus_node), _term(violation.value), message, violation.source_shape))
    return results
