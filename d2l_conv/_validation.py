"""Input checks of every 2-D cross-correlation and of the `Conv2D` layer.

The arrays they are given, the kernel's fit, and the layer's
`kernel_size`. They run before the book's code, so a bad input gets a
`TypeError` or `ValueError` that names the function, never an MXNet
traceback, an `IndexError` or a silently empty result.

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
  dtypes get a `TypeError` naming the function, and so does a masked
  array (``numpy.ma``), whose hidden values would otherwise be used;
- an integer ``mxnet.np.ndarray`` with a gradient attached
  (``attach_grad()``) gets a `TypeError`: its gradient would be kept in
  integers, truncated, so it is refused rather than silently wrong.

`K` is moved to the context of `X`, so results are computed on (and
returned on) `X`'s context. Non-finite values are not refused: each
correlation puts NaN and inf where ``scipy.signal.correlate2d`` does,
or says in its docstring where it cannot.
"""

import os
import warnings

import numpy as onp
from mxnet import np

from ._args import check_pair
from ._compat import mxnet_int64_enabled

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
    if isinstance(value, onp.ma.MaskedArray):
        raise TypeError(f'{func}: {name} is a masked array, whose mask would '
                        f'be ignored; pass numpy.ma.filled({name}, value) or '
                        f'{name}.data')
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
        If `value` is None, a string, ragged, not numeric, a masked array
        (``numpy.ma``, whose hidden values would be used), or an integer
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


def check_fits(func, K_shape, X_shape, *, kernel='kernel K',
               image='input X'):
    """Raise `ValueError` unless a kernel of `K_shape` fits in `X_shape`.

    `kernel` and `image` name the two in the message.

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
        short = kernel.split()[-1]
        raise ValueError(
            f'{func}: {kernel} of shape {K_shape} does not fit in {image} '
            f'of shape {X_shape}; each side of {short} must be at most '
            f'that of {image.split()[-1]}')


def check_layer_input(func, x, weight):
    """Check the input `x` of a layer `func` whose kernel is `weight`.

    The checks of `check_corr2d_args`, with the names a layer's reader
    knows: the layer's, its input ``x`` and its ``weight``. The layer's
    forward then runs as written.

    Examples
    --------
    >>> check_layer_input('Conv2D', np.ones((1, 1, 6, 8)), np.ones((1, 2)))
    Traceback (most recent call last):
    ...
    ValueError: Conv2D: x must be a 2-D array, got shape (1, 1, 6, 8)
    >>> check_layer_input('Conv2D', np.ones((1, 5)), np.ones((2, 2)))
    Traceback (most recent call last):
    ...
    ValueError: Conv2D: kernel weight of shape (2, 2) does not fit in \
input x of shape (1, 5); each side of weight must be at most that of x
    """
    x = as_2d_array(func, 'x', x)
    check_fits(func, tuple(weight.shape), x.shape, kernel='kernel weight',
               image='input x')


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
        If a side is less than 1, or the weight would not fit in the
        machine's memory or in one MXNet array (fewer than 2**31 - 1
        elements, unless MXNet was built with large tensors): refused
        here rather than by MXNet at ``initialize``.

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
    memory = _physical_memory()
    if memory is not None and 4 * h * w > memory:
        raise ValueError(
            f'{func}: kernel_size {(h, w)} would take a {_gib(4 * h * w)} '
            f"weight (float32), more than this machine's {_gib(memory)} "
            'of memory')
    if h * w >= MXNET_MAX_SIZE and not mxnet_int64_enabled():
        raise ValueError(
            f'{func}: kernel_size {(h, w)} has {h * w} elements; this '
            f'MXNet holds at most {MXNET_MAX_SIZE - 1} in one array (a '
            'build with large-tensor support holds more)')
    return h, w


#: MXNet, unless built with large tensors, refuses arrays of this many
#: elements and more (``Size() < (1 << 31) - 1``, at initialisation).
MXNET_MAX_SIZE = 2 ** 31 - 1


def _physical_memory():
    """Return the machine's memory in bytes, or None where unknown."""
    try:
        return os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES')
    except (AttributeError, ValueError, OSError):  # e.g. on Windows
        return None


def _gib(size):
    """Return `size` bytes as GiB, to one decimal."""
    return f'{size / 2 ** 30:.1f} GiB'
