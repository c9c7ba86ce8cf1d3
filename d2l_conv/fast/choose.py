"""Which engine `corr2d_fast` runs, on how many threads: a cost model,
as scipy's ``choose_conv_method`` has.

Every engine is a module of this package that is an `Engine` (the
Protocol below), registered by name in `REGISTRY`: adding one is its
module, one line there, and its constants in ``_costs.py``, which
``python benchmarks/fit_cost.py`` fits and writes whole (non-negative
least squares on relative error, to times of each engine called
directly, float32). They compare engines; they do not promise absolute
times. The engines of this install are found once, when the package
loads (`ENGINES`).
"""

import functools
import math
from typing import Protocol

from . import _cpus, c_engine, cv2_engine, fft_engine, numpy_engine
from ._costs import COSTS


class Engine(Protocol):
    """What each engine module of `REGISTRY` provides."""

    #: ``'direct'`` (it sums every product) or ``'fft'``, as
    #: ``scipy.signal.correlate``'s `method` names them.
    METHOD: str

    def available(self):
        """Tell whether it can run here."""

    def features(self, X_shape, K_shape, threads):
        """Return numbers whose sum, weighted by its constants in
        `COSTS`, models its seconds on these shapes and `threads`
        threads (linear in the threads and in their inverse); None where
        it does not take these shapes."""

    def accepts(self, X, K, integer=False):
        """Tell whether it computes NumPy `X` and `K` as `corr2d_fast`
        promises (NaN and inf; integers, where `integer`)."""

    def correlate_valid(self, X, K, out=None, threads=None,
                        integer=False):
        """Return the valid cross-correlation of NumPy arrays of one
        dtype, float32 or float64, into `out` if given."""


#: Every engine, by its name in `COSTS`, in the order of preference where
#: estimates tie: the one place an engine is registered.
REGISTRY: dict[str, Engine] = {
    'c': c_engine,
    'cv2': cv2_engine,
    'fft': fft_engine,
    'numpy': numpy_engine,
}

#: The values of `corr2d_fast`'s `method`, as ``scipy.signal.correlate``
#: takes them.
METHODS = ('auto', 'direct', 'fft')

_unfitted = REGISTRY.keys() - COSTS.keys()
if _unfitted:
    raise ImportError(f'corr2d_fast: no constants for the engines '
                      f'{sorted(_unfitted)}: run benchmarks/fit_cost.py')


def importable():
    """Return the names of the engines that can run here, in the order
    of `REGISTRY`.

    Examples
    --------
    >>> importable()[-1]
    'numpy'
    """
    return tuple(key for key, engine in REGISTRY.items()
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
    features = REGISTRY[engine].features
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
    return order(X_shape, K_shape, method)[0][0]


def order(X_shape, K_shape, method='auto'):
    """Return ``((name, threads), ...)``: `ranked` for `ENGINES`, the
    threads `corr2d_fast` may use and `COSTS` as they are now.

    Examples
    --------
    >>> sorted(name for name, threads in order((64, 64), (3, 3)))[-1]
    'numpy'
    """
    return ranked(X_shape, K_shape, method, ENGINES,
                  _cpus.get_num_threads(), _version())


_SEEN = [None, 0]  # a copy of the COSTS last seen, and its version


def _version():
    """Return a number that changes whenever `COSTS` does (a refit, a
    test): `ranked`'s key for it (comparing is a tenth of the time of
    hashing its numbers)."""
    if COSTS != _SEEN[0]:
        _SEEN[:] = dict(COSTS), _SEEN[1] + 1
    return _SEEN[1]


@functools.lru_cache(maxsize=1024)
def ranked(X_shape, K_shape, method, engines, most, version):
    """Return ``((name, threads), ...)``: the engines of `engines` that
    take these shapes, on at most `most` threads, the least modelled
    time first; for `method` ``'direct'`` only the direct ones, for
    ``'fft'`` the FFT ones first. Remembered: the model costs a tenth of
    a small call, and its answer for these arguments (`version` tells
    `COSTS` apart, as `_version` gives it) never changes."""
    rows = []
    for position, key in enumerate(engines):
        engine = REGISTRY[key]
        if method == 'direct' and engine.METHOD != 'direct':
            continue
        planned = plan(key, X_shape, K_shape, most)
        if planned is not None:
            later = method == 'fft' and engine.METHOD != 'fft'
            rows.append((later, planned[1], position, key, planned[0]))
    rows.sort(key=lambda row: row[:3])
    return tuple((key, threads) for *_, key, threads in rows)


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
    for key, threads in order(X.shape, K.shape, method):
        engine = REGISTRY[key]
        if engine.accepts(X, K, integer):
            return engine.correlate_valid(X, K, out=out, threads=threads,
                                          integer=integer)
    raise AssertionError(f'no engine of {ENGINES} took this input')
