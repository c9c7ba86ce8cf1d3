"""Each engine of `corr2d_fast`, called directly, against scipy.

The engines take NumPy arrays of one dtype (float32 or float64) and return
the valid cross-correlation; `corr2d_fast` picks one by `fast.choose`.
Non-finite values must land where scipy's float64 direct sum puts them.
"""

import numpy as onp
import pytest
from conftest import (
    assert_placed_like,
    corr2d_shapes,
    random_pair,
    scipy_valid,
)
from hypothesis import given
from hypothesis import strategies as st

from d2l_conv import fast
from d2l_conv.fast import numpy_engine

pytest.importorskip('scipy')
pytest.importorskip('cv2')
pytest.importorskip('d2l_conv.fast._direct')


def engines():
    """Return ``{name: correlate_valid}`` for every engine of this
    install (`choose.REGISTRY`)."""
    from d2l_conv.fast import choose
    return {name: choose.REGISTRY[name].correlate_valid
            for name in choose.ENGINES}


ENGINES = list(fast.choose.ENGINES)


def never_sent(name, K):
    """Tell whether `corr2d_fast` never sends a kernel like `K` to `name`:
    OpenCV filters kernels of `cv2_engine.DIRECT_TAPS` and more by DFT."""
    from d2l_conv.fast import cv2_engine
    return name.startswith('cv2') and K.size >= cv2_engine.DIRECT_TAPS


def check_engine(name, X, K, tol=1e-4):
    if never_sent(name, K):
        return
    Y = engines()[name](X, K)
    expected = scipy_valid(X, K)
    assert Y.shape == expected.shape
    assert Y.dtype == X.dtype
    assert Y.flags.c_contiguous
    onp.testing.assert_allclose(Y, expected, atol=atol(name, X, K, tol),
                                rtol=tol)


def atol(name, X, K, tol=1e-4):
    """The FFT's error is relative to the largest output, spread evenly."""
    if name == 'fft':
        return tol * (1 + onp.abs(X).sum() * onp.abs(K).max())
    return tol


@pytest.mark.parametrize('name', ENGINES)
@given(shapes=corr2d_shapes(), seed=st.integers(0, 2**16))
def test_random_shapes(name, shapes, seed):
    check_engine(name, *random_pair(shapes, seed))


EDGE_SHAPES = [
    ((1, 1), (1, 1)), ((1, 9), (1, 4)), ((9, 1), (4, 1)), ((1, 9), (1, 9)),
    ((9, 1), (9, 1)), ((6, 8), (6, 8)), ((6, 8), (1, 1)), ((5, 7), (5, 1)),
    ((5, 7), (1, 7)), ((40, 33), (7, 1)), ((33, 40), (1, 2)),
    ((70, 65), (31, 9)), ((64, 64), (63, 63)),
]


@pytest.mark.parametrize('name', ENGINES)
@pytest.mark.parametrize('shapes', EDGE_SHAPES, ids=str)
def test_edge_shapes(name, shapes):
    check_engine(name, *random_pair(shapes, 0))


@pytest.mark.parametrize('name', ENGINES)
def test_non_contiguous_and_odd_strides(name):
    X, K = random_pair(((61, 90), (5, 6)), 1)
    check_engine(name, X[::3, 1::2], K[::-1, ::2])
    check_engine(name, onp.asfortranarray(X), onp.asfortranarray(K))


@pytest.mark.parametrize('name', ENGINES)
def test_float64_stays_float64(name):
    X, K = (a.astype('float64') for a in random_pair(((30, 41), (4, 3)), 2))
    Y = engines()[name](X, K)
    assert Y.dtype == onp.float64
    onp.testing.assert_allclose(Y, scipy_valid(X, K), rtol=1e-10,
                                atol=1e-10)


def test_fft_tile_seams():
    """Many small tiles equal one big FFT and the direct sum."""
    from d2l_conv.fast import fft_engine
    X, K = random_pair(((97, 131), (9, 14)), 3)
    for tile in (16, 23, 32, 64):
        Y = fft_engine.correlate_valid(X, K, tile=tile)
        onp.testing.assert_allclose(Y, scipy_valid(X, K), atol=1e-4)


def test_fft_transforms_a_kernel_once_and_sees_it_change(monkeypatch):
    """A kernel used again is not transformed again (its spectrum cost a
    fifth of a 224², 31 x 31 call); one changed in place is."""
    scipy_fft = pytest.importorskip('scipy.fft')
    from d2l_conv.fast import fft_engine
    X, K = random_pair(((70, 90), (9, 7)), 5)
    rows = []  # the kernel's transform is the one rfft along its rows
    real = scipy_fft.rfft
    monkeypatch.setattr(scipy_fft, 'rfft', lambda A, *a, **k: rows.append(
        A.shape) or real(A, *a, **k))
    for _ in range(3):
        onp.testing.assert_allclose(fft_engine.correlate_valid(X, K),
                                    scipy_valid(X, K), atol=1e-4)
    assert len(rows) == 1
    K[4, 3] += 1  # in place: a new kernel
    onp.testing.assert_allclose(fft_engine.correlate_valid(X, K),
                                scipy_valid(X, K), atol=1e-4)
    assert len(rows) == 2


def with_threads(name, X, K, threads):
    """Run engine `name` on `threads` threads, cut into many pieces: the
    NumPy engine's blocks one row (no call is then too small to share),
    the FFT's tiles 16 x 16. OpenCV cuts its rows itself, among the
    threads `cv2.setNumThreads` gives it."""
    from d2l_conv.fast import fft_engine
    if name == 'numpy':
        return numpy_engine.correlate_valid(X, K, block=1, threads=threads)
    if name == 'fft':
        return fft_engine.correlate_valid(X, K, tile=16, threads=threads)
    if name == 'c':
        return engines()['c'](X, K, threads=threads)
    import cv2
    before = cv2.getNumThreads()
    cv2.setNumThreads(threads)
    try:
        return engines()[name](X, K)
    finally:
        cv2.setNumThreads(before)


@pytest.mark.parametrize('name', ENGINES)
@given(shapes=corr2d_shapes(max_side=40), seed=st.integers(0, 2**16),
       threads=st.integers(1, 3))
def test_thread_seams(name, shapes, seed, threads):
    """Any number of threads gives the same output, on every engine."""
    X, K = random_pair(shapes, seed)
    if never_sent(name, K):
        return
    Y = with_threads(name, X, K, threads)
    onp.testing.assert_allclose(Y, scipy_valid(X, K), atol=atol(name, X, K),
                                rtol=1e-4)


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('width', [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31,
                                   32, 33, 63, 64, 65, 66, 95, 129, 200])
def test_c_engine_every_row_width(dtype, width):
    """Rows of any length: the C kernel sums 8, 4 or 1 vectors (8 float32
    or 4 float64 lanes) at a time, ends a row with one more block that
    overlaps the last, and one column at a time below a vector."""
    from d2l_conv.fast import c_engine
    for w in (1, 2, 3):
        X, K = random_pair(((5, width + w - 1), (3, w)), width)
        X, K = X.astype(dtype), K.astype(dtype)
        Y = c_engine.correlate_valid(X, K, threads=1)
        assert Y.shape == (3, width)
        onp.testing.assert_allclose(Y, scipy_valid(X, K), atol=1e-5,
                                    rtol=1e-5)


#: Values hypothesis draws for the non-finite tests: small integers keep
#: float32 sums exact, so only NaN and inf placement can differ.
VALUES = st.sampled_from([0., 1., -2., 3., onp.nan, onp.inf, -onp.inf])


@st.composite
def non_finite_pair(draw, max_side=6):
    (H, W), (h, w) = draw(corr2d_shapes(max_side))
    X = onp.array(draw(st.lists(VALUES, min_size=H * W, max_size=H * W)),
                  'float32').reshape(H, W)
    K = onp.array(draw(st.lists(VALUES, min_size=h * w, max_size=h * w)),
                  'float32').reshape(h, w)
    return X, K


@pytest.mark.parametrize('name', ENGINES)
@given(pair=non_finite_pair())
def test_non_finite_like_scipy(name, pair):
    X, K = pair
    if name == 'fft' and not (onp.isfinite(X).all()
                              and onp.isfinite(K).all()):
        assert not fast.fft_engine.accepts(X, K)  # never sent there
        return
    if name.startswith('cv2') and not fast.cv2_engine.accepts(X, K):
        return  # never sent there (test_opencv_skips_zero_taps shows why)
    with onp.errstate(invalid='ignore'):
        assert_placed_like(engines()[name](X, K), scipy_valid(X, K), rtol=0)


@st.composite
def sprinkled_pair(draw, dtype):
    """A larger image (OpenCV's SIMD and IPP paths) with NaN and inf
    sprinkled over small integers, and a kernel of up to 7 x 7 whose
    taps are finite, and non-zero unless the image is all finite."""
    H, W = draw(st.integers(1, 160)), draw(st.integers(1, 160))
    h, w = draw(st.integers(1, min(H, 7))), draw(st.integers(1, min(W, 7)))
    rng = onp.random.default_rng(draw(st.integers(0, 2**16)))
    finite = onp.array([0., 1., -2., 3.])
    X = rng.choice(finite, (H, W))
    if draw(st.booleans()):
        spots = rng.random((H, W)) < draw(st.sampled_from([1e-3, 1e-2, .1]))
        X[spots] = rng.choice([onp.nan, onp.inf, -onp.inf], spots.sum())
        K = rng.choice([1., -2., 3.], (h, w))
    else:
        K = rng.choice(finite, (h, w))
    return X.astype(dtype), K.astype(dtype)


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@given(data=st.data())
def test_opencv_places_non_finite_like_scipy_where_it_is_sent(dtype, data):
    from d2l_conv.fast import cv2_engine
    X, K = data.draw(sprinkled_pair(dtype))
    assert cv2_engine.accepts(X, K)
    Y = cv2_engine.correlate_valid(X, K)
    assert Y.dtype == X.dtype
    with onp.errstate(invalid='ignore'):
        assert_placed_like(Y, scipy_valid(X, K), rtol=0)


def test_opencv_skips_zero_taps():
    """Why `cv2_engine.accepts` refuses a zero tap on non-finite input:
    OpenCV drops the tap, so ``0 * inf`` never becomes NaN."""
    from d2l_conv.fast import cv2_engine
    X = onp.array([[1., onp.inf, 1.]], 'float32')
    K = onp.array([[1., 0.]], 'float32')
    with onp.errstate(invalid='ignore'):
        expected = scipy_valid(X, K)  # 1 * 1 + 0 * inf, 1 * inf + 0 * 1
    onp.testing.assert_array_equal(expected, [[onp.nan, onp.inf]])
    onp.testing.assert_array_equal(cv2_engine.correlate_valid(X, K),
                                   [[1, onp.inf]])
    assert not cv2_engine.accepts(X, K)


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('tap', [onp.nan, onp.inf, -onp.inf])
def test_opencv_is_never_sent_a_non_finite_tap(dtype, tap):
    """OpenCV 4.14's float64 filter corrupts the heap on a NaN tap (the
    process aborts some calls later, in malloc): such kernels go to the
    other engines, whatever the image."""
    from d2l_conv.fast import cv2_engine
    X = onp.ones((3, 3), dtype)
    K = onp.array([[tap, 1., -1.], [1., 0.5, 1.], [0.5, -1., 0.5]], dtype)
    assert not cv2_engine.accepts(X, K)


@given(pair=non_finite_pair())
def test_non_finite_through_corr2d_fast(pair):
    from d2l_conv import corr2d_fast
    X, K = pair
    assert_placed_like(corr2d_fast(X, K).asnumpy(), scipy_valid(X, K), rtol=0)


def test_one_nan_stays_in_its_windows_on_a_large_kernel():
    """A case the cost model sends to the FFT when finite."""
    from d2l_conv import corr2d_fast
    X, K = random_pair(((300, 300), (41, 41)), 4)
    assert fast.choose.choose_engine(X.shape, K.shape) in ('fft', 'numpy')
    X[150, 150] = onp.nan
    Y = corr2d_fast(X, K).asnumpy()
    expected = scipy_valid(X, K)
    onp.testing.assert_array_equal(onp.isnan(Y), onp.isnan(expected))
    onp.testing.assert_allclose(Y[~onp.isnan(Y)],
                                expected[~onp.isnan(expected)], atol=1e-3)


@pytest.mark.parametrize('name', ENGINES)
def test_out_is_filled_and_returned(name):
    """``out=`` takes the result in place (corr2d_fast passes MXNet's
    memory), replacing whatever it held, NaN included."""
    X, K = random_pair(((70, 90), (5, 4)), 4)
    out = onp.full((66, 87), onp.nan, 'float32')
    Y = engines()[name](X, K, out=out)
    assert Y is out
    onp.testing.assert_allclose(out, scipy_valid(X, K), atol=1e-3,
                                rtol=1e-4)


@pytest.mark.parametrize('name', ENGINES)
@pytest.mark.parametrize('bad', [
    onp.empty((66, 86), 'float32'), onp.empty((66, 87), 'float64'),
    onp.empty((87, 66), 'float32').T, onp.empty((66, 87), 'float32')[::-1],
    'not an array'])
def test_a_wrong_out_is_refused(name, bad):
    X, K = random_pair(((70, 90), (5, 4)), 4)
    with pytest.raises((TypeError, ValueError), match='corr2d_fast: out '):
        engines()[name](X, K, out=bad)


@pytest.mark.parametrize('where', [(0, 0), (96, 130), (50, 70)])
@pytest.mark.parametrize('value', [onp.nan, onp.inf, -onp.inf])
def test_the_fft_refuses_one_non_finite_value_anywhere(where, value):
    from d2l_conv.fast import fft_engine
    X, K = random_pair(((97, 131), (9, 14)), 3)
    assert fft_engine.accepts(X, K)
    X[where] = value
    assert not fft_engine.accepts(X, K)
    X[where] = 1.0
    K[4, 7] = value
    assert not fft_engine.accepts(X, K)
