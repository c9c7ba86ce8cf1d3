"""Which engine `corr2d_fast` runs, on how many threads: a cost model, as
scipy's ``choose_conv_method``. Each engine is a module that is an `Engine`,
registered in `REGISTRY`, ranked by its `features` weighted by its `COSTS`
(written by ``python benchmarks/fit_cost.py``)."""

import functools
import math
from typing import Protocol

from . import _cpus, c_engine, cv2_engine, fft_engine, numpy_engine
from ._costs import COSTS


class Engine(Protocol):
    """What each engine of `REGISTRY` provides (none checks its input:
    `corr2d_fast` does)."""

    METHOD: str  #: ``'direct'`` (it sums every product) or ``'fft'``

    def available(self):
        """Tell whether it can run here."""

    def accepts(self, X, K, integer=False):
        """Tell whether it computes NumPy `X` and `K` as promised (NaN
        and inf; integers, where `integer`)."""

    def features(self, X_shape, K_shape, threads):
        """Return the numbers `COSTS` weighs into its seconds on `threads`
        threads, or None for shapes it does not take."""

    def correlate_valid(self, X, K, out=None, threads=None,
                        integer=False):
        """Return the valid 2-D cross-correlation of NumPy `X` (float32 or
        float64) and `K` (cast to its dtype), of any strides, in `out`
        (checked: a writable C-contiguous NumPy array of the output's shape
        and dtype) or a new array, on up to `threads` threads (default
        `get_num_threads`); `integer`: both hold integers."""


#: Every engine, in the order of preference where estimates tie.
REGISTRY: dict[str, Engine] = {
    'c': c_engine,
    'cv2': cv2_engine,
    'fft': fft_engine,
    'numpy': numpy_engine,
}

#: `corr2d_fast`'s `method`s, as ``scipy.signal.correlate``'s.
METHODS = ('auto', 'direct', 'fft')

if REGISTRY.keys() - COSTS.keys():
    raise ImportError('corr2d_fast: an engine without constants: run '
                      'benchmarks/fit_cost.py')


def importable():
    """Return the names of the engines that can run here."""
    return tuple(key for key, engine in REGISTRY.items()
                 if engine.available())


#: The engines of this install, found once, as the package loads.
ENGINES = importable()
_cpus.usable_cpus()  # read from the cgroup's files now, not in a call


def plan(engine, X_shape, K_shape, most=None):
    """Return ``(threads, seconds)``: the fewest threads, at most `most`
    (default `get_num_threads`), of least modelled time for `engine` on
    these shapes, and that time; None where it does not take them. The
    time, taken as ``a + b t + c / t`` (fitted to 1, 2 and 4 threads), is
    least near ``sqrt(c / b)``; where the features do not change with the
    threads, `most`.

    Examples
    --------
    >>> plan('c', (64, 64), (3, 3), 16)[0]
    1
    >>> plan('numpy', (64, 64), (3, 3), 16)[0]
    16
    """
    features, costs = REGISTRY[engine].features, COSTS[engine]
    most = _cpus.get_num_threads() if most is None else most

    def seconds(threads):
        return sum(c * f for c, f in zip(
            costs, features(X_shape, K_shape, threads), strict=True))

    one = features(X_shape, K_shape, 1)
    if one is None:
        return None
    if one == features(X_shape, K_shape, most):
        return most, seconds(most)
    s1, s2, s4 = seconds(1), seconds(2), seconds(4)
    c = 4 * (s4 - 3 * s2 + 2 * s1) / 3
    b = s2 - s1 + c / 2
    best = min(most, math.sqrt(c / b) if b > 0 and c > 0 else most)
    counts = {1, 2, 4, most, math.floor(best), math.ceil(best)}
    return min((seconds(t), t) for t in counts if 1 <= t <= most)[::-1]


def estimate(engine, X_shape, K_shape):
    """Return `plan`'s seconds, inf where `engine` takes no such shapes."""
    planned = plan(engine, X_shape, K_shape)
    return math.inf if planned is None else planned[1]


def choose_engine(X_shape, K_shape, method='auto'):
    """Return the name of the engine `correlate` tries first."""
    return order(X_shape, K_shape, method)[0][0]


def order(X_shape, K_shape, method='auto'):
    """Return `ranked` for `ENGINES`, `get_num_threads` and `COSTS` now."""
    return ranked(X_shape, K_shape, method, ENGINES,
                  _cpus.get_num_threads(), _version())


_SEEN = [None, 0]  # the COSTS last seen, and their version


def _version():
    """Return a number that changes whenever `COSTS` does."""
    if COSTS != _SEEN[0]:
        _SEEN[:] = dict(COSTS), _SEEN[1] + 1
    return _SEEN[1]


@functools.lru_cache(maxsize=1024)
def ranked(X_shape, K_shape, method, engines, most, version):
    """Return ``((name, threads), ...)``: the engines of `engines` that
    take these shapes, on `plan`'s threads (at most `most`), least modelled
    time first; for `method` ``'direct'`` the direct ones only, for
    ``'fft'`` the FFT first. `version` tells `COSTS` apart."""
    rows = []
    for position, key in enumerate(engines):
        fft = REGISTRY[key].METHOD == 'fft'
        planned = None if method == 'direct' and fft else plan(
            key, X_shape, K_shape, most)
        if planned is not None:
            rows.append((method == 'fft' and not fft, planned[1], position,
                         key, planned[0]))
    return tuple((key, threads) for *_, key, threads in sorted(rows))


def correlate(X, K, out=None, integer=False, method='auto'):
    """Return `Engine.correlate_valid` of `X` and `K` (of one dtype) by
    the first engine of `order` that `accepts` them.

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
