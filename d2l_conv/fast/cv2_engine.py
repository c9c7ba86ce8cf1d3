"""The OpenCV engine: ``cv2.filter2D``'s direct filter (optional), in
SIMD on OpenCV's own threads, without the GIL."""

import functools
import math

import numpy as onp

from ._output import operands

METHOD = 'direct'

#: Kernels of this many taps and more go to OpenCV's DFT filter, which
#: spreads NaN over the image: not sent (``dftFilter2D`` in
#: ``modules/imgproc/src/filter.dispatch.cpp``: 130 taps for float32
#: where SSE3 is there, 50 for float64 and elsewhere).
DIRECT_TAPS = 50


@functools.cache
def available():
    """Tell whether ``cv2`` imports (MXNet has imported it already)."""
    try:
        import cv2  # noqa: F401
    except ImportError:
        return False
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, 0, work, traffic)``, whatever the threads (OpenCV's):
    the multiply-adds over the whole ``H x W`` image and the elements read
    and written; None from `DIRECT_TAPS` taps.

    Examples
    --------
    >>> features((64, 64), (3, 3), 1)
    (1, 0, 36864, 7940)
    >>> features((64, 64), (8, 8), 1) is None
    True
    """
    (H, W), (h, w) = X_shape, K_shape
    if h * w >= DIRECT_TAPS:
        return None
    return 1, 0, H * W * h * w, H * W + (H - h + 1) * (W - w + 1)


def accepts(X, K, integer=False):
    """Tell whether OpenCV puts NaN and inf where scipy does: a kernel of
    fewer than `DIRECT_TAPS` taps, all finite (OpenCV 4.14's float64
    filter corrupts the heap on a NaN tap), and no zero tap (OpenCV skips
    them: ``0 * inf`` is not NaN) unless `X` is all finite (checked last).

    Examples
    --------
    >>> X = onp.array([[onp.inf, 1., 2.]])
    >>> accepts(X, onp.array([[1., 1.]])), accepts(X, onp.array([[0., 1.]]))
    (True, False)
    >>> accepts(X, onp.array([[onp.nan, 1.]]))
    False
    """
    if K.size >= DIRECT_TAPS:
        return False
    taps = K.ravel().tolist()  # under 50: Python's checks are the quickest
    return all(map(math.isfinite, taps)) and (
        all(taps) or bool(onp.isfinite(X).all()))


def correlate_valid(X, K, out=None, threads=None, integer=False):
    """`numpy_engine.correlate_valid` by ``cv2.filter2D``, where `accepts`,
    on OpenCV's threads (``cv2.setNumThreads``; `threads` is not used).
    With the kernel anchored at its top left and zeros past the edges, it
    filters the view of `X` of the output's shape into the output, then
    the last ``h - 1`` rows and ``w - 1`` columns again from the edges of
    `X` (their windows saw the zeros).

    Examples
    --------
    >>> X = onp.arange(9, dtype='float32').reshape(3, 3)
    >>> correlate_valid(X, onp.array([[0, 1], [2, 3]], dtype='float32'))
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    import cv2
    X, K, Y = operands(X, K, out)
    (h, w), (oh, ow) = K.shape, Y.shape

    def filtered(X, dst=None):
        return cv2.filter2D(X, -1, K, dst=dst, anchor=(0, 0),
                            borderType=cv2.BORDER_CONSTANT)

    written = filtered(X[:oh, :ow], Y)
    if written is not Y:  # OpenCV did not take `Y` as its output
        Y[...] = written
    if h > 1:
        top = max(0, oh - h + 1)
        Y[top:] = filtered(X[top:])[:oh - top, :ow]
    if w > 1:
        left = max(0, ow - w + 1)
        Y[:, left:] = filtered(X[:, left:])[:oh, :ow - left]
    return Y
