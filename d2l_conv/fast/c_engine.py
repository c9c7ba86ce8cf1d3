"""The C engine: ``_direct.c``'s direct sum, built at install where a C
compiler is found. On threads (`_threads.share`), each thread makes one
C call without the GIL, which takes chunks of rows until none is left."""

import numpy as onp

from . import _threads
from ._output import operands

METHOD = 'direct'

try:
    from . import _direct
    from ._direct import correlate  # corr2d_fast calls it too
except ImportError:  # no compiler at install: the other engines serve
    _direct = correlate = None


def kernel():
    """Return the compiled module ``_direct``, or None where not built."""
    return _direct


def available():
    """Tell whether the C kernel was built."""
    return kernel() is not None


def accepts(X, K, integer=False):
    """Always: NaN and inf land as in scipy's direct sum."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, handovers, work, outputs, crowding)`` on `threads`
    threads (at most one a row): a hand-over per helper, the multiply-adds
    and outputs per thread, and the multiply-adds times ``1 - 1 / threads``
    (threads that share a core or the memory bus go slower).

    Examples
    --------
    >>> features((1026, 1026), (3, 3), 2)
    (1, 1, 4718592.0, 524288.0, 4718592.0)
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    threads = max(1, min(threads, oh))
    work = oh * ow * h * w
    return (1, threads - 1, work / threads, oh * ow / threads,
            work - work / threads)


def correlate_valid(X, K, out=None, threads=None, integer=False):
    """By the C kernel: every thread count gives the same bits; a
    `RuntimeError` where it was not built."""
    if kernel() is None:
        raise RuntimeError('corr2d_fast: the C engine was not built '
                           '(no C compiler when the package was installed)')
    X, K, Y = operands(X, K, out)
    (oh, ow), (h, w) = Y.shape, K.shape
    threads = min(_threads.cores() if threads is None else threads, oh)
    args = X, X.shape[1], K, h, w, Y, ow, 0, oh, Y.dtype == onp.float64
    if threads <= 1:
        correlate(*args)
        return Y
    after = onp.zeros(1, onp.intp)  # the next row, shared by the calls

    def work(shared):  # X, K and Y live until share returns
        for _ in shared:  # one call a thread, which rings the bell
            correlate(*args, after, threads)

    _threads.share(work, range(threads), threads, rings=True)
    return Y
