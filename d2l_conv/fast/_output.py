"""What the engines of `corr2d_fast` share: where each writes its result
(`out`, or a new array), and the cache they size their blocks for."""

import numpy as onp

#: Bytes of a core's L2 cache, within the 256 KiB to 2 MiB of recent
#: x86-64 cores: the engines size their blocks and tiles by it.
L2_CACHE = 1 << 19


def output(out, shape, dtype):
    """Return `out`, checked (a writable C-contiguous ``numpy.ndarray`` of
    `shape` and `dtype`, else `TypeError` or `ValueError`), or a new array.
    """
    if out is None:
        return onp.empty(shape, dtype)
    if not isinstance(out, onp.ndarray):
        raise TypeError('corr2d_fast: out must be a numpy.ndarray, got '
                        f'{type(out).__name__}')
    flags = out.flags
    if (out.shape != shape or out.dtype != dtype or not flags.c_contiguous
            or not flags.writeable):
        raise ValueError(
            'corr2d_fast: out must be a writable C-contiguous '
            f'{onp.dtype(dtype)} array of shape {shape}, got a '
            f'{"" if flags.writeable else "read-only "}'
            f'{"" if flags.c_contiguous else "non-contiguous "}'
            f'{out.dtype} array of shape {out.shape}')
    return out


def operands(X, K, out=None):
    """Return `X` and `K` C-contiguous, of the dtype of `X`, and `output`.
    """
    X = onp.ascontiguousarray(X)
    K = onp.ascontiguousarray(K, X.dtype)
    (H, W), (h, w) = X.shape, K.shape
    return X, K, output(out, (H - h + 1, W - w + 1), X.dtype)
