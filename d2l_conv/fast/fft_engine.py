"""The FFT engine: real FFTs by tiles (overlap-save), on threads, for large
kernels. Its float32 error scales with a tile's largest value: 2.9e-7 of
the largest output (``python benchmarks/fft_accuracy.py``: 1024², 31 x 31),
at most 4.9e-6 of an output on brightness from 1e-3 to 1e3."""

import functools
import importlib.util
import math

import numpy as onp

from . import _threads
from ._output import L2_CACHE, output

METHOD = 'fft'

#: A tile's transform side, unless the axis is shorter or four kernel
#: sides longer: a float32 spectrum (``4 TILE**2`` bytes) fills half of
#: `L2_CACHE`, the patch the rest.
TILE = math.isqrt(L2_CACHE // 8)

#: Integer input is taken while ``max|X| sum|K|`` is below this: a float64
#: transform's error, ``2**40 2**-52 log2(n)`` times a small constant,
#: stays far below the 0.5 that rounding to integers allows.
EXACT_BOUND = 2.0 ** 40


@functools.cache
def available():
    """Tell whether scipy is installed (looked up, not imported)."""
    return importlib.util.find_spec('scipy') is not None


def accepts(X, K, integer=False):
    """True where it is within its error: ``a = max|X|`` and ``b =
    sum|K|`` finite; for integers, ``a b`` below `EXACT_BOUND`; for floats,
    ``a`` or ``b`` zero, or ``a b n**2`` (``n`` points a transform) below
    the dtype's largest value and ``a``, ``b``, ``a b`` at least ``n tiny /
    eps`` (no error sinks into the subnormals).

    Examples
    --------
    >>> ones = onp.ones((3, 3), 'float32')
    >>> accepts(ones * 2.**40, ones, integer=True), accepts(ones, ones)
    (False, True)
    >>> accepts(ones * 1e30, ones * 1e30), accepts(ones * 1e-40, ones)
    (False, False)
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
    """Return ``(1, tiles, work, traffic)``: its tiles (each a few scipy
    calls), ``n log2(n)`` for transforms of ``n`` points times the tiles of
    the busiest thread, and the elements read and written.

    Examples
    --------
    >>> features((512, 512), (21, 21), 1)[:2]
    (1, 9)
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
    """By tiles: each output tile's patch of `X` (the tile plus the kernel,
    less one) is transformed (`_side`), times the kernel's spectrum, and
    back; a thread does whole tiles. `integer`: in float64, rounded."""
    import scipy.fft  # here: importing the package imports no scipy
    K = onp.asarray(K, onp.float64 if integer else X.dtype)
    threads = _threads.cores() if threads is None else threads
    (H, W), (h, w) = X.shape, K.shape
    oh, ow = H - h + 1, W - w + 1
    sh, sw = _side(H, h, tile), _side(W, w, tile)
    th, tw = sh - h + 1, sw - w + 1  # an output tile
    Y = output(out, (oh, ow), X.dtype)
    tiles = [(i, j) for i in range(0, oh, th) for j in range(0, ow, tw)]
    spectrum = (_spectrum if sh * sw <= TILE * TILE else  # kept if small
                _spectrum.__wrapped__)(K.tobytes(), K.dtype, K.shape, sh, sw)

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


@functools.lru_cache(maxsize=8)
def _spectrum(kernel, dtype, shape, sh, sw):
    """Return the spectrum on ``sh x sw`` points of the kernel of bytes
    `kernel`, read-only; remembered (no larger than a tile's: 8 take at
    most 8 `L2_CACHE`\\ s), as a kernel is often used again."""
    import scipy.fft
    K = onp.frombuffer(kernel, dtype).reshape(shape)
    # correlation is convolution by the flipped kernel: its rows first
    spectrum = scipy.fft.fft(scipy.fft.rfft(K[::-1, ::-1], sw, axis=1), sh,
                             axis=0)
    spectrum.flags.writeable = False
    return spectrum


def _side(N, n, tile, fast=True):
    """Return the transform length on an axis of `N`, kernel `n`: the axis,
    or the larger of `tile` and ``4 n`` if less; scipy's fast one if `fast`.
    """
    if not fast:
        return min(N, max(tile, 4 * n))
    from scipy.fft import next_fast_len
    return min(next_fast_len(m, real=True) for m in (N, max(tile, 4 * n)))
