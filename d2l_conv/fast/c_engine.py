"""The C engine: a direct kernel built with the package, nothing to load.

``_direct.c`` is compiled when the package is installed (``setup.py``;
optional: where no C compiler is found, the install goes on without it,
and OpenCV, scipy's FFT and NumPy take its place). It sums every
product, in 32-byte vectors, with AVX2 and fused multiply-adds where the
CPU has them (GCC on x86-64 Linux builds both that and a baseline
kernel, and the loader picks one; elsewhere the baseline only). No
``-ffast-math``: NaN and inf land as in scipy's direct sum, and sums of
integers stay exact below ``2**24``. It is loaded with the package, in
0.4 ms, so no call waits for it.

It serves `corr2d_fast` in two ways:

* `small`: a plain call of at most `choose.SMALL_WORK` multiply-adds
  (float32 or float64 ``mxnet.np`` or NumPy arrays, on the host, outside
  ``autograd.record()``) runs whole in one C call: the checks, MXNet's
  output allocation and the sum, with no NumPy view made. That is what
  brings a 28 x 28 call near OpenCV's few microseconds.
* `correlate_valid`: an engine like the others, behind the cost model,
  with its rows shared among native threads of a pool the C code keeps
  (see "Threads" in ``_direct.c``), as many as the cost model's
  `choose.plan` says pay.
"""

import functools

import numpy as onp

from . import _cpus, _memory
from ._output import operands

#: How it sums (`choose`): every product, directly.
METHOD = 'direct'


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
    module.bind(mxnp.ndarray, onp.ndarray, *_memory.c_api())
    return module.small


def accepts(X, K, integer=False):
    """Tell whether this engine computes `X` and `K` as `corr2d_fast`
    promises: always (NaN and inf land as in scipy's direct sum)."""
    return True


def features(X_shape, K_shape, threads):
    """Return ``(1, handovers, work, outputs)`` on `threads` threads, for
    the cost model (`choose`).

    *handovers* is the threads beyond the first (each costs a hand-over),
    *work* the multiply-adds and *outputs* the elements written, each
    per thread (the rows are shared evenly; at most one thread a row).

    Examples
    --------
    >>> features((1026, 1026), (3, 3), 2)
    (1, 1, 4718592.0, 524288.0)
    """
    (H, W), (h, w) = X_shape, K_shape
    oh, ow = H - h + 1, W - w + 1
    threads = max(1, min(threads, oh))
    return 1, threads - 1, oh * ow * h * w / threads, oh * ow / threads


def correlate_valid(X, K, out=None, threads=None, integer=False):
    """Valid 2-D cross-correlation of NumPy arrays, by the C kernel.

    An engine of `corr2d_fast`. NaN and inf propagate as in scipy's
    direct sum: every product is computed. The rows are shared among
    `threads` native threads, this one included (default: the cores
    this process may use, `_cpus.get_num_threads`). Every count gives
    the same bits. `X`, `K`, `out` and the result are as for
    `numpy_engine.correlate_valid`. Raises `RuntimeError` where the C
    engine was not built.

    Examples
    --------
    >>> correlate_valid(onp.array([[1., 2., 4.]]), onp.array([[1., -1.]]))
    array([[-1., -2.]])
    """
    module = _built()
    X, K, Y = operands(X, K, out)
    threads = _cpus.get_num_threads() if threads is None else threads
    module.correlate(X, K, Y, 0, Y.shape[0], threads)
    return Y


def _built():
    """Return the compiled module; raise `RuntimeError` if not built."""
    module = _module()
    if module is None:
        raise RuntimeError('corr2d_fast: the C engine was not built '
                           '(no C compiler when the package was installed)')
    return module
