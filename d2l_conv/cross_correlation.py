"""6.2.1 The Cross-Correlation Operator: the book's loop `corr2d`."""

from mxnet import np

from ._validation import check_corr2d_args


def corr2d(X, K):
    """Compute 2D cross-correlation.

    The book's loop, line for line (section 6.2.1, "The Cross-Correlation
    Operator", saved to the d2l package). The output has shape
    ``(H - h + 1, W - w + 1)`` for an ``H x W`` input and ``h x w``
    kernel. Because it writes ``Y[i, j]`` in place it cannot run under
    ``autograd.record()``; use `corr2d_vectorized` or `corr2d_fast` there.

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input. NumPy arrays and nested lists are accepted and
        converted with ``mxnet.np.array``. Each window is computed in the
        dtype of the package's policy (`d2l_conv._validation`): integers
        and float16 in float32, float64 and ``longdouble`` in float64.
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.

    Returns
    -------
    Y : mxnet.np.ndarray
        The output, of shape ``(H - h + 1, W - w + 1)``. It is always
        float32 and on the default context, whatever `X` is: the book's
        ``Y = np.zeros(...)`` takes neither a dtype nor a context, and
        each window's sum is stored into it.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, not numeric (bool, complex,
        ...), a masked array (its hidden values would be used), or an
        integer array with a gradient attached.
    ValueError
        If `X` or `K` is not 2-D, is empty, or `K` does not fit in `X`.

    See Also
    --------
    corr2d_vectorized : The same operation without in-place writes.
    scipy.signal.correlate2d : ``mode='valid'`` computes the same values.

    Examples
    --------
    The section's first example:

    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> corr2d(X, K)
    array([[19., 25.],
           [37., 43.]])

    NaN reaches only the windows that hold it, as in
    ``scipy.signal.correlate2d``. An inf, though, can come out as
    ``nan``: each window is summed by MXNet's ``sum()``, and in MXNet
    1.9.1 that sum turns inf into NaN (scipy gives ``[[inf, 3.]]``; the
    variants `corr2d_vectorized` and `corr2d_fast` give inf):

    >>> np.array([np.inf, 1., 2.]).sum()
    array(nan)
    >>> corr2d(np.array([[np.inf, 1., 2.]]), np.array([[1., 1.]]))
    array([[nan,  3.]])
    """
    X, K = check_corr2d_args('corr2d', X, K)
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
