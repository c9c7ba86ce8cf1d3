"""Exercise 2: why the book's `Conv2D` cannot be trained, and a fix.

The book's `corr2d` fills its output in place, ``Y[i, j] = ...``. Under
``autograd.record()`` the value written depends on the kernel, which
needs a gradient, so MXNet must record the write as an operation; but
autograd records only operations that make new arrays, and this one
writes into ``Y``. MXNet refuses the very first write, at i = j = 0.
`TrainableConv2D` keeps the book's block and swaps in
`corr2d_vectorized`, which builds its output from new arrays only.
"""

from mxnet import autograd, init
from mxnet.base import MXNetError

from .._mxnet_errors import reason as _reason
from .._validation import check_layer_input
from ..conv_layer import Conv2D
from ..edge_detection import detect_edges, edge_image
from ..vectorized import corr2d_vectorized


def autograd_error():
    """Record the book's `Conv2D` under autograd; return MXNet's error.

    From section 6.2's exercises: "When you try to automatically find
    the gradient for the `Conv2D` class we created, what kind of error
    message do you see?" The error is caught live from MXNet, not
    written down: the book's layer is built with a constant kernel (so
    MXNet's random state is left alone) and run on the section's image
    inside ``autograd.record()``. It fails in the forward pass, at the
    first in-place write ``Y[i, j] = ...`` of the book's `corr2d` (i = j
    = 0): the value written depends on the kernel, so autograd must
    record the write, and it records only operations that make new
    arrays.

    Returns
    -------
    str
        The reason MXNet gives, without its C++ traceback and failed
        check. With MXNet 1.9.1: ``Inplace operations (+=, -=, x[:]=,
        etc) are not supported when recording with autograd.``

    Raises
    ------
    RuntimeError
        If recording the book's layer raises no error (a newer MXNet
        might allow it).

    Examples
    --------
    >>> autograd_error()
    'Inplace operations (+=, -=, x[:]=, etc) are not supported when
    recording with autograd.'
    """
    layer = Conv2D(kernel_size=(1, 2))
    layer.initialize(init.Constant(1))
    X, Y = edge_image(), detect_edges()
    try:
        with autograd.record():
            l = ((layer(X) - Y) ** 2).sum()  # noqa: E741 (the book's name)
        l.backward()
    except MXNetError as error:
        return _reason(error)
    raise RuntimeError('autograd_error: recording the book\'s Conv2D '
                       'raised no error')


class TrainableConv2D(Conv2D):
    """The book's `Conv2D` with a forward that autograd can differentiate.

    From section 6.2's exercises, "When you try to automatically find
    the gradient for the `Conv2D` class we created, what kind of error
    message do you see?": the answer's fix. Same parameters as the
    book's block, ``weight`` of shape `kernel_size` and a scalar
    ``bias``, but its forward is ``corr2d_vectorized(x, weight) +
    bias``. The bias starts at zero, as Gluon's built-in ``nn.Conv2D``
    does; the weight gets Gluon's default initialiser, so `learn_kernel`
    draws the same kernel as the book's built-in layer and reproduces
    the book's numbers.

    Parameters
    ----------
    kernel_size : tuple of int
        ``(h, w)``, the shape of the kernel.
    **kwargs
        Passed to ``mxnet.gluon.nn.Block``.

    Raises
    ------
    TypeError
        If `kernel_size` is not a pair of ints.
    ValueError
        If a side of `kernel_size` is less than 1.

    Examples
    --------
    >>> from d2l_conv import learn_kernel
    >>> kernel, losses = learn_kernel(layer=TrainableConv2D((1, 2)))
    >>> print(f'loss {losses[-1]:.3f}')
    loss 0.004
    >>> kernel
    array([[ 0.9895   , -0.9873705]])
    """

    def __init__(self, kernel_size, **kwargs):
        # `Conv2D` checks `kernel_size`, naming this class
        super().__init__(kernel_size, **kwargs)
        # Gluon's nn.Conv2D starts its bias at zero; the book relies on it
        self.bias.init = init.Zero()

    def forward(self, x):
        """Return ``corr2d_vectorized(x, weight) + bias`` for 2-D `x`."""
        check_layer_input(type(self).__name__, x, self.weight.data())
        return corr2d_vectorized(x, self.weight.data()) + self.bias.data()
