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
    if type(method) is not str or method != 'auto':
        _check_method(method)
    if (out is not None or isinstance(X, np.ndarray)
            or isinstance(K, np.ndarray)) and autograd.is_recording():
        # (gradients reach only MXNet's arrays: NumPy's skip this check)
        if out is not None:
            raise ValueError('corr2d_fast: out= is not differentiable; '
                             'leave it out under autograd.record()')
        # one dtype, float32 or float64, both on the context of X
        return _convolution(*check_corr2d_args('corr2d_fast', X, K))
    x, k = _ready(X), _ready(K)
    if x is None or k is None or x.dtype is not k.dtype:
        x, k, integer = _host_args(X, K)
    else:
        integer = False
    (H, W), (h, w) = x.shape, k.shape
    if h > H or w > W:
        check_fits('corr2d_fast', k.shape, x.shape)
    shape = H - h + 1, W - w + 1
    # partial sums may pass 2**24: sum in float64, round once
    wide = integer and x.dtype == _FLOATS[0] and _largest(x, k) >= 2 ** 23
    # the fewest steps: one C call on this thread (at 28 x 28 the sum
    # is a tenth of the call)
    direct = not wide and choose.order(x.shape, k.shape, method)[0] == (
        'c', 1)
    Y, target, later = (_new_output(X, shape, x.dtype, direct)
                        if out is None else _into(out, shape, x, k))
    if direct:
        c_engine.kernel().correlate(x, W, k, h, w, target, shape[1], 0,
                                    shape[0], x.dtype == _FLOATS[1])
    elif wide:
        target[...] = choose.correlate(_as_float64(X), _as_float64(K),
                                       integer=True, method=method)
    else:
        choose.correlate(x, k, out=target, integer=integer, method=method)
    return Y if later is None else later()


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


def _host_args(X, K):
    """Return ``(x, k, integer)``: `X` and `K` checked, as C-contiguous
    aligned NumPy arrays of one dtype, float32 or float64 (copied once
    if need be; `check_corr2d_args`' policy, checks and messages), and
    whether both held integers."""
    x, x_integer = as_2d_host('corr2d_fast', 'X', X, _host_values)
    k, k_integer = as_2d_host('corr2d_fast', 'K', K, _host_values)
    if x.dtype != k.dtype:  # as NumPy promotes them
        x, k = x.astype(_FLOATS[1]), k.astype(_FLOATS[1])
    return (*(onp.require(a, requirements='CA') for a in (x, k)),
            x_integer and k_integer)


def _ready(A):
    """Return `A` as NumPy if it needs no conversion, else None: a 2-D,
    non-empty, C-contiguous, aligned float32 or float64 NumPy array, or
    a view of an ``mxnet.np.ndarray`` like it on the host
    (`_memory.host_view`: not copied)."""
    if type(A) is np.ndarray:
        A = _memory.host_view(A)
    elif type(A) is not onp.ndarray:
        return None
    if (A is None or A.ndim != 2 or A.dtype not in _FLOATS or not A.size
            or A.flags.num & _C_ALIGNED != _C_ALIGNED):
        return None
    return A


#: NumPy's flags of a C-contiguous aligned array (one look at ``flags``).
_C_ALIGNED = 0x1 | 0x100  # NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED


def _host_values(A):
    """Return the values of MXNet's `A` in NumPy: a view of its memory on
    the host, else a copy."""
    view = _memory.host_view(A)
    return A.asnumpy() if view is None else view


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


_FLOATS = (onp.dtype('float32'), onp.dtype('float64'))


def _new_output(X, shape, dtype, address):
    """Return ``(Y, target, later)`` for a new output: `target` the
    memory of `Y`, a new MXNet array on the host (its address if
    `address`, else a NumPy view); `later` None, or where `X` is not on
    the host, what returns `Y` on the context of `X` (the current context
    if `X` is not MXNet's)."""
    if type(X) is np.ndarray:
        where = _memory.device(X)
    else:
        where = current_context()
        where = where.device_typeid, where.device_id
    if where[0] == _memory.HOST:
        Y, target = _memory.new_array(shape, dtype, where, not address)
        return Y, target, None
    Y, target = _memory.new_array(shape, dtype)
    return Y, target, lambda: Y.as_in_context(
        X.ctx if isinstance(X, np.ndarray) else current_context())


def _into(out, shape, x, k):
    """Return ``(out, target, later)`` for the caller's `out`, checked
    before anything is written: `target` its memory, or (where it is not
    on the host, not aligned, or overlaps `x` or `k`) a new NumPy array
    that `later()` copies into `out`, returning it."""
    if type(out) is np.ndarray:
        view = _memory.host_view(out, writable=True)
        kind = view.dtype if view is not None else onp.dtype(out.dtype)
    elif type(out) is onp.ndarray:
        view, kind = out, out.dtype
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
        return out, view, None
    target = onp.empty(shape, x.dtype)

    def later():
        if view is None:  # not on the host
            out[:] = np.array(target, ctx=out.ctx)
        else:
            view[...] = target
        return out
    return out, target, later
