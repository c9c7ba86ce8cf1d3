"""A fast `corr2d`: engines chosen by a cost model.

`corr2d_fast` checks its input (or sees that MXNet arrays need no
checking), then hands NumPy views of MXNet's memory (DLPack, no copies)
to one engine, which writes into an array MXNet allocated. The engines
are each in their own module:

* `numpy_engine`: shifted slices in NumPy, blocked and threaded; needs
  nothing else, so it serves small inputs and is the fallback;
* `numba_engine`: a compiled direct kernel, one pass over the input,
  compiled in the background and cached on disk (numba is optional);
* `fft_engine`: tiled float32 real FFTs (``scipy.fft``, optional), for
  large kernels, and only on input that is all finite.

`choose` holds the cost model that picks one, with constants measured
on this machine. Importing this package imports neither numba nor scipy
and compiles nothing; `_threads` shares an engine's work among the cores
and keeps its helper threads safe across ``fork``.
"""

import ctypes
import functools
import sys

import numpy as onp
from mxnet import autograd, cpu, np, npx
from mxnet.base import _LIB, check_call

from .._validation import check_corr2d_args
from . import choose

__all__ = ['corr2d_fast']


def _convolution(X, K):
    """`corr2d` through ``npx.convolution``, the op behind ``nn.Conv2D``."""
    (H, W), (h, w) = X.shape, K.shape
    Y = npx.convolution(X.reshape(1, 1, H, W), K.reshape(1, 1, h, w),
                        kernel=(h, w), num_filter=1, no_bias=True)
    return Y.reshape(H - h + 1, W - w + 1)


def corr2d_fast(X, K):
    """Compute 2D cross-correlation, fast.

    The same operation as the book's `corr2d` (section 6.2.1, "The
    Cross-Correlation Operator"), which stays the reference: the output
    has shape ``(H - h + 1, W - w + 1)`` for an ``H x W`` input and an
    ``h x w`` kernel. Outside ``autograd.record()`` it computes on the
    host, by whichever engine `choose.choose_engine`'s cost model says
    is fastest for these shapes: shifted slices in NumPy (small inputs),
    a numba kernel (small kernels on large images; compiled in the
    background on first need, so no call waits for it) or tiled float32
    FFTs (large kernels). Under ``autograd.record()`` it calls
    ``npx.convolution``, the operator behind Gluon's ``nn.Conv2D``, so
    gradients flow to `X` and `K` and equal that layer's.

    Parameters
    ----------
    X : mxnet.np.ndarray or array_like
        The 2-D input; converted as in `corr2d`.
    K : mxnet.np.ndarray or array_like
        The 2-D kernel, no larger than `X` along either axis.

    Returns
    -------
    Y : mxnet.np.ndarray
        The output, of shape ``(H - h + 1, W - w + 1)``, on the context of
        `X`: float64 if `X` or `K` is float64, else float32.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, or not numeric.
    ValueError
        If `X` or `K` is not 2-D, is empty, or `K` does not fit in `X`.

    Notes
    -----
    Integer and float16 inputs compute in float32; float64 in float64;
    longdouble in float64. Integer sums are exact only below ``2**24``.
    NaN and inf propagate as in ``scipy.signal.correlate2d`` in float64:
    NaN only in the windows that hold one, inf stays inf, ``inf - inf``
    and ``0 * inf`` give NaN (such input never goes to the FFT, which
    would spread it). The FFT engine's error is about 1e-7 of the
    largest output (float32), spread evenly; see `fft_engine`.

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

    Under autograd it is differentiable, like ``nn.Conv2D``:

    >>> K.attach_grad()
    >>> with autograd.record():
    ...     Y = corr2d_fast(X, K)
    >>> Y.backward()
    >>> K.grad  # each entry sums the input window it multiplies
    array([[ 8., 12.],
           [20., 24.]])
    """
    if not autograd.is_recording():
        views = _ready_views(X, K)
        if views is not None:  # nothing to check or convert
            return _correlate(*views, X.ctx)
    # one dtype, float32 or float64, both on the context of X
    X, K = check_corr2d_args('corr2d_fast', X, K)
    if autograd.is_recording():
        return _convolution(X, K)
    return _correlate(_host_view(X), K.asnumpy(), X.ctx)


def _correlate(X, K, ctx):
    """Correlate NumPy `X` and `K` into a new MXNet array on `ctx`.

    The engine writes straight into memory MXNet allocated (on the host),
    so the result needs no conversion: lending NumPy's memory to MXNet
    instead (``mxnet.nd.from_numpy``) took 0.05 to 0.2 ms a call.
    """
    (H, W), (h, w) = X.shape, K.shape
    shape = H - h + 1, W - w + 1
    host = ctx if ctx.device_type == 'cpu' else cpu()
    Y = np.empty(shape, dtype=X.dtype, ctx=host)
    choose.correlate(X, K, out=_writable_view(Y, shape, X.dtype))
    return Y if host is ctx else Y.as_in_context(ctx)


def _ready_views(X, K):
    """Return NumPy views of `X` and `K`, or None if they need checking.

    Views are returned only where `check_corr2d_args` would pass both
    unchanged: ``mxnet.np.ndarray`` on the host, 2-D, non-empty, both
    float32 or both float64, `K` fitting in `X`. Anything else takes
    the checked path, which converts it or raises.
    """
    if not (isinstance(X, np.ndarray) and isinstance(K, np.ndarray)):
        return None
    x, k = _dlpack_view(X), _dlpack_view(K)
    if (x is None or k is None or x.ndim != 2 or k.ndim != 2
            or x.dtype != k.dtype or x.dtype not in _FLOATS
            or not 0 < k.shape[0] <= x.shape[0]
            or not 0 < k.shape[1] <= x.shape[1]):
        return None
    return x, k


_FLOATS = (onp.dtype('float32'), onp.dtype('float64'))


class _Capsule:
    """Hands a DLPack capsule to ``numpy.from_dlpack``."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, stream=None):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0


def _dlpack_view(X):
    """Return a read-only NumPy view of host `X`'s memory, or None.

    ``to_dlpack_for_read`` first waits for MXNet's pending writes to `X`.
    NumPy refuses memory that is not on the host.
    """
    try:
        return onp.from_dlpack(_Capsule(X.to_dlpack_for_read()))
    except (AttributeError, BufferError, RuntimeError, TypeError):
        return None


def _host_view(X):
    """Return a read-only NumPy view of `X`'s memory, or else a copy.

    The view saves ``X.asnumpy()``'s copy: 2 ms for a 2048 x 2048 image.
    """
    view = _dlpack_view(X)
    return X.asnumpy() if view is None else view


def _writable_view(Y, shape, dtype):
    """Return a writable NumPy view of new, host `Y`'s memory.

    NumPy's DLPack views are read-only, so this asks MXNet for the
    address (``MXNDArrayGetData`` of its C API). `Y` must be freshly
    allocated (no pending writes), of `shape` and `dtype` (given, since
    asking MXNet costs a call each), and outlive the view.
    """
    address = ctypes.c_void_p()
    check_call(_LIB.MXNDArrayGetData(Y.handle, ctypes.byref(address)))
    size = dtype.itemsize * shape[0] * shape[1]
    if size >= HUGE_PAGES_FROM:
        _ask_for_huge_pages(address.value, size)
    memory = (ctypes.c_char * size).from_address(address.value)
    return onp.frombuffer(memory, dtype).reshape(shape)


#: Outputs of this many bytes and more ask for transparent huge pages,
#: as NumPy's own allocations do (``madvise``, on Linux): MXNet's
#: allocator does not, and a 4096 x 4096 output then took 16384 page
#: faults a call, 25 ms against 11 ms with them.
HUGE_PAGES_FROM = 1 << 22


def _ask_for_huge_pages(address, size):
    """Advise Linux to back ``[address, address + size)`` with huge pages.

    Only whole pages inside the range are advised; where the call is
    not available or refused, nothing changes (as for NumPy).
    """
    madvise = _madvise()
    if madvise is not None:
        start = -(-address // 4096) * 4096
        stop = (address + size) // 4096 * 4096
        madvise(start, stop - start, 14)  # MADV_HUGEPAGE


@functools.cache
def _madvise():
    """Return libc's ``madvise`` on Linux, else None; looked up once."""
    if not sys.platform.startswith('linux'):
        return None
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (AttributeError, OSError):
        return None
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    return madvise
