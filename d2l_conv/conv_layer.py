"""6.2.2 Convolutional Layers: the book's custom `Conv2D` block."""

from mxnet.gluon import nn

from ._validation import check_kernel_size, check_layer_input
from .cross_correlation import corr2d


class Conv2D(nn.Block):
    """A 2-D convolutional layer: `corr2d` of input and kernel, plus bias.

    The book's block, line for line (section 6.2.2, "Convolutional
    Layers"). Its parameters are ``weight``, of shape `kernel_size`, and a
    scalar ``bias``, declared with ``self.params.get``. As the book notes,
    its forward uses the loop `corr2d`, which writes in place, so it
    cannot be trained with autograd; ``exercises.TrainableConv2D`` can.

    Parameters
    ----------
    kernel_size : tuple of int
        ``(h, w)``, the shape of the kernel; checked before the book's
        body, so a bad one, or one too large for the machine's memory or
        for one MXNet array, gets a `TypeError` or `ValueError` naming
        the class instead of an MXNet error at initialisation. The input
        of ``forward`` is checked too, before the book's line, so its
        errors name the class, not `corr2d`.
    **kwargs
        Passed to ``mxnet.gluon.nn.Block``.

    Raises
    ------
    TypeError, ValueError
        At construction, for a bad `kernel_size`; in ``forward``, for an
        input `x` that `corr2d` would refuse (not 2-D, masked, ...) or
        that the kernel does not fit in, naming the class and ``x``.

    Examples
    --------
    >>> from mxnet import init, np
    >>> layer = Conv2D(kernel_size=(1, 2))
    >>> layer.initialize(init.Constant(1))
    >>> layer(np.array([[0, 1, 2], [3, 4, 5]]))
    array([[ 2.,  4.],
           [ 8., 10.]])
    """

    def __init__(self, kernel_size, **kwargs):
        kernel_size = check_kernel_size(type(self).__name__, kernel_size)
        super(Conv2D, self).__init__(**kwargs)
        self.weight = self.params.get('weight', shape=kernel_size)
        self.bias = self.params.get('bias', shape=(1,))

    def forward(self, x):
        """Return ``corr2d(x, weight) + bias`` for a 2-D input `x`."""
        check_layer_input(type(self).__name__, x, self.weight.data())
        return corr2d(x, self.weight.data()) + self.bias.data()
