"""MXNet's memory as NumPy sees it: how `corr2d_fast` reads and writes
``mxnet.np.ndarray``\\ s without copying them.

Everything goes through MXNet's C API, by ctypes: an array's dtype,
context, shape and data address, the wait for its pending operations,
and the allocation of a new array. The calls that only look up or
allocate are made with the GIL held (``ctypes.PyDLL``): each takes a
microsecond, and each release of the GIL could wait a switch interval
(5 ms) for another thread that holds it. The waits release it.
"""

import ctypes
import functools
import sys
import weakref

import numpy as onp
from mxnet import np
from mxnet.base import NDArrayHandle

from .._compat import mxnet_dtype_codes, mxnet_int64_enabled, mxnet_library

#: MXNet's device type of the host (cpu).
HOST = 1

#: A transparent huge page on Linux x86-64 (its PMD size).
HUGE_PAGE = 1 << 21

#: Outputs of this many bytes and more ask for transparent huge pages,
#: as NumPy's own allocations do (``madvise``, on Linux): two huge
#: pages, the least of which one is whole wherever the output starts.
#: MXNet's allocator does not ask, and a 4096 x 4096 output then takes a
#: page fault per 4 KiB page, about twice the time of the call's sum.
HUGE_PAGES_FROM = 2 * HUGE_PAGE


@functools.cache
def _api():
    """Return MXNet's C library (GIL held), the type of a shape's side,
    the constructor and shape query of that width, the dtype codes, and
    the library as MXNet loaded it (its calls release the GIL)."""
    library = mxnet_library()
    held = ctypes.PyDLL(library._name, handle=library._handle)
    for name in _CALLS:  # ctypes finds each function at its first use
        getattr(held, name)
    if mxnet_int64_enabled():
        return (held, ctypes.c_int64, held.MXNDArrayCreateEx64,
                held.MXNDArrayGetShapeEx64, mxnet_dtype_codes(), library)
    return (held, ctypes.c_int, held.MXNDArrayCreateEx,
            held.MXNDArrayGetShapeEx, mxnet_dtype_codes(), library)


#: The functions of MXNet's C API called with the GIL held.
_CALLS = ('MXNDArrayGetDType', 'MXNDArrayGetContext', 'MXNDArrayGetData',
          'MXAutogradIsRecording')


@functools.cache
def _code(dtype):
    """Return MXNet's code of the NumPy `dtype`."""
    return next(c for c, kind in _api()[4].items() if kind == dtype)


def _check(status):
    """Raise MXNet's error if a call of its C API failed."""
    if status != 0:
        from mxnet.base import check_call
        check_call(status)


def recording():
    """Tell whether autograd records (``autograd.is_recording()``, in a
    third of its time).

    Examples
    --------
    >>> recording()
    False
    """
    answer = ctypes.c_bool()
    _check(_api()[0].MXAutogradIsRecording(ctypes.byref(answer)))
    return answer.value


def device(A):
    """Return ``(device type, device id)`` of MXNet's array `A`.

    Asked of MXNet's C API: ``A.ctx`` builds a `Context`, a tenth of a
    small call.

    Examples
    --------
    >>> from mxnet import np
    >>> device(np.ones(2))
    (1, 0)
    """
    return _device(_api()[0], A.handle)


def _device(held, handle):
    """Return ``(device type, device id)`` of MXNet's `handle`."""
    kind, number = ctypes.c_int(), ctypes.c_int()
    _check(held.MXNDArrayGetContext(handle, ctypes.byref(kind),
                                    ctypes.byref(number)))
    return kind.value, number.value


def host_view(A, writable=False):
    """Return a NumPy view of the memory of MXNet's array `A`, or None
    where `A` is not on the host.

    The view has `A`'s shape and dtype and is valid while `A` lives.
    First waits for MXNet's pending writes to `A` (and, if `writable`,
    its pending reads too); a view that is not `writable` is read-only.

    A read-only view is made once per array and remembered while `A`
    lives (an array's memory, shape and dtype never change): the next
    call only waits, 1 us where making one takes 5 (six calls of MXNet's
    C API), which is what a small call of `corr2d_fast` on a NumPy
    output would spend on each ``mxnet.np`` argument.

    Examples
    --------
    >>> from mxnet import np
    >>> A = np.array([[1, 2], [3, 4]], dtype='int32')
    >>> host_view(A)
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    held, side, _, get_shape, codes, library = _api()
    handle = A.handle
    if not writable:
        known = _VIEWS.get(id(A))
        if known is not None and known[0]() is A and known[1] == handle.value:
            _check(library.MXNDArrayWaitToRead(handle))
            return known[2]
    code, ndim = ctypes.c_int(), ctypes.c_int()
    _check(held.MXNDArrayGetDType(handle, ctypes.byref(code)))
    if code.value not in codes or _device(held, handle)[0] != HOST:
        return None
    sides = ctypes.POINTER(side)()
    _check(get_shape(handle, ctypes.byref(ndim), ctypes.byref(sides)))
    shape = tuple(sides[:ndim.value])
    if writable:  # the waits release the GIL
        _check(library.MXNDArrayWaitToWrite(handle))
    else:
        _check(library.MXNDArrayWaitToRead(handle))
    view = _view(handle, shape, codes[code.value])
    view.flags.writeable = writable
    if not writable:
        key = id(A)
        # the callback holds the dict itself: A may die at interpreter
        # exit, after this module's globals were cleared
        _VIEWS[key] = (weakref.ref(A, lambda _, views=_VIEWS:
                                   views.pop(key, None)), handle.value, view)
    return view


#: id of an MXNet array -> (a weak reference to it, its handle's value,
#: its read-only NumPy view), while the array lives (`host_view`).
_VIEWS = {}


def new_array(shape, dtype, where=(HOST, 0)):
    """Return a new ``mxnet.np.ndarray`` on the host and a writable
    NumPy view of its memory.

    Allocated on `where` (``(device type, id)``, a host one) by MXNet's
    C API (`new_output`). Outputs of `HUGE_PAGES_FROM` bytes and more ask
    for huge pages.

    Examples
    --------
    >>> A, view = new_array((2, 3), onp.dtype('float32'))
    >>> view[...] = 1
    >>> A
    array([[1., 1., 1.],
           [1., 1., 1.]])
    """
    A = new_output(shape, dtype, where)[0]
    view = _view(A.handle, shape, dtype)
    if view.nbytes >= HUGE_PAGES_FROM:
        _ask_for_huge_pages(view.ctypes.data, view.nbytes)
    return A, view


def new_output(shape, dtype, where=(HOST, 0)):
    """Return a new ``mxnet.np.ndarray`` on `where` (a host) and the
    address of its memory (0 where it has none): the least a new output
    costs (`corr2d_fast`'s small calls), two calls of MXNet's C API and
    an array made from the handle, as ``np.ndarray(handle=...)`` makes
    it, without the checks.

    Examples
    --------
    >>> A, at = new_output((2, 3), onp.dtype('float64'))
    >>> A.shape, at > 0
    ((2, 3), True)
    """
    held, create, sides, ndim, code = _creating(shape, dtype)
    handle, at = NDArrayHandle(), ctypes.c_void_p()
    _check(create(sides, ndim, where[0], where[1], 0, code,
                  ctypes.byref(handle)))
    A = _NEW(np.ndarray)  # frees the handle when it dies
    A.handle, A.writable = handle, True
    _check(held.MXNDArrayGetData(handle, ctypes.byref(at)))
    return A, at.value or 0


_NEW = object.__new__


@functools.lru_cache(maxsize=256)
def _creating(shape, dtype):
    """Return what `new_output` passes MXNet for `shape` and `dtype`: the
    library, its constructor, the shape as a ctypes array, its length and
    the dtype's code."""
    held, side, create = _api()[:3]
    return (held, create, (side * len(shape))(*shape), len(shape),
            _code(dtype))


def _view(handle, shape, dtype):
    """Return a writable NumPy view of the memory of MXNet's `handle`."""
    address = ctypes.c_void_p()
    _check(_api()[0].MXNDArrayGetData(handle, ctypes.byref(address)))
    count = 1
    for side in shape:
        count *= side
    if count == 0 or not address.value:
        return onp.empty(shape, dtype)
    memory = (ctypes.c_char * (dtype.itemsize * count)).from_address(
        address.value)
    return onp.frombuffer(memory, dtype).reshape(shape)


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


# MXNet's C API is looked up when the package loads, not in the first
# call of `corr2d_fast` (0.1 ms).
_api()
