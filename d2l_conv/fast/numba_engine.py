"""The compiled direct engine: numba, one pass over `X`, rows on all cores.

The NumPy engine makes two passes over memory per kernel tap; this one
sums each output row in L1 and reads `X` from memory about once, which
is what comes near the memory-traffic bound on small kernels.

Nothing is imported or compiled until `start` is called (`corr2d_fast`
calls it the first time the cost model would pick this engine). The
kernel is then compiled, or loaded from numba's on-disk cache, in a
background thread while the other engines serve calls, so no call waits
for a compile (about 5 s per dtype, on a busy 2-core machine; loading
it from the cache took about 1 s in a fresh process, importing numba
included). The cache (``cache=True``) is written
where numba puts it: ``__pycache__`` beside `_numba_kernels` where the
install is writable, else numba's user-wide cache directory
(``~/.cache/numba`` on Linux), or ``$NUMBA_CACHE_DIR`` if that is set.
"""

import functools
import importlib.util
import sys
import threading

import numpy as onp

from . import _threads

_LOCK = threading.Lock()
_DONE = {}  # dtype name -> threading.Event, set when loaded or failed
_READY = set()  # dtype names whose kernel is compiled and loaded
_FAILED = {}  # dtype name -> why it could not be loaded
_KERNELS = {}  # dtype name -> the compiled kernel's entry point


@functools.cache
def available():
    """Tell whether numba is installed (without importing it).

    Asked once: a search of ``sys.path`` costs about 0.15 ms, as much as
    a small `corr2d_fast` call.
    """
    return importlib.util.find_spec('numba') is not None


def ready(dtype):
    """Tell whether the kernel for `dtype` is loaded and may be called."""
    return _name(dtype) in _READY


@functools.lru_cache(maxsize=64)
def _name(dtype):
    """Return the name of `dtype`: ``dtype.name`` runs Python code, 1 us."""
    return onp.dtype(dtype).name


def start(dtype='float32'):
    """Start loading the kernel for `dtype` in a background thread.

    Returns at once; does nothing if it is loading, loaded or failed.
    """
    name = onp.dtype(dtype).name
    with _LOCK:
        if name in _DONE:
            return _DONE[name]
        done = _DONE[name] = threading.Event()
    threading.Thread(target=_load, args=(name, done), daemon=True,
                     name=f'corr2d-numba-{name}').start()
    return done


def _load(name, done):
    """Compile (or load from the cache) the kernel for dtype `name`."""
    _switch_often(True)
    try:
        if not available():
            raise ImportError('numba is not installed')
        from . import _numba_kernels as kernels
        signature = kernels.signature(name)
        kernels.correlate_rows.compile(signature)
        # its compiled entry point: the dispatcher's type matching and
        # this module's checks cost 12 us of a 16 us call at 28 x 28
        _KERNELS[name] = kernels.correlate_rows.overloads[
            signature.args].entry_point
        _READY.add(name)
    except Exception as err:  # an engine that cannot load is not used
        _FAILED[name] = f'{type(err).__name__}: {err}'
    finally:
        _switch_often(False)
        done.set()


#: CPython's switch interval (s) while a kernel loads. Importing numba
#: and compiling hold the GIL for long stretches; at the default 5 ms a
#: call that released the GIL waited up to that long to get it back,
#: each time: a 1024²·3x3 call that releases it a few times took 30 to
#: 360 ms while numba loaded, against 1 to 11 ms otherwise.
LOADING_SWITCH_INTERVAL = 1e-4

_SWITCH = [0, None, None]  # [loaders running, interval before, set]


def _switch_often(starting):
    """Lower the switch interval while any loader runs; then restore it
    (unless someone else changed it meanwhile)."""
    with _LOCK:
        if starting:
            _SWITCH[0] += 1
            if _SWITCH[0] == 1:
                _SWITCH[1] = sys.getswitchinterval()
                sys.setswitchinterval(min(_SWITCH[1],
                                          LOADING_SWITCH_INTERVAL))
                _SWITCH[2] = sys.getswitchinterval()  # as CPython keeps it
            return
        _SWITCH[0] -= 1
        if _SWITCH[0] == 0 and sys.getswitchinterval() == _SWITCH[2]:
            sys.setswitchinterval(_SWITCH[1])


def load(dtype):
    """Load the kernel for `dtype`, waiting if need be; tell if it works."""
    start(dtype).wait()
    return ready(dtype)


def _after_fork_in_child():
    """Give up numba in a child forked mid-compile; keep loaded kernels.

    The compiling thread does not exist in the child and may have held
    numba's compiler lock, so compiling there could wait forever; the
    other engines serve the child instead.
    """
    if all(done.is_set() for done in _DONE.values()):
        return
    for name in ('float32', 'float64'):
        _FAILED.setdefault(name, 'forked while compiling')
        _DONE.setdefault(name, threading.Event()).set()


_threads.AFTER_FORK.append(_after_fork_in_child)


def correlate_valid(X, K, threads=None, out=None):
    """Valid 2-D cross-correlation of NumPy arrays, compiled by numba.

    An engine of `corr2d_fast`. Loads the kernel first if need be (this
    call then waits for the compile). NaN and inf propagate as in
    scipy's direct sum: every product is computed. The output's rows are
    shared among `threads` threads (`_threads.share_rows`); calls too
    small to pay for the hand-over (`_threads.SERIAL_WORK`) run on this
    thread alone. Safe to call from many threads at once.

    `X`, `K`, `out` and the result are as for
    `numpy_engine.correlate_valid`; `threads` defaults to the cores
    available. Raises `RuntimeError` if numba is missing or cannot
    compile, and as `numpy_engine.correlate_valid` for a wrong `out`.

    Examples
    --------
    >>> import numpy as onp
    >>> correlate_valid(onp.array([[1., 2., 4.]]), onp.array([[1., -1.]]))
    array([[-1., -2.]])
    """
    name = onp.asarray(X).dtype.name
    kernel = _KERNELS.get(name)
    if kernel is None:
        if not load(name):
            raise RuntimeError('corr2d_fast: the numba engine is '
                               f'unavailable ({_FAILED.get(name)})')
        kernel = _KERNELS[name]
    return _threads.share_rows(kernel, X, K, out, threads)
