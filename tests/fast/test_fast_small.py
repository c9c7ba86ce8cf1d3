"""`corr2d_fast`'s whole small call in C (`c_engine.small`).

A plain small call is served by one C call that reads the inputs (MXNet's
through its C API, NumPy's through the buffer protocol), allocates the
MXNet output and sums; anything else returns None there and takes the
Python path, whose checks and errors are tested elsewhere.
"""

import mxnet as mx
import numpy as onp
import pytest
from conftest import assert_works_without, random_pair, scipy_valid
from mxnet import autograd, np

from d2l_conv import corr2d_fast
from d2l_conv.fast import c_engine, choose

pytest.importorskip('d2l_conv.fast._direct')


@pytest.fixture
def python_path(monkeypatch):
    """Record the calls that reach the Python path (the cost model)."""
    seen = []
    real = choose.correlate
    monkeypatch.setattr(choose, 'correlate',
                        lambda *a, **k: seen.append(a[0].shape) or real(*a,
                                                                        **k))
    return seen


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('kinds', ['mm', 'mn', 'nm', 'nn'])
def test_plain_small_calls_are_done_in_c(python_path, dtype, kinds):
    X, K = (a.astype(dtype) for a in random_pair(((28, 30), (3, 4)), 0))
    x = np.array(X) if kinds[0] == 'm' else X
    k = np.array(K) if kinds[1] == 'm' else K
    Y = corr2d_fast(x, k)
    assert python_path == []
    assert type(Y) is np.ndarray and Y.dtype == dtype
    assert Y.ctx == mx.cpu() and Y.shape == (26, 27)
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), rtol=1e-5,
                                atol=1e-5)


@pytest.mark.parametrize('make', [
    lambda X: X.astype('float16'),  # the dtype policy: converted first
    lambda X: X.astype('int32'),
    lambda X: X[:, ::2],  # not contiguous
    lambda X: onp.asfortranarray(X),
    lambda X: X.astype('>f4'),  # not in the machine's byte order
    lambda X: X.view(onp.matrix),  # a subclass
    lambda X: np.array(X, dtype='float64'),  # K is float32
])
def test_other_calls_take_the_python_path_and_agree(python_path, make):
    X, K = random_pair(((30, 40), (3, 3)), 1)
    x = make(X)
    Y = corr2d_fast(x, K)
    assert len(python_path) == 1
    expected = scipy_valid(onp.asarray(x.asnumpy() if isinstance(x, np.ndarray)
                                       else x, 'float64'), K)
    onp.testing.assert_allclose(Y.asnumpy(), expected, rtol=1e-3, atol=1e-3)


def test_calls_above_small_work_take_the_cost_model(python_path):
    X, K = random_pair(((600, 600), (3, 3)), 2)  # 3.2e6 multiply-adds
    assert 598 * 598 * 9 > choose.SMALL_WORK
    Y = corr2d_fast(X, K)
    assert python_path == [(600, 600)]
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), atol=1e-4)


def test_under_autograd_it_is_not_taken(python_path):
    x, k = (np.array(a) for a in random_pair(((8, 8), (3, 3)), 3))
    k.attach_grad()
    with autograd.record():
        Y = corr2d_fast(x, k)
    Y.backward()
    onp.testing.assert_allclose(  # each tap sums the window it multiplies
        k.grad.asnumpy(), [[x.asnumpy()[a:a + 6, b:b + 6].sum()
                            for b in range(3)] for a in range(3)],
        rtol=1e-5)


def test_the_result_goes_to_the_context_of_X():
    X, K = random_pair(((20, 20), (3, 3)), 4)
    assert corr2d_fast(np.array(X, ctx=mx.cpu(1)), K).ctx == mx.cpu(1)
    with mx.cpu(2):  # NumPy input: the current context, as documented
        assert corr2d_fast(X, K).ctx == mx.cpu(2)


def test_it_waits_for_mxnets_pending_writes():
    """MXNet is asynchronous: X may still be being computed."""
    base = np.ones((2000, 2000))
    for _ in range(3):
        x = (base * 2 + 1)[:16, :16]  # queued, not yet done
        Y = corr2d_fast(x, np.ones((3, 3)))
        onp.testing.assert_array_equal(Y.asnumpy(), 27)


def test_the_result_is_an_ordinary_mxnet_array():
    Y = corr2d_fast(np.ones((5, 5)), np.ones((2, 2)))
    Y[0, 0] = 7  # writable, and MXNet computes with it
    assert float((Y * 2).sum()) == 2 * (7 + 15 * 4)
    del Y  # freed by MXNet, as any array


def test_many_calls_leak_no_arrays():
    """Each result's memory is freed with it (MXNet owns the array)."""
    import resource
    X = onp.ones((200, 200), 'float32')  # 160 kB per result
    K = onp.ones((1, 1), 'float32')
    for _ in range(200):
        corr2d_fast(X, K)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(3000):  # 480 MB if none were freed
        corr2d_fast(X, K)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 100_000  # kB


def test_small_refuses_nothing_it_cannot_handle():
    """Anything not plain gets None from C, never an error or a crash."""
    small = c_engine.small()
    good = onp.ones((4, 4), 'float32')
    for X, K in [(good, onp.ones((5, 1), 'float32')),  # K does not fit
                 (onp.ones((0, 4), 'float32'), good),
                 (onp.ones(4, 'float32'), good),
                 (onp.ones((4, 4), bool), good),
                 (np.ones((4, 4), dtype=bool), good),
                 (np.ones((2, 2, 2)), good),
                 ('X', good), (None, good), ([[1.0]], good),
                 (good, good.astype('float64'))]:
        assert small(X, K, 1, 0, choose.SMALL_WORK) is None
    assert small(good, good, 2, 0, choose.SMALL_WORK) is None  # a GPU
    assert small(good, good, 1, 0, 0) is None  # above `most`


def test_without_the_c_engine_everything_works():
    """A fresh process where the C engine was not built."""
    assert_works_without('d2l_conv.fast._direct', 'c_engine', 'c')
