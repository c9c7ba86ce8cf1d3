"""Exercise 3: cross-correlation as a matrix multiplication."""

import numpy as onp
import pytest
from conftest import (
    BAD_INPUTS,
    check_corr2d,
    corr2d_shapes,
    gluon_conv2d_grads,
    random_pair,
)
from hypothesis import given
from hypothesis import strategies as st
from mxnet import autograd, np

from d2l_conv import corr2d, corr2d_vectorized, flip_kernel
from d2l_conv.exercises import (
    corr2d_im2col,
    corr2d_input_grad,
    corr2d_toeplitz,
    matmul,
    toeplitz_matrix,
)

SEEDS = st.integers(0, 2**32 - 1)


@pytest.mark.parametrize('fn', [corr2d_im2col, corr2d_toeplitz])
@given(shapes=corr2d_shapes(), seed=SEEDS)
def test_values_and_gradients_match_the_oracles(fn, shapes, seed):
    X, K = random_pair(shapes, seed)
    check_corr2d(fn, X, K, grad=True)


@pytest.mark.parametrize('fn', [corr2d_im2col, corr2d_toeplitz])
@given(shapes=corr2d_shapes(max_side=5), seed=SEEDS)
def test_equals_the_book_loop(fn, shapes, seed):
    X, K = random_pair(shapes, seed)
    onp.testing.assert_allclose(fn(X, K).asnumpy(), corr2d(X, K).asnumpy(),
                                rtol=1e-5, atol=1e-5)


@given(shapes=corr2d_shapes(), seed=SEEDS)
def test_toeplitz_matrix_has_kernel_entries_on_shifted_diagonals(shapes,
                                                                 seed):
    X, K = random_pair(shapes, seed)
    (H, W), (h, w) = shapes
    oh, ow = H - h + 1, W - w + 1
    T = toeplitz_matrix(K, (H, W)).asnumpy()
    assert T.shape == (oh * ow, H * W)
    for i in range(oh):
        for j in range(ow):
            row = T[i * ow + j].reshape(H, W)
            onp.testing.assert_array_equal(row[i: i + h, j: j + w], K)
            assert onp.count_nonzero(row) == onp.count_nonzero(K)


@given(shapes=corr2d_shapes(), seed=SEEDS)
def test_transposed_matrix_gives_the_input_gradient(shapes, seed):
    X, K = random_pair(shapes, seed)
    dY = onp.random.default_rng(seed).standard_normal(
        corr2d(X, K).shape).astype('float32')
    x = np.array(X)
    x.attach_grad()
    with autograd.record():
        Y = corr2d_vectorized(x, np.array(K))
    Y.backward(np.array(dY))
    dX = corr2d_input_grad(dY, K).asnumpy()
    onp.testing.assert_allclose(dX, x.grad.asnumpy(), rtol=1e-4, atol=1e-4)
    onp.testing.assert_allclose(dX, gluon_conv2d_grads(X, K, dY)[0],
                                rtol=1e-4, atol=1e-4)


def test_flipping_the_kernel_gives_convolution_not_this():
    X, K = random_pair(((4, 5), (2, 3)), 1)
    flipped = corr2d_toeplitz(X, flip_kernel(K)).asnumpy()
    assert not onp.allclose(flipped, corr2d(X, K).asnumpy())


@pytest.mark.parametrize('dtype', ['int8', 'int64', 'float32', 'float64'])
def test_dtypes_follow_corr2d_without_wrapping(dtype):
    X = onp.full((3, 3), 100, dtype=dtype)
    K = onp.ones((1, 2), dtype=dtype)
    wide = 'float64' if dtype == 'float64' else 'float32'
    for fn in (corr2d_im2col, corr2d_toeplitz):
        Y = fn(X, K)
        assert Y.dtype == wide
        onp.testing.assert_array_equal(Y.asnumpy(), onp.full((3, 2), 200))


@pytest.mark.parametrize('fn', [corr2d_im2col, corr2d_toeplitz])
@pytest.mark.parametrize('X, K, exc, pattern', BAD_INPUTS)
def test_refuses_bad_input(fn, X, K, exc, pattern):
    with pytest.raises(exc, match=pattern.format(name=fn.__name__)):
        fn(X, K)


@pytest.mark.parametrize('K, shape, exc, pattern', [
    ([[1, 2]], (1, 1), ValueError, r'toeplitz_matrix: kernel K of shape '
     r'\(1, 2\) does not fit in input X of shape \(1, 1\)'),
    ([[1, 2]], [3, 3], TypeError, r'toeplitz_matrix: shape must be a pair '
     r'of ints \(H, W\), got \[3, 3\]'),
    ([[1, 2]], (3,), TypeError, 'pair of ints'),
    ([[1, 2]], (3, 2.0), TypeError, 'pair of ints'),
    ([[1, 2]], (True, 3), TypeError, 'pair of ints'),
    ([1, 2], (3, 3), ValueError, r'toeplitz_matrix: K must be a 2-D array'),
    (None, (3, 3), TypeError, r'toeplitz_matrix: K must be a 2-D numeric'),
])
def test_toeplitz_matrix_refuses_bad_input(K, shape, exc, pattern):
    with pytest.raises(exc, match=pattern):
        toeplitz_matrix(K, shape)


@pytest.mark.parametrize('dY, K, exc, pattern', [
    ([1, 2], [[1]], ValueError, 'corr2d_input_grad: dY must be a 2-D array'),
    ([[1, 2]], 'k', TypeError, 'corr2d_input_grad: K must be a 2-D numeric'),
    ([[1, 2]], onp.zeros((0, 1)), ValueError,
     'corr2d_input_grad: K must not be empty'),
])
def test_input_grad_refuses_bad_input(dY, K, exc, pattern):
    with pytest.raises(exc, match=pattern):
        corr2d_input_grad(dY, K)


@pytest.mark.parametrize('call', [
    lambda: toeplitz_matrix([[1, -1]], (600, 512)),
    lambda: corr2d_toeplitz(onp.ones((600, 512), 'float32'), [[1, -1]]),
    lambda: corr2d_input_grad(onp.ones((600, 511), 'float32'), [[1, -1]])],
    ids=['toeplitz_matrix', 'corr2d_toeplitz', 'corr2d_input_grad'])
def test_a_matrix_past_the_limit_is_refused_naming_its_bytes(call):
    # (600 * 511) x (600 * 512) float32 entries: 376,750,080,000 bytes
    with pytest.raises(ValueError, match=(
            r'the Toeplitz matrix .*\(306600, 307200\).*'
            r'376,750,080,000 bytes.*limit of '
            f'{matmul.TOEPLITZ_MAX_BYTES:,} bytes')) as error:
        call()
    name = call.__code__.co_names[0]
    assert str(error.value).startswith(f'{name}: ')


def test_the_limit_is_on_the_matrixs_bytes(monkeypatch):
    # a float32 (4 x 6) matrix: 96 bytes; float64: 192
    monkeypatch.setattr(matmul, 'TOEPLITZ_MAX_BYTES', 96)
    assert toeplitz_matrix([[1, -1]], (2, 3)).shape == (4, 6)
    with pytest.raises(ValueError, match='192 bytes'):
        toeplitz_matrix(onp.array([[1, -1]], dtype='float64'), (2, 3))
    with pytest.raises(ValueError, match='216 bytes'):  # (6 x 9)
        toeplitz_matrix([[1, -1]], (3, 3))
