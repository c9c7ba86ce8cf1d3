"""NaN and inf land where ``scipy.signal.correlate2d`` puts them.

scipy's float64 direct sum is the oracle: NaN only in the windows that
hold a NaN (or multiply 0 by inf), inf stays inf, and inf - inf is NaN.
"""

import contextlib
from unittest import mock

import numpy as onp
import pytest
from conftest import assert_placed_like, corr2d_shapes
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from mxnet import np

from d2l_conv import corr2d, corr2d_fast, corr2d_vectorized
from d2l_conv.exercises import (
    corr2d_im2col,
    corr2d_input_grad,
    corr2d_toeplitz,
)

inf, nan = float('inf'), float('nan')
VARIANTS = [corr2d_vectorized, corr2d_im2col, corr2d_toeplitz]

#: Small values are exact in float32 (so only placement is tested), and
#: zero meets inf often enough to give 0 * inf.
VALUES = st.sampled_from([0., 1., -2., 0.5, 3., nan, inf, -inf])


@st.composite
def nonfinite_pairs(draw):
    (H, W), (h, w) = draw(corr2d_shapes(max_side=6))
    X = draw(arrays('float64', (H, W), elements=VALUES))
    K = draw(arrays('float64', (h, w), elements=VALUES))
    return X, K


@pytest.mark.parametrize('fn', VARIANTS)
@given(pair=nonfinite_pairs())
def test_placement_matches_scipy(fn, pair):
    from scipy.signal import correlate2d
    X, K = pair
    for dtype in ('float32', 'float64'):
        Y = fn(np.array(X, dtype=dtype), np.array(K, dtype=dtype))
        assert_placed_like(Y.asnumpy(), correlate2d(X, K, mode='valid'))


def transposed_direct_sum(dY, K):
    """``dX[i + a, j + b] += dY[i, j] * K[a, b]``, only these products.

    ``scipy.signal.convolve2d(dY, K, 'full')`` would also multiply its
    zero padding by `K`, so it puts NaN where no product holds one.
    """
    (oh, ow), (h, w) = dY.shape, K.shape
    dX = onp.zeros((oh + h - 1, ow + w - 1))
    with onp.errstate(invalid='ignore'):  # 0 * inf and inf - inf
        for i in range(oh):
            for j in range(ow):
                dX[i: i + h, j: j + w] += dY[i, j] * K
    return dX


@given(pair=nonfinite_pairs())
def test_input_grad_places_them_like_a_direct_sum(pair):
    dY, K = pair
    dX = corr2d_input_grad(dY, K).asnumpy()
    assert_placed_like(dX, transposed_direct_sum(dY, K))


@given(pair=nonfinite_pairs())
def test_books_corr2d_differs_only_where_mxnet_sum_loses_inf(pair):
    # MXNet 1.9.1's sum() can turn inf into NaN (its docstring shows it);
    # NaN is never lost and finite windows are exact.
    from scipy.signal import correlate2d
    X, K = pair
    Y = corr2d(X, K).asnumpy().astype('float64')
    expected = correlate2d(X, K, mode='valid')
    assert onp.isnan(Y[onp.isnan(expected)]).all()
    finite = onp.isfinite(expected)
    onp.testing.assert_allclose(Y[finite], expected[finite], rtol=1e-6)
    infinite = onp.isinf(expected)
    assert (onp.isnan(Y[infinite]) | (Y[infinite] == expected[infinite])
            ).all()


@pytest.mark.parametrize('fn', VARIANTS)
def test_issue_reproducers(fn):
    Y = fn([[nan, 1, 1], [1, 1, 1]], [[1, 1]]).asnumpy()
    onp.testing.assert_array_equal(Y, [[nan, 2], [2, 2]])
    Y = fn([[inf, 1.], [1., 1.]], [[1., 1.]]).asnumpy()
    onp.testing.assert_array_equal(Y, [[inf], [2]])
    Y = fn([[inf, -inf, 1.]], [[1., 1.]]).asnumpy()
    onp.testing.assert_array_equal(Y, [[nan, -inf]])


def test_mxnet_sum_turns_inf_into_nan_as_corr2d_says():
    assert onp.isnan(float(np.array([inf, 1., 2.]).sum()))
    assert 'MXNet' in corr2d.__doc__ and 'nan' in corr2d.__doc__


#: Every engine of `corr2d_fast`; `forced` makes its cost model pick one.
ENGINES = ['numpy', 'fft', 'cv2', 'c']


@contextlib.contextmanager
def forced(engine):
    """Make `corr2d_fast` pick `engine` (it still falls back from the FFT
    on non-finite input, and from OpenCV where that would misplace)."""
    from d2l_conv.fast import choose
    pytest.importorskip({'fft': 'scipy', 'cv2': 'cv2',
                         'c': 'd2l_conv.fast._direct'}.get(engine, 'numpy'))
    costs = {**choose.COSTS, engine: (0.0,) * len(choose.COSTS[engine])}
    choose.ranked.cache_clear()
    try:
        with mock.patch.object(choose, 'COSTS', costs):
            yield
    finally:
        choose.ranked.cache_clear()


@pytest.mark.parametrize('engine', ENGINES)
@settings(max_examples=100)  # 25 missed OpenCV's skipped zero taps
@given(pair=nonfinite_pairs())
def test_corr2d_fast_places_them_like_scipy_on_every_engine(engine, pair):
    from scipy.signal import correlate2d
    X, K = pair
    expected = correlate2d(X, K, mode='valid')
    with forced(engine):
        for dtype in ('float32', 'float64'):
            for x, k in ((X.astype(dtype), K.astype(dtype)),
                         (np.array(X, dtype=dtype), np.array(K, dtype=dtype))):
                assert_placed_like(corr2d_fast(x, k).asnumpy(), expected)
