"""The OpenCV engine: ``cv2.filter2D``'s direct filter (optional), in
SIMD on OpenCV's own threads, without the GIL."""

import functools
import math

import numpy as onp

from ._output import operands

METHOD = 'direct'

#: Kernels of this many taps and more go to OpenCV's DFT filter, which
#: spreads NaN over the image: not sent (``dftFilter2D`` in OpenCV's
#: ``filter.dispatch.cpp``: 50 taps, 130 for float32 with SSE3).
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
    multiply-adds over the whole ``H x W`` image, elements read and
    written; None from `DIRECT_TAPS` taps.

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
    """True for fewer than `DIRECT_TAPS` taps, all finite (OpenCV 4.14's
    float64 filter corrupts the heap on a NaN tap), and none zero unless
    `X` is all finite (OpenCV skips zero taps: ``0 * inf`` is not NaN)."""
    if K.size >= DIRECT_TAPS:
        return False
    taps = K.ravel().tolist()  # under 50: Python's checks are the quickest
    return all(map(math.isfinite, taps)) and (
        all(taps) or bool(onp.isfinite(X).all()))


def correlate_valid(X, K, out=None, threads=None, integer=False):
    """By ``cv2.filter2D`` on OpenCV's threads (`threads` unused), kernel
    anchored at its top left, zeros past the edges: it filters the view of
    `X` of the output's shape into the output, then the last ``h - 1`` rows
    and ``w - 1`` columns again from the edges of `X` (their windows saw
    the zeros)."""
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
