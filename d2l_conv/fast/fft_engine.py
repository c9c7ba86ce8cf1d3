"""The FFT engine: real FFTs by tiles (overlap-save), threaded.

Direct engines cost O(h * w) per output; an FFT about the same whatever
the kernel, so it wins on large kernels. The output is cut into tiles;
each tile's input patch (tile plus kernel size minus one) is transformed
with ``scipy.fft.rfft2`` at a fast length, multiplied by the kernel's
spectrum (computed once) and transformed back; the patch's valid part is
the tile (a circular correlation is exact where it does not wrap).
Tiles bound the extra memory, keep each transform in cache and are
shared among the cores. float32 stays float32.

Accuracy (``python benchmarks/fft_accuracy.py``: float32 against scipy's
float64 direct sum, 1024² image, 31 x 31 kernel): standard normal input,
largest error 3.2e-7 of the largest output, median relative error
2.6e-7; brightness from 1e-3 to 1e3 across the image (box kernel),
largest error 2.7e-7 of the largest output, largest relative error
1.2e-4, in the darkest windows. The error is relative to the largest
value in a tile: use a direct engine (or float64) where every dim
window matters to full float32 precision.

The engine takes only what it computes within that error (`accepts`):
finite input whose transforms can neither overflow nor sink into the
subnormal range; the rest goes to a direct engine.
"""

import functools
import importlib.util
import math

import numpy as onp

from . import _threads
from ._output import L2_CACHE, output

#: Side of the FFT (patch) along each axis, at least (and at least four
#: kernel sides): its float32 spectrum (``TILE**2 / 2`` complex64 values,
#: ``4 * TILE**2`` bytes) fills half of `L2_CACHE`, the patch the rest.
#: Whole-image transforms spill the caches and share out badly.
TILE = math.isqrt(L2_CACHE // 8)

#: How it sums (`choose`): by FFT.
METHOD = 'fft'


@functools.cache
def available():
    """Tell whether scipy is installed; looked up (not imported) once."""
    return importlib.util.find_spec('scipy') is not None


def accepts(X, K, integer=False):
    """Tell whether this engine computes `X` and `K` as `corr2d_fast`
    promises.

    With ``a = max|X|``, ``b = sum|K|`` and ``n`` points per transform:
    for integers (`integer`), where ``a * b`` is below `EXACT_BOUND`
    (`EXACT_BOUND`); for floats, where both are finite and
    ``a * b * n**2`` is below the dtype's largest value (no transform
    overflows, its sums included), and ``a``, ``b`` and ``a * b`` are at
    least ``n * tiny / eps`` (no error sinks into the subnormal range),
    or where both are finite and either is zero.

    Examples
    --------
    >>> accepts(onp.full((4, 4), 2.**40), onp.ones((3, 3)), integer=True)
    False
    >>> ones = onp.ones((3, 3), 'float32')
    >>> accepts(ones, ones), accepts(ones * 1e30, ones * 1e30)
    (True, False)
    >>> accepts(ones * onp.nan, ones), accepts(ones * 1e-40, ones)
    (False, False)
    >>> accepts(ones * onp.nan, ones * 0)  # 0 * NaN is NaN
    False
    """
    (H, W), (h, w) = X.shape, K.shape
    n = float(_side(H, h, TILE) * _side(W, w, TILE))
    with onp.errstate(all='ignore'):
        a = max(float(X.max()), -float(X.min()))  # NaN stays NaN
        b = float(onp.abs(K).sum(dtype=onp.float64))
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    if integer:
        return a * b < EXACT_BOUND
    info = onp.finfo(X.dtype)
    low = n * float(info.tiny) / float(info.eps)
    return a == 0 or b == 0 or (a * b * n * n < float(info.max)
                                and min(a, b, a * b) >= low)


def features(X_shape, K_shape, threads):
    """Return ``(1, tiles, work, traffic)`` for the cost model (`choose`).

    *tiles* counts its tiles (each a few calls of scipy's), *work* is
    ``n * log2(n)`` for transforms of ``n`` points, times the tiles
    of the busiest of `threads` threads, *traffic* the elements read and
    written.

    Examples
    --------
    >>> features((512, 512), (21, 21), 1)[:2], features((512, 512),
    ...                                                   (21, 21), 2)[:2]
    ((1, 9), (1, 9))
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    sh, sw = _side(H, h, TILE, fast=False), _side(W, w, TILE, fast=False)
    tiles = -(-oh // (sh - h + 1)) * -(-ow // (sw - w + 1))
    busiest = -(-tiles // max(1, min(threads, tiles)))
    return (1, tiles, busiest * sh * sw * math.log2(sh * sw),
            H * W + oh * ow)


def correlate_valid(X, K, out=None, threads=None, integer=False,
                    tile=TILE):
    """Valid 2-D cross-correlation of NumPy arrays, by tiled real FFTs.

    An engine of `corr2d_fast`; its error is about 3e-7 (float32) of the
    largest output in a tile, spread over the tile's outputs (see the
    module's docstring).

    `X`, `K`, `out` and the result are as for
    `numpy_engine.correlate_valid`; call it only where `accepts` says so.

    Parameters
    ----------
    threads : int, optional
        Threads, each transforming whole tiles; defaults to the cores
        available. (Threads inside one transform, scipy's ``workers``,
        did not pay: measured 1.0 to 1.7 times slower.)
    integer : bool
        `X` and `K` hold integers (in floats): transform in float64 and
        round each output to the nearest integer, which is then exact
        wherever `accepts` holds. float32 transforms are off
        by up to 3e-7 of the largest output, several units on sums near
        ``2**24``.
    tile : int
        Transform side; grown where needed to four kernel sides.

    Raises
    ------
    TypeError, ValueError
        If `out` is not a NumPy array of the output's shape and dtype.

    Examples
    --------
    >>> import numpy as onp
    >>> Y = correlate_valid(onp.ones((4, 5), 'float32'), onp.ones((2, 2)))
    >>> Y.round(4), Y.dtype
    (array([[4., 4., 4., 4.],
           [4., 4., 4., 4.],
           [4., 4., 4., 4.]], dtype=float32), dtype('float32'))
    """
    import scipy.fft  # here: importing the package imports no scipy
    K = onp.asarray(K, onp.float64 if integer else X.dtype)
    threads = _threads.cores() if threads is None else threads
    (H, W), (h, w) = X.shape, K.shape
    oh, ow = H - h + 1, W - w + 1
    sh, sw = _side(H, h, tile), _side(W, w, tile)
    th, tw = sh - h + 1, sw - w + 1  # output tile
    Y = output(out, (oh, ow), X.dtype)
    tiles = [(i, j) for i in range(0, oh, th) for j in range(0, ow, tw)]
    spectrum = _spectrum(K, sh, sw)

    def work(shared):  # scipy.fft releases the GIL
        for i, j in shared:
            ti, tj = min(th, oh - i), min(tw, ow - j)
            patch = X[i:i + ti + h - 1, j:j + tj + w - 1]
            F = scipy.fft.rfft2(patch.astype(K.dtype, copy=False), (sh, sw))
            F *= spectrum
            # inverse along the columns, then along only the output rows
            Z = scipy.fft.ifft(F, axis=0, overwrite_x=True)[h - 1:h - 1 + ti]
            Z = scipy.fft.irfft(Z, sw, axis=1)[:, w - 1:w - 1 + tj]
            Y[i:i + ti, j:j + tj] = onp.rint(Z, out=Z) if integer else Z

    _threads.share(work, tiles, min(threads, len(tiles)))
    return Y


#: For integers, `accepts` holds while the largest possible output, the
#: largest ``|X|`` times the sum of ``|K|``, is below this. A float64
#: transform's error is then below ``2**40 * 2**-52 * log2(n) * c``, a
#: hundredth for the sizes here, far from the 0.5 that rounding allows.
EXACT_BOUND = 2.0 ** 40


def _spectrum(K, sh, sw):
    """Return the ``(sh, sw)`` real FFT of `K` flipped (correlation is
    convolution with the flipped kernel): along its few rows first, then
    along the columns, which skips the transforms of padding rows."""
    from scipy.fft import fft, rfft
    return fft(rfft(K[::-1, ::-1], sw, axis=1), sh, axis=0)


def _side(N, n, tile, fast=True):
    """Return the transform length along an axis of `N` with kernel `n`.

    The whole axis if it fits in `tile`, else a fast length of at least
    `tile` and four kernel sides, so that most of each patch is output.
    With ``fast=False``, the same without rounding up to a fast length
    (and without importing scipy), for the cost model.
    """
    if fast:
        from scipy.fft import next_fast_len
    else:
        def next_fast_len(n, real):
            return n
    whole = next_fast_len(N, real=True)
    if whole <= max(tile, 4 * n):
        return whole
    return next_fast_len(max(tile, 4 * n), real=True)
