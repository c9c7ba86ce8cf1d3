"""6.2.4 Learning a Kernel: recover `K` from `X` and `Y` with autograd."""

import math
import warnings

import mxnet as mx
import numpy as onp
from mxnet import autograd
from mxnet.base import MXNetError
from mxnet.gluon import nn

from ._args import check_int, check_positive_real
from ._compat import gradient_reaches
from ._mxnet_errors import reason
from ._validation import as_2d_array
from .conv_layer import Conv2D
from .edge_detection import detect_edges, edge_image

#: MXNet 1.9.1's random state in a fresh process equals ``seed(0)``.
BOOK_SEED = 0

FUNC = 'learn_kernel'


def learn_kernel(X=None, Y=None, *, layer=None, lr=3e-2, num_iters=10,
                 seed=BOOK_SEED):
    """Learn the kernel that maps `X` to `Y` by gradient descent.

    Section 6.2.4, "Learning a Kernel": a convolutional layer with a
    random kernel is trained on the squared error between its output and
    `Y`; for the sake of simplicity the bias is ignored (never updated).
    With the defaults it is the book's run, with Gluon's built-in
    ``nn.Conv2D(1, kernel_size=(1, 2))``, and returns the book's numbers
    in any process state.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to `edge_image()`. Anything the
        correlations accept (`d2l_conv._validation`: lists, NumPy arrays
        of any integer or float dtype, ``mxnet.np`` arrays); `X` and `Y`
        are then cast to the dtype of the layer's weight (float32 for
        Gluon's default layers), since a Gluon layer needs one dtype.
        Training runs on the context of `X`, where `Y` is copied.
    Y : array_like, optional
        The 2-D target; defaults to `detect_edges()`. The kernel shape is
        ``(H - oh + 1, W - ow + 1)`` for `X` of shape ``(H, W)`` and `Y`
        of shape ``(oh, ow)``.
    layer : mxnet.gluon.Block, optional
        The layer to train; defaults to ``nn.Conv2D(1, kernel_size)``
        (the current edition's ``use_bias=False`` gives the same run:
        the bias starts at zero and is never updated). Gluon's
        ``nn.Conv2D`` gets 4-D ``(batch, channel, height, width)``
        arrays, any other block the 2-D arrays, as
        ``exercises.TrainableConv2D`` expects. Before the first
        iteration it must map `X` to the shape of `Y`, have a ``weight``
        with the kernel's ``h * w`` entries and ``grad_req`` other than
        ``'null'``, and give that weight a gradient under
        ``autograd.record()``.
    lr : float, optional
        The learning rate, 3e-2 in the book; finite and positive.
    num_iters : int, optional
        The number of iterations, 10 in the book.
    seed : int or None, optional
        Passed to ``mxnet.random.seed`` before the layer's parameters are
        (re)initialised. The default, 0, reproduces the book whatever was
        drawn before; None leaves MXNet's global random state alone.

    Returns
    -------
    kernel : mxnet.np.ndarray
        The learned weight, reshaped to the kernel's 2-D shape, on the
        context of `X`.
    losses : list of float
        The summed squared error of every iteration, before its update.

    Raises
    ------
    TypeError
        If an argument has the wrong type, `layer` has no ``weight``, or
        it cannot be recorded by autograd (the section's own `Conv2D`,
        which writes in place: train ``exercises.TrainableConv2D``).
    ValueError
        If `X` or `Y` is not a non-empty 2-D array, `Y` is larger than
        `X`, `lr` is not finite and positive, `num_iters` or `seed` is
        negative, or `layer` fails the checks above.

    Warns
    -----
    RuntimeWarning
        Once, naming the iteration, if the loss stops being finite (the
        training diverged: try a smaller `lr`).

    Examples
    --------
    Print in the book's format:

    >>> kernel, losses = learn_kernel()
    >>> for i in range(1, 10, 2):
    ...     print('batch %d, loss %.3f' % (i + 1, losses[i]))
    batch 2, loss 4.949
    batch 4, loss 0.831
    batch 6, loss 0.140
    batch 8, loss 0.024
    batch 10, loss 0.004
    >>> kernel
    array([[ 0.9895   , -0.9873705]])
    """
    X = edge_image() if X is None else as_2d_array(FUNC, 'X', X)
    Y = detect_edges() if Y is None else as_2d_array(FUNC, 'Y', Y)
    h, w = X.shape[0] - Y.shape[0] + 1, X.shape[1] - Y.shape[1] + 1
    if h < 1 or w < 1:
        raise ValueError(f'{FUNC}: target Y of shape {Y.shape} is '
                         f'larger than input X of shape {X.shape}')
    lr = check_positive_real(FUNC, 'lr', lr)
    num_iters = check_int(FUNC, 'num_iters', num_iters, 1)
    seed = check_int(FUNC, 'seed', seed, 0, none_ok=True)
    if layer is None:
        # 1 output channel; channels come in the next section
        layer = nn.Conv2D(1, kernel_size=(h, w))
    _check_weight(layer, (h, w))
    if seed is not None:
        mx.random.seed(seed)
    layer.initialize(ctx=X.ctx, force_reinit=True)
    # One dtype for the layer, on the context of `X`
    dtype = onp.dtype(layer.weight.dtype)
    X, Y = X.astype(dtype), Y.as_in_ctx(X.ctx).astype(dtype)
    if isinstance(layer, nn.Conv2D):
        # (batch, channel, height, width), both batch and channel are 1
        X = X.reshape(1, 1, *X.shape)
        Y = Y.reshape(1, 1, *Y.shape)
    _check_recording(layer, X, Y, (h, w))
    losses, diverged = [], None
    for i in range(num_iters):
        with autograd.record():
            Y_hat = layer(X)
            l = (Y_hat - Y) ** 2  # noqa: E741 (the book's name)
        l.backward()
        # For the sake of simplicity, we ignore the bias here
        layer.weight.data()[:] -= lr * layer.weight.grad()
        losses.append(float(l.sum()))
        if not math.isfinite(losses[-1]) and diverged is None:
            diverged = i + 1  # warn once, at the first
            warnings.warn(
                f'{FUNC}: the loss is {losses[-1]} at iteration {i + 1}; '
                f'training diverged (try an lr below {lr}, or check X and '
                'Y for NaN and inf)', RuntimeWarning, stacklevel=2)
    return layer.weight.data().reshape(h, w).copy(), losses


def _check_weight(layer, kernel_shape, after_forward=False):
    """Raise unless `layer` has a learnable weight of `kernel_shape`.

    Before the first forward, Gluon may not know every side of the
    weight yet (a 0); its shape is checked once they are all known.
    """
    name = type(layer).__name__
    if not isinstance(layer, nn.Block):
        raise TypeError(f'{FUNC}: layer must be a gluon Block, '
                        f'got {name}')
    weight = getattr(layer, 'weight', None)
    if not isinstance(weight, mx.gluon.Parameter):
        raise TypeError(f'{FUNC}: layer {name} has no `weight` parameter '
                        'to learn')
    if weight.grad_req == 'null':
        raise ValueError(f"{FUNC}: layer {name}'s weight has "
                         "grad_req='null', so it gets no gradient to "
                         "learn from; set grad_req='write'")
    shape = tuple(weight.shape)
    if not (after_forward or all(side > 0 for side in shape)):
        return
    if math.prod(shape) != math.prod(kernel_shape) or \
            shape[-2:] != kernel_shape:
        raise ValueError(f"{FUNC}: layer {name}'s weight has shape "
                         f'{shape}, not that of a {kernel_shape} kernel '
                         '(one input and one output channel)')


def _check_recording(layer, X, Y, kernel_shape):
    """Run one recorded step (one forward), checking the layer; no trace.

    It catches, before the first iteration, what would otherwise fail
    deep in MXNet or after every iteration: a forward that autograd
    cannot record, an output of the wrong shape, a weight that is not
    a kernel, or one that the loss does not depend on. Gluon's deferred
    initialisation happens here, drawing what the first iteration
    would have drawn; the gradient it leaves is zeroed.
    """
    name = type(layer).__name__
    weight = layer.weight
    try:
        with autograd.record():
            Y_hat = layer(X)
    except MXNetError as error:
        if isinstance(layer, Conv2D):  # the section's own, in place
            raise TypeError(
                f'{FUNC}: layer {name} cannot be recorded by autograd '
                f'({reason(error)}); train exercises.TrainableConv2D, '
                'the same layer with a forward autograd can '
                'differentiate') from None
        raise ValueError(f'{FUNC}: layer {name} fails on X of shape '
                         f'{X.shape} under autograd.record(): '
                         f'{reason(error)}') from None
    if Y_hat.shape != Y.shape:
        raise ValueError(
            f'{FUNC}: layer {name} maps X of shape {X.shape} to shape '
            f'{Y_hat.shape}, but Y has shape {Y.shape}')
    _check_weight(layer, kernel_shape, after_forward=True)
    data = weight.data()

    def backward():
        with autograd.record():  # on from the recorded forward above
            l = ((Y_hat - Y) ** 2).sum()  # noqa: E741 (the book's name)
        l.backward()

    try:
        reached = gradient_reaches(data, backward)
    except MXNetError:
        reached = False
    if not reached:
        raise ValueError(f'{FUNC}: layer {name} gives its weight no '
                         'gradient: under autograd.record() its output '
                         'does not depend on the weight')
    weight.grad()[:] = 0  # `zero_grad()` fails on mxnet.np arrays
