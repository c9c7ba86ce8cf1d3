"""The one way the engines of `corr2d_fast` run work on threads: `share`,
with daemon helpers started on first need (a child of ``os.fork`` has
none of its parent's threads: it starts its own). Between tasks a helper
spins a while on the C engine's bell, without the GIL, then sleeps."""

import os
import queue
import threading

from . import _costs, _cpus

try:  # woken by the operating system, a helper took 28 to 50 us
    from ._direct import ring, wait
except ImportError:  # no C engine: helpers sleep between tasks
    ring = wait = None

_HELPERS = [0, queue.SimpleQueue(), threading.Lock()]  # started, tasks, lock


def cores():
    """Return how many threads an engine may use (`_cpus`)."""
    return _cpus.get_num_threads()


def helpers(count):
    """Return the task queue of at least `count` helper threads; a task
    must not raise (`share`'s do not)."""
    with _HELPERS[2]:
        while _HELPERS[0] < count:
            threading.Thread(target=_serve, args=(_HELPERS[1],),
                             name=f'corr2d-helper-{_HELPERS[0]}',
                             daemon=True).start()
            _HELPERS[0] += 1
    return _HELPERS[1]


def _serve(tasks):
    """Run the tasks of `tasks`, forever; after each, spin until the bell
    rings, at most for what the cost model charges a hand-over (a wake):
    as spinning locks do, never more than twice what the better of
    spinning and sleeping would cost."""
    while True:
        function, args = tasks.get()
        function(*args)
        if wait is not None:
            wait(wait(-1, 0), _costs.COSTS['c'][1])


def share(work, pieces, threads, rings=False):
    """Call ``work(shared)`` on up to `threads` threads, this one included,
    `shared` one iterator over `pieces`: each thread takes the next piece
    in turn, so a helper that wakes late takes fewer.

    The first exception, in any piece or here while waiting (a
    KeyboardInterrupt), is raised once every helper has stopped, and
    leaves no piece for a helper that starts late: once `share` returns
    or raises, no piece of it runs. `rings`: `work` rings the helpers'
    bell itself once it has let go of the GIL (else `share` rings it
    before it starts: a helper woken then waits for the GIL).

    Examples
    --------
    >>> done = []
    >>> share(lambda shared: done.extend(shared), range(4), 2)
    >>> sorted(done)
    [0, 1, 2, 3]
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
    """In a child of ``os.fork``: the parent's helpers are not there."""
    _HELPERS[:] = 0, queue.SimpleQueue(), threading.Lock()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_forget_helpers)
