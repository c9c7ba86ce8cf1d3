"""The C engine: a direct kernel built with the package, nothing to load.

``_direct.c`` is compiled when the package is installed (``setup.py``;
optional: where no C compiler is found, the install goes on without it,
and OpenCV, scipy's FFT and NumPy take its place). It sums every
product, in 32-byte vectors, with AVX2 and fused multiply-adds where the
CPU has them (GCC on x86-64 Linux builds both that and a baseline
kernel, and the loader picks one; elsewhere the baseline only). No
``-ffast-math``: NaN and inf land as in scipy's direct sum, and sums of
integers stay exact below ``2**24``. It is loaded with the package, in
0.4 ms, so no call ever waits for it, or runs beside its loader (as
they did beside the just-in-time compiled kernel that this one
replaced: about 1 s from its cache, 5 s to compile, holding the GIL
meanwhile).

It serves `corr2d_fast` in two ways:

* `small`: a plain call of at most `choose.SMALL_WORK` multiply-adds
  (float32 or float64 ``mxnet.np`` or NumPy arrays, on the host, outside
  ``autograd.record()``) runs whole in one C call: the checks, MXNet's
  output allocation and the sum, with no NumPy view made. That is what
  brings a 28 x 28 call near OpenCV's few microseconds.
* `correlate_valid`: an engine like the others, behind the cost model,
  with its rows shared among native threads for large calls: the C
  code keeps a pool of them, and takes as many as its model says pay,
  up to `_cpus.get_num_threads` (see "Threads" in ``_direct.c``).
"""

import ctypes
import functools

import numpy as onp

from . import _cpus
from ._output import operands


@functools.cache
def _module():
    """Return the compiled module, or None where it was not built."""
    try:
        from . import _direct
    except ImportError:
        return None
    return _direct


def available():
    """Tell whether the C engine was built (and can be imported)."""
    return _module() is not None


# Loaded with the package: 0.4 ms (the loader resolves which of its
# kernels this CPU runs), which the first call would otherwise pay, a
# call that then took as long as ten.
_module()


@functools.cache
def small():
    """Return the C entry point for a whole small call, or None.

    ``small()(X, K, dev_type, dev_id, most)`` returns the handle of a
    new MXNet array holding the valid cross-correlation of `X` and `K`
    (``mxnet.np`` or NumPy arrays), allocated on the context of `X` if
    it is an ``mxnet.np.ndarray``, else on ``(dev_type, dev_id)``; or
    None, having done nothing, where the call is not a plain one (see
    the module's docstring) or needs more than `most` multiply-adds.
    The first call binds MXNet's C API to it.
    """
    module = _module()
    if module is None:
        return None
    from mxnet import numpy as mxnp
    from mxnet.base import _LIB
    from mxnet.ndarray.ndarray import _int64_enabled
    wide = bool(_int64_enabled())
    names = ('MXNDArrayCreateEx64' if wide else 'MXNDArrayCreateEx',
             'MXNDArrayGetData', 'MXNDArrayGetDType', 'MXNDArrayGetContext',
             'MXNDArrayGetShapeEx64' if wide else 'MXNDArrayGetShapeEx',
             'MXNDArrayWaitToRead', 'MXAutogradIsRecording',
             'MXNDArrayFree')
    addresses = [ctypes.cast(getattr(_LIB, name), ctypes.c_void_p).value
                 for name in names]
    module.bind(mxnp.ndarray, onp.ndarray, *addresses, wide)
    return module.small


def correlate_valid(X, K, threads=None, out=None):
    """Valid 2-D cross-correlation of NumPy arrays, by the C kernel.

    An engine of `corr2d_fast`. NaN and inf propagate as in scipy's
    direct sum: every product is computed. The rows are shared among
    `threads` native threads, this one included; by default, among as
    many as the C engine's model says pay (`seconds`), up to
    `_cpus.get_num_threads`. Every count gives the same bits. `X`, `K`,
    `out` and the result are as for `numpy_engine.correlate_valid`.
    Raises `RuntimeError` where the C engine was not built.

    Examples
    --------
    >>> correlate_valid(onp.array([[1., 2., 4.]]), onp.array([[1., -1.]]))
    array([[-1., -2.]])
    """
    module = _built()
    X, K, Y = operands(X, K, out)
    if threads is None:
        module.correlate(X, K, Y, 0, Y.shape[0], _cpus.get_num_threads(),
                         True)
    else:
        module.correlate(X, K, Y, 0, Y.shape[0], threads)
    return Y


def seconds(X_shape, K_shape):
    """Return the modelled seconds of `correlate_valid` on these shapes,
    less its fixed cost, on the threads it would use (`plan`).

    Examples
    --------
    >>> seconds((2048, 2048), (3, 3)) > seconds((1024, 1024), (3, 3))
    True
    """
    return plan(X_shape, K_shape)[1]


def plan(X_shape, K_shape):
    """Return ``(threads, seconds)``: the threads the C engine would use
    on these shapes, and their modelled seconds (see ``_direct.c``)."""
    (H, W), (h, w) = X_shape, K_shape
    return _built().plan(H - h + 1, W - w + 1, h * w,
                         _cpus.get_num_threads())


def _built():
    """Return the compiled module; raise `RuntimeError` if not built."""
    module = _module()
    if module is None:
        raise RuntimeError('corr2d_fast: the C engine was not built '
                           '(no C compiler when the package was installed)')
    return module
