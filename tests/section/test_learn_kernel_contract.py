"""`learn_kernel` takes what the correlations take, or says why not."""

import warnings

import mxnet as mx
import numpy as onp
import pytest
from mxnet import np
from mxnet.gluon import nn

import d2l_conv as d
from d2l_conv import detect_edges, edge_image, learn_kernel
from d2l_conv.exercises import TrainableConv2D

#: The book's five printed losses (section 6.2.4).
BOOK_LOSSES = ['4.949', '0.831', '0.140', '0.024', '0.004']


def printed(losses):
    return ['%.3f' % losses[i] for i in range(1, 10, 2)]


@pytest.fixture(scope='module')
def book():
    kernel, losses = learn_kernel()
    assert printed(losses) == BOOK_LOSSES
    return kernel.asnumpy(), losses


def assert_same_run(result, book, exact=True):
    kernel, losses = result
    assert printed(losses) == BOOK_LOSSES
    if exact:
        assert losses == book[1]
        onp.testing.assert_array_equal(kernel.asnumpy(), book[0])
    else:  # another forward, the same numbers to float32 rounding
        onp.testing.assert_allclose(losses, book[1], rtol=1e-5)
        onp.testing.assert_allclose(kernel.asnumpy(), book[0], rtol=1e-5)


def test_current_editions_layer_without_bias_gives_the_same_run(book):
    # The bias starts at zero and is never updated, so it changes nothing.
    layer = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
    assert_same_run(learn_kernel(layer=layer), book)


@pytest.mark.parametrize('convert', [
    lambda A: A.asnumpy().astype('float64'),  # NumPy's default dtype
    lambda A: A.asnumpy().astype('int64'),
    lambda A: A.asnumpy().tolist(),
    lambda A: A.astype('float16'),
    lambda A: A.astype('float64'),
], ids=['numpy-float64', 'numpy-int64', 'lists', 'mxnet-float16',
        'mxnet-float64'])
def test_accepts_what_the_correlations_accept(convert, book):
    assert_same_run(learn_kernel(convert(edge_image()),
                                 convert(detect_edges())), book)


def test_trains_on_the_context_of_X(book):
    ctx = mx.cpu(1)
    X = edge_image().as_in_ctx(ctx)
    Y = detect_edges().as_in_ctx(ctx)
    kernel, losses = learn_kernel(X, Y)
    assert kernel.ctx == ctx
    assert_same_run((kernel, losses), book)


def test_issue_reproducer_float64_ones():
    kernel, losses = learn_kernel(X=onp.ones((6, 8)), Y=onp.ones((6, 7)))
    assert kernel.shape == (1, 2) and len(losses) == 10


class Frozen(nn.Block):
    """A layer whose weight never gets a gradient."""

    def __init__(self):
        super().__init__()
        self.weight = self.params.get('weight', shape=(1, 2),
                                      grad_req='null')

    def forward(self, x):
        return d.corr2d_vectorized(x, self.weight.data())


class Detached(nn.Block):
    """A layer whose output does not depend on its weight."""

    def __init__(self):
        super().__init__()
        self.weight = self.params.get('weight', shape=(1, 2))

    def forward(self, x):
        return d.corr2d_vectorized(x, np.ones((1, 2)))


def frozen_conv():
    layer = nn.Conv2D(1, kernel_size=(1, 2))
    layer.collect_params().setattr('grad_req', 'null')
    return layer


@pytest.mark.parametrize('make, error, pattern', [
    (lambda: nn.Dense(7), ValueError,
     r"learn_kernel: layer Dense's weight has shape \(7, (0|8)\), not "
     r'that of a \(1, 2\) kernel'),
    (lambda: d.Conv2D((1, 2)), TypeError,
     r'learn_kernel: layer Conv2D cannot be recorded by autograd.*'
     r'exercises\.TrainableConv2D'),
    (lambda: nn.Conv2D(1, (1, 2), in_channels=3), ValueError,
     r"learn_kernel: layer Conv2D's weight has shape \(1, 3, 1, 2\)"),
    (frozen_conv, ValueError,
     r"learn_kernel: layer Conv2D's weight has grad_req='null'"),
    (Frozen, ValueError,
     r"learn_kernel: layer Frozen's weight has grad_req='null'"),
    (Detached, ValueError,
     r'learn_kernel: layer Detached .* no gradient'),
], ids=['dense', 'sections-Conv2D', 'three-in-channels', 'grad_req-null',
        'frozen-block', 'detached'])
def test_layers_that_cannot_learn_are_refused_before_training(
        make, error, pattern):
    layer = make()
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # nothing runs long enough to warn
        with pytest.raises(error, match=pattern):
            learn_kernel(X=onp.ones((6, 8)), Y=onp.ones((6, 7)),
                         layer=layer)


def test_trainable_conv2d_is_accepted(book):
    assert_same_run(learn_kernel(layer=TrainableConv2D((1, 2))), book,
                    exact=False)


@pytest.mark.parametrize('kwargs, error, pattern', [
    (dict(seed='a'), TypeError,
     'learn_kernel: seed must be an int or None, got str'),
    (dict(seed=1.5), TypeError, 'learn_kernel: seed must be an int or None'),
    (dict(seed=True), TypeError,
     'learn_kernel: seed must be an int or None'),
    (dict(seed=-1), ValueError, 'learn_kernel: seed must be non-negative'),
    (dict(lr=float('inf')), ValueError,
     'learn_kernel: lr must be finite and positive, got inf'),
    (dict(lr=float('nan')), ValueError,
     'learn_kernel: lr must be finite and positive, got nan'),
    (dict(lr=-1.), ValueError,
     'learn_kernel: lr must be finite and positive, got -1.0'),
])
def test_seed_and_lr_are_checked(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        learn_kernel(**kwargs)


def test_divergence_warns_naming_the_iteration():
    with pytest.warns(RuntimeWarning,
                      match=r'learn_kernel: the loss is (inf|nan) at '
                            r'iteration \d+'):
        _, losses = learn_kernel(lr=100., num_iters=40)
    assert not onp.isfinite(losses[-1])


def test_no_warning_when_training_converges():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        learn_kernel()


def test_non_finite_data_warns_at_the_first_iteration():
    X = edge_image().asnumpy()
    X[0, 0] = float('nan')
    with pytest.warns(RuntimeWarning, match='at iteration 1;'):
        learn_kernel(X)
