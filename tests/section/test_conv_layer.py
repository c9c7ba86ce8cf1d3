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


@pytest.mark.parametrize('x, error, pattern', [
    (np.ones((1, 5)), ValueError,
     r'Conv2D: kernel weight of shape \(2, 2\) does not fit in input x of '
     r'shape \(1, 5\)'),
    (np.ones((1, 1, 6, 8)), ValueError,
     r'Conv2D: x must be a 2-D array, got shape \(1, 1, 6, 8\)'),
    ('abc', TypeError, 'Conv2D: x must be a 2-D numeric array, got str'),
    (onp.ma.masked_equal(onp.eye(3), 0), TypeError,
     r'Conv2D: x is a masked array, whose mask would be ignored'),
])
def test_bad_input_to_forward_gets_an_error_naming_conv2d(x, error,
                                                          pattern):
    layer = Conv2D(kernel_size=(2, 2))
    layer.initialize()
    with pytest.raises(error, match=pattern):
        layer(x)


def test_a_kernel_size_past_mxnets_array_limit_is_refused_at_once(
        monkeypatch):
    """MXNet (built without large tensors) holds fewer than 2**31 - 1
    elements in one array; it would refuse the weight only at
    `initialize`, in an MXNetError."""
    from d2l_conv import _validation
    monkeypatch.setattr(_validation, 'mxnet_int64_enabled', lambda: False)
    monkeypatch.setattr(_validation, '_physical_memory', lambda: 1 << 50)
    with pytest.raises(ValueError, match=(
            r'Conv2D: kernel_size \(65536, 65536\) has 4294967296 '
            r'elements; this MXNet holds at most 2147483646 in one array')):
        Conv2D((65536, 65536))
    Conv2D((2, 3))  # small ones still pass


def test_a_kernel_size_past_the_machines_memory_is_refused_at_once(
        monkeypatch):
    from d2l_conv import _validation
    monkeypatch.setattr(_validation, '_physical_memory', lambda: 1 << 30)
    with pytest.raises(ValueError, match=(
            r'Conv2D: kernel_size \(32768, 16384\) would take a 2.0 GiB '
            r'weight \(float32\), more than this machine\'s 1.0 GiB of '
            r'memory')):
        Conv2D((32768, 16384))


def test_the_real_limit_refuses_what_initialize_would_fail_on():
    from mxnet.base import MXNetError
    with pytest.raises(ValueError, match='Conv2D: kernel_size'):
        Conv2D((65536, 65536))
    layer = Conv2D.__new__(Conv2D)  # the book's body, unchecked
    nn_init = super(Conv2D, layer).__init__
    nn_init()
    layer.weight = layer.params.get('weight', shape=(65536, 65536))
    with pytest.raises(MXNetError):
        layer.weight.initialize()
