"""The NumPy engine: blocked multiply-adds of shifted slices, on all cores.

It makes ``2 * h * w - 1`` NumPy calls per block of `BLOCK` outputs, in
the input's dtype, one thread per core taking the next block (NumPy
releases the GIL inside each call). It needs nothing beyond NumPy and
takes any input: the engine that serves when none other can.

Every call is one-dimensional and contiguous: the output is written with
the row stride of the input. With ``X`` flattened to ``x`` (rows of
``W``), output ``n = i * W + j`` is ``sum_{a, b} K[a, b] * x[n + a * W +
b]``, each tap one shifted slice of ``x``. The ``w - 1`` columns ``j >=
W - w + 1`` are junk that wraps into the next row; each block is
computed in a scratch buffer that stays in cache, and only its valid
columns are copied out.
"""

import numpy as onp

from . import _threads
from ._output import L2_CACHE, output

#: Output elements per block: twice `L2_CACHE` of float32, so that a
#: block's scratch and its slices of the input stay in the caches while
#: NumPy's per-call cost (about 1 us) stays small against its work.
BLOCK = L2_CACHE // 2

#: Below this many (padded) output elements one thread does it all: the
#: work of a block, so that each thread has at least one.
MIN_PARALLEL = BLOCK

#: How it sums (`choose`): every product, directly.
METHOD = 'direct'


def available():
    """Tell whether this engine can run here: always."""
    return True


def accepts(X, K, integer=False):
    """Tell whether this engine computes `X` and `K` as `corr2d_fast`
    promises: always (NaN and inf land as in scipy's direct sum)."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, calls, work, traffic)`` for the cost model (`choose`).

    *calls* counts its NumPy calls (taps times blocks), *work* its
    multiply-adds (on rows padded to ``W``), *traffic* the elements read
    and written. It shares its blocks among all the cores it may use,
    so `threads` changes nothing.

    Examples
    --------
    >>> features((1024, 1024), (3, 3), 2)
    (1, 36, 9418752, 2093060)
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    blocks = -(-oh * W // BLOCK)
    return 1, h * w * blocks, oh * W * h * w, H * W + oh * ow


def _block_taps(x, K, y, start, stop, tmp, W, offset=0):
    """Fill ``y[n]``, ``start <= n < stop``, with taps of `x` at `offset`.

    ``y[n] = sum_{a, b} K[a, b] * x[offset + n + a * W + b]``: `x` is the
    flattened input, `y` the output padded to row length `W`, `tmp`
    scratch of at least ``stop - start`` elements.
    """
    h, w = K.shape
    y = y[start:stop]
    tmp = tmp[:stop - start]
    start += offset
    stop += offset
    onp.multiply(x[start:stop], K[0, 0], out=y)
    for a in range(h):
        for b in range(w):
            if a or b:
                shift = a * W + b
                onp.multiply(x[start + shift:stop + shift], K[a, b], out=tmp)
                onp.add(y, tmp, out=y)


def correlate_valid(X, K, out=None, threads=None, integer=False,
                    block=BLOCK):
    """Valid 2-D cross-correlation of NumPy arrays, blocked and threaded.

    An engine of `corr2d_fast`, without its checks or MXNet conversions.
    NaN and inf propagate as in scipy's direct sum: every product is
    computed, so a window holding a NaN (or ``0 * inf``, or
    ``inf - inf``) gives NaN, and only that window.

    Parameters
    ----------
    X : numpy.ndarray
        2-D float32 or float64 input (copied if not C-contiguous).
    K : numpy.ndarray
        2-D kernel, no larger than `X`; cast to the dtype of `X`.
    out : numpy.ndarray, optional
        Where to write the result: C-contiguous, of its shape and dtype.
    threads : int, optional
        Threads to use; defaults to the cores this process may use.
    integer : bool
        Whether `X` and `K` hold integers; a direct sum needs nothing
        more for them (the same name as in the other engines).
    block : int
        Output elements per block; rounded to whole rows of `X`.

    Returns
    -------
    Y : numpy.ndarray
        The ``(H - h + 1, W - w + 1)`` output, C-contiguous, in the
        dtype of `X` (`out`, if given).

    Raises
    ------
    TypeError, ValueError
        If `out` is not a NumPy array of that shape and dtype.

    Examples
    --------
    >>> import numpy as onp
    >>> X = onp.arange(9, dtype='float32').reshape(3, 3)
    >>> correlate_valid(X, onp.array([[0, 1], [2, 3]], dtype='float32'))
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    (H, W), (h, w) = X.shape, K.shape
    oh, ow = H - h + 1, W - w + 1
    X, K = onp.ascontiguousarray(X), onp.ascontiguousarray(K, X.dtype)
    threads = _threads.cores() if threads is None else threads
    if oh * W < MIN_PARALLEL:
        threads = 1
    # Rows per block: at most `block` elements, and at least one block per
    # thread so that every core gets work.
    rows = max(1, min(block // W, -(-oh // threads)))
    x = X.reshape(-1)
    Y = output(out, (oh, ow), X.dtype)

    def work(blocks):
        # Scratch for one block, padded to row length W, reused so that
        # it stays in cache; its last w - 1 elements are never computed
        # (they would read past `x`) and never kept.
        padded = onp.empty(rows * W, X.dtype)
        tmp = onp.empty_like(padded)
        with onp.errstate(invalid='ignore', over='ignore'):  # as scipy
            blocks_of(blocks, padded, tmp)

    def blocks_of(blocks, padded, tmp):
        for i in blocks:
            stop = min(i + rows, oh)
            n = (stop - i) * W
            if w == 1:  # no junk columns: compute in place
                _block_taps(x, K, Y.reshape(-1), i * W, stop * W, tmp, W)
                continue
            _block_taps(x, K, padded, 0, n - (w - 1), tmp, W, i * W)
            Y[i:stop] = padded[:n].reshape(-1, W)[:, :ow]

    _threads.share(work, range(0, oh, rows), min(threads, -(-oh // rows)))
    return Y
