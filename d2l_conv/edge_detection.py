"""6.2.3 Object Edge Detection in Images: the section's image and kernel."""

from mxnet import np

from .cross_correlation import corr2d


def edge_image():
    """Return the section's 6 x 8 image: middle four columns black (0).

    Section 6.2.3, "Object Edge Detection in Images". The rest of the
    image is white (1).

    Returns
    -------
    X : mxnet.np.ndarray
        A float32 array of shape ``(6, 8)``.

    Examples
    --------
    >>> edge_image()
    array([[1., 1., 0., 0., 0., 0., 1., 1.],
           [1., 1., 0., 0., 0., 0., 1., 1.],
           [1., 1., 0., 0., 0., 0., 1., 1.],
           [1., 1., 0., 0., 0., 0., 1., 1.],
           [1., 1., 0., 0., 0., 0., 1., 1.],
           [1., 1., 0., 0., 0., 0., 1., 1.]])
    """
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    return X


def edge_kernel():
    """Return the section's 1 x 2 edge detector ``[[1, -1]]``.

    Section 6.2.3. Cross-correlated with an image, it gives 0 where
    horizontally adjacent pixels are equal, 1 at an edge from white to
    black and -1 at an edge from black to white.

    Returns
    -------
    K : mxnet.np.ndarray
        A float32 array of shape ``(1, 2)``.

    Examples
    --------
    >>> edge_kernel()
    array([[ 1., -1.]])
    """
    return np.array([[1, -1]])


def detect_edges(X=None, K=None):
    """Return ``corr2d(X, K)``, by default the section's output `Y`.

    Section 6.2.3: 1 marks the edge from white to black, -1 the edge
    from black to white, 0 everywhere else.

    Parameters
    ----------
    X : array_like, optional
        The image; defaults to `edge_image()`.
    K : array_like, optional
        The kernel; defaults to `edge_kernel()`.

    Returns
    -------
    Y : mxnet.np.ndarray
        ``corr2d(X, K)``.

    Examples
    --------
    >>> detect_edges()
    array([[ 0.,  1.,  0.,  0.,  0., -1.,  0.],
           [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
           [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
           [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
           [ 0.,  1.,  0.,  0.,  0., -1.,  0.],
           [ 0.,  1.,  0.,  0.,  0., -1.,  0.]])
    """
    X = edge_image() if X is None else X
    K = edge_kernel() if K is None else K
    return corr2d(X, K)


def detect_edges_transposed():
    """Return ``corr2d(X.T, K)``: the vertical-edge kernel on ``X.T``.

    Section 6.2.3: on the transposed image the edges are horizontal, so
    the kernel ``[[1, -1]]``, which only detects vertical edges, gives an
    8 x 5 array of zeros.

    Returns
    -------
    mxnet.np.ndarray
        An array of shape ``(8, 5)``.

    Examples
    --------
    >>> detect_edges_transposed().shape
    (8, 5)
    >>> float(abs(detect_edges_transposed()).sum())
    0.0
    """
    return corr2d(edge_image().T, edge_kernel())
