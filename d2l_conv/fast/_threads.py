"""The one way the engines of `corr2d_fast` run work on threads: `share`,
on daemon helpers started on first need (anew in a child of ``os.fork``).
After a task a helper spins on the C engine's bell, without the GIL, at
most as long as the task took, then sleeps."""

import os
import queue
import threading
import time

from . import _cpus

try:  # woken by the operating system, a helper took 28 to 50 us
    from ._direct import ring, wait
except ImportError:  # no C engine: helpers sleep between tasks
    ring = wait = None

_HELPERS = [0, queue.SimpleQueue(), threading.Lock()]  # started, tasks, lock


def cores():
    """Return how many threads an engine may use (`_cpus`)."""
    return _cpus.get_num_threads()


def helpers(count):
    """Return the queue of at least `count` helpers; no task may raise."""
    with _HELPERS[2]:
        while _HELPERS[0] < count:
            threading.Thread(target=_serve, args=(_HELPERS[1],),
                             name=f'corr2d-helper-{_HELPERS[0]}',
                             daemon=True).start()
            _HELPERS[0] += 1
    return _HELPERS[1]


def _serve(tasks):
    """Run `tasks` forever; after each, spin on the bell at most as long
    as the task took (a helper's CPU time at most doubles)."""
    while True:
        function, args = tasks.get()
        start = time.perf_counter()
        function(*args)
        if wait is not None:
            wait(wait(-1, 0), time.perf_counter() - start)


def share(work, pieces, threads, rings=False):
    """Call ``work(shared)`` on up to `threads` threads, this one included,
    `shared` one iterator over `pieces` (a helper that wakes late takes
    fewer). The first exception, in any piece or here while waiting (a
    KeyboardInterrupt), is raised once every helper has stopped: once
    `share` returns or raises, no piece of it runs. `rings`: `work` rings
    the bell once it has let go of the GIL (else `share` rings it first).
    """
    shared = iter(pieces)  # next() holds the GIL
    errors = []
    working = [threading.Lock() for _ in range(threads - 1)]

    def run(lock):
        with lock:  # held while this thread may hold a piece
            try:
                work(shared)
            except BaseException as err:
                errors.append(err)
                for _ in shared:  # none left for a helper starting late
                    pass

    try:
        for lock in working:
            helpers(threads - 1).put((run, (lock,)))
        if working and ring is not None and not rings:
            ring()
        run(threading.Lock())
    except BaseException as err:  # a signal's (KeyboardInterrupt)
        errors.insert(0, err)
    for lock in working:
        while True:
            try:
                if errors:
                    for _ in shared:
                        pass
                with lock:
                    break
            except BaseException as err:
                errors.insert(0, err)
    if errors:
        raise errors[0]


def _forget_helpers():
    """In a child of ``os.fork``: forget the parent's helpers."""
    _HELPERS[:] = 0, queue.SimpleQueue(), threading.Lock()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_forget_helpers)
