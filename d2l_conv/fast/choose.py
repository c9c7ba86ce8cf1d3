"""Which engine `corr2d_fast` runs, on how many threads: a cost model,
as scipy's ``choose_conv_method`` has.

Every engine is a module of this package with the same public names:

* ``METHOD``: ``'direct'`` (it sums every product) or ``'fft'``, as
  ``scipy.signal.correlate``'s `method` names them;
* ``available()``: whether it can run here;
* ``features(X_shape, K_shape, threads)``: four numbers whose sum,
  weighted by its constants in `COSTS`, models its seconds on those
  shapes and threads; None where it does not take those shapes;
* ``accepts(X, K, integer)``: whether it computes this input as
  `corr2d_fast` promises (NaN and inf, integers);
* ``correlate_valid(X, K, out=None, threads=None, integer=False)``: the
  valid cross-correlation of NumPy arrays, into `out`.

`ALL` lists them. Adding an engine is one module and one line there,
and its constants in `COSTS`, which ``python benchmarks/fit_cost.py``
fits and writes (non-negative least squares on relative error, to times
of each engine called directly, float32). They compare engines; they
do not promise absolute times. The engines of this install are found
once, when the package loads (`ENGINES`), so the model's answer for a
shape never changes while the program runs.
"""

import functools
import math

from . import _cpus, c_engine, cv2_engine, fft_engine, numpy_engine

#: Every engine, in the order of preference where estimates tie.
ALL = [c_engine, cv2_engine, fft_engine, numpy_engine]

# BEGIN COSTS: written by benchmarks/fit_cost.py
#: Each engine's constants: seconds per unit of each of its `features`.
COSTS = {
    'c': (2.50e-06, 1.45e-05, 3.28e-11, 6.33e-11),
    'cv2': (9.63e-06, 0.00e+00, 5.36e-11, 7.14e-11),
    'fft': (7.87e-05, 0.00e+00, 8.05e-11, 1.74e-09),
    'numpy': (1.75e-05, 1.80e-06, 1.07e-10, 1.20e-10),
}
# END COSTS

#: The values of `corr2d_fast`'s `method`, as ``scipy.signal.correlate``
#: takes them.
METHODS = ('auto', 'direct', 'fft')


def name(engine):
    """Return the name of the engine module `engine`.

    Examples
    --------
    >>> name(fft_engine)
    'fft'
    """
    return engine.__name__.rpartition('.')[2].removesuffix('_engine')


def modules():
    """Return ``{name: module}`` for every engine of `ALL`."""
    return {name(engine): engine for engine in ALL}


def importable():
    """Return the names of the engines that can run here, in the order
    of `ALL`.

    Examples
    --------
    >>> importable()[-1]
    'numpy'
    """
    return tuple(key for key, engine in modules().items()
                 if engine.available())


#: The engines of this install, found once, when the package loads.
ENGINES = importable()

# The CPUs usable are read once per process, from the cgroup's files:
# here, when the package loads, rather than in the first call (0.2 ms).
_cpus.usable_cpus()


def plan(engine, X_shape, K_shape, most=None):
    """Return ``(threads, seconds)``: the threads of least modelled time
    for `engine` on these shapes, at most `most` (default: the threads
    `corr2d_fast` may use), and that time; None where the engine does
    not take these shapes. Where more threads model no faster, fewer
    win. An engine whose features do not change with the threads (it
    shares its work its own way) is given `most`.

    An engine's modelled time on ``t`` threads is ``a + b t + c / t``
    (a hand-over per thread, the work shared): its least is near
    ``sqrt(c / b)``, found from three counts, so that asking costs the
    same whatever `most` is.

    Examples
    --------
    >>> plan('c', (64, 64), (3, 3), 16)[0]
    1
    >>> plan('numpy', (64, 64), (3, 3), 16)[0]
    16
    """
    features = modules()[engine].features
    costs = COSTS[engine]
    most = _cpus.get_num_threads() if most is None else most
    if features(X_shape, K_shape, 1) is None:
        return None

    def seconds(threads):
        return sum(c * f for c, f in zip(
            costs, features(X_shape, K_shape, threads), strict=True))

    if features(X_shape, K_shape, 1) == features(X_shape, K_shape, most):
        return most, seconds(most)
    s1, s2, s4 = seconds(1), seconds(2), seconds(4)
    c = 4 * (s4 - 3 * s2 + 2 * s1) / 3
    b = s2 - s1 + c / 2
    best = min(most, math.sqrt(c / b) if b > 0 and c > 0 else most)
    counts = {1, 2, 4, most, math.floor(best), math.ceil(best)}
    return min(((seconds(t), t) for t in counts if 1 <= t <= most))[::-1]


def estimate(engine, X_shape, K_shape):
    """Return the modelled seconds of `engine` on these shapes (inf where
    it does not take them), on the threads `plan` gives it.

    Examples
    --------
    >>> estimate('numpy', (1024, 1024), (3, 3)) < estimate(
    ...     'numpy', (2048, 2048), (3, 3))
    True
    """
    planned = plan(engine, X_shape, K_shape)
    return float('inf') if planned is None else planned[1]


def choose_engine(X_shape, K_shape, method='auto'):
    """Return the name of the engine of `ENGINES` that `correlate` runs
    first on these shapes (of the input and the kernel).

    Examples
    --------
    >>> choose_engine((2048, 2048), (63, 63))
    'fft'
    >>> choose_engine((2048, 2048), (63, 63), 'direct') != 'fft'
    True
    """
    return name(ranked(X_shape, K_shape, method, ENGINES,
                       _cpus.get_num_threads())[0][0])


@functools.lru_cache(maxsize=1024)
def ranked(X_shape, K_shape, method, engines, most):
    """Return ``((module, threads), ...)``: the engines of `engines` that
    take these shapes, on at most `most` threads, the least modelled
    time first; for `method` ``'direct'`` only the direct ones, for
    ``'fft'`` the FFT ones first. Remembered: the model costs a tenth of
    a small call, and its answer for these arguments never changes
    (``ranked.cache_clear()`` forgets it, for a change of `COSTS`)."""
    order = []
    for position, key in enumerate(engines):
        engine = modules()[key]
        if method == 'direct' and engine.METHOD != 'direct':
            continue
        planned = plan(key, X_shape, K_shape, most)
        if planned is not None:
            later = method == 'fft' and engine.METHOD != 'fft'
            order.append((later, planned[1], position, engine, planned[0]))
    order.sort(key=lambda row: row[:3])
    return tuple((engine, threads) for *_, engine, threads in order)


def correlate(X, K, out=None, integer=False, method='auto'):
    """Valid 2-D cross-correlation by the engines `choose_engine` ranks.

    `X` and `K` are NumPy arrays of one dtype, float32 or float64; the
    result goes to `out` if given (see `numpy_engine.correlate_valid`).
    `integer` tells that both hold integers. The first engine (of least
    modelled time, for `method`) that `accepts` the input computes it:
    NaN and inf stay in the windows that hold them, as in scipy's direct
    sum.

    Examples
    --------
    >>> import numpy as onp
    >>> correlate(onp.array([[1., onp.nan, 2., 3.]]), onp.array([[1., 1.]]))
    array([[nan, nan,  5.]])
    """
    for engine, threads in ranked(X.shape, K.shape, method, ENGINES,
                                  _cpus.get_num_threads()):
        if engine.accepts(X, K, integer):
            return engine.correlate_valid(X, K, out=out, threads=threads,
                                          integer=integer)
    raise AssertionError(f'no engine of {ENGINES} took this input')
