"""How `corr2d_fast` reads and writes ``mxnet.np.ndarray``\\ s without
copies: NumPy views of their memory, through MXNet's C API (ctypes).
Look-ups hold the GIL (``ctypes.PyDLL``: a release could wait out a 5 ms
switch interval); waits release it."""

import ctypes
import functools
import math
import sys
import weakref

import numpy as onp
from mxnet import np
from mxnet.base import NDArrayHandle, check_call

from .._compat import mxnet_dtype_codes, mxnet_int64_enabled, mxnet_library

#: MXNet's device type of the host (cpu).
HOST = 1

#: New arrays of two 2 MiB pages (one whole wherever they start) ask
#: Linux for huge pages, as NumPy's do (MXNet's do not).
HUGE_PAGES_FROM = 2 << 21

# Looked up when the package loads, not in the first call (0.1 ms).
_LIB = mxnet_library()  # its calls release the GIL
_HELD = ctypes.PyDLL(_LIB._name, handle=_LIB._handle)
_SIDE = ctypes.c_int64 if mxnet_int64_enabled() else ctypes.c_int
_SUFFIX = 'Ex64' if _SIDE is ctypes.c_int64 else 'Ex'
_CREATE = getattr(_HELD, 'MXNDArrayCreate' + _SUFFIX)
_SHAPE = getattr(_HELD, 'MXNDArrayGetShape' + _SUFFIX)
_DTYPES = mxnet_dtype_codes()  # MXNet's code: NumPy's dtype
_CODES = {dtype: code for code, dtype in _DTYPES.items()}


def device(A):
    """Return ``(device type, device id)`` of MXNet's `A`, faster than
    ``A.ctx``."""
    known = _VIEWS.get(id(A))
    if known is not None and known[0]() is A and known[1] == A.handle.value:
        return known[3]
    kind, number = ctypes.c_int(), ctypes.c_int()
    check_call(_HELD.MXNDArrayGetContext(A.handle, ctypes.byref(kind),
                                     ctypes.byref(number)))
    return kind.value, number.value


def host_view(A, writable=False):
    """Return a NumPy view of MXNet's `A`, valid while `A` lives, once its
    pending writes (if `writable`, reads too) are done; None off the host
    or for no NumPy dtype. A read-only view is remembered while `A` lives.
    """
    handle = A.handle
    known = _VIEWS.get(id(A))
    if (not writable and known is not None and known[0]() is A
            and known[1] == handle.value):
        failed = _LIB.MXNDArrayWaitToRead(handle)
        if failed:
            check_call(failed)
        return known[2]
    code, ndim = ctypes.c_int(), ctypes.c_int()
    sides = ctypes.POINTER(_SIDE)()
    check_call(_HELD.MXNDArrayGetDType(handle, ctypes.byref(code)))
    where = device(A)
    if code.value not in _DTYPES or where[0] != HOST:
        return None
    check_call(_SHAPE(handle, ctypes.byref(ndim), ctypes.byref(sides)))
    wait = _LIB.MXNDArrayWaitToWrite if writable else _LIB.MXNDArrayWaitToRead
    check_call(wait(handle))
    address = ctypes.c_void_p()
    check_call(_HELD.MXNDArrayGetData(handle, ctypes.byref(address)))
    view = _view(address.value, sides[:ndim.value], _DTYPES[code.value])
    view.flags.writeable = writable
    if not writable:  # the callback holds the dict: A may die at exit
        key = id(A)
        _VIEWS[key] = (weakref.ref(A, lambda _, views=_VIEWS:
                                   views.pop(key, None)),
                       handle.value, view, where)
    return view


#: id of an MXNet array: (a weak reference to it, its handle's value,
#: its read-only view, its device), while it lives (`host_view`).
_VIEWS = {}


def new_array(shape, dtype, where=(HOST, 0), view=True):
    """Return a new ``mxnet.np.ndarray`` on the host `where` (``(device
    type, id)``), made without ``np.ndarray``'s checks, and a writable
    NumPy view of its memory, or (if not `view`) its address."""
    sides, ndim, code, size = _how(shape, dtype)
    handle, address = NDArrayHandle(), ctypes.c_void_p()
    failed = _CREATE(sides, ndim, where[0], where[1], 0, code,
                     _byref(handle))
    if failed:
        check_call(failed)
    A = _new(np.ndarray)  # frees the handle when it dies
    A.handle = handle
    A.writable = True
    failed = _GET_DATA(handle, _byref(address))
    if failed:
        check_call(failed)
    address = address.value or 0
    if size >= HUGE_PAGES_FROM and address and _MADVISE is not None:
        start = -(-address // 4096) * 4096  # whole pages only
        _MADVISE(start, (address + size) // 4096 * 4096 - start,
                 14)  # MADV_HUGEPAGE; if refused, nothing changes
    return A, (_view(address, shape, dtype) if view else address)


_new, _byref = object.__new__, ctypes.byref
_GET_DATA = _HELD.MXNDArrayGetData


def into(out, shape, dtype, x, k):
    """Return ``(out, target, later)`` for `corr2d_fast`'s `out`, checked:
    `target` its memory and `later` None; or (off the host, unaligned, or
    overlapping `x` or `k`) a new array and ``later()``, which copies it
    into `out` and returns `out`."""
    if type(out) is np.ndarray:
        view = host_view(out, writable=True)
        kind = view.dtype if view is not None else onp.dtype(out.dtype)
    elif type(out) is onp.ndarray:
        view, kind = out, out.dtype
    else:
        raise TypeError('corr2d_fast: out must be an mxnet.np.ndarray or a '
                        f'numpy.ndarray, got {type(out).__name__}')
    if tuple(out.shape) != shape or kind != dtype:
        raise ValueError(
            f"corr2d_fast: out must have the output's shape {shape} and "
            f'dtype {dtype}, got shape {tuple(out.shape)} and dtype {kind}')
    if view is not None:
        flags = view.flags
        if not (flags.c_contiguous and flags.writeable):
            raise ValueError('corr2d_fast: out must be writable and '
                             'C-contiguous, as a new array is')
        if flags.aligned and not (onp.may_share_memory(view, x)
                                  or onp.may_share_memory(view, k)):
            return out, view, None
    target = onp.empty(shape, dtype)

    def later():
        if view is None:  # not on the host
            out[:] = np.array(target, ctx=out.ctx)
        else:
            view[...] = target
        return out
    return out, target, later


@functools.lru_cache(maxsize=256)
def _how(shape, dtype):
    """Return what `new_array` passes MXNet, and the size in bytes."""
    return ((_SIDE * len(shape))(*shape), len(shape), _CODES[dtype],
            dtype.itemsize * math.prod(shape))


def _view(address, shape, dtype):
    """Return a writable NumPy array at `address` (or a new one)."""
    size = dtype.itemsize * math.prod(shape)
    if size == 0 or not address:
        return onp.empty(shape, dtype)
    memory = (ctypes.c_char * size).from_address(address)
    return onp.frombuffer(memory, dtype).reshape(shape)


_MADVISE = None  # libc's, on Linux (where its advice 14 asks for them)
if sys.platform.startswith('linux'):
    _MADVISE = ctypes.CDLL(None).madvise
    _MADVISE.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
