"""A fast `corr2d`: engines chosen by a cost model.

`corr2d_fast` checks its input on the host (NumPy arrays as they are,
MXNet arrays through views of their memory: no copies), then hands it
to one engine, which writes into an array MXNet allocated. The engines
are each in their own module:

* `c_engine`: a direct kernel in C (``_direct.c``), compiled when the
  package is installed (optional: it needs a C compiler then), so there
  is nothing to load at run time. A plain small call is done whole by
  it, in one C call: checks, MXNet's output and the sum;
* `cv2_engine`: OpenCV's ``cv2.filter2D`` (optional), for small images
  and kernels of under 50 taps, and only where it puts NaN and inf
  where scipy does;
* `fft_engine`: tiled real FFTs (``scipy.fft``, optional), for large
  kernels, and only on input that is all finite;
* `numpy_engine`: shifted slices in NumPy, blocked and threaded; needs
  nothing else, so it is the fallback.

`choose` holds the cost model that picks one of those this install has,
with constants measured on this machine. Every engine is compiled before
the program runs (the C engine at install, OpenCV, scipy and NumPy in
their wheels), so no call waits for a compile or runs beside one. (A
just-in-time compiled kernel used to take the C engine's place where no
compiler was found; it was removed for that: it compiled or loaded in a
background thread while calls ran, and one call then took up to 129
times ndimage's; see the README's cold start.) Importing this package
compiles nothing and imports neither scipy nor OpenCV beyond what MXNet
imports itself (OpenCV, where installed); `_threads` shares an engine's
work among the cores and keeps its helper threads safe across ``fork``.
How many threads the engines may use is `get_num_threads` (the CPUs
usable, by affinity and cgroup quota; ``D2L_CONV_NUM_THREADS`` or
``OMP_NUM_THREADS``; `set_num_threads`); see `_cpus`.
"""

import ctypes
import functools
import sys
import weakref

import numpy as onp
from mxnet import autograd, np, npx
from mxnet.base import _LIB, NDArrayHandle, check_call
from mxnet.context import current_context

from .._validation import as_2d_host, check_corr2d_args, check_fits
from . import c_engine, choose
from ._cpus import get_num_threads, set_num_threads

__all__ = ['corr2d_fast', 'get_num_threads', 'set_num_threads']


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
    host. A plain small call (float32 or float64 arrays, on the host, of
    up to ``choose.SMALL_WORK`` multiply-adds) is done whole by the C
    engine, in one C call; any other, by whichever engine
    `choose.choose_engine`'s cost model says is fastest for these
    shapes: the C engine's direct sum (small kernels; its rows shared
    among the cores), tiled FFTs (large kernels), OpenCV's
    ``cv2.filter2D``, or shifted slices in NumPy. NumPy input is
    computed as it is, never copied into MXNet. Under
    ``autograd.record()`` it calls ``npx.convolution``, the operator
    behind Gluon's ``nn.Conv2D``, so gradients flow to `X` and `K` and
    equal that layer's.

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
        `X` (the current context if `X` is not an ``mxnet.np.ndarray``):
        float64 if `X` or `K` is float64, else float32.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, or not numeric.
    ValueError
        If `X` or `K` is not 2-D, is empty, or `K` does not fit in `X`.

    Notes
    -----
    Integer and float16 inputs compute in float32; float64 in float64;
    longdouble in float64. When `X` and `K` both hold integers, every
    output whose sum is below ``2**24`` in magnitude is exact, whichever
    engine runs: the FFT engine then transforms in float64 and rounds to
    the nearest integer (as scipy's ``correlate`` does on integers), or
    leaves the call to a direct engine where its largest possible sum
    reaches ``2**40``. NaN and inf propagate as in
    ``scipy.signal.correlate2d`` in float64: NaN only in the windows
    that hold one, inf stays inf, ``inf - inf`` and ``0 * inf`` give NaN
    (such input never goes to the FFT, which would spread it, nor to
    OpenCV with a zero tap, which it skips). On floats, the FFT engine's
    error is about 1e-7 of the largest output (float32), spread evenly;
    see `fft_engine`.

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
    small = c_engine.small()
    if small is not None:
        if type(X) is np.ndarray:  # the result goes to the context of X
            handle = small(X, K, _CPU, 0, choose.SMALL_WORK)
        else:
            ctx = current_context()
            handle = small(X, K, ctx.device_typeid, ctx.device_id,
                           choose.SMALL_WORK)
        if handle is not None:  # a plain small call, done whole in C
            return np.ndarray(handle=NDArrayHandle(handle))
    if autograd.is_recording():
        # one dtype, float32 or float64, both on the context of X
        X, K = check_corr2d_args('corr2d_fast', X, K)
        return _convolution(X, K)
    return _correlate(*_host_args(X, K))


def _host_args(X, K):
    """Return `X` and `K` checked, as NumPy arrays of one dtype, and more.

    Returns ``(x, k, X, integer)``: `x` and `k` float32 or float64 (the
    dtype policy of `check_corr2d_args`, with the same checks and
    messages), `X` itself (whose context the result goes to) and whether
    both held integers. NumPy input is used as it is, and
    ``mxnet.np.ndarray`` input is read through a view of its memory:
    neither is copied into MXNet (that round trip took 0.4 ms a call).
    """
    x, k = _ready(X), _ready(K)
    if (x is not None and k is not None and x.dtype == k.dtype
            and k.shape[0] <= x.shape[0] and k.shape[1] <= x.shape[1]):
        return x, k, X, False  # float input, nothing to convert
    x, x_integer = as_2d_host('corr2d_fast', 'X', X, _host_view)
    k, k_integer = as_2d_host('corr2d_fast', 'K', K, _host_view)
    check_fits('corr2d_fast', k.shape, x.shape)
    if x.dtype != k.dtype:  # as NumPy promotes them
        x, k = x.astype(_FLOATS[1]), k.astype(_FLOATS[1])
    return x, k, X, x_integer and k_integer


def _ready(A):
    """Return `A` as a NumPy array if it needs no checking, else None.

    That is a 2-D, non-empty float32 or float64 NumPy array, or an
    ``mxnet.np.ndarray`` like it on the host (then a view of its memory).
    Anything else takes `as_2d_host`, which converts it or raises.
    """
    if type(A) is np.ndarray:
        return _float_view(A)
    if (type(A) is not onp.ndarray or A.ndim != 2
            or A.dtype not in _FLOATS or 0 in A.shape):
        return None
    return A


def _float_view(A):
    """Return a read-only NumPy view of MXNet's `A`, if 2-D float on the
    host, non-empty; else None.

    A view made before is reused, once MXNet's pending writes to `A` are
    done: an array's memory, shape and dtype never change while it
    lives, and the view is forgotten when `A` dies. That takes 0.7 us;
    a new view, made by four calls of MXNet's C API, 3 to 6 us (checking
    the dtype first: a DLPack view of a bool array fails with a
    ``SystemError``).
    """
    known = _VIEWS.get(id(A))
    if known is not None and known[0]() is A:
        check_call(_LIB.MXNDArrayWaitToRead(A.handle))
        return known[1]
    view = _new_float_view(A)
    if view is not None:
        key = id(A)
        # The callback holds the dict itself: A may die at interpreter
        # exit, after this module's globals were cleared.
        _VIEWS[key] = weakref.ref(
            A, lambda _, views=_VIEWS: views.pop(key, None)), view
    return view


#: id of an MXNet array -> (a weak reference to it, its NumPy view)
_VIEWS = {}


def _new_float_view(A):
    """Return `_float_view`'s view of `A`, made anew (or None)."""
    handle, code, ndim = A.handle, ctypes.c_int(), ctypes.c_int()
    check_call(_HELD.MXNDArrayGetDType(handle, ctypes.byref(code)))
    dtype = _FLOAT_CODES.get(code.value)
    if dtype is None or _device(A)[0] != _CPU:
        return None
    get_shape, size_type = _shape_getter()
    sides = ctypes.POINTER(size_type)()
    check_call(get_shape(handle, ctypes.byref(ndim), ctypes.byref(sides)))
    if ndim.value != 2 or sides[0] == 0 or sides[1] == 0:
        return None
    shape = sides[0], sides[1]
    check_call(_LIB.MXNDArrayWaitToRead(handle))
    view = _view(handle, shape, dtype)
    view.flags.writeable = False
    return view


_FLOAT_CODES = {0: onp.dtype('float32'), 1: onp.dtype('float64')}

#: MXNet's C API for the calls that only look up or allocate, called
#: with the GIL held (``ctypes.PyDLL``): each takes a microsecond, and
#: each release of the GIL could wait a switch interval (5 ms) for a
#: thread of the reader's that holds it. Waiting for MXNet's pending
#: writes (``MXNDArrayWaitToRead``) still releases it.
_HELD = ctypes.PyDLL(_LIB._name, handle=_LIB._handle)


def _correlate(X, K, where, integer):
    """Correlate NumPy `X` and `K` into a new MXNet array.

    The result goes to the context of `where` (an ``mxnet.np.ndarray``),
    else to the current context. The engine writes straight into memory
    MXNet allocated on the host, so the result needs no conversion:
    lending NumPy's memory to MXNet instead (``mxnet.nd.from_numpy``)
    took 0.05 to 0.2 ms a call.
    """
    (H, W), (h, w) = X.shape, K.shape
    shape = H - h + 1, W - w + 1
    device = _device(where)
    host = device if device[0] == _CPU else (_CPU, 0)
    Y, out = _new_host_array(shape, X.dtype, host)
    choose.correlate(X, K, out=out, integer=integer)
    if host == device:
        return Y
    return Y.as_in_context(where.ctx if isinstance(where, np.ndarray)
                           else current_context())


_FLOATS = (onp.dtype('float32'), onp.dtype('float64'))
_CPU = 1  # MXNet's device type of the host (cpu)


def _device(where):
    """Return ``(device type, id)`` of `where`'s context, or the current
    context's if `where` is not an ``mxnet.np.ndarray``.

    Asked of MXNet's C API (``MXNDArrayGetContext``): ``X.ctx`` builds a
    `Context`, a tenth of a small call.
    """
    if not isinstance(where, np.ndarray):
        ctx = current_context()
        return ctx.device_typeid, ctx.device_id
    kind, number = ctypes.c_int(), ctypes.c_int()
    check_call(_HELD.MXNDArrayGetContext(where.handle, ctypes.byref(kind),
                                        ctypes.byref(number)))
    return kind.value, number.value


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


def _new_host_array(shape, dtype, device):
    """Return a new ``mxnet.np.ndarray`` and a writable NumPy view of it.

    Allocated on `device` (``(type, id)``, a host one) by MXNet's C API
    (``MXNDArrayCreateEx``: ``mxnet.np.empty`` parses its arguments in
    Python, twice as long). NumPy's DLPack views are read-only, so the
    view takes the address from ``MXNDArrayGetData``; it is valid as
    long as the array lives, and the array has no pending writes.
    """
    create, size_type, codes = _allocator()
    handle = NDArrayHandle()
    check_call(create((size_type * 2)(*shape), 2, device[0], device[1], 0,
                      codes[dtype], ctypes.byref(handle)))
    return np.ndarray(handle=handle), _view(handle, shape, dtype, True)


def _view(handle, shape, dtype, new=False):
    """Return a NumPy view of the memory of MXNet's array `handle`.

    Its address is asked of MXNet (``MXNDArrayGetData``); the view is
    valid while the array lives. A `new` array of 4 MiB and more asks
    for huge pages.
    """
    address = ctypes.c_void_p()
    check_call(_HELD.MXNDArrayGetData(handle, ctypes.byref(address)))
    size = dtype.itemsize * shape[0] * shape[1]
    if new and size >= HUGE_PAGES_FROM:
        _ask_for_huge_pages(address.value, size)
    memory = (ctypes.c_char * size).from_address(address.value)
    return onp.frombuffer(memory, dtype).reshape(shape)


@functools.cache
def _allocator():
    """Return MXNet's array constructor, its size type and dtype codes."""
    from mxnet.ndarray.ndarray import _DTYPE_NP_TO_MX, _int64_enabled
    codes = {dtype: _DTYPE_NP_TO_MX[dtype.type] for dtype in _FLOATS}
    if _int64_enabled():
        return _HELD.MXNDArrayCreateEx64, ctypes.c_int64, codes
    return _HELD.MXNDArrayCreateEx, ctypes.c_uint, codes


@functools.cache
def _shape_getter():
    """Return MXNet's shape query and the type of its sides."""
    from mxnet.ndarray.ndarray import _int64_enabled
    if _int64_enabled():
        return _HELD.MXNDArrayGetShapeEx64, ctypes.c_int64
    return _HELD.MXNDArrayGetShapeEx, ctypes.c_int


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
