"""PageRank and eigenvector centrality with NumPy alone: the algorithms of networkx's ``pagerank`` and
``eigenvector_centrality_numpy``, which import SciPy (a third of a second of every build) for
sparse matrices that a graph of a few dozen characters does not need.

Both agree with networkx to the last digits or so (``tests/test_centrality.py`` compares them):

>>> import networkx as nx
>>> star = nx.star_graph(3)
>>> round(pagerank(star)[0], 4), round(eigenvector(star)[0], 4)
(0.4797, 0.7071)
"""

from __future__ import annotations

import networkx as nx
import numpy as np

__all__ = ["eigenvector", "pagerank"]


def pagerank(graph: nx.Graph, alpha: float = 0.85, weight: str | None = "weight", max_iter: int = 100, tol: float = 1.0e-6) -> dict:
    """PageRank by power iteration, as ``nx.pagerank`` (uniform teleport; dangling nodes jump uniformly).

    Raises:
        networkx.PowerIterationFailedConvergence: no convergence in ``max_iter`` iterations.
    """
    size = len(graph)
    if size == 0:
        return {}
    nodes = list(graph)
    matrix = nx.to_numpy_array(graph, nodelist=nodes, weight=weight, dtype=float)
    out = matrix.sum(axis=1)
    out[out != 0] = 1.0 / out[out != 0]
    matrix = out[:, np.newaxis] * matrix
    teleport = np.repeat(1.0 / size, size)
    dangling = np.where(out == 0)[0]
    x = teleport
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ matrix + sum(x[dangling]) * teleport) + (1 - alpha) * teleport
        if np.absolute(x - last).sum() < size * tol:
            return dict(zip(nodes, map(float, x), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector(graph: nx.Graph, weight: str | None = "weight") -> dict:
    """Eigenvector centrality of a connected undirected graph, as ``nx.eigenvector_centrality_numpy``:
    the eigenvector of the largest eigenvalue of the (symmetric) adjacency matrix, of unit length, positive."""
    nodes = list(graph)
    _, vectors = np.linalg.eigh(nx.to_numpy_array(graph, nodelist=nodes, weight=weight, dtype=float))
    largest = vectors[:, -1]
    largest = largest / (np.sign(largest.sum()) * np.linalg.norm(largest))
    return dict(zip(nodes, largest.tolist(), strict=True))
