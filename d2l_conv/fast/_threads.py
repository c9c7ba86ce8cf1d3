"""Threads shared by the engines of `corr2d_fast`, safe across ``fork``.

One thread pool for the engines that share work among the cores, and a
fork handler: a child made by ``os.fork`` (as ``multiprocessing``'s
default 'fork' start method does) inherits the parent's pool object but
none of its threads, so submitting to it would wait forever. The handler
drops the pool in the child, which builds its own.
"""

import os

_POOL = [0, None]  # [threads, executor], created on first use

#: Functions to call in a forked child, after this module's own reset.
AFTER_FORK = []


def cores():
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool(workers):
    """Return a thread pool with at least `workers` threads, made once."""
    if _POOL[0] < workers:
        from concurrent.futures import ThreadPoolExecutor
        _POOL[:] = workers, ThreadPoolExecutor(workers, 'corr2d')
    return _POOL[1]


def run(work, threads):
    """Call `work` on `threads` threads (this one included); wait for all.

    Each call of `work` takes its share from an iterator they share.
    """
    futures = [pool(threads - 1).submit(work) for _ in range(threads - 1)]
    work()
    for future in futures:
        future.result()


def _after_fork_in_child():
    """Forget the parent's threads; they do not exist here."""
    _POOL[:] = 0, None
    for reset in AFTER_FORK:
        reset()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork_in_child)
