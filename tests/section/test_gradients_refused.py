"""Gradients are right or refused: integer arrays that ask for one."""

import numpy as onp
import pytest
from conftest import gluon_conv2d_grads
from mxnet import autograd, np

from d2l_conv import (
    conv2d_true,
    corr2d,
    corr2d_fast,
    corr2d_vectorized,
    flip_kernel,
)
from d2l_conv.exercises import (
    corr2d_im2col,
    corr2d_input_grad,
    corr2d_toeplitz,
    toeplitz_matrix,
)

DIFFERENTIABLE = [corr2d_vectorized, corr2d_fast, corr2d_im2col,
                  corr2d_toeplitz]
ALL = [corr2d, conv2d_true] + DIFFERENTIABLE


def with_grad(values, dtype):
    array = np.array(values, dtype=dtype)
    array.attach_grad()
    return array


@pytest.mark.parametrize('fn', ALL)
@pytest.mark.parametrize('dtype', ['uint8', 'int8', 'int32', 'int64'])
@pytest.mark.parametrize('which', ['X', 'K'])
def test_integer_array_with_a_gradient_is_refused(fn, dtype, which):
    X, K = onp.full((3, 3), 10), onp.full((2, 2), 10)
    args = {'X': X, 'K': K}
    args[which] = with_grad(args[which], dtype)
    with pytest.raises(TypeError, match=f'{fn.__name__}: {which} is an '
                       f'integer array \\({dtype}\\) with a gradient'):
        fn(args['X'], args['K'])  # refused recorded or not


@pytest.mark.parametrize('fn, args', [
    (flip_kernel, ([[1, 2]],)),
    (toeplitz_matrix, ([[1, 2]], (2, 3))),
    (corr2d_input_grad, ([[1, 2]], [[1, 2]])),
])
def test_single_array_helpers_refuse_it_too(fn, args):
    bad = with_grad(args[0], 'int32')
    with pytest.raises(TypeError, match=f'{fn.__name__}: .* integer array'):
        fn(bad, *args[1:])


@pytest.mark.parametrize('fn', ALL)
def test_integer_arrays_without_a_gradient_are_still_accepted(fn):
    Y = fn(np.array([[0, 1, 2], [3, 4, 5]], dtype='uint8'),
           np.array([[1, 1]], dtype='int32'))
    assert Y.dtype == onp.float32


@pytest.mark.parametrize('fn', DIFFERENTIABLE)
@pytest.mark.parametrize('dtype', ['float16', 'float64'])
def test_float_gradients_are_right_in_every_float_dtype(fn, dtype):
    # uint8 in the issue gave 144 where the truth is 400; float16 holds it.
    X = onp.full((3, 3), 10.)
    K = onp.full((2, 2), 10.)
    x, k = with_grad(X, dtype), with_grad(K, 'float32')
    with autograd.record():
        Y = fn(x, k)
    Y.backward()
    dX, dK = gluon_conv2d_grads(X.astype('float32'), K.astype('float32'),
                                onp.ones((2, 2), dtype='float32'))
    assert x.grad.dtype == onp.dtype(dtype)
    onp.testing.assert_array_equal(x.grad.asnumpy(), dX)
    onp.testing.assert_array_equal(k.grad.asnumpy(), dK)
