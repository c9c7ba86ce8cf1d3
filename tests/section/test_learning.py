"""`learn_kernel`: the section's training loop, its arguments and errors."""

import numpy as onp
import pytest
from mxnet import np
from mxnet.gluon import nn

from d2l_conv import corr2d, detect_edges, edge_image, learn_kernel


def test_returns_a_kernel_of_the_kernels_shape_and_ten_losses():
    kernel, losses = learn_kernel()
    assert isinstance(kernel, np.ndarray)
    assert kernel.shape == (1, 2)
    assert len(losses) == 10
    assert all(isinstance(loss, float) for loss in losses)
    # Gradient descent on a convex loss with a small step: it keeps falling.
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))


def test_learned_kernel_reproduces_the_target():
    kernel, _ = learn_kernel(num_iters=40)
    onp.testing.assert_allclose(kernel.asnumpy(), [[1, -1]], atol=1e-4)


def test_same_seed_same_result_different_seed_different_result():
    k0, l0 = learn_kernel(seed=3)
    k1, l1 = learn_kernel(seed=3)
    k2, l2 = learn_kernel(seed=4)
    assert l0 == l1 and l0 != l2
    onp.testing.assert_array_equal(k0.asnumpy(), k1.asnumpy())


def test_kernel_shape_follows_from_X_and_Y():
    X = onp.random.default_rng(0).standard_normal((8, 9)).astype('float32')
    K = onp.array([[1., 0., -1.], [2., 0., -2.]], dtype='float32')
    Y = corr2d(X, K)
    kernel, losses = learn_kernel(X, Y, num_iters=200, lr=1e-2)
    assert kernel.shape == (2, 3)
    onp.testing.assert_allclose(kernel.asnumpy(), K, atol=1e-2)
    assert losses[-1] < 1e-3 * losses[0]


def test_trains_a_given_gluon_layer_and_leaves_it_trained():
    layer = nn.Conv2D(1, kernel_size=(1, 2))
    kernel, _ = learn_kernel(layer=layer)
    onp.testing.assert_array_equal(
        layer.weight.data().reshape(1, 2).asnumpy(), kernel.asnumpy())


def test_the_bias_is_ignored():
    layer = nn.Conv2D(1, kernel_size=(1, 2))
    learn_kernel(layer=layer)
    assert float(layer.bias.data()[0]) == 0.0


def test_returned_kernel_is_a_copy():
    layer = nn.Conv2D(1, kernel_size=(1, 2))
    kernel, _ = learn_kernel(layer=layer)
    before = kernel.asnumpy().copy()
    layer.weight.data()[:] = 0
    onp.testing.assert_array_equal(kernel.asnumpy(), before)


@pytest.mark.parametrize('kwargs, error, pattern', [
    (dict(lr=0), ValueError,
     'learn_kernel: lr must be finite and positive, got 0'),
    (dict(lr=-1e-2), ValueError,
     'learn_kernel: lr must be finite and positive'),
    (dict(lr='0.1'), TypeError, 'learn_kernel: lr must be a real number'),
    (dict(num_iters=0), ValueError,
     'learn_kernel: num_iters must be at least 1, got 0'),
    (dict(num_iters=2.5), TypeError, 'learn_kernel: num_iters must be an'),
    (dict(num_iters=True), TypeError, 'learn_kernel: num_iters must be an'),
    (dict(layer='conv'), TypeError, 'learn_kernel: layer must be a gluon'),
    (dict(layer=nn.Dense(1)), ValueError,
     r'learn_kernel: layer Dense maps X of shape \(6, 8\) to shape'),
    (dict(layer=nn.Sequential()), TypeError,
     'learn_kernel: layer Sequential has no `weight` parameter'),
    (dict(layer=nn.Conv2D(1, kernel_size=(3, 3))), ValueError,
     r'learn_kernel: layer Conv2D maps X .* but Y has shape \(1, 1, 6, 7\)'),
    (dict(X=np.ones((2, 2)), Y=np.ones((3, 3))), ValueError,
     r'learn_kernel: target Y of shape \(3, 3\) is larger than input X'),
    (dict(X=np.ones((2, 2, 2))), ValueError,
     r'learn_kernel: X must be a 2-D array'),
    (dict(Y='y'), TypeError, 'learn_kernel: Y must be a 2-D numeric array'),
])
def test_bad_arguments_get_clear_errors(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        learn_kernel(**kwargs)


def test_defaults_are_the_sections_data():
    default_kernel, default_losses = learn_kernel()
    kernel, losses = learn_kernel(edge_image(), detect_edges())
    assert losses == default_losses
    onp.testing.assert_array_equal(kernel.asnumpy(),
                                   default_kernel.asnumpy())
