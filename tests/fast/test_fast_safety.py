"""What `corr2d_fast` promises under hostile input and interrupts.

Threads never outlive a call (KeyboardInterrupt included); the FFT takes
only what it computes within its error; `set_num_threads` holds on the
next call; integer sums below ``2**24`` are exact on every engine;
unaligned arrays are computed.
"""

import contextlib
import signal
import threading
import warnings
from unittest import mock

import numpy as onp
import pytest
from mxnet import np

from d2l_conv import corr2d_fast
from d2l_conv.fast import _threads, c_engine, choose, set_num_threads


@contextlib.contextmanager
def interrupt_main(after, release):
    """Send SIGINT to the main thread once every event of `after` is set,
    as Ctrl-C would; set `release` once its KeyboardInterrupt was raised,
    and on leaving, which also puts the old handler back.

    The signal is sent again until the handler has run: one that lands
    while the main thread has let go of the GIL but not yet begun to
    wait for a lock (which the sending thread, waking on that very GIL,
    hits often) interrupts nothing, and runs only once the lock is taken.
    The handler raises once.
    """
    main = threading.main_thread()
    interrupted = threading.Event()

    def kill():
        for event in after:
            event.wait(10)
        for _ in range(1000):  # 10 s at most
            signal.pthread_kill(main.ident, signal.SIGINT)
            if interrupted.wait(0.01):
                break
        release.set()

    def handler(signum, frame):
        if not interrupted.is_set():
            interrupted.set()
            raise KeyboardInterrupt

    killer = threading.Thread(target=kill)
    previous = signal.signal(signal.SIGINT, handler)
    killer.start()
    try:
        yield
    finally:
        release.set()
        killer.join()
        signal.signal(signal.SIGINT, previous)



def test_an_interrupt_while_waiting_leaves_no_helper_working():
    """A KeyboardInterrupt that lands while the caller waits for a helper
    is raised only once the helper has stopped."""
    main = threading.main_thread()
    if threading.current_thread() is not main:
        pytest.skip('signals reach the main thread only')
    taken, waiting, release = (threading.Event() for _ in range(3))
    finished = []

    def work(shared):
        if threading.current_thread() is main:
            taken.wait(10)  # the helper holds a piece
            for _ in shared:
                pass
            waiting.set()  # the caller goes on to wait for the helper
            return
        for piece in shared:
            taken.set()
            release.wait(10)
            finished.append(piece)

    with interrupt_main(after=(waiting,), release=release):
        with pytest.raises(KeyboardInterrupt):
            _threads.share(work, range(2), 2)
        done = list(finished)  # at once: before the helper could finish
    assert done, 'share raised while its helper still worked'


@pytest.mark.parametrize('method', ['auto', 'fft'])
@pytest.mark.parametrize('dtype, value', [('float32', 1e30),
                                          ('float64', 1e300)])
def test_no_overflow_where_a_direct_sum_has_none(method, dtype, value):
    pytest.importorskip('scipy')
    X = onp.full((300, 300), value, dtype)
    K = onp.ones((100, 100), dtype)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        Y = corr2d_fast(X, K, method=method).asnumpy()
    # a float32 direct sum of 10**4 terms is off by about 1e-4
    onp.testing.assert_allclose(Y, value * 1e4, rtol=1e-3)


def test_large_values_that_cancel_give_zero_not_nan():
    pytest.importorskip('scipy')
    X = onp.array([[3e37, -3e37] * 2] * 4, 'float32')
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        Y = corr2d_fast(X, onp.ones((2, 2), 'float32'), method='fft')
    onp.testing.assert_array_equal(Y.asnumpy(), 0)


@pytest.mark.parametrize('x, k', [(1e3, 1e-41), (1e-41, 1e3), (1e4, 1e-43)])
def test_subnormal_input_keeps_the_stated_error(x, k):
    pytest.importorskip('scipy')
    from scipy.signal import correlate2d
    rng = onp.random.default_rng(0)
    X = (rng.standard_normal((64, 64)) * x).astype('float32')
    K = (rng.standard_normal((9, 9)) * k).astype('float32')
    want = correlate2d(X.astype('float64'), K.astype('float64'), 'valid')
    error = {method: onp.abs(corr2d_fast(X, K, method=method).asnumpy()
                             - want).max() / onp.abs(want).max()
             for method in ('fft', 'direct')}
    # about 1e-7 of the largest output, or no worse than a direct sum
    assert error['fft'] <= max(1e-6, 1.5 * error['direct'])


def test_set_num_threads_holds_for_shapes_seen_before(monkeypatch):
    X = onp.ones((600, 600), 'float32')
    K = onp.ones((3, 3), 'float32')
    used, workers = [], set()
    for engine in choose.REGISTRY.values():
        real = engine.correlate_valid
        monkeypatch.setattr(engine, 'correlate_valid', lambda *a, f=real,
                            **k: used.append(k['threads']) or f(*a, **k))
    if c_engine.available():  # every C call, corr2d_fast's own included
        monkeypatch.setattr(c_engine, 'correlate', lambda *a, f=(
            c_engine.correlate): workers.add(threading.get_ident()) or f(*a))
    try:
        set_num_threads(2)
        corr2d_fast(X, K, method='direct')
        set_num_threads(1)
        used.clear()
        workers.clear()
        corr2d_fast(X, K, method='direct')
    finally:
        set_num_threads(None)
    assert used in ([1], []) and workers <= {threading.get_ident()}
    assert used or workers  # it was computed by one of the two


def test_choosing_costs_the_same_for_any_thread_count(monkeypatch):
    calls = []
    for engine in choose.REGISTRY.values():
        features = engine.features
        monkeypatch.setattr(engine, 'features', lambda *a, f=features:
                            calls.append(a) or f(*a))
    counts = []
    for most in (4, 10 ** 6):
        calls.clear()
        for name in choose.ENGINES:
            choose.plan(name, (4096, 4096), (5, 5), most)
        counts.append(len(calls))
    assert counts[1] <= counts[0] + 4 * len(choose.ENGINES)


def integer_cases():
    rng = onp.random.default_rng(1)
    big = rng.integers(-2 ** 23, 2 ** 23, (64, 64)).astype('int32')
    taps = rng.integers(-3, 4, (5, 5)).astype('int32')
    return [(onp.array([[9000001, 9000000, -9000000, -9000000]], 'int32'),
             onp.ones((1, 4), 'int32')),
            (big, taps)]


@pytest.mark.parametrize('method', ['auto', 'direct', 'fft'])
@pytest.mark.parametrize('case', range(2))
def test_integer_outputs_below_2_24_are_exact(method, case):
    if method == 'fft':
        pytest.importorskip('scipy')
    X, K = integer_cases()[case]
    from scipy.signal import correlate2d
    want = correlate2d(X.astype('int64'), K.astype('int64'), 'valid')
    for engine in choose.ENGINES:
        with forced(engine):
            Y = corr2d_fast(X, K, method=method).asnumpy()
            picked = choose.choose_engine(X.shape, K.shape, method)
        assert picked == engine or method != 'auto'
        assert Y.dtype == onp.float32
        small = onp.abs(want) < 2 ** 24
        assert small.any()
        onp.testing.assert_array_equal(Y[small], want[small], err_msg=engine)


def forced(engine):
    """Make the cost model put `engine` first."""
    costs = {**choose.COSTS, engine: (0.0,) * len(choose.COSTS[engine])}
    return mock.patch.object(choose, 'COSTS', costs)


def unaligned(shape, dtype='float32'):
    """Return a C-contiguous array of `shape` at an odd address."""
    dtype = onp.dtype(dtype)
    size = int(onp.prod(shape))
    buffer = bytearray(size * dtype.itemsize + 1)
    A = onp.frombuffer(buffer, dtype, size, 1).reshape(shape)
    assert not A.flags.aligned and A.flags.c_contiguous
    return A


@pytest.mark.parametrize('method', ['auto', 'direct', 'fft'])
def test_unaligned_arrays_are_computed(method):
    if method == 'fft':
        pytest.importorskip('scipy')
    X, K, out = unaligned((3, 3)), unaligned((2, 2)), unaligned((2, 2))
    X[...] = onp.arange(9).reshape(3, 3)
    K[...] = [[0, 1], [2, 3]]
    want = [[19, 25], [37, 43]]
    onp.testing.assert_array_equal(corr2d_fast(X, K, method=method).asnumpy(),
                                   want)
    assert corr2d_fast(X, K, out=out, method=method) is out
    onp.testing.assert_array_equal(out, want)


def test_a_bad_out_is_named_out():
    X = onp.ones((4, 4), 'float32')
    with pytest.raises(ValueError, match='corr2d_fast: out '):
        corr2d_fast(X, onp.ones((2, 2), 'float32'),
                    out=onp.ones((3, 3), 'float32')[:, ::-1])


def test_a_non_string_method_is_a_type_error():
    with pytest.raises(TypeError, match='corr2d_fast: method must be a str'):
        corr2d_fast(np.ones((2, 2)), np.ones((1, 1)),
                    method=onp.array(['fft', 'auto']))


def test_the_fft_without_scipy_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(choose, 'ENGINES', tuple(
        name for name in choose.ENGINES if name != 'fft'))
    with pytest.raises(ValueError, match='pip install scipy'):
        corr2d_fast(np.ones((2, 2)), np.ones((1, 1)), method='fft')


def resident_bytes():
    """Return the memory this process holds now (not its peak)."""
    import resource
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


@pytest.mark.skipif(not __import__('os').path.exists('/proc/self/statm'),
                    reason='needs /proc')
@pytest.mark.parametrize('kind', ['numpy', 'mxnet'])
def test_many_calls_leak_no_arrays(kind):
    """The memory held grows by less than a tenth of the outputs made."""
    X = onp.ones((66, 66), 'float32')
    X = np.array(X) if kind == 'mxnet' else X
    K = onp.ones((3, 3), 'float32')
    for _ in range(200):  # MXNet's pool and caches settle
        corr2d_fast(X, K)
    before = resident_bytes()
    for _ in range(2000):
        corr2d_fast(X, K)
    grown = resident_bytes() - before
    assert grown < 2000 * 64 * 64 * 4 / 10


def test_after_an_interrupt_nothing_writes_to_out(monkeypatch):
    """The issue's case: Ctrl-C while the FFT's tiles are shared among
    threads. Once `corr2d_fast` has raised, `out` stays as it is."""
    scipy_fft = pytest.importorskip('scipy.fft')
    main = threading.main_thread()
    if threading.current_thread() is not main:
        pytest.skip('signals reach the main thread only')
    held, rest, release = (threading.Event() for _ in range(3))
    irfft = scipy_fft.irfft

    def slow_in_helpers(*args, **kwargs):
        if threading.current_thread() is not main and not held.is_set():
            held.set()  # a helper holds a tile, unwritten
            release.wait(10)
        elif threading.current_thread() is main:
            held.wait(10)  # the helper takes a tile first
        return irfft(*args, **kwargs)

    class Watched:
        """The tiles, telling when the caller found none left."""

        def __init__(self, tiles):
            self.tiles = iter(tiles)

        def __iter__(self):
            return self

        def __next__(self):
            try:
                return next(self.tiles)
            except StopIteration:
                if threading.current_thread() is main:
                    rest.set()  # the caller waits for the helper next
                raise

    share = _threads.share
    monkeypatch.setattr(_threads, 'share', lambda work, tiles, threads:
                        share(work, Watched(tiles), threads))

    monkeypatch.setattr(scipy_fft, 'irfft', slow_in_helpers)
    rng = onp.random.default_rng(3)
    X = rng.standard_normal((900, 900)).astype('float32')
    K = rng.standard_normal((31, 31)).astype('float32')
    out = onp.zeros((870, 870), 'float32')
    set_num_threads(2)
    try:
        with interrupt_main(after=(held, rest), release=release):
            with pytest.raises(KeyboardInterrupt):
                corr2d_fast(X, K, out=out, method='fft')
            snapshot = out.copy()
    finally:
        set_num_threads(None)
    assert held.is_set()
    helpers, meeting = _helpers_idle()
    for task in helpers:
        _threads.helpers(1).put(task)
    meeting.wait()  # every helper is idle: none works on `out`
    onp.testing.assert_array_equal(out, snapshot)


def _helpers_idle():
    """Return tasks for every helper that end only once each helper
    holds one, and the caller's barrier of that meeting."""
    _threads.helpers(1)
    meeting = threading.Barrier(_threads._HELPERS[0] + 1, timeout=10)
    return [(meeting.wait, ())] * _threads._HELPERS[0], meeting
