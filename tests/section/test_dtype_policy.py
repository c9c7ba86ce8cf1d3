"""One dtype policy for every correlation, and results on `X`'s context.

The policy (stated in `d2l_conv._validation`): integers and float16 are
computed in float32, float32 stays, float64 stays, ``numpy.longdouble``
becomes float64 (MXNet has no float128); bool, complex, object,
datetime and structured dtypes get a `TypeError` naming the function.
"""

import mxnet as mx
import numpy as onp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mxnet import np
from test_nonfinite import ENGINES, forced

from d2l_conv import conv2d_true, corr2d, corr2d_fast, corr2d_vectorized
from d2l_conv.exercises import corr2d_im2col, corr2d_toeplitz

#: Every correlation; the book's `corr2d` (and `conv2d_true`, which calls
#: it) returns the float32 of its ``np.zeros``, the others the policy's.
FUNCTIONS = [corr2d, conv2d_true, corr2d_vectorized, corr2d_fast,
             corr2d_im2col, corr2d_toeplitz]
BOOKS_ZEROS = {corr2d, conv2d_true}

#: NumPy dtypes and the dtype each computes in.
POLICY = {'int8': 'float32', 'uint8': 'float32', 'int16': 'float32',
          'uint16': 'float32', 'int32': 'float32', 'uint32': 'float32',
          'int64': 'float32', 'uint64': 'float32', 'float16': 'float32',
          'float32': 'float32', 'float64': 'float64',
          'longdouble': 'float64'}
#: The dtypes an ``mxnet.np.ndarray`` can have (besides bool).
MXNET_DTYPES = ['int8', 'uint8', 'int32', 'int64', 'float16', 'float32',
                'float64']


def expected_dtype(fn, *dtypes):
    if fn in BOOKS_ZEROS:
        return onp.dtype('float32')
    wide = any(POLICY[d] == 'float64' for d in dtypes)
    return onp.dtype('float64' if wide else 'float32')


def oracle(X, K, fn):
    from scipy.signal import convolve2d, correlate2d
    X, K = onp.asarray(X, 'float64'), onp.asarray(K, 'float64')
    if fn is conv2d_true:
        return convolve2d(X, K, mode='valid')
    return correlate2d(X, K, mode='valid')


def make(container, values, dtype):
    host = onp.asarray(values).astype(dtype)
    return np.array(host, dtype=dtype) if container == 'mxnet' else host


def kind(drawn, dtype):
    """Return the input kind drawn, or NumPy where MXNet has no `dtype`."""
    return drawn if drawn == 'numpy' or dtype in MXNET_DTYPES else 'numpy'


@given(fn=st.sampled_from(FUNCTIONS),
       X_dtype=st.sampled_from(sorted(POLICY)),
       K_dtype=st.sampled_from(sorted(POLICY)),
       X_in=st.sampled_from(['numpy', 'mxnet']),
       K_in=st.sampled_from(['numpy', 'mxnet']),
       seed=st.integers(0, 2**16))
def test_policy_property(fn, X_dtype, K_dtype, X_in, K_in, seed):
    X_in, K_in = kind(X_in, X_dtype), kind(K_in, K_dtype)
    rng = onp.random.default_rng(seed)
    X = rng.integers(0, 100, (5, 6))
    K = rng.integers(0, 4, (2, 3))  # unsigned-safe, exact in float16
    Y = fn(make(X_in, X, X_dtype), make(K_in, K, K_dtype))
    assert isinstance(Y, np.ndarray)
    assert Y.dtype == expected_dtype(fn, X_dtype, K_dtype)
    onp.testing.assert_array_equal(Y.asnumpy(), oracle(X, K, fn))


@pytest.mark.parametrize('fn', FUNCTIONS)
def test_float16_is_computed_in_float32_and_does_not_overflow(fn):
    # 9 * 1000 * 10 = 90000 is beyond float16's largest, 65504.
    X, K = onp.full((4, 4), 1000, 'f2'), onp.full((3, 3), 10, 'f2')
    for x, k in ((X, K), (np.array(X, dtype='float16'),
                          np.array(K, dtype='float16'))):
        Y = fn(x, k)
        assert Y.dtype == onp.float32
        onp.testing.assert_array_equal(Y.asnumpy(), onp.full((2, 2), 9e4))


@pytest.mark.parametrize('fn', FUNCTIONS)
def test_longdouble_is_computed_in_float64(fn):
    X = onp.arange(12, dtype=onp.longdouble).reshape(3, 4) / 3
    K = onp.array([[1, -1]], dtype=onp.longdouble)
    Y = fn(X, K)
    assert Y.dtype == expected_dtype(fn, 'longdouble')
    onp.testing.assert_allclose(Y.asnumpy(), oracle(X, K, fn), rtol=1e-6)


@pytest.mark.parametrize('fn', [corr2d_vectorized, corr2d_fast,
                                corr2d_im2col, corr2d_toeplitz])
def test_float64_keeps_float64_precision(fn):
    X = onp.full((2, 3), 1 + 1e-12)
    Y = fn(X, onp.ones((1, 2), dtype='float32'))
    assert Y.dtype == onp.float64
    onp.testing.assert_array_equal(Y.asnumpy(), onp.full((2, 2), 2 + 2e-12))


BAD_DTYPES = {
    'bool': onp.ones((2, 2), dtype=bool),
    'complex': onp.ones((2, 2), dtype=complex),
    'clongdouble': onp.ones((2, 2), dtype=onp.clongdouble),
    'object': onp.array([[1, None], [2, 3]], dtype=object),
    'datetime': onp.full((2, 2), onp.datetime64('2024-01-01')),
    'timedelta': onp.full((2, 2), onp.timedelta64(1, 's')),
    'structured': onp.zeros((2, 2), dtype=[('a', 'f4'), ('b', 'f4')]),
    'mxnet-bool': np.ones((2, 2), dtype='bool'),
}


@pytest.mark.parametrize('fn', FUNCTIONS)
@pytest.mark.parametrize('case', sorted(BAD_DTYPES))
def test_other_dtypes_get_a_type_error_naming_the_function(fn, case):
    bad = BAD_DTYPES[case]
    with pytest.raises(TypeError, match=f'{fn.__name__}: X must be '):
        fn(bad, [[1.]])
    with pytest.raises(TypeError, match=f'{fn.__name__}: K must be '):
        fn([[1., 2.], [3., 4.]], bad)


def test_lists_become_float32_as_mxnet_np_array_makes_them():
    Y = corr2d_vectorized([[1.5, 2.5, 3.5]], [[1., 1.]])
    assert Y.dtype == onp.float32


@pytest.mark.parametrize('fn', sorted(set(FUNCTIONS) - BOOKS_ZEROS,
                                      key=lambda fn: fn.__name__))
@pytest.mark.parametrize('K_ctx', [mx.cpu(0), mx.cpu(1)])
def test_result_is_on_the_context_of_X(fn, K_ctx):
    X = np.arange(12, ctx=mx.cpu(1)).reshape(3, 4)
    K = np.array([[1., -1.]], ctx=K_ctx)
    Y = fn(X, K)
    assert Y.ctx == mx.cpu(1)
    onp.testing.assert_array_equal(Y.asnumpy(), -onp.ones((3, 3)))


@pytest.mark.parametrize('fn', sorted(BOOKS_ZEROS, key=lambda f: f.__name__))
def test_books_corr2d_returns_on_the_default_context_as_documented(fn):
    # The book's ``Y = np.zeros(...)`` takes no context.
    X = np.arange(12, ctx=mx.cpu(1)).reshape(3, 4)
    Y = fn(X, np.array([[1., -1.]], ctx=mx.cpu(1)))
    assert Y.ctx == mx.context.current_context()
    assert 'default context' in ' '.join(fn.__doc__.split())


@pytest.mark.parametrize('engine', ENGINES)
@given(X_dtype=st.sampled_from(sorted(POLICY)),
       K_dtype=st.sampled_from(sorted(POLICY)),
       X_in=st.sampled_from(['numpy', 'mxnet']),
       K_in=st.sampled_from(['numpy', 'mxnet']),
       seed=st.integers(0, 2**16))
def test_policy_holds_on_every_engine(engine, X_dtype, K_dtype, X_in, K_in,
                                      seed):
    """`corr2d_fast` made to pick each engine: the same dtypes, and on
    integers the same exact sums (the FFT's rounded)."""
    X_in, K_in = kind(X_in, X_dtype), kind(K_in, K_dtype)
    rng = onp.random.default_rng(seed)
    X = rng.integers(0, 100, (9, 11))
    K = rng.integers(0, 4, (3, 4))
    with forced(engine):
        Y = corr2d_fast(make(X_in, X, X_dtype), make(K_in, K, K_dtype))
    assert isinstance(Y, np.ndarray)
    assert Y.dtype == expected_dtype(corr2d_fast, X_dtype, K_dtype)
    integers = all(onp.dtype(onp.longdouble if d == 'longdouble' else d
                             ).kind in 'iu' for d in (X_dtype, K_dtype))
    if engine == 'fft' and not integers:  # float FFTs round differently
        onp.testing.assert_allclose(Y.asnumpy(), oracle(X, K, corr2d_fast),
                                    atol=1e-3)
    else:
        onp.testing.assert_array_equal(Y.asnumpy(),
                                       oracle(X, K, corr2d_fast))
