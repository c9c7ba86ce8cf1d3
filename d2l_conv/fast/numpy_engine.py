"""The NumPy engine: multiply-adds of shifted slices, by blocks of rows,
on threads; it needs nothing beyond NumPy and takes any input.

With ``X`` flattened to ``x`` (rows of ``W``), output ``n = i W + j`` is
``sum_{a, b} K[a, b] x[n + a W + b]``: each tap is one NumPy call over a
block, in a scratch buffer reused by each block, whose ``w - 1`` columns
past each row's output (they wrap into the next row) are never copied.
"""

import numpy as onp

from . import _threads
from ._output import L2_CACHE, operands

#: Output elements per block, from `L2_CACHE`: enough that a NumPy call's
#: fixed cost (about 1 us) is small against its work; a call of fewer
#: outputs runs on one thread.
BLOCK = L2_CACHE // 2

METHOD = 'direct'


def available():
    """Always."""
    return True


def accepts(X, K, integer=False):
    """Always: NaN and inf land as in scipy's direct sum."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, calls, work, traffic)``: its NumPy calls (taps times
    blocks), multiply-adds (on rows padded to ``W``) and elements read and
    written, whatever the threads.

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
                    block=None):
    """Valid 2-D cross-correlation of NumPy arrays: an engine of
    `corr2d_fast`, without its checks. NaN and inf land as in scipy's
    direct sum (every product is computed).

    Parameters
    ----------
    X, K : numpy.ndarray
        2-D float32 or float64 input, and a kernel no larger, cast to its
        dtype (each copied if not C-contiguous).
    out : numpy.ndarray, optional
        Where to write the result: C-contiguous, of its shape and dtype.
    threads : int, optional
        Threads to use; defaults to `get_num_threads`.
    integer : bool
        Whether both hold integers (a direct sum needs nothing more).
    block : int, optional
        Output elements per block (default `BLOCK`), in whole rows of `X`;
        fewer outputs than a block, one thread.

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
    X, K, Y = operands(X, K, out)
    (oh, ow), W, w = Y.shape, X.shape[1], K.shape[1]
    block = BLOCK if block is None else block
    threads = _threads.cores() if threads is None else threads
    threads = 1 if oh * W < block else threads
    rows = max(1, min(block // W, -(-oh // threads)))  # a block a thread
    x, y = X.reshape(-1), Y.reshape(-1)

    def work(blocks):
        padded = onp.empty(rows * W, X.dtype)  # reused by each block
        tmp = onp.empty_like(padded)
        with onp.errstate(invalid='ignore', over='ignore'):  # as scipy
            for i in blocks:
                n = (min(i + rows, oh) - i) * W
                if w == 1:  # no columns to drop: computed in place
                    _taps(x[i * W:], K, y[i * W:][:n], tmp, W)
                else:  # the last w - 1 would read past `x`: dropped
                    _taps(x[i * W:], K, padded[:n - w + 1], tmp, W)
                    Y[i:i + rows] = padded[:n].reshape(-1, W)[:, :ow]

    _threads.share(work, range(0, oh, rows), min(threads, -(-oh // rows)))
    return Y


def _taps(x, K, y, tmp, W):
    """Set ``y[n] = sum_{a, b} K[a, b] x[n + a W + b]``, `tmp` scratch."""
    tmp = tmp[:len(y)]
    onp.multiply(x[:len(y)], K[0, 0], out=y)
    for (a, b), k in onp.ndenumerate(K):
        if a or b:
            onp.multiply(x[a * W + b:][:len(y)], k, out=tmp)
            onp.add(y, tmp, out=y)
