"""The one timing helper the benchmark scripts share.

>>> median_ms(lambda: None, runs=3) >= 0
True
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], runs: int, budget: float | None = None) -> float:
    """Median milliseconds of ``action`` over ``runs`` runs.

    With ``budget`` (seconds), a first run warms up and sets fewer runs where one run is slow; if even one
    more would exceed the budget, that first run's time is the answer.
    """
    if budget is not None:
        started = time.perf_counter()
        action()
        first = time.perf_counter() - started
        runs = min(runs, int(budget / first)) if first > 0 else runs
        if runs < 1:
            return first * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000
