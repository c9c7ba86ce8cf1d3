"""The OpenCV engine: ``cv2.filter2D``'s direct filter.

OpenCV (``opencv-python-headless``, optional) filters in SIMD, on its
own threads, in one call that releases the GIL. It correlates, padding
the image with zeros; anchored at the kernel's top left, output
``(i, j)`` is the valid output wherever its window lies inside the
image, so OpenCV writes straight into the result (`correlate_valid`).

NaN and inf. OpenCV's direct filter keeps only the kernel's non-zero
taps, so it skips ``0 * NaN`` and ``0 * inf``, which scipy's direct sum
turns into NaN; and from `DIRECT_TAPS` taps on it filters by DFT, which
spreads NaN over the image. So this engine takes only kernels of fewer
taps (`features`), and only where no tap is zero or `X` is all finite
(`accepts`): then NaN and inf land where scipy puts them (tested with
hypothesis, ``tests/section/test_nonfinite.py``). Integers (in float32)
stay exact while each partial sum is below ``2**24``.
"""

import functools
import math

import numpy as onp

from ._output import operands

#: How it sums (`choose`): every product of a non-zero tap, directly.
METHOD = 'direct'

#: Kernels of this many taps and more go to OpenCV's DFT filter
#: (``dftFilter2D`` in ``modules/imgproc/src/filter.dispatch.cpp``: 130
#: for float32 where SSE3 is there, 50 for float64 and elsewhere).
DIRECT_TAPS = 50

@functools.cache
def available():
    """Tell whether OpenCV can be imported; asked once, when the package
    loads (`choose.ENGINES`).

    That imports ``cv2``: MXNet has imported it already (``mxnet.image``)
    wherever it is installed, so it costs nothing.
    """
    try:
        import cv2  # noqa: F401
    except ImportError:
        return False
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, 0, work, traffic)`` for the cost model (`choose`), or
    None for a kernel of `DIRECT_TAPS` taps or more (OpenCV's DFT).

    *work* is its multiply-adds (over the whole ``H x W`` output OpenCV
    computes), *traffic* the elements read and written. OpenCV shares
    the rows among its own threads, so `threads` changes nothing.

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
    """Tell whether this engine puts NaN and inf where scipy does.

    True for a kernel of fewer than `DIRECT_TAPS` taps, all finite, that
    has no zero tap, or whose input `X` is all finite. The second costs a
    pass over `X`, so it is asked last. A non-finite tap is refused since
    OpenCV 4.14's float64 filter corrupts the heap on a NaN tap (the
    process aborts later, in malloc); the other engines take it.

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
    """Valid 2-D cross-correlation of NumPy arrays by ``cv2.filter2D``.

    An engine of `corr2d_fast`; call it only where `accepts` says so.
    OpenCV filters the top-left view of `X` of the output's shape into
    the output; where the kernel reached past that view (the last
    ``h - 1`` rows and ``w - 1`` columns) it saw zeros: those are
    filtered again from the edges of `X`, bottom then right. OpenCV
    shares the work among its own threads (`threads` is not used).
    `X`, `K`, `out` and the result are as for
    `numpy_engine.correlate_valid`: float32 stays float32 and float64
    stays float64 (OpenCV's ``CV_64F``).

    Examples
    --------
    >>> X = onp.arange(9, dtype='float32').reshape(3, 3)
    >>> correlate_valid(X, onp.array([[0, 1], [2, 3]], dtype='float32'))
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    X, K, Y = operands(X, K, out)
    (h, w), (oh, ow) = K.shape, Y.shape
    written = _filter(X[:oh, :ow], K, Y)
    if written is not Y:  # OpenCV did not take `Y` as its output
        Y[...] = written
    if h > 1:
        top = max(0, oh - h + 1)
        Y[top:] = _filter(X[top:], K)[:oh - top, :ow]
    if w > 1:
        left = max(0, ow - w + 1)
        Y[:, left:] = _filter(X[:, left:], K)[:oh, :ow - left]
    return Y


def _filter(X, K, dst=None):
    """Return ``cv2.filter2D`` of `X` by `K`, anchored at the kernel's
    top left, zero-padded: into `dst` if given (of the shape of `X`)."""
    import cv2  # imported by `available` (and by MXNet) already
    return cv2.filter2D(X, -1, K, dst=dst, anchor=(0, 0),
                        borderType=cv2.BORDER_CONSTANT)
