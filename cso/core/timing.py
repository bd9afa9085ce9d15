"""Wall-clock timing for the benchmarks (``bench/`` and the apps' ``bench`` modules)."""

from __future__ import annotations

import statistics
import time


def timed(fn, runs: int) -> tuple[float, float, object]:
    """(ms of the first call, median ms of ``runs`` further calls, the last value)."""
    started = time.perf_counter()
    value = fn()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times), value


def median_ms(fn, runs: int) -> tuple[float, object]:
    """Median wall time of ``fn`` in ms over ``runs`` calls after one warm-up, and its last value."""
    _first, median, value = timed(fn, runs)
    return median, value
