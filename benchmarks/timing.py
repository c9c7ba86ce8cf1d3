"""What the benchmark scripts share: a timer, thread counts and the copy
bandwidth that the memory-traffic bound divides by.

Imported by the scripts beside it (``benchmarks/`` is on ``sys.path``
when one of them runs); it imports NumPy only.
"""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as onp


def timed(call, budget=0.3, most=7):
    """Return the median seconds of `call`, within about `budget` s,
    after one call to warm up.

    Examples
    --------
    >>> timed(lambda: None) < 1e-3
    True
    """
    call()
    times = []
    while len(times) < most and (len(times) < 2 or sum(times) < budget):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def thread_counts(most):
    """Return 1, 2, 4, ... below `most`, and `most`.

    Examples
    --------
    >>> thread_counts(6)
    [1, 2, 4, 6]
    """
    counts, count = [], 1
    while count < most:
        counts.append(count)
        count *= 2
    return counts + [most]


def copy_bandwidth(most, mib=256):
    """Return the best bytes/s (read + written) of NumPy copies of `mib`
    MiB (far beyond the caches), shared among 1 to `most` threads."""
    source = onp.ones(mib << 18, 'float32')
    target = onp.empty_like(source)
    best = 0.0
    for count in thread_counts(most):
        bounds = onp.linspace(0, source.size, count + 1).astype(int)
        pieces = list(zip(bounds[:-1], bounds[1:], strict=True))
        with ThreadPoolExecutor(count) as pool:
            def copy(pool=pool, pieces=pieces):
                list(pool.map(lambda p: onp.copyto(target[p[0]:p[1]],
                                                   source[p[0]:p[1]]),
                              pieces))
            seconds = timed(copy, budget=1.0, most=7)
        best = max(best, 2 * source.nbytes / seconds)
    return best
