"""Input checks shared by every 2-D cross-correlation in the package.

They run before the book's code, so a bad input gets a `TypeError` or
`ValueError` that names the function, never an MXNet traceback, an
`IndexError` or a silently empty result.

The dtype policy, stated here once (each correlation's docstring points
here). MXNet computes in float32 or float64, so every input becomes one:

- integers of any width, and float16, compute in float32, the book's
  dtype: integer window sums cannot wrap around (int8: 100 + 100 is
  -56) and float16 sums cannot overflow at 65504;
- float32 stays float32 and float64 stays float64; if `X` and `K`
  differ, both compute in float64, as NumPy would promote them;
- ``numpy.longdouble`` computes in float64: MXNet has no float128, so
  its extra precision is rounded away;
- nested lists and tuples become float32, as ``mxnet.np.array`` makes
  them (the book's own ``np.array`` calls);
- bool, complex, object, string, datetime, timedelta and structured
  dtypes get a `TypeError` naming the function;
- an integer ``mxnet.np.ndarray`` with a gradient attached
  (``attach_grad()``) gets a `TypeError`: its gradient would be kept in
  integers, truncated, so it is refused rather than silently wrong.

`K` is moved to the context of `X`, so results are computed on (and
returned on) `X`'s context. Non-finite values are not refused: each
correlation puts NaN and inf where ``scipy.signal.correlate2d`` does,
or says in its docstring where it cannot.
"""

import math
import numbers
import warnings

import numpy as onp
from mxnet import np

_FLOAT32, _FLOAT64 = onp.dtype('float32'), onp.dtype('float64')
#: What numpy<1.24 warns with on a ragged list (numpy 2 moved it to
#: numpy.exceptions; 1.25 and later have both).
_RAGGED_WARNING = getattr(getattr(onp, 'exceptions', None),
                          'VisibleDeprecationWarning', None) \
    or onp.VisibleDeprecationWarning


def compute_dtype(func, name, dtype):
    """Return the dtype that input `name` of `dtype` is computed in.

    The module's dtype policy: float32 for integers, float16 and
    float32; float64 for float64 and ``longdouble``.

    Raises
    ------
    TypeError
        For any other dtype, naming `func` and `name`.

    Examples
    --------
    >>> compute_dtype('corr2d', 'X', onp.dtype('uint8'))
    dtype('float32')
    >>> compute_dtype('corr2d', 'X', onp.dtype(onp.longdouble))
    dtype('float64')
    >>> compute_dtype('corr2d', 'X', onp.dtype('complex64'))
    Traceback (most recent call last):
    ...
    TypeError: corr2d: X must be numeric (integer or float), got dtype \
complex64
    """
    if dtype.kind in 'iu' or (dtype.kind == 'f' and dtype.itemsize <= 4):
        return _FLOAT32
    if dtype.kind == 'f':  # float64 and longdouble
        return _FLOAT64
    raise TypeError(f'{func}: {name} must be numeric (integer or '
                    f'float), got dtype {dtype}')


def _checked(func, name, value):
    """Check `value` as `as_2d_array` does, converting nothing to MXNet.

    Returns ``(host, dtype, target)``: `host` is `value` as a NumPy array
    (None for an ``mxnet.np.ndarray``), `dtype` the dtype it came in and
    `target` the dtype the policy computes it in.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f'{func}: {name} must be a 2-D numeric array, '
                        f'got {type(value).__name__}')
    if isinstance(value, np.ndarray):
        host = None
        dtype = onp.dtype(value.dtype)
    else:
        if hasattr(value, 'as_np_ndarray'):  # legacy `mxnet.nd.NDArray`
            value = value.asnumpy()
        try:
            with warnings.catch_warnings():
                # numpy<1.24 only warns about ragged lists; refuse them
                warnings.simplefilter('error', _RAGGED_WARNING)
                host = onp.asarray(value)
        except (TypeError, ValueError, _RAGGED_WARNING):
            raise TypeError(f'{func}: {name} must be a 2-D numeric array, '
                            f'got {type(value).__name__} with rows of '
                            'different lengths') from None
        dtype = host.dtype
    target = compute_dtype(func, name, dtype)
    shape = tuple(value.shape) if host is None else host.shape
    if len(shape) != 2:
        raise ValueError(f'{func}: {name} must be a 2-D array, '
                         f'got shape {shape}')
    if 0 in shape:
        raise ValueError(f'{func}: {name} must not be empty, '
                         f'got shape {shape}')
    if host is None and dtype.kind in 'iu' and value.grad is not None:
        raise TypeError(
            f'{func}: {name} is an integer array ({dtype}) with a '
            'gradient attached; its gradient would be truncated to '
            f'integers. Cast it to float before attach_grad()')
    if isinstance(value, (list, tuple)):
        target = _FLOAT32  # as `mxnet.np.array` makes lists
    return host, dtype, target


def as_2d_array(func, name, value):
    """Return `value` as a non-empty 2-D float ``mxnet.np.ndarray``.

    Its dtype follows the module's dtype policy. An ``mxnet.np.ndarray``
    already in that dtype is returned unchanged, and one cast to it is
    cast under autograd, so gradients still reach the original. NumPy
    arrays and nested lists or tuples are copied with ``mxnet.np.array``
    onto the current context.

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
        The checked array, float32 or float64.

    Raises
    ------
    TypeError
        If `value` is None, a string, ragged, not numeric, or an integer
        ``mxnet.np.ndarray`` with a gradient attached.
    ValueError
        If `value` is not 2-D or has no elements.

    Examples
    --------
    >>> as_2d_array('corr2d', 'X', [[1, 2], [3, 4]])
    array([[1., 2.],
           [3., 4.]])
    >>> as_2d_array('corr2d', 'X', onp.ones((1, 2), dtype='float16')).dtype
    dtype('float32')
    >>> as_2d_array('corr2d', 'X', [1, 2])
    Traceback (most recent call last):
    ...
    ValueError: corr2d: X must be a 2-D array, got shape (2,)
    """
    host, dtype, target = _checked(func, name, value)
    if host is None:
        return value if dtype == target else value.astype(target)
    # native byte order and C order, which MXNet needs
    return np.array(onp.ascontiguousarray(host, dtype=target), dtype=target)


def as_2d_host(func, name, value, view):
    """Return `value` as a non-empty 2-D NumPy array, and if it was integer.

    The same checks, messages and dtype policy as `as_2d_array`, for
    code that computes on the host: nothing is copied into MXNet. A
    NumPy array already in its compute dtype is returned as it is (any
    strides or byte order); others are cast by NumPy. An
    ``mxnet.np.ndarray`` is read through ``view(value)``, which returns
    a NumPy array of its values (a view of its memory where it can).

    Returns
    -------
    host : numpy.ndarray
        float32 or float64, as the policy says.
    integer : bool
        Whether `value` held integers (its dtype, before the cast).

    Examples
    --------
    >>> as_2d_host('corr2d_fast', 'X', [[1, 2]], None)
    (array([[1., 2.]], dtype=float32), True)
    >>> as_2d_host('corr2d_fast', 'X', onp.ones((2, 2), bool), None)
    Traceback (most recent call last):
    ...
    TypeError: corr2d_fast: X must be numeric (integer or float), got \
dtype bool
    >>> as_2d_host('corr2d_fast', 'X', onp.ma.ones((2, 2)), None)
    Traceback (most recent call last):
    ...
    TypeError: corr2d_fast: X is a masked array, whose mask would be \
ignored; pass numpy.ma.filled(X, value) or X.data
    """
    if isinstance(value, onp.ma.MaskedArray):
        raise TypeError(f'{func}: {name} is a masked array, whose mask would '
                        f'be ignored; pass numpy.ma.filled({name}, value) or '
                        f'{name}.data')
    host, dtype, target = _checked(func, name, value)
    if host is None:
        host = view(value)
    return host.astype(target, copy=False), dtype.kind in 'iu'


def promote(A, B):
    """Return `A` and `B` in one dtype, on the context of `A`.

    Both are float32 unless either is float64 (NumPy's promotion); `B`
    is copied to `A`'s context if it is elsewhere. Casts and copies are
    recorded by autograd, so gradients reach the originals.

    Examples
    --------
    >>> A, B = promote(np.ones(2), np.ones(2, dtype='float64'))
    >>> A.dtype, B.dtype
    (dtype('float64'), dtype('float64'))
    """
    if B.ctx != A.ctx:
        B = B.as_in_ctx(A.ctx)
    if A.dtype != B.dtype:
        A, B = A.astype(_FLOAT64), B.astype(_FLOAT64)
    return A, B


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
        The checked arrays, in one dtype (the module's dtype policy) and
        both on the context of `X`.

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
    return promote(X, K)


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


def check_int(func, name, value, minimum, *, none_ok=False):
    """Return `value` if it is an int of at least `minimum`, else raise.

    Raises a `TypeError` (not an int, or a bool) or a `ValueError` (too
    small) whose message names `func` and the argument `name`. With
    `none_ok`, None is returned as it is.

    Examples
    --------
    >>> check_int('learn_kernel', 'num_iters', 10, 1)
    10
    >>> check_int('learn_kernel', 'num_iters', 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: learn_kernel: num_iters must be at least 1, got 0
    >>> check_int('learn_kernel', 'seed', 'a', 0, none_ok=True)
    Traceback (most recent call last):
    ...
    TypeError: learn_kernel: seed must be an int or None, got str
    """
    if none_ok and value is None:
        return None
    if not _is_int(value):
        kind = 'an int or None' if none_ok else 'an int'
        raise TypeError(f'{func}: {name} must be {kind}, '
                        f'got {type(value).__name__}')
    if value < minimum:
        bound = 'non-negative' if minimum == 0 else f'at least {minimum}'
        raise ValueError(f'{func}: {name} must be {bound}, got {value}')
    return int(value)


def check_positive_real(func, name, value):
    """Return `value` as a float if it is a finite, positive real number.

    Raises a `TypeError` (not a real number, or a bool) or a `ValueError`
    (NaN, infinite, zero or negative) whose message names `func` and the
    argument `name`.

    Examples
    --------
    >>> check_positive_real('learn_kernel', 'lr', 3e-2)
    0.03
    >>> check_positive_real('learn_kernel', 'lr', float('inf'))
    Traceback (most recent call last):
    ...
    ValueError: learn_kernel: lr must be finite and positive, got inf
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f'{func}: {name} must be a real number, '
                        f'got {type(value).__name__}')
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f'{func}: {name} must be finite and positive, '
                         f'got {value}')
    return float(value)


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
