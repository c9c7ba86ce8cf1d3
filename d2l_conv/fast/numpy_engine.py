"""A fast `corr2d`: blocked multiply-adds of shifted slices, on all cores.

The book's loop (section 6.2.1) makes one Python-level call per output
element. `corr2d_fast` makes ``2 * h * w - 1`` NumPy calls per block of
about a quarter million output elements, in float32, and lets one thread
per core take the next block (NumPy releases the GIL inside each call).
MXNet's memory is read and returned through DLPack, without copies.

The trick that keeps every call one-dimensional and contiguous: write the
output with the row stride of the input. With ``X`` flattened to ``x``
(row length ``W``), output element ``n = i * W + j`` is
``sum_{a, b} K[a, b] * x[n + a * W + b]``, so each tap is one shifted
slice of ``x``. The ``w - 1`` columns ``j >= W - w + 1`` are junk that
wraps into the next row; each block is computed in a scratch buffer that
stays in cache, and only its valid columns are copied out.
"""

import os

import numpy as onp
from mxnet import autograd, np, npx

from ._validation import check_corr2d_args

#: Output elements per block (1 MiB of float32). Measured on 2048 x 2048
#: (`benchmarks/bench_corr2d.py` sweeps it; the README shows the curve):
#: blocks that fit the 512 KiB L2 lose more to NumPy's ~1 us per call than
#: they gain, and blocks of 4 MiB and more spill the shared L3.
BLOCK = 1 << 18

#: Below this many (padded) output elements one thread does it all:
#: measured, a second thread loses at 384 x 384 and wins from 512 x 512.
MIN_PARALLEL = 200_000

_POOL = [0, None]  # [threads, executor], created on first use


def _threads():
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pool(workers):
    """Return a thread pool with `workers` threads, created once."""
    if _POOL[0] < workers:
        from concurrent.futures import ThreadPoolExecutor
        _POOL[:] = workers, ThreadPoolExecutor(workers, 'corr2d')
    return _POOL[1]


def result_dtype(X, K):
    """Return the dtype `corr2d_fast` computes and returns in.

    float64 if either input is float64, otherwise float32 (the book's
    dtype): integer and float16 inputs are computed in float32.

    Examples
    --------
    >>> import numpy as onp
    >>> result_dtype(onp.ones(1, 'uint8'), onp.ones(1, 'float16'))
    dtype('float32')
    >>> result_dtype(onp.ones(1, 'float64'), onp.ones(1, 'int32'))
    dtype('float64')
    """
    if onp.float64 in (onp.dtype(X.dtype), onp.dtype(K.dtype)):
        return onp.dtype(onp.float64)
    return onp.dtype(onp.float32)


def _block_taps(x, K, y, start, stop, tmp, W, offset=0):
    """Fill ``y[n]``, ``start <= n < stop``, with taps of `x` at `offset`.

    ``y[n] = sum_{a, b} K[a, b] * x[offset + n + a * W + b]``: `x` is the
    flattened input, `y` the output padded to row length `W`, `tmp`
    scratch of at least ``stop - start`` elements.
    """
    h, w = K.shape
    y = y[start:stop]
    tmp = tmp[:stop - start]
    start += offset
    stop += offset
    onp.multiply(x[start:stop], K[0, 0], out=y)
    for a in range(h):
        for b in range(w):
            if a or b:
                shift = a * W + b
                onp.multiply(x[start + shift:stop + shift], K[a, b], out=tmp)
                onp.add(y, tmp, out=y)


def correlate_valid(X, K, block=BLOCK, threads=None):
    """Valid 2-D cross-correlation of NumPy arrays, blocked and threaded.

    The engine of `corr2d_fast`, without its checks or MXNet conversions.

    Parameters
    ----------
    X : numpy.ndarray
        2-D input, C-contiguous, of the dtype to compute in.
    K : numpy.ndarray
        2-D kernel of the same dtype, no larger than `X`.
    block : int
        Output elements per block; rounded to whole rows of `X`.
    threads : int, optional
        Threads to use; defaults to the cores this process may use.

    Returns
    -------
    Y : numpy.ndarray
        The ``(H - h + 1, W - w + 1)`` output, C-contiguous.

    Examples
    --------
    >>> import numpy as onp
    >>> X = onp.arange(9, dtype='float32').reshape(3, 3)
    >>> correlate_valid(X, onp.array([[0, 1], [2, 3]], dtype='float32'))
    array([[19., 25.],
           [37., 43.]], dtype=float32)
    """
    (H, W), (h, w) = X.shape, K.shape
    oh, ow = H - h + 1, W - w + 1
    threads = _threads() if threads is None else threads
    if oh * W < MIN_PARALLEL:
        threads = 1
    # Rows per block: at most `block` elements, and at least one block per
    # thread so that every core gets work.
    rows = max(1, min(block // W, -(-oh // threads)))
    x = X.reshape(-1)
    Y = onp.empty((oh, ow), X.dtype)
    blocks = iter(range(0, oh, rows))  # shared: each thread takes the next

    def work():
        # Scratch for one block, padded to row length W, reused so that
        # it stays in cache; its last w - 1 elements are never computed
        # (they would read past `x`) and never kept.
        padded = onp.empty(rows * W, X.dtype)
        tmp = onp.empty_like(padded)
        for i in blocks:
            stop = min(i + rows, oh)
            n = (stop - i) * W
            if w == 1:  # no junk columns: compute in place
                _block_taps(x, K, Y.reshape(-1), i * W, stop * W, tmp, W)
                continue
            _block_taps(x, K, padded, 0, n - (w - 1), tmp, W, i * W)
            Y[i:stop] = padded[:n].reshape(-1, W)[:, :ow]

    threads = min(threads, -(-oh // rows))
    if threads == 1:
        work()
    else:
        futures = [_pool(threads - 1).submit(work)
                   for _ in range(threads - 1)]
        work()
        for future in futures:
            future.result()
    return Y


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
    host in NumPy: ``h * w`` shifted-slice multiply-adds per block of
    rows, blocks shared among the cores. Under ``autograd.record()`` it
    calls ``npx.convolution``, the operator behind Gluon's ``nn.Conv2D``,
    so gradients flow to `X` and `K` and equal that layer's.

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
        `X`. float32, as `corr2d` gives, unless `X` or `K` is float64:
        then float64, computed in float64. Integer inputs are computed in
        float32, so their sums are exact only below ``2**24``.

    Raises
    ------
    TypeError
        If `X` or `K` is None, a string, or not numeric.
    ValueError
        If `X` or `K` is not 2-D, is empty, or `K` does not fit in `X`.

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
    X, K = check_corr2d_args('corr2d_fast', X, K)
    dtype = result_dtype(X, K)
    if autograd.is_recording():
        return _convolution(X.astype(dtype, copy=False),
                            K.astype(dtype, copy=False))
    Y = correlate_valid(_host_view(X).astype(dtype, copy=False),
                        K.asnumpy().astype(dtype, copy=False))
    return _to_mxnet(Y, X.ctx)


class _Capsule:
    """Hands a DLPack capsule to ``numpy.from_dlpack``."""

    def __init__(self, capsule):
        self.capsule = capsule

    def __dlpack__(self, stream=None):
        return self.capsule

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU, device 0


def _host_view(X):
    """Return a read-only NumPy view of `X`'s memory, or else a copy.

    The view saves ``X.asnumpy()``'s copy: 2 ms for a 2048 x 2048 image.
    ``to_dlpack_for_read`` first waits for MXNet's pending writes to `X`.
    """
    try:
        return onp.from_dlpack(_Capsule(X.to_dlpack_for_read()))
    except (AttributeError, BufferError, RuntimeError, TypeError):
        return X.asnumpy()


def _to_mxnet(Y, ctx):
    """Return NumPy `Y` as an ``mxnet.np.ndarray`` on `ctx`, not copied.

    ``mxnet.nd.from_numpy`` lends `Y`'s memory to MXNet (and marks `Y`
    read-only), saving the copy ``mxnet.np.array`` would make.
    """
    from mxnet import cpu, nd
    Y = nd.from_numpy(Y, zero_copy=True, array_cls=np.ndarray)
    return Y if ctx == cpu() else Y.as_in_context(ctx)
