"""Input checks shared by every 2-D cross-correlation in the package.

They run before the book's code, so a bad input gets a `TypeError` or
`ValueError` that names the function, never an MXNet traceback, an
`IndexError` or a silently empty result.
"""

import numbers
import warnings

import numpy as onp
from mxnet import np


def as_2d_array(func, name, value):
    """Return `value` as a non-empty 2-D numeric ``mxnet.np.ndarray``.

    Floating-point ``mxnet.np.ndarray`` inputs are returned unchanged (so
    autograd still tracks them). NumPy arrays and nested lists or tuples
    are converted with ``mxnet.np.array``: lists become float32, as the
    book's own ``np.array`` calls do, and floating NumPy arrays keep their
    dtype. Integer inputs of any kind become float32, the dtype of the
    book's output, so window sums cannot wrap around.

    Parameters
    ----------
    func : str
        Name of the public function, used in error messages.
    name : str
        Name of the argument, used in error messages.
    value : array_like
        The argument to check.

    Returns
    -------
    mxnet.np.ndarray
        The checked array.

    Raises
    ------
    TypeError
        If `value` is None, a string, or not numeric.
    ValueError
        If `value` is not 2-D or has no elements.

    Examples
    --------
    >>> as_2d_array('corr2d', 'X', [[1, 2], [3, 4]])
    array([[1., 2.],
           [3., 4.]])
    >>> as_2d_array('corr2d', 'X', [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: corr2d: X must be a 2-D array, got shape (2,)
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f'{func}: {name} must be a 2-D numeric array, '
                        f'got {type(value).__name__}')
    if isinstance(value, np.ndarray):
        dtype = onp.dtype(value.dtype)
        array = value
    else:
        if hasattr(value, 'as_np_ndarray'):  # legacy `mxnet.nd.NDArray`
            value = value.asnumpy()
        try:
            with warnings.catch_warnings():
                # numpy<1.24 only warns about ragged lists; refuse them
                warnings.simplefilter('error', onp.VisibleDeprecationWarning)
                host = onp.asarray(value)
        except (TypeError, ValueError, onp.VisibleDeprecationWarning):
            raise TypeError(f'{func}: {name} must be a 2-D numeric array, '
                            f'got {type(value).__name__} with rows of '
                            'different lengths') from None
        dtype = host.dtype
        array = None
    if dtype.kind not in 'iuf':
        raise TypeError(f'{func}: {name} must be numeric (integer or '
                        f'float), got dtype {dtype}')
    shape = tuple(value.shape) if array is not None else host.shape
    if len(shape) != 2:
        raise ValueError(f'{func}: {name} must be a 2-D array, '
                         f'got shape {shape}')
    if 0 in shape:
        raise ValueError(f'{func}: {name} must not be empty, '
                         f'got shape {shape}')
    if array is None:
        if isinstance(value, onp.ndarray) and dtype.kind == 'f':
            array = np.array(host, dtype=host.dtype)
        else:
            array = np.array(host, dtype='float32')
    elif dtype.kind in 'iu':
        # Integer windows would be summed in their own dtype and could wrap
        # around (int8: 100 + 100 == -56); the book's output is float32.
        array = array.astype('float32')
    return array


def check_corr2d_args(func, X, K):
    """Check the input `X` and kernel `K` of a valid 2-D cross-correlation.

    Parameters
    ----------
    func : str
        Name of the public function, used in error messages.
    X, K : array_like
        Input and kernel; see `as_2d_array` for what is accepted.

    Returns
    -------
    X, K : mxnet.np.ndarray
        The checked arrays.

    Raises
    ------
    TypeError, ValueError
        As `as_2d_array`; `ValueError` also if `K` is larger than `X`
        in either dimension (scipy would silently swap them).

    Examples
    --------
    >>> X, K = check_corr2d_args('corr2d', [[1, 2, 3]], [[1, -1]])
    >>> X.shape, K.shape
    ((1, 3), (1, 2))
    >>> check_corr2d_args('corr2d', [[1, 2]], [[1], [-1]])
    Traceback (most recent call last):
    ...
    ValueError: corr2d: kernel K of shape (2, 1) does not fit in input X \
of shape (1, 2); each side of K must be at most that of X
    """
    X = as_2d_array(func, 'X', X)
    K = as_2d_array(func, 'K', K)
    check_fits(func, K.shape, X.shape)
    return X, K


def check_fits(func, K_shape, X_shape):
    """Raise `ValueError` unless a kernel of `K_shape` fits in `X_shape`.

    Examples
    --------
    >>> check_fits('corr2d', (2, 2), (3, 3))
    >>> check_fits('corr2d', (1, 4), (3, 3))
    Traceback (most recent call last):
    ...
    ValueError: corr2d: kernel K of shape (1, 4) does not fit in input X \
of shape (3, 3); each side of K must be at most that of X
    """
    if K_shape[0] > X_shape[0] or K_shape[1] > X_shape[1]:
        raise ValueError(
            f'{func}: kernel K of shape {K_shape} does not fit in input X '
            f'of shape {X_shape}; each side of K must be at most that of X')


def _is_int(value):
    """Tell whether `value` is an int, not counting bools."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(func, name, value, minimum):
    """Return `value` if it is an int of at least `minimum`, else raise.

    Raises a `TypeError` (not an int, or a bool) or a `ValueError` (too
    small) whose message names `func` and the argument `name`.

    Examples
    --------
    >>> check_int('learn_kernel', 'num_iters', 10, 1)
    10
    >>> check_int('learn_kernel', 'num_iters', 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: learn_kernel: num_iters must be at least 1, got 0
    """
    if not _is_int(value):
        raise TypeError(f'{func}: {name} must be an int, '
                        f'got {type(value).__name__}')
    if value < minimum:
        bound = 'non-negative' if minimum == 0 else f'at least {minimum}'
        raise ValueError(f'{func}: {name} must be {bound}, got {value}')
    return int(value)


def check_pair(func, name, value, sides):
    """Return `value` if it is a tuple of two ints, else raise `TypeError`.

    `sides` names the two ints in the message, e.g. ``'(h, w)'``.

    Examples
    --------
    >>> check_pair('toeplitz_matrix', 'shape', (3, 4), '(H, W)')
    (3, 4)
    """
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(_is_int(side) for side in value)):
        raise TypeError(f'{func}: {name} must be a pair of ints {sides}, '
                        f'got {value!r}')
    return int(value[0]), int(value[1])


def check_kernel_size(func, kernel_size):
    """Return `kernel_size` as a tuple ``(h, w)`` of positive ints.

    Parameters
    ----------
    func : str
        Name of the public function or class, used in error messages.
    kernel_size : tuple or list of int
        The kernel's height and width.

    Returns
    -------
    tuple of int
        ``(h, w)``.

    Raises
    ------
    TypeError
        If `kernel_size` is not a pair of ints (bools do not count).
    ValueError
        If a side is less than 1.

    Examples
    --------
    >>> check_kernel_size('Conv2D', [1, 2])
    (1, 2)
    >>> check_kernel_size('Conv2D', 3)
    Traceback (most recent call last):
    ...
    TypeError: Conv2D: kernel_size must be a pair of ints (h, w), got 3
    """
    if isinstance(kernel_size, list):  # as Gluon's layers accept
        kernel_size = tuple(kernel_size)
    h, w = check_pair(func, 'kernel_size', kernel_size, '(h, w)')
    if min(h, w) < 1:
        raise ValueError(f'{func}: kernel_size must be positive, '
                         f'got {(h, w)}')
    return h, w
