"""The book's custom `Conv2D` block."""

import numpy as onp
import pytest
from mxnet import init, np

from d2l_conv import Conv2D, corr2d


def test_parameters_have_the_books_shapes():
    layer = Conv2D(kernel_size=(2, 3))
    layer.initialize()
    assert layer.weight.shape == (2, 3)
    assert layer.bias.shape == (1,)


def test_forward_is_corr2d_plus_bias():
    layer = Conv2D(kernel_size=(2, 2))
    layer.initialize(init.Normal(1.0))
    x = np.random.normal(size=(5, 4))
    expected = corr2d(x, layer.weight.data()) + layer.bias.data()
    onp.testing.assert_allclose(layer(x).asnumpy(), expected.asnumpy(),
                                rtol=1e-6)
    layer.bias.set_data(np.array([2.5]))
    onp.testing.assert_allclose(
        layer(x).asnumpy(), (corr2d(x, layer.weight.data()) + 2.5).asnumpy(),
        rtol=1e-6)


def test_edge_kernel_as_layer_weight_detects_edges():
    from d2l_conv import detect_edges, edge_image, edge_kernel
    layer = Conv2D(kernel_size=(1, 2))
    layer.initialize(init.Zero())
    layer.weight.set_data(edge_kernel())
    onp.testing.assert_array_equal(layer(edge_image()).asnumpy(),
                                   detect_edges().asnumpy())


@pytest.mark.parametrize('kernel_size, error, pattern', [
    (3, TypeError, r'Conv2D: kernel_size must be a pair of ints \(h, w\), '
                   'got 3'),
    ('ab', TypeError, 'Conv2D: kernel_size must be a pair of ints'),
    ((1, 2, 3), TypeError, 'Conv2D: kernel_size must be a pair of ints'),
    ((1.5, 2), TypeError, 'Conv2D: kernel_size must be a pair of ints'),
    (None, TypeError, 'Conv2D: kernel_size must be a pair of ints'),
    ((0, 2), ValueError, r'Conv2D: kernel_size must be positive, '
                         r'got \(0, 2\)'),
])
def test_bad_kernel_size_gets_a_clear_error(kernel_size, error, pattern):
    with pytest.raises(error, match=pattern):
        Conv2D(kernel_size)


def test_kernel_size_may_be_a_list():
    layer = Conv2D([1, 2])
    layer.initialize()
    assert layer.weight.shape == (1, 2)


def test_bad_input_to_forward_gets_corr2d_error():
    layer = Conv2D(kernel_size=(2, 2))
    layer.initialize()
    with pytest.raises(ValueError, match='corr2d: kernel K of shape'):
        layer(np.ones((1, 5)))
