"""Threads shared by the engines of `corr2d_fast`, safe across ``fork``.

Helper threads for the engines that share work among the cores, and a
fork handler: a child made by ``os.fork`` (as ``multiprocessing``'s
default 'fork' start method does) inherits the parent's task queue but
none of its threads, so a task put there would wait forever. The handler
drops the queue in the child, which starts its own helpers.

The helpers are plain daemon threads taking ``(function, args)`` from a
``queue.SimpleQueue``: handing over a task is one call in C, where
``concurrent.futures``' ``submit`` runs a page of Python (about 0.05 ms
a call here, when its code has left the caches between calls).
"""

import os
import queue
import threading

from . import _cpus

_HELPERS = [0, None]  # [helper threads started, their task queue]
_STARTING = threading.Lock()


def cores():
    """Return how many threads an engine may use (`_cpus`)."""
    return _cpus.get_num_threads()


def helpers(count):
    """Return the task queue of at least `count` helper threads.

    The threads are started on first need and live as long as the
    process; each takes ``(function, args)`` tasks from the queue in
    turn and calls them. A task must not raise (`share`'s do not).
    """
    if _HELPERS[0] < count:
        with _STARTING:
            if _HELPERS[1] is None:
                _HELPERS[1] = queue.SimpleQueue()
            while _HELPERS[0] < count:
                threading.Thread(target=_serve, args=(_HELPERS[1],),
                                 name=f'corr2d-helper-{_HELPERS[0]}',
                                 daemon=True).start()
                _HELPERS[0] += 1
    return _HELPERS[1]


def _serve(tasks):
    """A helper thread's life: call the tasks it takes, forever."""
    while True:
        function, args = tasks.get()
        function(*args)


def share(work, pieces, threads):
    """Call ``work(shared)`` on up to `threads` threads, this one included.

    `shared` is one iterator over the sequence `pieces`, which every
    thread's `work` loops over, so each takes the next piece in turn and
    a thread slowed by other work takes fewer. Returns once every piece
    is done; an exception in any piece is raised here, once the threads
    working have stopped, and leaves no piece for a thread starting late:
    after `share` returns or raises, no piece of it runs any more.

    This thread works through the pieces itself, then waits only for a
    helper thread that has started: one that starts late finds no piece
    left, and nobody waits for it. (On this VM, a thread idle for
    10 ms took about 0.13 ms to start, a third of a 1024 x 1024 call.)

    Examples
    --------
    >>> done = []
    >>> share(lambda shared: done.extend(shared), range(4), 2)
    >>> sorted(done)
    [0, 1, 2, 3]
    """
    shared = iter(pieces)  # a sequence's iterator: next() holds the GIL
    errors = []
    started = [threading.Lock() for _ in range(threads - 1)]

    def join(lock):
        with lock:  # held while this thread may hold a piece
            try:
                work(shared)
            except BaseException as err:
                errors.append(err)
                for _ in shared:  # no piece is left for a late thread
                    pass

    try:
        for lock in started:
            helpers(threads - 1).put((join, (lock,)))
        join(threading.Lock())
    except BaseException as err:  # a signal's exception (KeyboardInterrupt)
        errors.insert(0, err)
    _wait_for(started, shared, errors)
    if errors:
        raise errors[0]


def _wait_for(locks, shared, errors):
    """Wait until no helper holds one of `locks`: then none works on
    `shared` any more, and none that starts late finds a piece if
    `errors` holds one. An exception raised meanwhile (a signal
    handler's: KeyboardInterrupt) is kept in `errors`, and the wait goes
    on."""
    for lock in locks:
        while True:
            try:
                if errors:
                    for _ in shared:  # no piece is left for a helper
                        pass
                with lock:  # free unless its thread is working
                    break
            except BaseException as err:
                errors.insert(0, err)


def _after_fork_in_child():
    """Forget the parent's threads; they do not exist here."""
    global _STARTING
    _HELPERS[:] = 0, None
    _STARTING = threading.Lock()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork_in_child)

