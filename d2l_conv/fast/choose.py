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

The engines are those that can run here, found once, when the package
loads (`ENGINES`): the C engine where it was built with the package,
OpenCV where it is installed (for kernels under
`cv2_engine.DIRECT_TAPS` taps), the FFT where scipy is, and NumPy
always. Each is a library loaded with the package or with MXNet, so
the model's answer for a shape never changes while the program runs,
and no call ever waits for, or runs beside, an engine being loaded.
Plain calls of up to `SMALL_WORK` multiply-adds never reach the model:
`corr2d_fast` hands them whole to `c_engine.small`.
Input that is not all finite never goes to the FFT, nor to OpenCV
with a zero tap (`correlate` picks the best direct engine instead).
"""

import functools
import importlib.util
import math

from . import c_engine, cv2_engine, fft_engine, numpy_engine

#: Seconds per call, per NumPy call, per unit of work and per element of
#: traffic (see `features`), fitted by ``python benchmarks/fit_cost.py``
#: (see the module's docstring) for the four engines in one run, images
#: from 28² to 2048², on the shared 2-core machine (model / measured:
#: numpy 0.61-1.37, fft 0.63-1.07, cv2 0.25-1.17, c 0.14-1.77; the
#: worst are the tiny images, where fixed costs vary most). The C
#: engine's is its fixed cost alone: its work and traffic are
#: `c_engine.seconds`, which models its native threads on the CPUs of the
#: machine it runs on.
COSTS = {
    'numpy': (7.00e-06, 1.22e-06, 1.19e-10, 1.01e-10),
    'fft': (4.61e-05, 0.0, 2.14e-10, 7.74e-10),
    'cv2': (3.56e-06, 0.0, 4.73e-11, 5.00e-11),
    'c': (1.82e-06, 0.0, 0.0, 0.0),
}

#: Multiply-adds up to which a plain call (float32 or float64, on the
#: host, outside autograd) is served whole by the C engine's `small`, on
#: one thread, without asking the model: there it is the fastest engine
#: at every shape (its fixed cost is the least, and it is the fastest
#: direct sum), and handing half to another thread cost about as much as
#: it saved at 256²·5x5 (1.6e6 multiply-adds; measured with a compiled
#: direct kernel: 3x3 took 0.055 ms alone against 0.099 ms shared, 15x15
#: 0.68 against 0.44 ms); 0 turns that off.
SMALL_WORK = 2e6

#: Each engine's module, by name; its ``correlate_valid`` computes.
MODULES = {'c': c_engine, 'cv2': cv2_engine, 'fft': fft_engine,
           'numpy': numpy_engine}

#: The engines that sum the products directly (not by FFT).
DIRECT = ('c', 'cv2', 'numpy')


def importable():
    """Return the names of the engines that can run here, in the order
    of `MODULES`: each where its library imports (scipy's is looked up,
    not imported), NumPy's always.

    Examples
    --------
    >>> importable()[-1]
    'numpy'
    """
    found = [c_engine.available(), cv2_engine.available(),
             importlib.util.find_spec('scipy') is not None, True]
    return tuple(name for name, here in zip(MODULES, found, strict=True)
                 if here)


#: The engines of this install, found once, when the package loads.
ENGINES = importable()


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
    if engine == 'c':  # its work and traffic: `c_engine.seconds`
        return 1, 0, 0, 0
    if engine == 'cv2':  # a whole H x W output, then the valid part copied
        return 1, 0, H * W * h * w, traffic + H * W + oh * ow
    sh, sw = _fft_sides(H, W, h, w)
    tiles = -(-oh // (sh - h + 1)) * -(-ow // (sw - w + 1))
    return 1, 0, tiles * sh * sw * math.log2(sh * sw), traffic


def estimate(engine, X_shape, K_shape):
    """Return the modelled seconds of `engine` on these shapes.

    Examples
    --------
    >>> estimate('c', (1024, 1024), (3, 3)) < estimate(
    ...     'numpy', (1024, 1024), (3, 3))
    True
    """
    modelled = sum(c * f for c, f in zip(
        COSTS[engine], features(engine, X_shape, K_shape), strict=True))
    if engine == 'c':  # the C engine models its own threads
        modelled += c_engine.seconds(X_shape, K_shape)
    return modelled


def _fft_sides(H, W, h, w):
    """Return the FFT engine's transform sides, without importing scipy."""
    return (fft_engine._side(H, h, fft_engine.TILE, fast=False),
            fft_engine._side(W, w, fft_engine.TILE, fast=False))


def choose_engine(X_shape, K_shape):
    """Return the name of the engine of `ENGINES` with the least
    modelled time for these shapes (of the input and the kernel).

    Returns
    -------
    str
        ``'c'``, ``'cv2'``, ``'fft'`` or ``'numpy'``.

    Examples
    --------
    >>> choose_engine((2048, 2048), (63, 63))
    'fft'
    """
    return _cheapest(X_shape, K_shape, _candidates(K_shape))


def _candidates(K_shape):
    """Return the engines of `ENGINES` that can run on this kernel:
    OpenCV filters kernels of `cv2_engine.DIRECT_TAPS` taps and more by
    DFT, which spreads NaN."""
    if K_shape[0] * K_shape[1] < cv2_engine.DIRECT_TAPS:
        return ENGINES
    return tuple(name for name in ENGINES if name != 'cv2')


@functools.lru_cache(maxsize=1024)
def _cheapest(X_shape, K_shape, names):
    """Return the engine of least modelled time; remembered, since the
    model costs a tenth of a small call and its answer never changes."""
    times = {name: estimate(name, X_shape, K_shape) for name in names}
    return min(times, key=times.get)


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
    engine = choose_engine(X.shape, K.shape)
    if engine == 'fft' and (not integer
                            or fft_engine.exact_for_integers(X, K)):
        try:
            return fft_engine.correlate_valid(X, K, out=out,
                                              integers=integer)
        except fft_engine.NonFiniteInput:
            pass
    if engine == 'fft' or (engine == 'cv2' and not cv2_engine.usable(X, K)):
        engine = _direct(X, K)
    return MODULES[engine].correlate_valid(X, K, out=out)


def _direct(X, K):
    """Return the cheapest direct engine that can run on `X` and `K`."""
    names = tuple(
        name for name in _candidates(K.shape) if name in DIRECT
        and (name != 'cv2' or cv2_engine.usable(X, K)))
    return _cheapest(X.shape, K.shape, names)
