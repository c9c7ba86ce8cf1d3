"""A fast `corr2d`: engines chosen by a cost model.

`corr2d_fast` checks its input on the host (NumPy arrays as they are,
MXNet arrays through views of their memory, `_memory`: no copies) and
hands it to one engine, which writes into an array MXNet allocated (or
into `out`). The engines, each a module registered in `choose.REGISTRY`:
`c_engine` (a direct kernel in C, built at install where a compiler is
found), `cv2_engine` (``cv2.filter2D``), `fft_engine` (tiled FFTs,
``scipy.fft``) and `numpy_engine` (shifted slices; needs nothing else).
`choose`'s cost model picks one and its threads, from constants that
``python benchmarks/fit_cost.py`` fits (``_costs.py``; how fast that
makes it: ``docs/speed.md``). A small call that the C engine computes on
one thread takes the fewest steps (`_small`). Nothing is compiled at
import or in a call. `_threads` is the one way an engine runs threads
of its own; no helper works on a call's output once the call has
returned or raised, KeyboardInterrupt included. How many threads they
may use: `get_num_threads` (`_cpus`).
"""

import numpy as onp
from mxnet import autograd, np, npx
from mxnet.context import current_context

from .._validation import as_2d_host, check_corr2d_args, check_fits
from . import _memory, c_engine, choose
from ._cpus import get_num_threads, set_num_threads

__all__ = ['corr2d_fast', 'get_num_threads', 'set_num_threads']


def _convolution(X, K):
    """`corr2d` through ``npx.convolution``, the op behind ``nn.Conv2D``."""
    (H, W), (h, w) = X.shape, K.shape
    Y = npx.convolution(X.reshape(1, 1, H, W), K.reshape(1, 1, h, w),
                        kernel=(h, w), num_filter=1, no_bias=True)
    return Y.reshape(H - h + 1, W - w + 1)


def corr2d_fast(X, K, *, out=None, method='auto'):
    """Compute 2D cross-correlation, fast.

    The same operation as the book's `corr2d` (section 6.2.1, "The
    Cross-Correlation Operator"), which stays the reference: the output
    has shape ``(H - h + 1, W - w + 1)`` for an ``H x W`` input and an
    ``h x w`` kernel. Outside ``autograd.record()`` it computes on the
    host, by whichever engine
    `choose.choose_engine`'s cost model says is fastest for these
    shapes and `method`: the C engine's direct sum (small kernels; its
    rows shared among the cores), tiled FFTs (large kernels), OpenCV's
    ``cv2.filter2D``, or shifted slices in NumPy. NumPy input is
    computed as it is, never copied into MXNet. Under
    ``autograd.record()`` it calls ``npx.convolution``, the operator
    behind Gluon's ``nn.Conv2D``, so gradients flow to `X` and `K` and
    equal that layer's.

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input; converted as in `corr2d`. Masked arrays are
        refused (their mask would be ignored).
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.
    out : mxnet.np.ndarray or numpy.ndarray, optional
        Where to write the output, as ``out=`` in NumPy's ufuncs: of its
        shape and dtype (a NumPy one writable and C-contiguous); it is
        returned. It may overlap `X` or `K`. Not under
        ``autograd.record()``.
    method : {'auto', 'direct', 'fft'}
        As in ``scipy.signal.correlate``: ``'direct'`` sums every
        product; ``'fft'`` multiplies transforms (needs scipy:
        ``pip install scipy``), except on input it would not compute
        within its error (NaN or inf, which it would spread over every
        output; values whose transforms would overflow or sink into the
        subnormal range; integers too large to give exactly), which is
        summed directly; ``'auto'`` picks the faster for these shapes.
        Under ``autograd.record()`` the sum is
        ``npx.convolution``'s whatever the method.

    Returns
    -------
    Y : mxnet.np.ndarray or numpy.ndarray
        `out`, if given. Else a new ``mxnet.np.ndarray`` of shape
        ``(H - h + 1, W - w + 1)``, on the context of `X` (the current
        context if `X` is not an ``mxnet.np.ndarray``): float64 if `X`
        or `K` is float64, else float32.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, a masked array or not numeric;
        if `out` is not an ``mxnet.np`` or NumPy array; if `method` is
        not a string.
    ValueError
        If `X` or `K` is not 2-D, is empty, or `K` does not fit in `X`;
        if `out` has not the output's shape or dtype (checked before
        anything is written), or is used under ``autograd.record()``;
        if `method` is not one of the three, or is ``'fft'`` where scipy
        is not installed.

    Notes
    -----
    Integer and float16 inputs give float32; float64 gives float64;
    longdouble float64. When `X` and `K` both hold integers, every
    output below ``2**24`` in magnitude is exact, whichever engine runs:
    where ``max|X| * sum|K|`` reaches ``2**23``, so that a partial sum
    could pass ``2**24``, the sums are made in float64 and rounded once
    to float32; the FFT engine transforms integers in float64 and rounds
    to the nearest integer (as scipy's ``correlate`` does), and leaves
    to a direct engine a call whose largest possible sum reaches
    ``2**40``. NaN and inf propagate as in
    ``scipy.signal.correlate2d`` in float64: NaN only in the windows
    that hold one, inf stays inf, ``inf - inf`` and ``0 * inf`` give NaN
    (such input never goes to the FFT, which would spread it, nor to
    OpenCV with a zero tap, which it skips). On floats, the FFT engine's
    error is about 1e-7 of the largest output (float32), spread evenly;
    see `fft_engine`. Arrays that are not aligned in memory are copied
    once. Any result is computed by then: no thread works on it, nor on
    `out`, after `corr2d_fast` returns or raises.

    See Also
    --------
    corr2d : The book's loop, the reference this one is tested against.
    corr2d_vectorized : Shifted slices in ``mxnet.np``, differentiable.

    Examples
    --------
    >>> from mxnet import autograd, np
    >>> X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    >>> K = np.array([[0, 1], [2, 3]])
    >>> corr2d_fast(X, K)
    array([[19., 25.],
           [37., 43.]])

    Into an array of the caller's, summing every product (``'fft'``
    would multiply transforms, where scipy is installed):

    >>> Y = np.zeros((2, 2))
    >>> corr2d_fast(X, K, out=Y, method='direct') is Y
    True
    >>> Y
    array([[19., 25.],
           [37., 43.]])

    Under autograd it is differentiable, like ``nn.Conv2D``:

    >>> K.attach_grad()
    >>> with autograd.record():
    ...     Y = corr2d_fast(X, K)
    >>> Y.backward()
    >>> K.grad  # each entry sums the input window it multiplies
    array([[ 8., 12.],
           [20., 24.]])
    """
    if out is None:
        Y = _small(X, K, method)
        if Y is not None:
            return Y
    _check_method(method)
    if autograd.is_recording():
        if out is not None:
            raise ValueError('corr2d_fast: out= is not differentiable; '
                             'leave it out under autograd.record()')
        # one dtype, float32 or float64, both on the context of X
        X, K = check_corr2d_args('corr2d_fast', X, K)
        return _convolution(X, K)
    x, k, integer = _host_args(X, K)
    target, finish = (_new_output(X, x, k) if out is None
                      else _into(out, x, k))
    if integer and x.dtype == onp.float32 and _largest(x, k) >= 2 ** 23:
        # partial sums may pass 2**24: sum in float64, round once
        x, k = _as_float64(X), _as_float64(K)
        target[...] = choose.correlate(x, k, integer=True, method=method)
    else:
        choose.correlate(x, k, out=target, integer=integer, method=method)
    return finish()


def _small(X, K, method):
    """Return the result of `X` and `K` in a new array if they are NumPy
    or ``mxnet.np`` arrays on the host that the C engine computes on
    this thread, else None.

    The fewest steps: in a 28 x 28 call the sum takes a tenth of the
    time. Anything this does not take (another engine or more threads,
    a dtype or layout to convert, bad input, autograd, another context)
    takes the general path, which checks it.
    """
    if type(X) not in _ARRAYS or type(K) not in _ARRAYS:
        return None
    where = _device(X)  # on its context, as the general path
    if where[0] != _memory.HOST:
        return None
    if type(X) is np.ndarray:
        X = _memory.host_view(X)
    if type(K) is np.ndarray:
        K = _memory.host_view(K)
    if X is None or K is None:
        return None
    dtype, x, k = X.dtype, X.flags, K.flags
    if (K.dtype != dtype or dtype not in _FLOATS or X.ndim != 2
            or K.ndim != 2 or not (x.c_contiguous and x.aligned
                                   and k.c_contiguous and k.aligned)):
        return None
    (H, W), (h, w) = X.shape, K.shape
    if not (0 < h <= H and 0 < w <= W and type(method) is str
            and method in _DIRECT_OR_AUTO):
        return None
    if choose.order(X.shape, K.shape, method)[0] != ('c', 1):
        return None
    if _memory.recording():
        return None
    Y, at = _memory.new_output((H - h + 1, W - w + 1), dtype, where)
    c_engine.kernel().correlate(X, W, K, h, w, at, W - w + 1, 0, H - h + 1,
                                dtype == _FLOATS[1])
    return Y


def _check_method(method):
    """Raise the error for a `method` that cannot run here."""
    if not isinstance(method, str):
        raise TypeError(f'corr2d_fast: method must be a str, one of '
                        f'{", ".join(map(repr, choose.METHODS))}; got '
                        f'{type(method).__name__}')
    if method not in choose.METHODS:
        raise ValueError(f'corr2d_fast: method must be one of '
                         f'{", ".join(map(repr, choose.METHODS))}, '
                         f'got {method!r}')
    if method == 'fft' and 'fft' not in choose.ENGINES:
        raise ValueError("corr2d_fast: method='fft' needs scipy, which is "
                         "not installed: pip install scipy (or the "
                         "package's extra, pip install 'd2l_conv[fast]'); "
                         "or use 'auto' or 'direct'")


def _largest(x, k):
    """Return ``max|x| * sum|k|``, the largest output's bound."""
    return max(float(x.max()), -float(x.min())) * float(
        onp.abs(k).sum(dtype=onp.float64))


def _as_float64(A):
    """Return integer input `A` (checked already) as float64 NumPy (an
    ``mxnet.np.ndarray`` copied: this path is taken rarely)."""
    if isinstance(A, np.ndarray):
        A = A.asnumpy()
    return onp.require(onp.asarray(A, onp.float64), requirements='A')


def _host_args(X, K):
    """Return ``(x, k, integer)``: `X` and `K` checked, as NumPy arrays of
    one dtype, and whether both held integers.

    `x` and `k` are float32 or float64 (the dtype policy of
    `check_corr2d_args`, with the same checks and messages). NumPy input
    is used as it is, and ``mxnet.np.ndarray`` input on the host is read
    through a view of its memory (`_memory.host_view`): neither is
    copied into MXNet.
    """
    x, k = _ready(X), _ready(K)
    integer = False
    if x is None or k is None or x.dtype != k.dtype:
        x, x_integer = as_2d_host('corr2d_fast', 'X', X, _host_values)
        k, k_integer = as_2d_host('corr2d_fast', 'K', K, _host_values)
        if x.dtype != k.dtype:  # as NumPy promotes them
            x, k = x.astype(_FLOATS[1]), k.astype(_FLOATS[1])
        integer = x_integer and k_integer
    check_fits('corr2d_fast', k.shape, x.shape)
    if not (x.flags.aligned and k.flags.aligned):  # copied once
        x, k = (onp.require(a, requirements='A') for a in (x, k))
    return x, k, integer


def _ready(A):
    """Return `A` as a NumPy array if it needs no checking, else None.

    That is a 2-D, non-empty float32 or float64 NumPy array, or an
    ``mxnet.np.ndarray`` like it on the host (then a view of its memory).
    Anything else takes `as_2d_host`, which converts it or raises.
    """
    if type(A) is np.ndarray:
        A = _memory.host_view(A)
    elif type(A) is not onp.ndarray:
        return None
    if A is None or A.ndim != 2 or A.dtype not in _FLOATS or 0 in A.shape:
        return None
    return A


def _host_values(A):
    """Return the values of MXNet's `A` in NumPy: a view of its memory on
    the host, else a copy."""
    view = _memory.host_view(A)
    return A.asnumpy() if view is None else view


_FLOATS = (onp.dtype('float32'), onp.dtype('float64'))

#: The methods `_small` takes (``'fft'`` is checked on the general path).
_DIRECT_OR_AUTO = ('auto', 'direct')


#: The array types `_small` takes as they are.
_ARRAYS = (np.ndarray, onp.ndarray)


def _device(X):
    """Return ``(device type id, device id)`` of MXNet's `X`, or of the
    current context for any other input (where MXNet puts its result)."""
    if isinstance(X, np.ndarray):
        return _memory.device(X)
    context = current_context()
    return context.device_typeid, context.device_id


def _shape(x, k):
    """Return the shape of the valid output of `x` and `k`."""
    (H, W), (h, w) = x.shape, k.shape
    return H - h + 1, W - w + 1


def _new_output(X, x, k):
    """Return ``(target, finish)`` for a new output: `target` a NumPy
    view of a new MXNet array on the host, `finish()` that array, on the
    context of `X` (the current context if `X` is not MXNet's)."""
    device = _device(X)
    host = device if device[0] == _memory.HOST else (_memory.HOST, 0)
    Y, target = _memory.new_array(_shape(x, k), x.dtype, host)
    if host == device:
        return target, lambda: Y
    return target, lambda: Y.as_in_context(
        X.ctx if isinstance(X, np.ndarray) else current_context())


def _into(out, x, k):
    """Return ``(target, finish)`` for the caller's `out`, checked before
    anything is written: `target` the NumPy array to compute into (its
    memory, or a new array where it is not on the host or overlaps `x`
    or `k`), `finish()` `out` holding the result."""
    shape = _shape(x, k)
    if type(out) is np.ndarray:
        view = _memory.host_view(out, writable=True)
        kind = view.dtype if view is not None else onp.dtype(out.dtype)
    elif type(out) is onp.ndarray:
        view = out
        kind = out.dtype
    else:
        raise TypeError('corr2d_fast: out must be an mxnet.np.ndarray or a '
                        f'numpy.ndarray, got {type(out).__name__}')
    if tuple(out.shape) != shape or kind != x.dtype:
        raise ValueError(
            f'corr2d_fast: out must have the output\'s shape {shape} and '
            f'dtype {x.dtype}, got shape {tuple(out.shape)} and dtype '
            f'{kind}')
    if view is not None and not (view.flags.c_contiguous
                                 and view.flags.writeable):
        raise ValueError('corr2d_fast: out must be writable and '
                         'C-contiguous, as a new array is')
    if view is not None and view.flags.aligned and not (
            onp.may_share_memory(view, x) or onp.may_share_memory(view, k)):
        return view, lambda: out
    target = onp.empty(shape, x.dtype)

    def finish():
        if view is None:  # not on the host
            out[:] = np.array(target, ctx=out.ctx)
        else:
            view[...] = target
        return out
    return target, finish
