"""MXNet's private names, behind one door.

d2l_conv reads a few of MXNet's internals: its C library, its dtype
codes and 64-bit build flag (for `corr2d_fast`'s zero-copy reads), and
the flag that says a backward pass wrote a gradient. Each is read here
and only here, so that a change in MXNet has one place to be mended.
"""

import numpy


def mxnet_library():
    """Return MXNet's C library as ctypes loaded it (``mxnet.base._LIB``).

    Examples
    --------
    >>> hasattr(mxnet_library(), 'MXNDArrayGetData')
    True
    """
    from mxnet.base import _LIB
    return _LIB


def mxnet_int64_enabled():
    """Tell whether MXNet was built with 64-bit tensor sizes, as its C
    API's shape calls then take and give ``int64``.

    Examples
    --------
    >>> mxnet_int64_enabled() in (True, False)
    True
    """
    from mxnet.ndarray.ndarray import _int64_enabled
    return bool(_int64_enabled())


def mxnet_dtype_codes():
    """Return ``{MXNet's dtype code: numpy.dtype}`` for the plain dtypes.

    Examples
    --------
    >>> mxnet_dtype_codes()[0]
    dtype('float32')
    """
    from mxnet.ndarray.ndarray import _DTYPE_MX_TO_NP
    return {code: numpy.dtype(kind) for code, kind in _DTYPE_MX_TO_NP.items()
            if kind is not None and numpy.dtype(kind).fields is None}


def gradient_reaches(array, backward):
    """Return whether `backward()` writes a gradient to `array`.

    MXNet marks an array whose gradient a backward pass has written with
    its private ``_fresh_grad`` flag; this clears the flag, calls
    `backward` and reads it again. An error `backward` raises passes on,
    with the flag left cleared.

    Parameters
    ----------
    array : mxnet.np.ndarray
        An array with a gradient buffer (``attach_grad``, or a Gluon
        parameter's ``data()``).
    backward : callable
        Called with no arguments; records a computation and runs its
        ``backward()``.

    Returns
    -------
    bool
        True if the backward pass reached `array`.

    Examples
    --------
    >>> from mxnet import autograd, np
    >>> x, other = np.ones(2), np.ones(2)
    >>> x.attach_grad(); other.attach_grad()
    >>> def backward():
    ...     with autograd.record():
    ...         y = (2 * other).sum()
    ...     y.backward()
    >>> gradient_reaches(x, backward), gradient_reaches(other, backward)
    (False, True)
    """
    array._fresh_grad = False
    backward()
    return bool(array._fresh_grad)  # MXNet keeps it as an int
