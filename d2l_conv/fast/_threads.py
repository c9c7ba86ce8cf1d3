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

import numpy as onp

from ._output import output

_HELPERS = [0, None]  # [helper threads started, their task queue]
_STARTING = threading.Lock()


def cores():
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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

    tasks = helpers(threads - 1) if started else None
    for lock in started:
        tasks.put((join, (lock,)))
    join(threading.Lock())
    for lock in started:
        with lock:  # free unless its thread is working
            pass
    if errors:
        raise errors[0]


#: Multiply-adds below which `share_rows` runs on the calling thread
#: alone: between other work, handing half to a helper thread cost about
#: as much as it saved at 256²·5x5 (1.6e6; measured with a compiled
#: direct kernel: 3x3 took 0.055 ms alone against 0.099 ms shared, 15x15
#: 0.68 against 0.44 ms).
SERIAL_WORK = 2e6

#: Pieces of rows per thread in `share_rows`, so that the threads finish
#: together even when the other core is busy.
PIECES_PER_THREAD = 4


def share_rows(kernel, X, K, out=None, threads=None):
    """Valid 2-D cross-correlation of NumPy `X` and `K` by a row kernel.

    For the compiled direct engine (C): ``kernel(X, K, Y,
    start, stop)`` fills rows ``start:stop`` of the output `Y` and
    releases the GIL. `X` and `K` are made C-contiguous, of the dtype of
    `X`; `Y` is `out` if given (see `_output.output`). The rows are cut
    into `PIECES_PER_THREAD` pieces per thread that `threads` threads
    (this one included; default: the cores available) take in turn (see
    `share`); a call of fewer than `SERIAL_WORK` multiply-adds runs on
    this thread alone, as handing work over would cost more than it
    saves.

    Examples
    --------
    >>> import numpy as onp
    >>> def rows(X, K, Y, start, stop):  # 1 x 1 kernels only
    ...     Y[start:stop] = K[0, 0] * X[start:stop]
    >>> share_rows(rows, onp.arange(4.)[:, None], onp.full((1, 1), 2.),
    ...            threads=2).ravel()
    array([0., 2., 4., 6.])
    """
    X = onp.ascontiguousarray(X)
    K = onp.ascontiguousarray(K, X.dtype)
    (H, W), (h, w) = X.shape, K.shape
    Y = output(out, (H - h + 1, W - w + 1), X.dtype)
    threads = cores() if threads is None else threads
    oh = Y.shape[0]
    if threads == 1 or Y.size * K.size < SERIAL_WORK:
        kernel(X, K, Y, 0, oh)
        return Y
    count = min(oh, threads * PIECES_PER_THREAD)

    def work(shared):
        for start, stop in shared:
            kernel(X, K, Y, start, stop)

    share(work, [(oh * p // count, oh * (p + 1) // count)
                 for p in range(count)], min(threads, count))
    return Y


def _after_fork_in_child():
    """Forget the parent's threads; they do not exist here."""
    global _STARTING
    _HELPERS[:] = 0, None
    _STARTING = threading.Lock()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork_in_child)

