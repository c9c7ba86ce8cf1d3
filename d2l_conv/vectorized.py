"""A differentiable `corr2d`: the same sum, built without in-place writes."""

from ._validation import check_corr2d_args


def corr2d_vectorized(X, K):
    """Compute 2D cross-correlation without in-place writes.

    Instead of filling ``Y[i, j]`` one element at a time, as the book's
    `corr2d` does, it sums ``h * w`` shifted slices of `X`, each scaled
    by one kernel entry: ``Y = sum_{a, b} K[a, b] * X[a:a+oh, b:b+ow]``.
    Every step creates a new array, so autograd can differentiate it
    with respect to both `X` and `K` (section 6.2, exercise 2).

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input; converted as in `corr2d`.
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.

    Returns
    -------
    Y : mxnet.np.ndarray
        The output, of shape ``(H - h + 1, W - w + 1)``, on the context
        of `X`. It is float32, as `corr2d`'s, unless `X` or `K` is
        float64 or ``longdouble`` (then float64); integer and float16
        inputs are computed in float32, so they can neither wrap around
        nor overflow at float16's 65504 (the dtype policy of
        `d2l_conv._validation`). Each output is a sum of products, so
        NaN and inf land where ``scipy.signal.correlate2d`` puts them:
        NaN only in windows that hold a NaN (or ``0 * inf``), inf stays
        inf, and ``inf - inf`` is NaN.

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
    corr2d : The book's loop, the reference this one is tested against.

    Examples
    --------
    >>> from mxnet import autograd, np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> corr2d_vectorized(X, K)
    array([[19., 25.],
           [37., 43.]])

    Unlike `corr2d`, it works under autograd:

    >>> K.attach_grad()
    >>> with autograd.record():
    ...     Y = corr2d_vectorized(X, K)
    >>> Y.backward()
    >>> K.grad  # each entry sums the input window it multiplies
    array([[ 8., 12.],
           [20., 24.]])
    """
    # Integer and float16 inputs arrive as float32, in one dtype with `K`.
    X, K = check_corr2d_args('corr2d_vectorized', X, K)
    h, w = K.shape
    oh, ow = X.shape[0] - h + 1, X.shape[1] - w + 1
    Y = None
    for a in range(h):
        for b in range(w):
            term = K[a, b] * X[a: a + oh, b: b + ow]  # (oh, ow)
            Y = term if Y is None else Y + term
    return Y
