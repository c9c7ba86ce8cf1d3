"""The one way the engines of `corr2d_fast` run work on threads: `share`,
with daemon helpers started on first need (a child of ``os.fork`` has
none of its parent's threads: it starts its own)."""

import os
import queue
import threading

from . import _cpus

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
    """Run the tasks of `tasks`, forever."""
    while True:
        function, args = tasks.get()
        function(*args)


def share(work, pieces, threads):
    """Call ``work(shared)`` on up to `threads` threads, this one included,
    `shared` one iterator over `pieces`: each thread takes the next piece
    in turn, so a helper that wakes late takes fewer.

    The first exception, in any piece or here while waiting (a
    KeyboardInterrupt), is raised once every helper has stopped, and
    leaves no piece for a helper that starts late: once `share` returns
    or raises, no piece of it runs.

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
