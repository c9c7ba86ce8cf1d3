"""The compiled kernel of the numba engine; importing this imports numba.

Only `numba_engine` imports it, in a background thread, never at
``import d2l_conv``. numba's 'workqueue' threading layer is chosen here,
before the first parallel kernel is compiled: with libgomp's spinning
threads ('omp'), 2-thread regions sometimes took ~8 ms whatever the size
when the other core was busy. 'workqueue' is fork-safe but not
thread-safe, so callers hold `_threads.KERNEL_LOCK`.
"""

import numba
from numba import prange, types

numba.config.THREADING_LAYER = 'workqueue'


def signature(dtype):
    """Return the kernel's signature for float32 or float64 arrays.

    `X` and `K` are typed read-only so that read-only views (DLPack) and
    writable arrays share one compiled (and cached) specialisation.
    """
    scalar = types.float64 if dtype == 'float64' else types.float32
    ro = types.Array(scalar, 2, 'C', readonly=True)
    return types.void(ro, ro, types.Array(scalar, 2, 'C'))


@numba.njit(parallel=True, cache=True, nogil=True, fastmath={'contract'})
def correlate_rows(X, K, Y):
    """Fill ``Y`` with the valid cross-correlation of ``X`` and ``K``.

    Output rows are shared among numba's threads. Each row is summed in
    place, in L1: one pass per kernel tap, except that taps are fused
    three at a time along a kernel row, so the row is loaded and stored
    a third as often. Every product is computed (no skipping zeros), so
    NaN and inf propagate as in a direct sum; 'contract' allows fused
    multiply-adds and nothing else of fastmath.
    """
    h, w = K.shape
    oh, ow = Y.shape
    for i in prange(oh):
        y = Y[i]
        for j in range(ow):
            y[j] = 0
        for a in range(h):
            x = X[i + a]
            b = 0
            while b + 3 <= w:  # (1, 3) taps per pass
                k0, k1, k2 = K[a, b], K[a, b + 1], K[a, b + 2]
                xs = x[b:]
                for j in range(ow):
                    y[j] += k0 * xs[j] + k1 * xs[j + 1] + k2 * xs[j + 2]
                b += 3
            while b < w:  # the one or two taps left
                k0 = K[a, b]
                xs = x[b:]
                for j in range(ow):
                    y[j] += k0 * xs[j]
                b += 1
