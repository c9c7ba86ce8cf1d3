"""Exercise 2: the book's `Conv2D` under autograd, and a trainable one."""

import mxnet as mx
import numpy as onp
import pytest
from conftest import gluon_conv2d_grads, random_pair
from mxnet import autograd, init, np
from mxnet.base import MXNetError

from d2l_conv import Conv2D, learn_kernel
from d2l_conv.exercises import TrainableConv2D, autograd_error
from d2l_conv.published import BY_KEY, loss_lines, matches

MESSAGE = ('Inplace operations (+=, -=, x[:]=, etc) are not supported '
           'when recording with autograd.')


def test_the_error_is_mxnets_inplace_message():
    assert autograd_error() == MESSAGE


def test_the_message_is_raised_by_the_books_forward():
    layer = Conv2D((1, 2))
    layer.initialize(init.Constant(1))
    with pytest.raises(MXNetError) as info:
        with autograd.record():
            layer(np.ones((3, 4)))
    assert autograd_error() in str(info.value)


def test_autograd_error_leaves_the_random_state_alone():
    mx.random.seed(7)
    autograd_error()
    after = np.random.uniform(size=3).asnumpy()
    mx.random.seed(7)
    onp.testing.assert_array_equal(after, np.random.uniform(size=3).asnumpy())


def test_trainable_conv2d_reproduces_the_book():
    np.random.uniform(size=5)  # a used random state must not matter
    kernel, losses = learn_kernel(layer=TrainableConv2D((1, 2)))
    assert loss_lines(losses) == BY_KEY['losses'].text
    assert matches('learned_kernel', repr(kernel))


def test_trainable_conv2d_matches_the_builtin_layer_step_by_step():
    _, expected = learn_kernel()  # Gluon's nn.Conv2D
    _, losses = learn_kernel(layer=TrainableConv2D((1, 2)))
    onp.testing.assert_allclose(losses, expected, rtol=1e-5)


def test_trainable_conv2d_is_the_books_block_with_a_zero_bias():
    layer = TrainableConv2D((2, 3))
    assert isinstance(layer, Conv2D)
    layer.initialize()
    assert layer.weight.data().shape == (2, 3)
    assert layer.bias.data().asnumpy().tolist() == [0.0]


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_weight_gradient_equals_the_builtin_layers(seed):
    X, K = random_pair(((5, 6), (2, 3)), seed)
    dY = onp.random.default_rng(seed).standard_normal((4, 4)).astype('f4')
    layer = TrainableConv2D((2, 3))
    layer.initialize()
    layer.weight.set_data(np.array(K))
    with autograd.record():
        Y = layer(np.array(X))
    Y.backward(np.array(dY))
    _, dK = gluon_conv2d_grads(X, K, dY)
    onp.testing.assert_allclose(layer.weight.grad().asnumpy(), dK,
                                rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('kernel_size, exc, pattern', [
    ((1, '2'), TypeError, r'TrainableConv2D: kernel_size must be a pair '
                          r"of ints \(h, w\), got \(1, '2'\)"),
    ((1, 2, 3), TypeError, 'pair of ints'),
    ((1.0, 2), TypeError, 'pair of ints'),
    ((True, 2), TypeError, 'pair of ints'),
    (2, TypeError, 'pair of ints'),
    ((0, 2), ValueError, r'TrainableConv2D: kernel_size must be positive, '
                         r'got \(0, 2\)'),
    ((1, -1), ValueError, 'must be positive'),
])
def test_trainable_conv2d_refuses_bad_kernel_sizes(kernel_size, exc,
                                                    pattern):
    with pytest.raises(exc, match=pattern):
        TrainableConv2D(kernel_size)


class _WriteLog:
    """A stand-in for the book's ``Y = np.zeros(...)`` that logs the
    index of each in-place write before MXNet carries it out."""

    def __init__(self, array, log):
        self.array, self.log = array, log

    @property
    def shape(self):
        return self.array.shape

    def __setitem__(self, index, value):
        self.log.append(index)
        self.array[index] = value

    def __add__(self, other):  # the layer's ``+ self.bias.data()``
        return self.array + other


def test_mxnet_refuses_the_very_first_write_at_0_0(monkeypatch):
    """What the exercise's text and `autograd_error` say: the error
    comes at the first ``Y[i, j] = ...``, at i = j = 0, not later."""
    import types

    from d2l_conv import cross_correlation
    log = []
    zeros = cross_correlation.np.zeros
    fake_np = types.SimpleNamespace(
        zeros=lambda shape: _WriteLog(zeros(shape), log))
    monkeypatch.setattr(cross_correlation, 'np', fake_np)
    layer = Conv2D((1, 2))
    layer.initialize(init.Constant(1))
    with pytest.raises(MXNetError, match='Inplace operations'):
        with autograd.record():
            layer(np.ones((3, 4)))
    assert log == [(0, 0)]  # the first write tried is the one refused
    # outside autograd the same stand-in lets every write through
    del log[:]
    layer(np.ones((3, 4)))
    assert log == [(i, j) for i in range(3) for j in range(3)]


def test_under_autograd_a_write_that_needs_no_gradient_goes_through():
    """Why the first write is refused: its value depends on the kernel,
    which needs a gradient. With a kernel that needs none, the book's
    `corr2d` writes in place under ``autograd.record()`` unhindered."""
    from d2l_conv import corr2d
    with autograd.record():
        Y = corr2d(np.ones((3, 4)), np.ones((1, 2)))
    assert Y.asnumpy().tolist() == [[2.0] * 3] * 3


def test_bad_input_to_the_trainable_layer_names_it():
    layer = TrainableConv2D((1, 2))
    layer.initialize()
    with pytest.raises(ValueError, match=(
            r'^TrainableConv2D: x must be a 2-D array, got shape '
            r'\(1, 1, 6, 8\)$')):
        layer(np.ones((1, 1, 6, 8)))
