"""Exercise 1: the edge kernel ``[[1, -1]]`` on an image with a diagonal.

Transposition moves through a cross-correlation: for any `X` and `K`,
``corr2d(X.T, K.T) == corr2d(X, K).T``, because
``sum_{a, b} X.T[i + a, j + b] K.T[a, b]
= sum_{a, b} X[j + b, i + a] K[b, a]``, which is ``corr2d(X, K)[j, i]``.
So transposing `X` is the same as transposing `K` and then the output.
"""

from collections import namedtuple

from mxnet import np

from .._args import check_int
from .._validation import check_corr2d_args
from ..cross_correlation import corr2d
from ..edge_detection import edge_kernel

#: The three answers of exercise 1: ``corr2d(X, K)``,
#: ``corr2d(X.T, K)`` and ``corr2d(X, K.T)``.
DiagonalEdges = namedtuple('DiagonalEdges', ['Y', 'X_T', 'K_T'])


def diagonal_image(n=6):
    """Return an ``n x n`` triangular image: ones on and below the diagonal.

    From section 6.2's exercises: "Construct an image `X` with diagonal
    edges." Pixel ``(i, j)`` is white (1) where ``j <= i`` and black (0)
    above the diagonal, so the image has one diagonal edge.

    Parameters
    ----------
    n : int, optional
        The side of the image, at least 2.

    Returns
    -------
    X : mxnet.np.ndarray
        A float32 array of shape ``(n, n)``.

    Raises
    ------
    TypeError
        If `n` is not an int (or is a bool).
    ValueError
        If `n` is less than 2.

    Examples
    --------
    >>> diagonal_image(4)
    array([[1., 0., 0., 0.],
           [1., 1., 0., 0.],
           [1., 1., 1., 0.],
           [1., 1., 1., 1.]])
    """
    n = check_int('diagonal_image', 'n', n, 2)
    return np.tril(np.ones((n, n)))


def diagonal_edges(X=None, K=None):
    """Apply `K`, then to the transposed `X`, then the transposed `K`.

    From section 6.2's exercises: "Construct an image `X` with diagonal
    edges. What happens if you apply the kernel `K` to it? What happens
    if you transpose `X`? What happens if you transpose `K`?"

    ``K = [[1, -1]]`` compares horizontal neighbours, so it detects
    vertical edges; ``K.T`` compares vertical neighbours, so it detects
    horizontal edges. A diagonal edge is both at once, a staircase, so
    both kernels detect it, one pixel in each row (or column) that the
    edge crosses:

    - ``corr2d(X, K)`` marks the diagonal with 1 (white to black,
      going right);
    - ``corr2d(X.T, K)`` marks the line just below it with -1: the
      triangle is now above the diagonal, so the edge, read left to
      right, goes from black to white; by the identity it is
      ``corr2d(X, K.T).T``;
    - ``corr2d(X, K.T)`` marks the line just above the diagonal with
      -1 (black above white, read top to bottom).

    Parameters
    ----------
    X : array_like, optional
        The 2-D image; defaults to `diagonal_image()`.
    K : array_like, optional
        The 2-D kernel; defaults to the section's ``[[1, -1]]``. Both
        `K` and ``K.T`` must fit in `X`. None means the default.

    Returns
    -------
    DiagonalEdges
        ``(Y, X_T, K_T)``: ``corr2d(X, K)``, ``corr2d(X.T, K)`` and
        ``corr2d(X, K.T)``.

    Raises
    ------
    TypeError, ValueError
        As `corr2d`, naming ``diagonal_edges``; `ValueError` also if
        ``K.T`` does not fit in `X`.

    Examples
    --------
    >>> Y, X_T, K_T = diagonal_edges(diagonal_image(4))
    >>> Y
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.],
           [0., 0., 0.]])
    >>> X_T
    array([[ 0.,  0.,  0.],
           [-1.,  0.,  0.],
           [ 0., -1.,  0.],
           [ 0.,  0., -1.]])
    >>> K_T
    array([[ 0., -1.,  0.,  0.],
           [ 0.,  0., -1.,  0.],
           [ 0.,  0.,  0., -1.]])
    """
    X = diagonal_image() if X is None else X
    K = edge_kernel() if K is None else K
    X, K = check_corr2d_args('diagonal_edges', X, K)
    if K.shape[1] > X.shape[0] or K.shape[0] > X.shape[1]:
        raise ValueError(
            f'diagonal_edges: transposed kernel K.T of shape {K.T.shape} '
            f'does not fit in input X of shape {X.shape}')
    return DiagonalEdges(corr2d(X, K), corr2d(X.T, K), corr2d(X, K.T))
