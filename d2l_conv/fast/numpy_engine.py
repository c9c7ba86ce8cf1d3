"""The NumPy engine, which takes any input: with ``X`` flattened to ``x``,
output ``n = i W + j`` is ``sum_{a, b} K[a, b] x[n + a W + b]``, one NumPy
call a tap over a block of rows, on threads; the ``w - 1`` columns past
each row's output (they wrap into the next row) are computed, not kept."""

import numpy as onp

from . import _threads
from ._output import L2_CACHE, operands

#: Output elements per block, from `L2_CACHE`: enough that a NumPy call's
#: fixed cost is small against its work; fewer outputs run on one thread.
BLOCK = L2_CACHE // 2

METHOD = 'direct'


def available():
    """Always."""
    return True


def accepts(X, K, integer=False):
    """Always: NaN and inf land as in scipy's direct sum."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, calls, work, traffic)``, whatever the threads: NumPy
    calls (taps times blocks), multiply-adds (on rows padded to ``W``),
    elements read and written.

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
    """By blocks of `block` outputs (default `BLOCK`) in whole rows of `X`,
    through a scratch buffer per thread (none where ``w`` is 1); fewer
    outputs, one thread."""
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
