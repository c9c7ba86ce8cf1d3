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
        converted with ``mxnet.np.array`` (lists and integer arrays become
        float32; floating NumPy arrays keep their dtype).
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.

    Returns
    -------
    Y : mxnet.np.ndarray
        The float32 output, of shape ``(H - h + 1, W - w + 1)``.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, or not numeric.
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
    """
    X, K = check_corr2d_args('corr2d', X, K)
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y
