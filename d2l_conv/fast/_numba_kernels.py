"""The compiled kernel of the numba engine; importing this imports numba.

Only `numba_engine` imports it, in a background thread, never at
``import d2l_conv``. The kernel is serial and releases the GIL
(``nogil``); `numba_engine` shares its rows among the cores with
`_threads`' helper threads. Handing over work that way costs 0.004 to
0.04 ms a call (its code in or out of the caches), against 0.12 ms for
numba's own parallel launch ('workqueue' layer), measured on this 2-core
machine; it needs no threading layer (libgomp's spinning threads
sometimes took ~8 ms a call when the other core was busy) and is safe
to call from many Python threads at once.
"""

import numba
from numba import types


def signature(dtype):
    """Return the kernel's signature for float32 or float64 arrays.

    `X` and `K` are typed read-only so that read-only views (DLPack) and
    writable arrays share one compiled (and cached) specialisation.
    """
    scalar = types.float64 if dtype == 'float64' else types.float32
    ro = types.Array(scalar, 2, 'C', readonly=True)
    return types.void(ro, ro, types.Array(scalar, 2, 'C'), types.int64,
                      types.int64)


#: numba's options for every function here: compiled code releases the
#: GIL, and 'contract' allows fused multiply-adds, nothing else of
#: fastmath, so NaN and inf propagate as in a direct sum.
OPTIONS = {'nogil': True, 'fastmath': {'contract'}}


@numba.njit(cache=True, **OPTIONS)
def correlate_rows(X, K, Y, start, stop):
    """Fill rows ``start:stop`` of ``Y`` with the valid cross-correlation.

    Each output row is summed in place, in L1, by passes over it that
    each take a block of up to 3 x 3 kernel taps (`_three_rows`, then
    `_one_row` for the kernel rows left over), so the taps sit in
    registers and the row is loaded and stored once per block, not once
    per tap. The first pass assigns instead of adding, so the row needs
    no zeroing. Every product is computed (no skipping zeros).
    """
    h, w = K.shape
    for i in range(start, stop):
        y = Y[i]
        first = True
        a = 0
        while a < h:
            rows = 3 if a + 3 <= h else 1
            b = 0
            while b < w:
                taps = min(3, w - b)  # kernel columns in this block
                if rows == 3:
                    _three_rows(y, X, K, i + a, a, b, taps, first)
                else:
                    _one_row(y, X[i + a], K, a, b, taps, first)
                first = False
                b += taps
            a += rows


@numba.njit(**OPTIONS)
def _three_rows(y, X, K, r, a, b, taps, first):
    """Add (or assign, if `first`) kernel rows ``a:a+3``, columns
    ``b:b+taps`` (`taps` is 1, 2 or 3), applied to rows ``r:r+3`` of X."""
    p, q, s = X[r][b:], X[r + 1][b:], X[r + 2][b:]
    if taps == 3:
        k00, k01, k02 = K[a, b], K[a, b + 1], K[a, b + 2]
        k10, k11, k12 = K[a + 1, b], K[a + 1, b + 1], K[a + 1, b + 2]
        k20, k21, k22 = K[a + 2, b], K[a + 2, b + 1], K[a + 2, b + 2]
        for j in range(y.shape[0]):
            t = (k00 * p[j] + k01 * p[j + 1] + k02 * p[j + 2]
                 + k10 * q[j] + k11 * q[j + 1] + k12 * q[j + 2]
                 + k20 * s[j] + k21 * s[j + 1] + k22 * s[j + 2])
            y[j] = t if first else y[j] + t
    elif taps == 2:
        k00, k01 = K[a, b], K[a, b + 1]
        k10, k11 = K[a + 1, b], K[a + 1, b + 1]
        k20, k21 = K[a + 2, b], K[a + 2, b + 1]
        for j in range(y.shape[0]):
            t = (k00 * p[j] + k01 * p[j + 1] + k10 * q[j]
                 + k11 * q[j + 1] + k20 * s[j] + k21 * s[j + 1])
            y[j] = t if first else y[j] + t
    else:
        k0, k1, k2 = K[a, b], K[a + 1, b], K[a + 2, b]
        for j in range(y.shape[0]):
            t = k0 * p[j] + k1 * q[j] + k2 * s[j]
            y[j] = t if first else y[j] + t


@numba.njit(**OPTIONS)
def _one_row(y, x, K, a, b, taps, first):
    """Add (or assign, if `first`) kernel row `a`, columns ``b:b+taps``
    (`taps` is 1, 2 or 3), applied to the input row `x`."""
    p = x[b:]
    if taps == 3:
        k0, k1, k2 = K[a, b], K[a, b + 1], K[a, b + 2]
        for j in range(y.shape[0]):
            t = k0 * p[j] + k1 * p[j + 1] + k2 * p[j + 2]
            y[j] = t if first else y[j] + t
    elif taps == 2:
        k0, k1 = K[a, b], K[a, b + 1]
        for j in range(y.shape[0]):
            t = k0 * p[j] + k1 * p[j + 1]
            y[j] = t if first else y[j] + t
    else:
        k0 = K[a, b]
        for j in range(y.shape[0]):
            t = k0 * p[j]
            y[j] = t if first else y[j] + t
