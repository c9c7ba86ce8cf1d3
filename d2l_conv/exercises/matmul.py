"""Exercise 3: cross-correlation as a matrix multiplication, both ways.

For an ``H x W`` input `X` and an ``h x w`` kernel `K`, with output
``oh x ow`` (``oh = H - h + 1``, ``ow = W - w + 1``), output pixel
``(i, j)`` reads input pixel ``(i + a, j + b)`` with weight
``K[a, b]``. Either the input or the kernel becomes the matrix:

- im2col: each row of an ``(oh * ow, h * w)`` matrix is one window of
  `X`; times ``K`` flattened, it gives ``Y`` flattened.
- Toeplitz: an ``(oh * ow, H * W)`` matrix holds ``K``'s entries on
  shifted diagonals; times ``X`` flattened, it gives ``Y`` flattened.

No kernel flip is involved: flipping gives convolution, not this.
"""

import numpy as onp
from mxnet import np

from .._args import check_pair
from .._validation import (
    as_2d_array,
    check_corr2d_args,
    check_fits,
    promote,
)

#: The largest Toeplitz matrix built, in bytes (256 MiB); past it the
#: functions that build one raise a ValueError naming its size. Building
#: it takes as much again twice over, for its int64 index array.
TOEPLITZ_MAX_BYTES = 2 ** 28


def _window_index(X_shape, K_shape):
    """Return ``idx``, (oh * ow, h * w): flat input positions per window."""
    (H, W), (h, w) = X_shape, K_shape
    i, j = onp.indices((H - h + 1, W - w + 1))  # output positions
    a, b = onp.indices((h, w))  # kernel offsets
    rows = i.reshape(-1, 1) + a.reshape(1, -1)
    cols = j.reshape(-1, 1) + b.reshape(1, -1)
    return rows * W + cols


def corr2d_im2col(X, K):
    """Compute 2-D cross-correlation as windows of `X` times `K` (im2col).

    From section 6.2's exercises: "How do you represent a
    cross-correlation operation as a matrix multiplication by changing
    the input and kernel arrays?" Here the input changes: it is
    unfolded into an ``(oh * ow, h * w)`` matrix whose rows are its
    windows, and the kernel is flattened to a vector of length
    ``h * w``. It uses no in-place writes, so autograd can
    differentiate it.

    Parameters
    ----------
    X, K : mxnet.np.ndarray or array_like
        2-D input and kernel, checked as in `corr2d`.

    Returns
    -------
    Y : mxnet.np.ndarray
        ``corr2d(X, K)``, of shape ``(H - h + 1, W - w + 1)``, on the
        context of `X`: float32, or float64 if `X` or `K` is float64 or
        ``longdouble`` (the dtype policy of `d2l_conv._validation`).
        Each output sums the products of one window, as
        ``scipy.signal.correlate2d`` does, so NaN and inf land where
        scipy puts them.

    Raises
    ------
    TypeError, ValueError
        As `corr2d`, naming ``corr2d_im2col``.

    Examples
    --------
    >>> from mxnet import np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> np.take(X.reshape(-1), np.array(_window_index(X.shape, K.shape)))
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    >>> corr2d_im2col(X, K)
    array([[19., 25.],
           [37., 43.]])
    """
    X, K = check_corr2d_args('corr2d_im2col', X, K)
    oh, ow = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    idx = np.array(_window_index(X.shape, K.shape), dtype='int64',
                   ctx=X.ctx)
    windows = np.take(X.reshape(-1), idx)  # (oh * ow, h * w)
    return np.dot(windows, K.reshape(-1)).reshape(oh, ow)


def _check_shape(func, shape, K):
    """Return `shape` as a pair of ints that `K` fits in, or raise."""
    shape = check_pair(func, 'shape', shape, '(H, W)')
    check_fits(func, K.shape, shape)
    return shape


def _toeplitz(func, K, shape):
    """Return ``(T, mask)``, both (oh * ow, H * W), for a checked `K`.

    ``T[r, c]`` is the weight that output ``r`` gives input ``c``: the
    entry of `K` gathered by its index, or a zero where input ``c`` is
    outside window ``r``; ``mask`` is True inside the windows. Past
    `TOEPLITZ_MAX_BYTES` it raises a ValueError naming `func`.
    """
    (h, w), (H, W) = K.shape, shape
    rows, cols = (H - h + 1) * (W - w + 1), H * W
    size = rows * cols * onp.dtype(K.dtype).itemsize
    if size > TOEPLITZ_MAX_BYTES:
        raise ValueError(
            f'{func}: the Toeplitz matrix of a {h} x {w} kernel for '
            f'inputs of shape {tuple(shape)} would be {(rows, cols)} '
            f'{onp.dtype(K.dtype).name}: {size:,} bytes, past the limit '
            f'of {TOEPLITZ_MAX_BYTES:,} bytes (TOEPLITZ_MAX_BYTES); '
            'corr2d_im2col builds no such matrix')
    window = _window_index(shape, K.shape)  # (oh * ow, h * w)
    kidx = onp.full((window.shape[0], H * W), h * w)
    kidx[onp.arange(window.shape[0])[:, None], window] = onp.arange(h * w)
    zero = np.zeros(1, dtype=K.dtype, ctx=K.ctx)
    weights = np.concatenate([K.reshape(-1), zero])  # (h * w + 1,)
    T = np.take(weights, np.array(kidx, dtype='int64', ctx=K.ctx))
    return T, kidx < h * w


def toeplitz_matrix(K, shape):
    """Return the doubly block Toeplitz matrix of `K` for inputs of `shape`.

    From section 6.2's exercises: "How do you represent a
    cross-correlation operation as a matrix multiplication by changing
    the input and kernel arrays?" Here the kernel changes. The matrix
    ``T`` has shape ``(oh * ow, H * W)`` and
    ``T[i * ow + j, (i + a) * W + (j + b)] = K[a, b]``; that is,
    ``T = sum_{a, b} K[a, b] kron(eye(oh, H, a), eye(ow, W, b))``: an
    ``oh x H`` grid of ``ow x W`` blocks, block ``(i, i + a)`` being
    the Toeplitz matrix of row ``K[a]``. ``T @ X.reshape(-1)`` is
    ``corr2d(X, K).reshape(-1)``, and ``T.T`` maps an output gradient
    back to the input gradient (`corr2d_input_grad`). It is built by
    gathering `K`'s entries into place, not by that sum, whose zeros
    times a NaN or inf in `K` would fill all of ``T`` with NaN; a gather
    is differentiable in `K` too.

    Parameters
    ----------
    K : mxnet.np.ndarray or array_like
        The 2-D kernel.
    shape : tuple of int
        ``(H, W)``, the shape of the input; `K` must fit in it.

    Returns
    -------
    T : mxnet.np.ndarray
        The matrix, of shape ``(oh * ow, H * W)``, on `K`'s context:
        float32, or float64 if `K` is float64 or ``longdouble`` (the
        dtype policy of `d2l_conv._validation`).

    Raises
    ------
    TypeError
        If `K` is not a numeric array or `shape` not a pair of ints.
    ValueError
        If `K` is not 2-D, is empty or does not fit in `shape`, or if
        the matrix would take more than `TOEPLITZ_MAX_BYTES` bytes (the
        message gives its size in bytes).

    Examples
    --------
    >>> toeplitz_matrix([[1, -1]], (2, 3))
    array([[ 1., -1.,  0.,  0.,  0.,  0.],
           [ 0.,  1., -1.,  0.,  0.,  0.],
           [ 0.,  0.,  0.,  1., -1.,  0.],
           [ 0.,  0.,  0.,  0.,  1., -1.]])

    Times the input flattened, the dense product ``T @ x``:

    >>> from mxnet import np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> T = toeplitz_matrix([[1, 2], [3, 4]], X.shape)
    >>> np.dot(T, X.reshape(-1)).reshape(2, 2)
    array([[27., 37.],
           [57., 67.]])
    """
    K = as_2d_array('toeplitz_matrix', 'K', K)
    return _toeplitz('toeplitz_matrix', K,
                     _check_shape('toeplitz_matrix', shape, K))[0]


def _sparse_matvec(T, mask, x):
    """Return ``T @ x``, summing only where `mask` is True.

    `T` is sparse: outside its windows (`mask` False) it is zero, and a
    sparse product never multiplies those zeros. A dense ``np.dot``
    would, and ``0 * inf`` and ``0 * nan`` are NaN, which would spread a
    single non-finite input to every output. So the products are masked
    first; a dot with ones then sums them (MXNet 1.9.1's ``sum()`` can
    turn inf into NaN, its ``dot`` does not). The zeros ``np.where``
    puts in are an array: with a scalar 0, MXNet 1.9.1's ``where``
    returns no gradient at all.
    """
    products = T * x.reshape(1, -1)  # (rows, cols)
    products = np.where(np.array(mask, ctx=x.ctx), products,
                        np.zeros_like(products))
    ones = np.ones(products.shape[1], dtype=products.dtype, ctx=x.ctx)
    return np.dot(products, ones)


def corr2d_toeplitz(X, K):
    """Compute 2-D cross-correlation as a Toeplitz matrix times `X`.

    From section 6.2's exercises: "How do you represent a
    cross-correlation operation as a matrix multiplication by changing
    the input and kernel arrays?" ``toeplitz_matrix(K, X.shape)``
    times `X` flattened, reshaped to the output's shape. The product
    skips the matrix's zeros outside each window, as a sparse product
    does, so a NaN or inf in `X` reaches only the outputs whose windows
    hold it.

    Parameters
    ----------
    X, K : mxnet.np.ndarray or array_like
        2-D input and kernel, checked as in `corr2d`.

    Returns
    -------
    Y : mxnet.np.ndarray
        ``corr2d(X, K)``, of shape ``(H - h + 1, W - w + 1)``, on the
        context of `X`: float32, or float64 if `X` or `K` is float64 or
        ``longdouble`` (the dtype policy of `d2l_conv._validation`).
        NaN and inf land where ``scipy.signal.correlate2d`` puts them.

    Raises
    ------
    TypeError, ValueError
        As `corr2d`, naming ``corr2d_toeplitz``; a ValueError too if the
        matrix would take more than `TOEPLITZ_MAX_BYTES` bytes.

    Examples
    --------
    >>> from mxnet import np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> corr2d_toeplitz(X, K)
    array([[19., 25.],
           [37., 43.]])

    A NaN reaches only the windows that hold it:

    >>> corr2d_toeplitz([[np.nan, 1, 1], [1, 1, 1]], [[1, 1]])
    array([[nan,  2.],
           [ 2.,  2.]])
    """
    X, K = check_corr2d_args('corr2d_toeplitz', X, K)
    oh, ow = X.shape[0] - K.shape[0] + 1, X.shape[1] - K.shape[1] + 1
    T, mask = _toeplitz('corr2d_toeplitz', K, X.shape)  # (oh * ow, H * W)
    return _sparse_matvec(T, mask, X.reshape(-1)).reshape(oh, ow)


def corr2d_input_grad(dY, K):
    """Return the input gradient of `corr2d` by the transposed matrix.

    From section 6.2's exercises: "How do you represent a
    cross-correlation operation as a matrix multiplication by changing
    the input and kernel arrays?" If ``y = T x``, with ``T`` the
    `toeplitz_matrix` of `K`, then the gradient of ``sum(dY * Y)`` with
    respect to ``x`` is ``T.T dY``: the transposed matrix maps an output
    gradient back to the input. (This is the "transposed convolution".)
    As in `corr2d_toeplitz`, the product skips the matrix's zeros: each
    input pixel sums only the products ``dY[i, j] * K[a, b]`` of the
    windows that hold it, so a NaN or inf reaches only those pixels.
    (``scipy.signal.convolve2d(dY, K, 'full')`` is the same sum, except
    that it also multiplies its zero padding by `K`.)

    Parameters
    ----------
    dY : mxnet.np.ndarray or array_like
        The 2-D output gradient, of shape ``(oh, ow)``.
    K : mxnet.np.ndarray or array_like
        The 2-D kernel.

    Returns
    -------
    dX : mxnet.np.ndarray
        The input gradient, of shape ``(oh + h - 1, ow + w - 1)``, on the
        context of `dY`: float32, or float64 if `dY` or `K` is float64 or
        ``longdouble`` (the dtype policy of `d2l_conv._validation`).

    Raises
    ------
    TypeError, ValueError
        If `dY` or `K` is not a non-empty 2-D numeric array; a
        ValueError too if the matrix would take more than
        `TOEPLITZ_MAX_BYTES` bytes.

    Examples
    --------
    Each output pixel spreads its gradient back over its window:

    >>> corr2d_input_grad([[1, 0], [0, 0]], [[1, 2], [3, 4]])
    array([[1., 2., 0.],
           [3., 4., 0.],
           [0., 0., 0.]])
    """
    dY, K = promote(as_2d_array('corr2d_input_grad', 'dY', dY),
                    as_2d_array('corr2d_input_grad', 'K', K))
    shape = (dY.shape[0] + K.shape[0] - 1, dY.shape[1] + K.shape[1] - 1)
    T, mask = _toeplitz('corr2d_input_grad', K, shape)  # (oh*ow, H*W)
    return _sparse_matvec(T.T, mask.T, dY.reshape(-1)).reshape(shape)
