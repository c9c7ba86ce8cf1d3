"""6.2.5 Cross-correlation and Convolution: a true 2-D convolution."""

from ._validation import as_2d_array, check_corr2d_args
from .cross_correlation import corr2d
from .exercises.autograd import TrainableConv2D
from .vectorized import corr2d_vectorized


def flip_kernel(K):
    """Return `K` flipped along both axes (rotated by 180 degrees).

    Parameters
    ----------
    K : mxnet.np.ndarray or array_like
        A 2-D kernel.

    Returns
    -------
    mxnet.np.ndarray
        ``K[::-1, ::-1]``, in the dtype of the package's policy
        (`d2l_conv._validation`): float32, or float64 for float64 and
        ``longdouble`` input.

    Examples
    --------
    >>> from mxnet import np
    >>> flip_kernel(np.array([[0, 1], [2, 3]]))
    array([[3., 2.],
           [1., 0.]])
    """
    K = as_2d_array('flip_kernel', 'K', K)
    return K[::-1, ::-1]


def conv2d_true(X, K):
    """Compute a true 2-D convolution (valid): `corr2d` with `K` flipped.

    Section 6.2.5, "Cross-correlation and Convolution". A convolution
    indexes the kernel backwards, ``Y[i, j] = sum_{a, b} X[i + a, j + b]
    K[h - 1 - a, w - 1 - b]``, so it equals cross-correlation with the
    kernel flipped along both axes. Learned kernels make the two
    equivalent: a layer that learns `K` under one learns the flipped `K`
    under the other, which is why deep learning calls cross-correlation
    "convolution".

    Parameters
    ----------
    X, K : mxnet.np.ndarray or array_like
        2-D input and kernel, checked as in `corr2d`.

    Returns
    -------
    mxnet.np.ndarray
        ``corr2d(X, flip_kernel(K))``, of shape ``(H - h + 1, W - w + 1)``;
        equal to ``scipy.signal.convolve2d(X, K, mode='valid')``. As
        `corr2d`'s: computed in the package's dtype policy
        (`d2l_conv._validation`), returned as float32 on the default
        context, and an inf may come out as NaN (MXNet's ``sum()``).

    Raises
    ------
    TypeError, ValueError
        As `corr2d`, naming ``conv2d_true``.

    Examples
    --------
    >>> from mxnet import np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> conv2d_true(X, K)
    array([[ 5., 11.],
           [23., 29.]])

    Convolving with the flipped kernel gives back the cross-correlation:

    >>> conv2d_true(X, flip_kernel(K))
    array([[19., 25.],
           [37., 43.]])
    """
    X, K = check_corr2d_args('conv2d_true', X, K)
    return corr2d(X, flip_kernel(K))


class TrueConv2D(TrainableConv2D):
    """The book's `Conv2D` with a true convolution, trainable by autograd.

    Section 6.2.5, "Cross-correlation and Convolution": its forward is
    ``corr2d_vectorized(x, flip_kernel(weight)) + bias``, a true
    convolution that autograd can differentiate. It starts from the flip
    of the kernel that the same random draw gives a cross-correlation
    layer (`TrainableConv2D`, or the built-in ``nn.Conv2D`` of 6.2.4):
    both layers then compute the same output at every step of the same
    gradient descent, so `learn_kernel` gives the same losses and learns
    the flip of 6.2.4's kernel.

    Parameters
    ----------
    kernel_size, **kwargs
        As `TrainableConv2D`'s, which checks them.

    Examples
    --------
    >>> from d2l_conv import learn_kernel
    >>> from d2l_conv.published import loss_lines
    >>> kernel, losses = learn_kernel(layer=TrueConv2D((1, 2)))
    >>> print(loss_lines(losses))
    batch 2, loss 4.949
    batch 4, loss 0.831
    batch 6, loss 0.140
    batch 8, loss 0.024
    batch 10, loss 0.004
    >>> flip_kernel(kernel)  # 6.2.4's learned kernel
    array([[ 0.9895   , -0.9873705]])
    """

    def initialize(self, *args, **kwargs):
        """Initialise as `TrainableConv2D`, then flip the kernel drawn."""
        super().initialize(*args, **kwargs)
        self.weight.set_data(flip_kernel(self.weight.data()))

    def forward(self, x):
        return corr2d_vectorized(x, flip_kernel(self.weight.data())) + \
            self.bias.data()
