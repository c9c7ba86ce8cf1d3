"""`corr2d_vectorized`: the book's `corr2d`, differentiable."""

import numpy as onp
import pytest
from conftest import BAD_INPUTS, check_corr2d, corr2d_shapes, random_pair
from hypothesis import given
from hypothesis import strategies as st
from mxnet import autograd, np

from d2l_conv import corr2d, corr2d_vectorized


@given(corr2d_shapes(), st.integers(0, 2**32 - 1))
def test_values_and_gradients_match_the_oracles(shapes, seed):
    X, K = random_pair(shapes, seed)
    check_corr2d(corr2d_vectorized, X, K, grad=True)


@given(corr2d_shapes(max_side=5), st.integers(0, 2**32 - 1))
def test_equals_the_book_loop(shapes, seed):
    X, K = random_pair(shapes, seed)
    onp.testing.assert_allclose(corr2d_vectorized(X, K).asnumpy(),
                                corr2d(X, K).asnumpy(), rtol=1e-5,
                                atol=1e-5)


@pytest.mark.parametrize('dtype', ['int8', 'int32', 'int64', 'uint8'])
def test_integer_inputs_give_float32_like_corr2d(dtype):
    # 100 + 100 would wrap around in int8 arithmetic
    X = onp.full((2, 3), 100, dtype=dtype)
    K = onp.ones((1, 2), dtype=dtype)
    Y = corr2d_vectorized(X, K)
    assert Y.dtype == corr2d(X, K).dtype == onp.float32
    onp.testing.assert_array_equal(Y.asnumpy(), onp.full((2, 2), 200))


def test_lists_give_float32_and_float64_stays_float64():
    assert corr2d_vectorized([[1, 2, 3]], [[1, -1]]).dtype == onp.float32
    X = onp.arange(6.0).reshape(2, 3)
    assert corr2d_vectorized(X, X[:, :2]).dtype == onp.float64


def test_runs_under_autograd_where_the_book_loop_cannot():
    X, K = np.ones((3, 4)), np.array([[1.0, -1.0]])
    K.attach_grad()
    with pytest.raises(Exception, match='Inplace operations'):
        with autograd.record():
            corr2d(X, K)
    with autograd.record():
        Y = corr2d_vectorized(X, K)
    Y.backward()
    # every kernel entry multiplies 3 x 3 ones
    onp.testing.assert_array_equal(K.grad.asnumpy(), [[9.0, 9.0]])


@pytest.mark.parametrize('X, K, exc, pattern', BAD_INPUTS)
def test_refuses_bad_input(X, K, exc, pattern):
    with pytest.raises(exc, match=pattern.format(name='corr2d_vectorized')):
        corr2d_vectorized(X, K)
