"""Exercise 4: kernels for an integral, and what no finite kernel does.

From section 6.2's exercises: "What is the kernel for an integral?"

- A kernel of ones (`box_kernel`) sums each window: on samples with
  spacing ``dx``, ``dx`` times that sum is a Riemann sum, the integral
  over the window. Other quadrature weights are kernels too: `SIMPSON`
  integrates over two sample steps, exactly for cubics.
- A running sum ``S[j] = X[0] + ... + X[j]``, the discrete indefinite
  integral, is a correlation too, but with a kernel of ones as wide as
  the input, over the input padded with zeros (`running_sum`): output
  ``j`` depends on every input to its left. A finite kernel has a fixed
  reach, so it can only give definite integrals over fixed windows,
  the differences of a running sum, ``S[j + w - 1] - S[j - 1]``; the
  running sum itself needs a recurrence, ``S[j] = S[j - 1] + X[j]``.
"""

from mxnet import np

from .._args import check_int
from .._validation import as_2d_array
from ..cross_correlation import corr2d

#: Simpson's rule over two steps (section 6.2, exercise 4): ``corr2d`` of
#: samples with spacing ``dx`` and ``dx * SIMPSON`` is the integral from
#: sample ``j`` to sample ``j + 2``, exact for polynomials up to degree 3.
SIMPSON = np.array([[1, 4, 1]], dtype='float32') / 3


def box_kernel(h, w):
    """Return an ``h x w`` kernel of ones: `corr2d` with it sums windows.

    From section 6.2's exercises: "What is the kernel for an integral?"
    ``corr2d(X, box_kernel(h, w))[i, j]`` is the sum of the ``h x w``
    window of `X` at ``(i, j)``, the discrete integral over that box
    (times ``dx * dy`` for samples with spacings ``dx`` and ``dy``).

    Parameters
    ----------
    h, w : int
        The shape of the box, each at least 1.

    Returns
    -------
    K : mxnet.np.ndarray
        A float32 array of ones, of shape ``(h, w)``.

    Raises
    ------
    TypeError
        If `h` or `w` is not an int (or is a bool).
    ValueError
        If `h` or `w` is less than 1.

    Examples
    --------
    >>> from d2l_conv import corr2d
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> corr2d(X, box_kernel(2, 2))
    array([[ 8., 12.],
           [20., 24.]])
    """
    h = check_int('box_kernel', 'h', h, 1)
    w = check_int('box_kernel', 'w', w, 1)
    return np.ones((h, w))


def running_sum(X):
    """Return the running sum of each row of `X`, computed by `corr2d`.

    From section 6.2's exercises: "What is the kernel for an integral?"
    ``S[i, j] = X[i, 0] + ... + X[i, j]`` is ``corr2d`` of `X`, with
    ``W - 1`` zeros put before each row, and a ``1 x W`` kernel of
    ones: a kernel as wide as the input, because a running sum reaches
    back to the first column. No kernel of a fixed size can do this for
    inputs of every width.

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input, of shape ``(H, W)``.

    Returns
    -------
    S : mxnet.np.ndarray
        float32, of shape ``(H, W)``; ``numpy.cumsum(X, axis=1)``.

    Raises
    ------
    TypeError, ValueError
        If `X` is not a non-empty 2-D numeric array.

    Examples
    --------
    >>> running_sum([[1, 2, 3, 4]])
    array([[ 1.,  3.,  6., 10.]])
    """
    X = as_2d_array('running_sum', 'X', X)
    H, W = X.shape
    zeros = np.zeros((H, W - 1), dtype=X.dtype)
    padded = np.concatenate([zeros, X], axis=1)  # (H, 2 W - 1)
    return corr2d(padded, box_kernel(1, W))
