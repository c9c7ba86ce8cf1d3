"""6.2.4 Learning a Kernel: recover `K` from `X` and `Y` with autograd."""

import numbers

import mxnet as mx
from mxnet import autograd
from mxnet.gluon import nn

from ._validation import as_2d_array, check_int
from .edge_detection import detect_edges, edge_image

#: MXNet 1.9.1's random state in a fresh process equals ``seed(0)``.
BOOK_SEED = 0


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
        The 2-D input; defaults to `edge_image()`.
    Y : array_like, optional
        The 2-D target; defaults to `detect_edges()`. The kernel shape is
        ``(H - oh + 1, W - ow + 1)`` for `X` of shape ``(H, W)`` and `Y`
        of shape ``(oh, ow)``.
    layer : mxnet.gluon.Block, optional
        The layer to train; defaults to ``nn.Conv2D(1, kernel_size)``.
        It needs a ``weight`` parameter. Gluon's ``nn.Conv2D`` gets
        4-D ``(batch, channel, height, width)`` arrays, any other block
        the 2-D arrays, as the section's own `Conv2D` expects.
    lr : float, optional
        The learning rate, 3e-2 in the book.
    num_iters : int, optional
        The number of iterations, 10 in the book.
    seed : int or None, optional
        Passed to ``mxnet.random.seed`` before the layer's parameters are
        (re)initialised. The default, 0, reproduces the book whatever was
        drawn before; None leaves MXNet's global random state alone.

    Returns
    -------
    kernel : mxnet.np.ndarray
        The learned weight, reshaped to the kernel's 2-D shape.
    losses : list of float
        The summed squared error of every iteration, before its update.

    Raises
    ------
    TypeError
        If an argument has the wrong type, or `layer` has no ``weight``.
    ValueError
        If `X` or `Y` is not a non-empty 2-D array, `Y` is larger than
        `X`, `lr` or `num_iters` is not positive, or `layer`'s output
        does not have the shape of `Y`.

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
    X = edge_image() if X is None else as_2d_array('learn_kernel', 'X', X)
    Y = detect_edges() if Y is None else as_2d_array('learn_kernel', 'Y', Y)
    h, w = X.shape[0] - Y.shape[0] + 1, X.shape[1] - Y.shape[1] + 1
    if h < 1 or w < 1:
        raise ValueError(f'learn_kernel: target Y of shape {Y.shape} is '
                         f'larger than input X of shape {X.shape}')
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        raise TypeError(f'learn_kernel: lr must be a real number, '
                        f'got {type(lr).__name__}')
    if not lr > 0:
        raise ValueError(f'learn_kernel: lr must be positive, got {lr}')
    num_iters = check_int('learn_kernel', 'num_iters', num_iters, 1)
    if layer is None:
        # 1 output channel; channels come in the next section
        layer = nn.Conv2D(1, kernel_size=(h, w))
    if not isinstance(layer, nn.Block):
        raise TypeError(f'learn_kernel: layer must be a gluon Block, '
                        f'got {type(layer).__name__}')
    if not isinstance(getattr(layer, 'weight', None), mx.gluon.Parameter):
        raise TypeError(f'learn_kernel: layer {type(layer).__name__} has no '
                        '`weight` parameter to learn')
    if seed is not None:
        mx.random.seed(seed)
    layer.initialize(force_reinit=True)
    if isinstance(layer, nn.Conv2D):
        # (batch, channel, height, width), both batch and channel are 1
        X = X.reshape(1, 1, *X.shape)
        Y = Y.reshape(1, 1, *Y.shape)
    losses = []
    for _ in range(num_iters):
        with autograd.record():
            Y_hat = layer(X)
            if Y_hat.shape != Y.shape:
                raise ValueError(
                    f'learn_kernel: layer {type(layer).__name__} maps X of '
                    f'shape {X.shape} to shape {Y_hat.shape}, but Y has '
                    f'shape {Y.shape}')
            l = (Y_hat - Y) ** 2  # noqa: E741 (the book's name)
        l.backward()
        # For the sake of simplicity, we ignore the bias here
        layer.weight.data()[:] -= lr * layer.weight.grad()
        losses.append(float(l.sum()))
    return layer.weight.data().reshape(h, w).copy(), losses
