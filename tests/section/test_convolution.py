"""Cross-correlation versus convolution (section 6.2.5)."""

import numpy as onp
import pytest
from conftest import BAD_INPUTS, corr2d_shapes, random_pair
from hypothesis import given
from hypothesis import strategies as st
from mxnet import np

from d2l_conv import conv2d_true, corr2d, flip_kernel, learn_kernel
from d2l_conv.convolution import TrueConv2D
from d2l_conv.exercises import TrainableConv2D
from d2l_conv.published import loss_lines, matches


@given(shapes=corr2d_shapes(), seed=st.integers(0, 2**16))
def test_true_convolution_matches_scipy_convolve2d(shapes, seed):
    from scipy.signal import convolve2d
    X, K = random_pair(shapes, seed)
    expected = convolve2d(X.astype('float64'), K.astype('float64'),
                          mode='valid')
    onp.testing.assert_allclose(conv2d_true(X, K).asnumpy(), expected,
                                rtol=1e-4, atol=1e-4)


@given(shapes=corr2d_shapes(), seed=st.integers(0, 2**16))
def test_convolving_with_flipped_kernel_is_cross_correlation(shapes, seed):
    X, K = random_pair(shapes, seed)
    onp.testing.assert_allclose(conv2d_true(X, flip_kernel(K)).asnumpy(),
                                corr2d(X, K).asnumpy(), rtol=1e-5, atol=1e-5)


def test_symmetric_kernel_makes_them_equal_asymmetric_does_not():
    X = onp.arange(20.).reshape(4, 5) ** 2
    sym = onp.array([[1., 2., 1.], [2., 4., 2.]])[:, :]  # flips to itself
    sym = sym + sym[::-1, ::-1]
    onp.testing.assert_allclose(conv2d_true(X, sym).asnumpy(),
                                corr2d(X, sym).asnumpy())
    edge = onp.array([[1., -1.]])
    onp.testing.assert_allclose(conv2d_true(X, edge).asnumpy(),
                                -corr2d(X, edge).asnumpy())


def test_flip_kernel_reverses_both_axes():
    K = onp.arange(6.).reshape(2, 3)
    onp.testing.assert_array_equal(flip_kernel(K).asnumpy(), K[::-1, ::-1])


@pytest.mark.parametrize('X, K, error, pattern', BAD_INPUTS)
def test_bad_inputs_get_clear_errors(X, K, error, pattern):
    with pytest.raises(error, match=pattern.format(name='conv2d_true')):
        conv2d_true(X, K)


def test_a_true_convolution_learns_the_flipped_kernel_same_losses():
    # 6.2.5: the same training, with a true convolution in the layer
    book, book_losses = learn_kernel()
    true, true_losses = learn_kernel(layer=TrueConv2D((1, 2)))
    assert matches('losses', loss_lines(true_losses))
    onp.testing.assert_allclose(true_losses, book_losses, rtol=1e-5)
    onp.testing.assert_allclose(flip_kernel(true).asnumpy(),
                                book.asnumpy(), rtol=1e-5)
    assert matches('learned_kernel', repr(flip_kernel(true)))
    # it is not the same kernel: 6.2.4's, [[0.99, -0.99]], is not symmetric
    assert not onp.allclose(true.asnumpy(), book.asnumpy(), atol=0.5)


def test_true_conv2d_starts_from_the_flipped_draw_and_convolves():
    X = onp.arange(12.).reshape(3, 4)
    for seed in 0, 7:
        kernels = []
        for layer in TrainableConv2D((2, 3)), TrueConv2D((2, 3)):
            kernels.append(learn_kernel(X, corr2d(X, [[1, 0, 2], [0, 3, 0]]),
                                        layer=layer, num_iters=1,
                                        lr=1e-9, seed=seed)[0])
        onp.testing.assert_allclose(flip_kernel(kernels[1]).asnumpy(),
                                    kernels[0].asnumpy(), rtol=1e-5)
    layer = TrueConv2D((2, 3))
    layer.initialize()
    onp.testing.assert_allclose(
        layer(np.array(X)).asnumpy(),
        conv2d_true(X, layer.weight.data()).asnumpy() +
        layer.bias.data().asnumpy(), rtol=1e-5)
