"""The OpenCV engine: ``cv2.filter2D``'s direct filter, for small calls.

OpenCV (``opencv-python-headless``, optional) filters a small image in
a few microseconds, SIMD, in one call that releases the GIL once: on
images up to about 256² it beats the other engines, whose fixed costs
(NumPy's per-call overhead, the FFT's plans) are several times that.

``cv2.filter2D`` correlates, padding the image with zeros; its anchor is
the kernel's centre ``(w // 2, h // 2)``, so the valid part of its
output starts at row ``h // 2``, column ``w // 2``. That part is copied
into the result (OpenCV writes a whole ``H x W`` output).

NaN and inf. OpenCV's direct filter keeps only the kernel's non-zero
taps (``preprocess2DKernel``), so it skips ``0 * NaN`` and ``0 * inf``,
which scipy's direct sum turns into NaN; and from `DIRECT_TAPS` taps on
it filters by DFT, which spreads NaN over the image. `usable` therefore
allows this engine only on kernels of fewer taps than that, and only
where no tap is zero or `X` is all finite: then every product that
scipy computes, OpenCV computes too, and NaN and inf land where scipy
puts them (tested, with hypothesis, in ``tests/test_nonfinite.py``).

Integers (in float32) stay exact as in the other direct engines, while
each partial sum is below ``2**24``.
"""

import functools

import numpy as onp

from ._output import operands

#: Kernels of this many taps and more go to OpenCV's DFT filter
#: (``dftFilter2D`` in ``modules/imgproc/src/filter.dispatch.cpp``: 130
#: for float32 where SSE3 is there, 50 for float64 and elsewhere).
DIRECT_TAPS = 50


@functools.cache
def available():
    """Tell whether OpenCV can be imported; asked once.

    It imports ``cv2``, which costs nothing where MXNet runs: MXNet
    imports it itself (``mxnet.image``) wherever it is installed.
    """
    try:
        import cv2  # noqa: F401
    except ImportError:
        return False
    return True


def usable(X, K):
    """Tell whether this engine puts NaN and inf where scipy does.

    True for a kernel of fewer than `DIRECT_TAPS` taps that has no zero
    tap (a NaN tap counts as non-zero), or whose input `X` is all
    finite. The second costs a pass over `X`, so it is asked last.

    Examples
    --------
    >>> X = onp.array([[onp.inf, 1., 2.]])
    >>> usable(X, onp.array([[1., 1.]])), usable(X, onp.array([[0., 1.]]))
    (True, False)
    """
    return K.size < DIRECT_TAPS and bool(
        onp.count_nonzero(K) == K.size or onp.isfinite(X).all())


def correlate_valid(X, K, out=None):
    """Valid 2-D cross-correlation of NumPy arrays by ``cv2.filter2D``.

    An engine of `corr2d_fast`; call it only where `usable` says so.
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
    import cv2  # here, so that importing the package imports no OpenCV
    X, K, Y = operands(X, K, out)
    (h, w), (oh, ow) = K.shape, Y.shape
    full = cv2.filter2D(X, -1, K, borderType=cv2.BORDER_CONSTANT)
    top, left = h // 2, w // 2  # the anchor, the kernel's centre
    Y[...] = full[top:top + oh, left:left + ow]
    return Y
