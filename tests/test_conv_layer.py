"""The book's custom `Conv2D` block."""

import numpy as onp
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
