"""`corr2d_fast` against the oracles: scipy forward, ``nn.Conv2D`` grads.

Speed is not tested here; `benchmarks/bench_corr2d.py` measures it.
"""

import numpy as onp
import pytest
from conftest import (
    BAD_INPUTS,
    check_corr2d,
    corr2d_shapes,
    random_pair,
)
from hypothesis import given
from hypothesis import strategies as st
from mxnet import autograd, np

from d2l_conv import corr2d, corr2d_fast
from d2l_conv.fast import numpy_engine


@given(shapes=corr2d_shapes(), seed=st.integers(0, 2**16))
def test_matches_oracles(shapes, seed):
    check_corr2d(corr2d_fast, *random_pair(shapes, seed), grad=True)


@pytest.mark.parametrize('shapes', [
    ((1, 1), (1, 1)),
    ((1, 9), (1, 4)),
    ((9, 1), (4, 1)),
    ((1, 9), (1, 9)),
    ((9, 1), (9, 1)),
    ((6, 8), (6, 8)),
    ((6, 8), (1, 1)),
    ((5, 7), (5, 1)),
    ((5, 7), (1, 7)),
], ids=str)
def test_edge_shapes(shapes):
    check_corr2d(corr2d_fast, *random_pair(shapes, 0), grad=True)


@pytest.mark.parametrize('X, K, error, pattern', BAD_INPUTS)
def test_bad_inputs(X, K, error, pattern):
    with pytest.raises(error, match=pattern.format(name='corr2d_fast')):
        corr2d_fast(X, K)


def test_book_example_matches_corr2d():
    X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = np.array([[0, 1], [2, 3]])
    Y = corr2d_fast(X, K)
    assert Y.dtype == onp.float32
    onp.testing.assert_array_equal(Y.asnumpy(), corr2d(X, K).asnumpy())


@pytest.mark.parametrize('shapes', [
    ((600, 500), (3, 3)),  # 600 * 500 > BLOCK: several default blocks
    ((301, 257), (5, 2)),
], ids=str)
def test_larger_than_a_block(shapes):
    """The default block and thread split, on heights that do not divide."""
    X, K = random_pair(shapes, 1)
    assert X.size > numpy_engine.BLOCK or X.shape[0] % 2
    check_corr2d(corr2d_fast, X, K, atol=1e-3)


@given(shapes=corr2d_shapes(max_side=40), seed=st.integers(0, 2**16),
       rows=st.integers(1, 9), threads=st.integers(1, 3))
def test_block_and_thread_seams(shapes, seed, rows, threads):
    """Any rows per block and any thread count give the same output."""
    from scipy.signal import correlate2d
    X, K = random_pair(shapes, seed)
    Y = numpy_engine.correlate_valid(X, K, block=rows * X.shape[1],
                             threads=threads)
    onp.testing.assert_allclose(Y, correlate2d(X, K, mode='valid'),
                                atol=1e-4, rtol=1e-4)
    assert Y.flags.c_contiguous


def test_threads_are_bitwise_equal_to_one_thread():
    X, K = random_pair(((257, 130), (3, 4)), 2)
    one = numpy_engine.correlate_valid(X, K, block=1000, threads=1)
    two = numpy_engine.correlate_valid(X, K, block=1000, threads=2)
    onp.testing.assert_array_equal(one, two)


def test_small_blocks_through_corr2d_fast(monkeypatch):
    """`corr2d_fast` itself across many blocks on two threads."""
    monkeypatch.setattr(numpy_engine, 'BLOCK', 50)
    monkeypatch.setattr(numpy_engine._threads, 'cores', lambda: 2)
    check_corr2d(corr2d_fast, *random_pair(((47, 23), (4, 3)), 3))


@pytest.mark.parametrize('X_dtype, K_dtype, expected', [
    ('float32', 'float32', 'float32'),
    ('float64', 'float32', 'float64'),
    ('float32', 'float64', 'float64'),
    ('float16', 'float16', 'float32'),
    ('int32', 'int32', 'float32'),
    ('uint8', 'int8', 'float32'),
    ('int64', 'float64', 'float64'),
])
def test_dtypes(X_dtype, K_dtype, expected):
    from scipy.signal import correlate2d
    rng = onp.random.default_rng(4)
    X = rng.integers(0, 100, (9, 11)).astype(X_dtype)
    K = rng.integers(-3, 4, (3, 2)).astype(K_dtype)
    want = correlate2d(X.astype('float64'), K.astype('float64'), 'valid')
    Y = corr2d_fast(np.array(X, dtype=X_dtype), np.array(K, dtype=K_dtype))
    assert isinstance(Y, np.ndarray)
    assert Y.dtype == onp.dtype(expected)
    onp.testing.assert_array_equal(Y.asnumpy(), want)  # small integers
    with autograd.record():  # the autograd path gives the same dtype
        Z = corr2d_fast(np.array(X, dtype=X_dtype),
                        np.array(K, dtype=K_dtype))
    assert Z.dtype == onp.dtype(expected)
    onp.testing.assert_array_equal(Z.asnumpy(), want)


def test_float64_keeps_its_precision():
    from scipy.signal import correlate2d
    X, K = (a.astype('float64') for a in random_pair(((30, 20), (3, 3)), 5))
    Y = corr2d_fast(np.array(X, dtype='float64'), np.array(K, dtype='float64'))
    onp.testing.assert_allclose(Y.asnumpy(), correlate2d(X, K, 'valid'),
                                rtol=1e-12, atol=1e-12)


def test_float64_gradients():
    from scipy.signal import correlate2d
    X, K = (a.astype('float64') for a in random_pair(((8, 7), (3, 2)), 6))
    x, k = np.array(X, dtype='float64'), np.array(K, dtype='float64')
    x.attach_grad()
    k.attach_grad()
    with autograd.record():
        Y = corr2d_fast(x, k)
    Y.backward()  # dY = 1: dK[a, b] sums the window it multiplies
    onp.testing.assert_allclose(
        k.grad.asnumpy(), correlate2d(X, onp.ones(Y.shape), 'valid'))
    onp.testing.assert_allclose(
        x.grad.asnumpy(), correlate2d(onp.ones(Y.shape), K[::-1, ::-1]))


def test_accepts_lists_and_numpy_and_keeps_inputs():
    X = onp.arange(12, dtype='float32').reshape(3, 4)
    x = np.array(X)
    Y = corr2d_fast(x, [[1, -1]])
    onp.testing.assert_array_equal(Y.asnumpy(), -onp.ones((3, 3)))
    onp.testing.assert_array_equal(corr2d_fast(X, [[1, -1]]).asnumpy(),
                                   Y.asnumpy())
    onp.testing.assert_array_equal(x.asnumpy(), X)


def test_fast_and_autograd_paths_agree():
    X, K = random_pair(((64, 50), (5, 3)), 7)
    fast_Y = corr2d_fast(np.array(X), np.array(K))
    with autograd.record():
        graph_Y = corr2d_fast(np.array(X), np.array(K))
    onp.testing.assert_allclose(fast_Y.asnumpy(), graph_Y.asnumpy(),
                                atol=1e-5, rtol=1e-5)


def test_waits_for_pending_writes_and_output_is_usable():
    from scipy.signal import correlate2d
    X, K = random_pair(((70, 90), (3, 3)), 8)
    x = np.array(X)
    x += 1  # asynchronous in MXNet: corr2d_fast must see it
    Y = corr2d_fast(x, np.array(K))
    want = correlate2d(X + 1, K, 'valid')
    onp.testing.assert_allclose(Y.asnumpy(), want, atol=1e-4, rtol=1e-4)
    Y += 1  # the output is an ordinary MXNet array, writable in place
    onp.testing.assert_allclose((Y * 2).asnumpy(), 2 * (want + 1),
                                atol=1e-3, rtol=1e-4)
    onp.testing.assert_array_equal(x.asnumpy(), X + 1)


def test_copies_when_dlpack_is_unavailable(monkeypatch):
    X, K = random_pair(((20, 30), (2, 3)), 9)
    x = np.array(X)
    monkeypatch.setattr(type(x), 'to_dlpack_for_read', None, raising=False)
    check_corr2d(corr2d_fast, X, K)


MXNET_SHAPES_REFUSED = [
    (((2, 2), (1, 3)), 'kernel K of shape \\(1, 3\\) does not fit'),
    (((2, 2), (3, 1)), 'kernel K of shape \\(3, 1\\) does not fit'),
    (((3,), (1, 1)), 'X must be a 2-D array, got shape \\(3,\\)'),
    (((2, 2), (1,)), 'K must be a 2-D array, got shape \\(1,\\)'),
    (((2, 3, 4), (1, 1)), 'X must be a 2-D array'),
    (((0, 3), (1, 1)), 'X must not be empty, got shape \\(0, 3\\)'),
    (((1, 2), (1, 0)), 'K must not be empty, got shape \\(1, 0\\)'),
]


@pytest.mark.parametrize('shapes, pattern', MXNET_SHAPES_REFUSED)
def test_mxnet_float32_input_gets_the_same_checks(shapes, pattern):
    """MXNet float32 arrays, which skip the conversions, are still
    refused with corr2d_fast's own message."""
    X, K = (np.ones(s, dtype='float32') for s in shapes)
    with pytest.raises(ValueError, match='corr2d_fast: ' + pattern):
        corr2d_fast(X, K)


@pytest.mark.parametrize('X_dtype, K_dtype, expected', [
    ('float32', 'float64', 'float64'), ('float64', 'float32', 'float64'),
    ('float16', 'float16', 'float32'), ('int32', 'float32', 'float32'),
    ('float64', 'float64', 'float64')])
def test_mxnet_dtypes_follow_the_policy(X_dtype, K_dtype, expected):
    X, K = random_pair(((9, 8), (3, 2)), 7)
    Y = corr2d_fast(np.array(X, dtype=X_dtype), np.array(K, dtype=K_dtype))
    assert Y.dtype == onp.dtype(expected)
    from scipy.signal import correlate2d
    want = correlate2d(X.astype(X_dtype).astype('float64'),
                       K.astype(K_dtype).astype('float64'), 'valid')
    onp.testing.assert_allclose(Y.asnumpy(), want, rtol=1e-2, atol=1e-2)


def test_the_result_is_mxnet_s_own_and_writable():
    """The result owns its memory: writing to it leaves X alone, and a
    second call does not reuse it."""
    X, K = (np.array(a) for a in random_pair(((30, 20), (3, 3)), 8))
    first = corr2d_fast(X, K)
    kept = first.asnumpy().copy()
    first[:] = 7
    second = corr2d_fast(X, K)
    onp.testing.assert_array_equal(second.asnumpy(), kept)
    assert (first.asnumpy() == 7).all()


def anon_huge_kib(address):
    """Return AnonHugePages (KiB) of this process's mapping at `address`."""
    found = None
    with open('/proc/self/smaps') as smaps:
        for line in smaps:
            head = line.split()[0]
            if '-' in head and ':' not in head:
                start, stop = (int(a, 16) for a in head.split('-'))
                found = start <= address < stop
            elif found and head == 'AnonHugePages:':
                return int(line.split()[1])
    return None


@pytest.mark.parametrize('threads', [1, 2])  # C at once, or by choose
def test_a_large_result_asks_for_huge_pages(monkeypatch, threads):
    """MXNet's allocator does not, as NumPy does for arrays of 4 MiB and
    more: without them a 4096² result took 16384 page faults a call."""
    import pathlib
    thp = pathlib.Path('/sys/kernel/mm/transparent_hugepage/enabled')
    if not thp.exists() or '[madvise]' not in thp.read_text():
        pytest.skip('transparent huge pages are not madvise-only here')
    from d2l_conv.fast import _cpus
    from d2l_conv.fast._memory import host_view
    monkeypatch.setattr(_cpus, 'get_num_threads', lambda: threads)
    X = np.ones((2050, 2050))
    Y = corr2d_fast(X, np.ones((3, 3)))  # 16 MiB
    middle = host_view(Y)[1024].ctypes.data  # the ends share pages
    assert anon_huge_kib(middle) > 0
    assert anon_huge_kib(host_view(X)[1024].ctypes.data) == 0


def test_integer_sums_below_2_24_are_exact_on_the_fft_engine():
    """A uint8 image and an int16 kernel whose every window sums to less
    than ``2**24`` (exact in float32), large enough for the FFT engine:
    every output equals scipy's integer correlation."""
    from scipy.signal import correlate

    from d2l_conv.fast import choose
    rng = onp.random.default_rng(16)
    X = rng.integers(0, 256, (1024, 1024), dtype='uint8')
    K = rng.integers(-64, 65, (31, 31), dtype='int16')  # 255*961*64 < 2**24
    assert choose.REGISTRY['fft'].accepts(X, K, integer=True)
    want = correlate(X.astype('int64'), K.astype('int64'), 'valid')
    assert onp.abs(want).max() < 2**24
    for x, k in ((X, K), (np.array(X), np.array(K.astype('int32')))):
        Y = corr2d_fast(x, k, method='fft')
        assert Y.dtype == onp.float32
        onp.testing.assert_array_equal(Y.asnumpy(), want)


@pytest.mark.parametrize('X_bool, K_bool', [(True, True), (True, False),
                                            (False, True)])
def test_a_bool_mxnet_array_gets_a_type_error(X_bool, K_bool):
    X = np.ones((4, 4), dtype='bool' if X_bool else 'float32')
    K = np.ones((2, 2), dtype='bool' if K_bool else 'float32')
    name = 'X' if X_bool else 'K'
    with pytest.raises(TypeError, match=f'corr2d_fast: {name} must be '):
        corr2d_fast(X, K)


def test_numpy_input_makes_no_round_trip_through_mxnet(monkeypatch):
    """NumPy input is checked and computed as it is: never copied into
    MXNet (``_sync_copyfrom``, 0.4 ms a call); the result is still an
    ``mxnet.np.ndarray`` on the current (CPU) context."""
    import mxnet as mx
    from scipy.signal import correlate2d
    X, K = random_pair(((40, 50), (3, 3)), 11)
    monkeypatch.setattr(mx.nd.NDArray, '_sync_copyfrom', None)
    for x, k in ((X, K), (X.astype('uint8'), K.astype('int16')),
                 (X.astype('float64'), K), (X[::2, ::-1], K.T)):
        Y = corr2d_fast(x, k)
        assert isinstance(Y, np.ndarray) and Y.ctx == mx.cpu()
        want = correlate2d(onp.asarray(x, 'float64'),
                           onp.asarray(k, 'float64'), 'valid')
        onp.testing.assert_allclose(Y.asnumpy(), want, atol=1e-4, rtol=1e-4)


def test_a_second_call_sees_writes_to_the_same_mxnet_array():
    """Each call waits for MXNet's pending writes to its input."""
    from scipy.signal import correlate2d
    X, K = random_pair(((300, 400), (9, 9)), 12)  # past the small call
    x, k = np.array(X), np.array(K)
    corr2d_fast(x, k)
    x += 1  # asynchronous, into the same memory
    k[0, 0] = 5
    K[0, 0] = 5
    Y = corr2d_fast(x, k)
    onp.testing.assert_allclose(Y.asnumpy(), correlate2d(X + 1, K, 'valid'),
                                atol=1e-3, rtol=1e-4)


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('kernel', [(3, 3), (5, 4), (1, 7), (7, 1)])
def test_opencv_writes_a_large_output_in_place_without_c(
        monkeypatch, without_c, dtype, kernel):
    """Without C, OpenCV writes the output in place (its edges filtered
    again), from NumPy, ``mxnet.np`` and into `out`."""
    pytest.importorskip('cv2')
    from conftest import scipy_valid

    from d2l_conv.fast import choose
    X, K = (a.astype(dtype) for a in random_pair(((530, 610), kernel), 5))
    monkeypatch.setitem(choose.COSTS, 'cv2', (0.0,) * 4)  # first
    assert choose.choose_engine(X.shape, K.shape) == 'cv2'
    expected = scipy_valid(X, K)
    tol = {'rtol': 1e-5, 'atol': 1e-4} if dtype == 'float32' else {}
    out = np.full(expected.shape, onp.nan, dtype=dtype)
    for Y in (corr2d_fast(X, K), corr2d_fast(np.array(X), np.array(K)),
              corr2d_fast(X, K, out=out)):
        assert Y.dtype == dtype
        onp.testing.assert_allclose(Y.asnumpy(), expected, **tol)


def test_a_view_of_an_mxnet_array_is_made_once_and_forgotten_with_it():
    """`_memory.host_view` remembers a read-only view while its array
    lives: the same view again, holding MXNet's later writes, and none
    kept after the array dies."""
    from d2l_conv.fast import _memory
    before = len(_memory._VIEWS)
    A = np.ones((3, 4))
    view = _memory.host_view(A)
    assert _memory.host_view(A) is view and not view.flags.writeable
    A += 1  # asynchronous, into the same memory
    onp.testing.assert_array_equal(_memory.host_view(A), 2)
    assert _memory.host_view(A, writable=True) is not view
    assert len(_memory._VIEWS) == before + 1
    del A, view
    for _ in range(50):
        corr2d_fast(np.ones((5, 5)), np.ones((2, 2)))
    assert len(_memory._VIEWS) == before


def test_numpy_input_under_autograd_is_computed_on_the_host(monkeypatch):
    """No gradient can reach NumPy's arrays: under ``autograd.record()``
    they take the engines, not ``npx.convolution``; the result is the
    same MXNet array."""
    from d2l_conv import fast
    monkeypatch.setattr(fast.npx, 'convolution', None)  # fails if called
    X, K = random_pair(((30, 20), (3, 3)), 13)
    with autograd.record():
        Y = corr2d_fast(X, K)
    assert isinstance(Y, np.ndarray)
    from conftest import scipy_valid
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), atol=1e-4)


@pytest.mark.parametrize('which', ['X', 'K'])
def test_one_mxnet_argument_under_autograd_gets_its_gradient(which):
    """Either argument an ``mxnet.np`` array with a gradient attached,
    the other NumPy's: the gradient reaches it."""
    from scipy.signal import correlate2d
    X, K = random_pair(((9, 8), (3, 2)), 14)
    args = {'X': X, 'K': K}
    args[which] = np.array(args[which])
    args[which].attach_grad()
    with autograd.record():
        Y = corr2d_fast(args['X'], args['K'])
    Y.backward()
    want = (correlate2d(X, onp.ones(Y.shape), 'valid') if which == 'K'
            else correlate2d(onp.ones(Y.shape), K[::-1, ::-1]))
    onp.testing.assert_allclose(args[which].grad.asnumpy(), want,
                                rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('kind', ['numpy', 'mxnet'])
def test_the_result_is_on_the_context_of_X_or_the_current_one(kind):
    import mxnet as mx
    X, K = random_pair(((20, 30), (3, 3)), 15)
    with mx.cpu(1):  # the current context
        for _ in range(2):  # the second time, X's view is remembered
            Y = corr2d_fast(np.array(X) if kind == 'mxnet' else X, K)
            assert Y.ctx == mx.cpu(1)
    x = np.array(X, ctx=mx.cpu(2))
    for _ in range(2):
        assert corr2d_fast(x, K).ctx == mx.cpu(2)
