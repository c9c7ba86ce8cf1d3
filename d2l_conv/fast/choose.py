"""Which engine `corr2d_fast` runs: a cost model, as scipy's
``choose_conv_method`` has.

Each engine's time is modelled as a sum of four terms, a constant times
each of `features`: a fixed cost per call, the NumPy engine's
Python-level calls, the arithmetic (multiply-adds, or ``n log n`` per
FFT tile) and the memory traffic.

The constants in `COSTS` were fitted (non-negative least squares) to
times of each engine called directly, float32, on this project's 2-core
AMD EPYC machine, by ``python benchmarks/fit_cost.py``, which prints
them. They compare engines; they do not promise absolute times.

An engine is a candidate only if it can run: the C engine must have
been built with the package, the FFT needs scipy, OpenCV must be
installed (and the kernel under `cv2_engine.DIRECT_TAPS` taps), and
numba's kernel is one only where the C engine is missing, once loaded.
There, when numba would save more than `START_SAVING` seconds on a call
but is not loaded yet, the call starts loading it in the background and
is served by the next best engine. Plain calls of up to `SMALL_WORK`
multiply-adds never reach the model: `corr2d_fast` hands them whole to
`c_engine.small`.
Input that is not all finite never goes to the FFT, nor to OpenCV
with a zero tap (`correlate` picks the best direct engine instead).
"""

import functools
import importlib.util
import math

from . import (
    _threads,
    c_engine,
    cv2_engine,
    fft_engine,
    numba_engine,
    numpy_engine,
)

#: Seconds per call, per NumPy call, per unit of work and per element of
#: traffic (see `features`), fitted by ``python benchmarks/fit_cost.py``
#: (see the module's docstring) for all five engines in one run, images
#: from 28² to 2048², on the shared 2-core machine (model / measured:
#: numpy 0.53-1.32, numba 0.16-1.64, fft 0.65-1.24, cv2 0.25-1.20,
#: c 0.22-1.47; the worst are the tiny images, where fixed costs vary
#: most). The compiled engines' work counts once per core it runs on:
#: calls under `_threads.SERIAL_WORK` run on one. Of the C engine's,
#: only the fixed cost is read: the rest is `c_engine.seconds`, which
#: models its native threads on the CPUs of the machine it runs on.
COSTS = {
    'numpy': (1.07e-05, 1.33e-06, 1.67e-10, 1.34e-10),
    'numba': (9.93e-06, 0.0, 2.66e-11, 7.36e-11),
    'fft': (6.03e-05, 0.0, 1.14e-10, 1.55e-09),
    'cv2': (3.82e-06, 0.0, 5.34e-11, 7.62e-11),
    'c': (2.14e-06, 0.0, 1.72e-11, 4.49e-11),
}

#: Multiply-adds up to which a plain call (float32 or float64, on the
#: host, outside autograd) is served whole by the C engine's `small`,
#: without asking the model: below `_threads.SERIAL_WORK` it runs on one
#: core, where it is the fastest engine at every shape (its fixed cost
#: is the least, and it is the fastest direct sum); 0 turns that off.
SMALL_WORK = _threads.SERIAL_WORK

#: Start compiling numba's kernel only for calls it would speed up by at
#: least this much (s): a first compile takes seconds of a core and of
#: the GIL, which a program of small calls would never earn back.
START_SAVING = 5e-4

@functools.cache
def fft_available():
    """Tell whether scipy is installed (without importing it); asked once."""
    return importlib.util.find_spec('scipy') is not None


def features(engine, X_shape, K_shape):
    """Return ``(1, calls, work, traffic)`` for `engine` on these shapes.

    *calls* counts the NumPy engine's Python-level calls (taps times
    blocks; zero for the others), *work* its multiply-adds (padded) or
    the FFT's ``tiles * n * log2(n)``, and *traffic* the elements that
    must move: ``H * W`` read plus the outputs written.
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    traffic = H * W + oh * ow
    if engine == 'numpy':
        blocks = -(-oh * W // numpy_engine.BLOCK)
        return 1, h * w * blocks, oh * W * h * w, traffic
    if engine in ('numba', 'c'):
        work = oh * ow * h * w
        if work < _threads.SERIAL_WORK:  # one core, not all of them
            work *= _threads.cores()
        return 1, 0, work, traffic
    if engine == 'cv2':  # a whole H x W output, then the valid part copied
        return 1, 0, H * W * h * w, traffic + H * W + oh * ow
    sh, sw = _fft_sides(H, W, h, w)
    tiles = -(-oh // (sh - h + 1)) * -(-ow // (sw - w + 1))
    return 1, 0, tiles * sh * sw * math.log2(sh * sw), traffic


def estimate(engine, X_shape, K_shape):
    """Return the modelled seconds of `engine` on these shapes.

    Examples
    --------
    >>> estimate('numba', (1024, 1024), (3, 3)) < estimate(
    ...     'numpy', (1024, 1024), (3, 3))
    True
    """
    if engine == 'c':  # the C engine models its own threads
        return COSTS['c'][0] + c_engine.seconds(X_shape, K_shape)
    return sum(c * f for c, f in zip(
        COSTS[engine], features(engine, X_shape, K_shape), strict=True))


def _fft_sides(H, W, h, w):
    """Return the FFT engine's transform sides, without importing scipy."""
    return (fft_engine._side(H, h, fft_engine.TILE, fast=False),
            fft_engine._side(W, w, fft_engine.TILE, fast=False))


def choose_engine(X_shape, K_shape, dtype, compile=True):
    """Return the name of the engine with the least modelled time.

    Parameters
    ----------
    X_shape, K_shape : tuple of int
        Shapes of the input and the kernel.
    dtype : numpy.dtype
        float32 or float64: numba's kernel is loaded per dtype.
    compile : bool
        Start loading numba's kernel in the background if it would pay.

    Returns
    -------
    str
        ``'c'``, ``'numpy'``, ``'numba'``, ``'fft'`` or ``'cv2'``.

    Examples
    --------
    >>> choose_engine((2048, 2048), (63, 63), 'float32', compile=False)
    'fft'
    """
    if numba_engine.ready(dtype):
        return _cheapest(X_shape, K_shape, _candidates(K_shape, True))
    engine, saving = _cheapest_before_numba(
        X_shape, K_shape, _candidates(K_shape, False))
    if (compile and saving > START_SAVING and numba_engine.available()
            and not c_engine.available()):
        numba_engine.start(dtype)
    return engine


#: The engines that sum the products directly (not by FFT).
DIRECT = ('numpy', 'numba', 'cv2', 'c')


def _candidates(K_shape, numba):
    """Return the names of the engines that can run on this kernel."""
    names = ('numpy',)
    if fft_available():
        names += ('fft',)
    if c_engine.available():  # numba's kernel only where C's is missing
        names += ('c',)
    elif numba:
        names += ('numba',)
    if (cv2_engine.available()
            and K_shape[0] * K_shape[1] < cv2_engine.DIRECT_TAPS):
        names += ('cv2',)
    return names


def _times(X_shape, K_shape, names):
    """Return ``{engine: modelled seconds}`` for the engines `names`."""
    return {name: estimate(name, X_shape, K_shape) for name in names}


@functools.lru_cache(maxsize=1024)
def _cheapest(X_shape, K_shape, names):
    """Return the engine of least modelled time; remembered, since the
    model costs a tenth of a small call and its answer never changes."""
    times = _times(X_shape, K_shape, names)
    return min(times, key=times.get)


@functools.lru_cache(maxsize=1024)
def _cheapest_before_numba(X_shape, K_shape, names):
    """Return the cheapest of `names` and what numba would save on it.

    Remembered, as `_cheapest` is: before numba's kernel is loaded,
    modelling every call cost about 10 us of a 40 us call at 28².
    """
    engine = _cheapest(X_shape, K_shape, names)
    saving = (estimate(engine, X_shape, K_shape)
              - estimate('numba', X_shape, K_shape))
    return engine, saving


def correlate(X, K, out=None, integer=False):
    """Valid 2-D cross-correlation by the engine `choose_engine` picks.

    `X` and `K` are NumPy arrays of one dtype, float32 or float64; the
    result goes to `out` if given (see `numpy_engine.correlate_valid`).
    NaN and inf stay in the windows that hold them, as in scipy's direct
    sum: input that holds any goes to the best direct engine instead of
    the FFT, and to OpenCV only where `cv2_engine.usable` says so.

    With `integer` (`X` and `K` hold integers), the FFT engine computes
    in float64 and rounds, so the result is exact wherever the sum is
    below ``2**24``, as on the direct engines; where even that could be
    inexact (`fft_engine.exact_for_integers`), a direct engine runs.

    Examples
    --------
    >>> import numpy as onp
    >>> correlate(onp.array([[1., onp.nan, 2., 3.]]), onp.array([[1., 1.]]))
    array([[nan, nan,  5.]])
    """
    engine = choose_engine(X.shape, K.shape, X.dtype)
    if engine == 'fft':
        if not integer or fft_engine.exact_for_integers(X, K):
            try:
                return fft_engine.correlate_valid(X, K, out=out,
                                                  integers=integer)
            except fft_engine.NonFiniteInput:
                pass
        engine = _direct(X, K)
    elif engine == 'cv2' and not cv2_engine.usable(X, K):
        engine = _direct(X, K)
    if engine == 'cv2':
        return cv2_engine.correlate_valid(X, K, out=out)
    if engine == 'numba':
        return numba_engine.correlate_valid(X, K, out=out)
    if engine == 'c':
        return c_engine.correlate_valid(X, K, out=out)
    return numpy_engine.correlate_valid(X, K, out=out)


def _direct(X, K):
    """Return the cheapest direct engine that can run on `X` and `K`."""
    names = tuple(
        name for name in _candidates(K.shape, numba_engine.ready(X.dtype))
        if name in DIRECT and (name != 'cv2' or cv2_engine.usable(X, K)))
    return _cheapest(X.shape, K.shape, names)
