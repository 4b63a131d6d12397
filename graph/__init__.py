"""nlmg: the knowledge graph of Kazuo Ishiguro's *Never Let Me Go*.

>>> from graph import load, as_of
>>> g = load()                      # the whole novel, with derived triples
>>> early = as_of(g, 9)             # what a reader knows after chapter 9
>>> len(early) < len(g)
True
"""

from graph.load import load
from graph.problems import DataError, Problem
from graph.spoilers import as_of, reveal_chapter
from graph.stats import stats
from graph.validate import ValidationReport, validate

__all__ = ["DataError", "Problem", "ValidationReport", "as_of", "load", "reveal_chapter", "stats", "validate"]
