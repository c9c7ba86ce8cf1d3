"""The NumPy engine: multiply-adds of shifted slices, by blocks, on all
cores; it needs nothing beyond NumPy and takes any input.

With ``X`` flattened to ``x`` (rows of ``W``), output ``n = i W + j`` is
``sum_{a, b} K[a, b] x[n + a W + b]``: each tap is one contiguous
NumPy call over a block, in a scratch buffer that stays in cache, whose
``w - 1`` columns past each row's valid output (they wrap into the next
row) are never copied out.
"""

import numpy as onp

from . import _threads
from ._output import L2_CACHE, output

#: Output elements per block: twice `L2_CACHE` of float32, so that a
#: block's scratch and its slices of the input stay in the caches while
#: NumPy's per-call cost (about 1 us) stays small against its work.
BLOCK = L2_CACHE // 2

#: Below this many (padded) outputs, a block's work, one thread does all.
MIN_PARALLEL = BLOCK

METHOD = 'direct'


def available():
    """Always (`choose.Engine`)."""
    return True


def accepts(X, K, integer=False):
    """Always: NaN and inf land as in scipy's direct sum."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, calls, work, traffic)``: its NumPy calls (taps times
    blocks), multiply-adds (on rows padded to ``W``) and elements read and
    written. It shares the blocks among all its threads.

    Examples
    --------
    >>> features((1024, 1024), (3, 3), 2)
    (1, 36, 9418752, 2093060)
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    blocks = -(-oh * W // BLOCK)
    return 1, h * w * blocks, oh * W * h * w, H * W + oh * ow


def correlate_valid(X, K, out=None, threads=None, integer=False,
                    block=BLOCK):
    """Valid 2-D cross-correlation of NumPy arrays: an engine of
    `corr2d_fast`, without its checks. NaN and inf land as in scipy's
    direct sum (every product is computed).

    Parameters
    ----------
    X : numpy.ndarray
        2-D float32 or float64 input (copied if not C-contiguous).
    K : numpy.ndarray
        2-D kernel, no larger than `X`; cast to the dtype of `X`.
    out : numpy.ndarray, optional
        Where to write the result: C-contiguous, of its shape and dtype.
    threads : int, optional
        Threads to use; defaults to `get_num_threads`.
    integer : bool
        Whether `X` and `K` hold integers (a direct sum needs nothing
        more for them).
    block : int
        Output elements per block; rounded to whole rows of `X`.

    Returns
    -------
    Y : numpy.ndarray
        The ``(H - h + 1, W - w + 1)`` output in the dtype of `X`: `out`,
        if given.

    Raises
    ------
    TypeError, ValueError
        If `out` is not a NumPy array of that shape and dtype.

    Examples
    --------
    >>> X = onp.arange(9, dtype='float32').reshape(3, 3)
    >>> correlate_valid(X, onp.array([[0, 1], [2, 3]], dtype='float32'))
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    (H, W), (h, w) = X.shape, K.shape
    oh, ow = H - h + 1, W - w + 1
    X, K = onp.ascontiguousarray(X), onp.ascontiguousarray(K, X.dtype)
    threads = _threads.cores() if threads is None else threads
    threads = 1 if oh * W < MIN_PARALLEL else threads
    rows = max(1, min(block // W, -(-oh // threads)))  # a block a thread
    x = X.reshape(-1)
    Y = output(out, (oh, ow), X.dtype)

    def work(blocks):
        padded = onp.empty(rows * W, X.dtype)  # reused: stays in cache
        tmp = onp.empty_like(padded)
        with onp.errstate(invalid='ignore', over='ignore'):  # as scipy
            for i in blocks:
                stop = min(i + rows, oh)
                if w == 1:  # no columns to drop: computed in place
                    _taps(x, K, Y.reshape(-1), i * W, stop * W, tmp, W)
                    continue
                n = (stop - i) * W
                # the last w - 1 would read past `x`, and are dropped
                _taps(x, K, padded, 0, n - (w - 1), tmp, W, i * W)
                Y[i:stop] = padded[:n].reshape(-1, W)[:, :ow]

    _threads.share(work, range(0, oh, rows), min(threads, -(-oh // rows)))
    return Y


def _taps(x, K, y, start, stop, tmp, W, offset=0):
    """Set ``y[n] = sum_{a, b} K[a, b] x[offset + n + a W + b]`` for
    ``start <= n < stop``, `tmp` scratch of that many elements."""
    h, w = K.shape
    y, tmp = y[start:stop], tmp[:stop - start]
    start += offset
    stop += offset
    onp.multiply(x[start:stop], K[0, 0], out=y)
    for a in range(h):
        for b in range(w):
            if a or b:
                shift = a * W + b
                onp.multiply(x[start + shift:stop + shift], K[a, b], out=tmp)
                onp.add(y, tmp, out=y)
