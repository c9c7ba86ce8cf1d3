"""The d2l names that the current edition's code for section 6.2 calls.

The current edition of *Dive into Deep Learning* (d2l.ai 1.0 and later,
section 7.2, MXNet tab) writes this section with the ``d2l`` helper's
framework-neutral names. These six have the semantics of d2l 1.0.3's
``d2l/mxnet.py`` (its alias block, lines 3334 to 3369): `tensor`, `ones`
and `zeros` are ``mxnet.np.array``, ``mxnet.np.ones`` and
``mxnet.np.zeros``; `transpose`, `reshape` and `reduce_sum` call the
array's own ``.T``, ``.reshape`` and ``.sum``. Only these six; the rest
of d2l's alias layer is not here.
"""

from mxnet import np


def tensor(data, *args, **kwargs):
    """The d2l name for ``mxnet.np.array``, which the current edition's
    code for this section calls.

    Parameters
    ----------
    data : array_like
        Nested lists, a scalar, or a NumPy or ``mxnet.np`` array.
    *args, **kwargs
        Passed on to ``mxnet.np.array``: ``dtype`` and ``ctx``.

    Returns
    -------
    mxnet.np.ndarray
        float32 for Python numbers, unless ``dtype`` says otherwise; a
        NumPy array keeps its dtype.

    Examples
    --------
    >>> tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    array([[0., 1., 2.],
           [3., 4., 5.],
           [6., 7., 8.]])
    """
    return np.array(data, *args, **kwargs)


def ones(shape, *args, **kwargs):
    """The d2l name for ``mxnet.np.ones``, which the current edition's
    code for this section calls.

    Parameters
    ----------
    shape : int or tuple of int
        The shape of the new array.
    *args, **kwargs
        Passed on to ``mxnet.np.ones``: ``dtype`` (float32 by default),
        ``order`` and ``ctx``.

    Returns
    -------
    mxnet.np.ndarray
        An array of ones.

    Examples
    --------
    >>> ones((2, 3))
    array([[1., 1., 1.],
           [1., 1., 1.]])
    """
    return np.ones(shape, *args, **kwargs)


def zeros(shape, *args, **kwargs):
    """The d2l name for ``mxnet.np.zeros``, which the current edition's
    code for this section calls.

    Parameters
    ----------
    shape : int or tuple of int
        The shape of the new array.
    *args, **kwargs
        Passed on to ``mxnet.np.zeros``: ``dtype`` (float32 by default),
        ``order`` and ``ctx``.

    Returns
    -------
    mxnet.np.ndarray
        An array of zeros.

    Examples
    --------
    >>> zeros((2, 3))
    array([[0., 0., 0.],
           [0., 0., 0.]])
    """
    return np.zeros(shape, *args, **kwargs)


def reduce_sum(x, *args, **kwargs):
    """The d2l name for ``x.sum(...)``, which the current edition's code
    for this section calls.

    Parameters
    ----------
    x : mxnet.np.ndarray
        Any array with a ``sum`` method (a NumPy array too).
    *args, **kwargs
        Passed on to ``x.sum``: ``axis``, ``keepdims`` and so on.

    Returns
    -------
    mxnet.np.ndarray
        The sum; a 0-d array when summing over every axis.

    Raises
    ------
    AttributeError
        If `x` has no ``sum`` method (a list, say), as in d2l.

    Examples
    --------
    >>> X = tensor([[1, 2], [3, 4]])
    >>> reduce_sum(X)
    array(10.)
    >>> reduce_sum(X, axis=0)
    array([4., 6.])
    """
    return x.sum(*args, **kwargs)


def transpose(a):
    """The d2l name for ``a.T``, which the current edition's code for this
    section calls.

    Parameters
    ----------
    a : mxnet.np.ndarray
        Any array with a ``T`` attribute (a NumPy array too).

    Returns
    -------
    mxnet.np.ndarray
        `a` with its axes reversed.

    Raises
    ------
    AttributeError
        If `a` has no ``T`` attribute (a list, say), as in d2l.

    Examples
    --------
    >>> transpose(tensor([[1, 2, 3]]))
    array([[1.],
           [2.],
           [3.]])
    """
    return a.T


def reshape(x, *args, **kwargs):
    """The d2l name for ``x.reshape(...)``, which the current edition's
    code for this section calls.

    Parameters
    ----------
    x : mxnet.np.ndarray
        Any array with a ``reshape`` method (a NumPy array too).
    *args, **kwargs
        Passed on to ``x.reshape``: the new shape, as one tuple or as
        separate ints.

    Returns
    -------
    mxnet.np.ndarray
        `x` in the new shape.

    Raises
    ------
    AttributeError
        If `x` has no ``reshape`` method (a list, say), as in d2l.

    Examples
    --------
    The 4-D shape Gluon's ``nn.Conv2D`` takes:

    >>> reshape(ones((2, 3)), (1, 1, 2, 3)).shape
    (1, 1, 2, 3)
    >>> reshape(tensor([[[[0.9895, -0.9874]]]]), (1, 2))
    array([[ 0.9895, -0.9874]])
    """
    return x.reshape(*args, **kwargs)
