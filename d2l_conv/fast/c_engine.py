"""The C engine: a direct kernel built with the package, nothing to load.

``_direct.c`` is compiled when the package is installed (``setup.py``;
optional: where no C compiler is found, the install goes on without it,
and OpenCV, scipy's FFT and NumPy take its place). It sums every
product, in 32-byte vectors, with AVX2 and fused multiply-adds where the
CPU has them (GCC on x86-64 Linux builds both that and a baseline
kernel, and the loader picks one; elsewhere the baseline only). No
``-ffast-math``: NaN and inf land as in scipy's direct sum. The C code
only computes, into a buffer or at an address it is given: this module
checks the arrays, hands them to it and shares the rows among threads
(`_threads.share`), each piece one C call that releases the GIL
(`corr2d_fast`'s small calls call it directly, `_small`).
"""

import functools
import math

import numpy as onp

from . import _threads
from ._costs import COSTS
from ._output import operands

#: How it sums (`choose`): every product, directly.
METHOD = 'direct'


@functools.cache
def kernel():
    """Return the compiled module, or None where it was not built."""
    try:
        from . import _direct
    except ImportError:
        return None
    return _direct


def available():
    """Tell whether the C engine was built (and can be imported)."""
    return kernel() is not None


def accepts(X, K, integer=False):
    """Tell whether this engine computes `X` and `K` as `corr2d_fast`
    promises: always (NaN and inf land as in scipy's direct sum)."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, handovers, work, outputs, crowding)`` on `threads`
    threads, for the cost model (`choose`).

    *handovers* is the threads beyond the first (each costs a hand-over:
    a helper thread must wake), *work* the multiply-adds and *outputs*
    the elements written, each per thread (the rows are shared evenly; at
    most one thread a row), and *crowding* the multiply-adds times
    ``1 - 1 / threads``: threads that share a core's units (SMT) or the
    memory bus each work slower than one alone.

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
    """Valid 2-D cross-correlation of NumPy arrays, by the C kernel.

    An engine of `corr2d_fast`. NaN and inf propagate as in scipy's
    direct sum: every product is computed. The rows are shared among
    `threads` threads, this one included (default: the cores this
    process may use). Every count gives the same bits. `X`, `K`, `out`
    and the result are as for `numpy_engine.correlate_valid`. Raises
    `RuntimeError` where the C engine was not built.

    Examples
    --------
    >>> correlate_valid(onp.array([[1., 2., 4.]]), onp.array([[1., -1.]]))
    array([[-1., -2.]])
    """
    module = kernel()
    if module is None:
        raise RuntimeError('corr2d_fast: the C engine was not built '
                           '(no C compiler when the package was installed)')
    X, K, Y = operands(X, K, out)
    (oh, ow), (h, w) = Y.shape, K.shape
    threads = _threads.cores() if threads is None else threads
    threads = max(1, min(threads, oh))
    args = X, X.shape[1], K, h, w, Y, ow
    float64 = Y.dtype == onp.float64
    if threads == 1:
        module.correlate(*args, 0, oh, float64)
        return Y
    pieces = _pieces(Y.shape, K.shape, threads)
    bounds = [oh * p // pieces for p in range(pieces + 1)]

    def work(shared):  # X, K and Y live until share returns
        for p in shared:
            module.correlate(*args, bounds[p], bounds[p + 1], float64)

    _threads.share(work, range(pieces), threads)
    return Y


def _pieces(Y_shape, K_shape, threads):
    """Return how many pieces of rows to share among `threads` threads.

    ``sqrt(T / a)`` of them, for a call of modelled time ``T`` on one
    thread and a fixed cost ``a`` per C call (``COSTS['c']``): that
    minimises the pieces' fixed costs, ``n * a``, plus the wait for the
    last piece, ``T / n``, so that a helper that wakes late still finds
    pieces left; at least one per thread, at most a row each.

    Examples
    --------
    >>> 2 <= _pieces((4096, 4096), (3, 3), 2) <= 4096
    True
    """
    call, _, work, written, _ = COSTS['c']
    (oh, ow), (h, w) = Y_shape, K_shape
    seconds = oh * ow * (h * w * work + written)
    wanted = math.sqrt(seconds / call) if call > 0 else oh
    return int(max(threads, min(oh, wanted)))


# Loaded with the package: 0.4 ms (the loader resolves which of its
# kernels this CPU runs), which the first call would otherwise pay.
kernel()
