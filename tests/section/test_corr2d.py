"""The book's loop `corr2d`: oracle agreement, accepted inputs, bad inputs."""

import numpy as onp
import pytest
from conftest import BAD_INPUTS, check_corr2d, corr2d_shapes, random_pair
from hypothesis import given
from hypothesis import strategies as st
from mxnet import autograd, np

from d2l_conv import corr2d


@given(shapes=corr2d_shapes(), seed=st.integers(0, 2**16))
def test_matches_scipy_on_random_shapes(shapes, seed):
    check_corr2d(corr2d, *random_pair(shapes, seed))


@pytest.mark.parametrize('shapes', [
    ((1, 1), (1, 1)),
    ((1, 6), (1, 3)),
    ((6, 1), (2, 1)),
    ((4, 5), (4, 5)),  # kernel the size of the input: one output element
    ((5, 3), (1, 3)),
], ids=['1x1', '1xN', 'Nx1', 'kernel=input', 'row-kernel-full-width'])
def test_matches_scipy_on_edge_shapes(shapes):
    check_corr2d(corr2d, *random_pair(shapes, seed=1))


def test_output_shape_is_input_minus_kernel_plus_one():
    Y = corr2d(np.ones((6, 8)), np.ones((2, 3)))
    assert Y.shape == (6 - 2 + 1, 8 - 3 + 1)


@pytest.mark.parametrize('X, K', [
    ([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]]),
    (((0, 1, 2), (3, 4, 5), (6, 7, 8)), ((0, 1), (2, 3))),
    (onp.arange(9).reshape(3, 3), onp.array([[0, 1], [2, 3]])),
    (onp.arange(9.).reshape(3, 3), onp.array([[0., 1.], [2., 3.]])),
], ids=['lists', 'tuples', 'numpy-int', 'numpy-float64'])
def test_accepts_lists_and_numpy_arrays(X, K):
    Y = corr2d(X, K)
    assert isinstance(Y, np.ndarray)
    onp.testing.assert_array_equal(Y.asnumpy(), [[19, 25], [37, 43]])


@pytest.mark.parametrize('X, K, error, pattern', BAD_INPUTS)
def test_bad_inputs_get_clear_errors(X, K, error, pattern):
    with pytest.raises(error, match=pattern.format(name='corr2d')):
        corr2d(X, K)


def test_does_not_swap_a_larger_kernel_like_scipy():
    # scipy.signal.correlate2d silently swaps the arguments here.
    with pytest.raises(ValueError, match='does not fit'):
        corr2d(np.ones((2, 2)), np.ones((3, 3)))


def test_cannot_be_differentiated_because_it_writes_in_place():
    X, K = np.ones((3, 3)), np.ones((2, 2))
    K.attach_grad()
    with pytest.raises(Exception, match='Inplace operations'):
        with autograd.record():
            corr2d(X, K)


@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'int32', 'int64'])
def test_integer_inputs_do_not_wrap_around(dtype):
    X = onp.full((2, 3), 100, dtype=dtype)
    K = onp.ones((2, 2), dtype=dtype)
    for x, k in ((X, K),
                 (np.array(X, dtype=dtype), np.array(K, dtype=dtype))):
        Y = corr2d(x, k)
        assert Y.dtype == onp.float32
        onp.testing.assert_array_equal(Y.asnumpy(), onp.full((1, 2), 400.))


def test_output_is_float32_like_the_books_np_zeros():
    Y = corr2d(onp.ones((3, 3)), onp.ones((2, 2)))  # float64 in
    assert Y.dtype == onp.float32
