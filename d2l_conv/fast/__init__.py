"""A fast `corr2d`: `corr2d_fast` checks its input on the host (MXNet's
arrays as views, `_memory`) and runs the engine `choose` ranks first (C,
OpenCV, scipy's FFT, NumPy) into a new MXNet array or `out`, on up to
`get_num_threads` threads (`_threads`) that never outlive the call."""

import numpy as onp
from mxnet import autograd, np, npx
from mxnet.context import current_context

from .._validation import as_2d_host, check_corr2d_args, check_fits
from . import _memory, c_engine, choose
from ._cpus import get_num_threads, set_num_threads

__all__ = ['corr2d_fast', 'get_num_threads', 'set_num_threads']


def corr2d_fast(X, K, *, out=None, method='auto'):
    """Compute 2D cross-correlation, fast.

    The book's `corr2d` (section 6.2.1), computed on the host by the
    engine of least modelled time for these shapes and `method`
    (`choose.choose_engine`). Given ``mxnet.np`` arrays under
    ``autograd.record()``, it calls ``npx.convolution`` (as ``nn.Conv2D``
    does), so that gradients reach `X` and `K`.

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input, converted as for `corr2d` (masked arrays are
        refused: their mask would be ignored).
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.
    out : mxnet.np.ndarray or numpy.ndarray, optional
        Where to write the output, as ufuncs' ``out=``: of its shape and
        dtype, writable, C-contiguous; it may overlap `X` or `K`. Not
        under ``autograd.record()``.
    method : {'auto', 'direct', 'fft'}
        As ``scipy.signal.correlate``'s: ``'direct'`` sums every product;
        ``'fft'`` multiplies transforms (needs scipy), except where it
        would miss its error (NaN, inf, transforms that would overflow or
        underflow, integers too large to be exact): those are summed;
        ``'auto'`` picks the faster.

    Returns
    -------
    Y : mxnet.np.ndarray or numpy.ndarray
        `out`, or a new ``mxnet.np.ndarray`` of shape ``(H - h + 1,
        W - w + 1)`` on the context of `X` (else the current one):
        float64 if `X` or `K` is, else float32 (`_validation`'s policy).

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, masked or not numeric; if `out` is
        no ``mxnet.np`` or NumPy array, or `method` no str.
    ValueError
        If `X` or `K` is not 2-D or is empty, or `K` does not fit in `X`;
        if `out` is not as above (nothing is written then) or is given
        under ``autograd.record()``; if `method` is another, or ``'fft'``
        without scipy.

    Notes
    -----
    From integers, every output below ``2**24`` in magnitude is exact
    (where ``max|X| * sum|K|`` reaches ``2**23``, summed in float64).
    NaN and inf land as in ``scipy.signal.correlate2d``. The FFT's error
    is about 3e-7 of the largest output in float32 (`fft_engine`). Input
    not C-contiguous or aligned is copied once. No thread touches the
    result or `out` once `corr2d_fast` has returned or raised.

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
    >>> Y = np.zeros((2, 2))
    >>> corr2d_fast(X, K, out=Y, method='direct') is Y
    True

    Under autograd, as ``nn.Conv2D``:

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
    mxnet_x = isinstance(X, np.ndarray)
    if (out is not None or mxnet_x or isinstance(K, np.ndarray)) and (
            autograd.is_recording()):
        if out is not None:  # (NumPy's arrays take no gradients)
            raise ValueError('corr2d_fast: out= is not differentiable; '
                             'leave it out under autograd.record()')
        X, K = check_corr2d_args('corr2d_fast', X, K)  # one dtype, ctx
        (H, W), (h, w) = X.shape, K.shape
        return npx.convolution(
            X.reshape(1, 1, H, W), K.reshape(1, 1, h, w), kernel=(h, w),
            num_filter=1, no_bias=True).reshape(H - h + 1, W - w + 1)
    x, k, integer = _host_args(X, K)
    (H, W), (h, w) = shapes = x.shape, k.shape
    shape, dtype = (H - h + 1, W - w + 1), x.dtype
    # partial sums could pass 2**24: sum in float64, round once
    wide = integer and x.itemsize == 4 and max(
        float(x.max()), -float(x.min())) * float(
            onp.abs(k).sum(dtype=onp.float64)) >= 2 ** 23
    if wide:  # from the integers (this is rare: copied)
        x, k = (onp.asarray(A.asnumpy() if isinstance(A, np.ndarray)
                            else A, onp.float64) for A in (X, K))
    # the fewest steps: one C call, on this thread
    direct = not wide and choose.order(*shapes, method)[0] == _C_HERE
    later = None
    if out is not None:
        Y, target, later = _memory.into(out, shape, dtype, x, k)
    else:
        if mxnet_x:
            where = _memory.device(X)
        else:
            where = current_context()
            where = where.device_typeid, where.device_id
        if where[0] != _memory.HOST:  # computed here, then copied there
            where, later = (_memory.HOST, 0), lambda: Y.as_in_context(
                X.ctx if mxnet_x else current_context())
        Y, target = _memory.new_array(shape, dtype, where, not direct)
    if direct:
        c_engine.correlate(x, W, k, h, w, target, shape[1], 0, shape[0],
                           x.itemsize == 8)
    else:  # the engine ranked first; wide: in float64, rounded once
        sums = onp.empty(shape, onp.float64) if wide else target
        choose.correlate(x, k, out=sums, integer=integer, method=method)
        if wide:
            target[...] = sums
    return Y if later is None else later()


_C_HERE = 'c', 1  # the C engine, on this thread


def _check_method(method):
    """Raise the error for a `method` that cannot run here."""
    named = ', '.join(map(repr, choose.METHODS))
    if not isinstance(method, str):
        raise TypeError(f'corr2d_fast: method must be a str, one of '
                        f'{named}; got {type(method).__name__}')
    if method not in choose.METHODS:
        raise ValueError(f'corr2d_fast: method must be one of {named}, '
                         f'got {method!r}')
    if method == 'fft' and 'fft' not in choose.ENGINES:
        raise ValueError("corr2d_fast: method='fft' needs scipy, which is "
                         "not installed: pip install scipy (or the "
                         "package's extra, pip install 'd2l_conv[fast]'); "
                         "or use 'auto' or 'direct'")


def _host_args(X, K):
    """Return `X` and `K` as C-contiguous aligned NumPy arrays of one float
    dtype (`check_corr2d_args`' policy), and whether both held integers."""
    x = X if type(X) is onp.ndarray else (
        _memory.host_view(X) if type(X) is np.ndarray else None)
    k = K if type(K) is onp.ndarray else (
        _memory.host_view(K) if type(K) is np.ndarray else None)
    if x is not None and k is not None and x.ndim == 2 == k.ndim:
        (H, W), (h, w) = x.shape, k.shape
        if (0 < h <= H and 0 < w <= W and x.dtype is k.dtype
                and x.dtype in _FLOATS
                and x.flags.num & k.flags.num & _C_ALIGNED == _C_ALIGNED):
            return x, k, False  # the most common case, in the fewest steps
    x, x_integer = as_2d_host('corr2d_fast', 'X', X, _host_values)
    k, k_integer = as_2d_host('corr2d_fast', 'K', K, _host_values)
    check_fits('corr2d_fast', k.shape, x.shape)
    if x.dtype != k.dtype:  # as NumPy promotes them
        x, k = x.astype(_FLOATS[1]), k.astype(_FLOATS[1])
    return (*(onp.require(a, requirements='CA') for a in (x, k)),
            x_integer and k_integer)


_FLOATS = (onp.dtype('float32'), onp.dtype('float64'))
_C_ALIGNED = 0x1 | 0x100  # NPY_ARRAY_C_CONTIGUOUS | NPY_ARRAY_ALIGNED


def _host_values(A):
    """Return MXNet's `A` in NumPy: a view on the host, else a copy."""
    view = _memory.host_view(A)
    return A.asnumpy() if view is None else view

