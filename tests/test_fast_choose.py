"""The cost model that picks `corr2d_fast`'s engine, and its fallbacks."""

import threading

import numpy as onp
import pytest
from conftest import random_pair

from d2l_conv import corr2d_fast
from d2l_conv.fast import choose, numba_engine


def test_small_inputs_go_to_numpy_before_numba_is_loaded(monkeypatch):
    monkeypatch.setattr(numba_engine, '_READY', set())
    assert choose.choose_engine((16, 16), (3, 3), 'float32') == 'numpy'


def test_large_kernels_go_to_the_fft():
    assert choose.choose_engine((1024, 1024), (31, 31), 'float32',
                                compile=False) == 'fft'


def test_small_kernels_on_large_images_go_to_numba_once_loaded():
    pytest.importorskip('numba')
    assert numba_engine.load('float32')
    assert choose.choose_engine((1024, 1024), (3, 3), 'float32') == 'numba'


def test_every_estimate_grows_with_the_work():
    for engine in ('numpy', 'numba', 'fft'):
        small = choose.estimate(engine, (256, 256), (3, 3))
        assert 0 < small < choose.estimate(engine, (2048, 2048), (3, 3))


@pytest.fixture
def fresh_numba(monkeypatch):
    """numba's engine as in a new process; its loader blocks until told."""
    release = threading.Event()
    started = threading.Event()
    monkeypatch.setattr(numba_engine, '_DONE', {})
    monkeypatch.setattr(numba_engine, '_READY', set())
    monkeypatch.setattr(numba_engine, '_FAILED', {})
    monkeypatch.setattr(numba_engine, 'available', lambda: True)

    def slow_load(name, done):  # a compile that takes as long as we like
        started.set()
        release.wait(30)
        numba_engine._FAILED[name] = 'test'
        done.set()
    monkeypatch.setattr(numba_engine, '_load', slow_load)
    yield started
    release.set()


def test_no_call_waits_for_the_compile(fresh_numba):
    """The call that starts the compile is served by another engine."""
    X, K = random_pair(((2048, 2048), (3, 3)), 0)
    Y = corr2d_fast(X, K)  # returns while the "compile" is still running
    assert fresh_numba.wait(5)
    assert not numba_engine.ready('float32')
    onp.testing.assert_allclose(Y.asnumpy()[:3, :3], onp.array(
        [[(X[i:i + 3, j:j + 3] * K).sum() for j in range(3)]
         for i in range(3)]), atol=1e-4)


def test_small_calls_start_no_compile(fresh_numba):
    corr2d_fast(*random_pair(((64, 64), (3, 3)), 0))
    assert not fresh_numba.is_set()
    assert numba_engine._DONE == {}


def test_without_numba_or_scipy_numpy_serves(monkeypatch):
    monkeypatch.setattr(numba_engine, '_READY', set())
    monkeypatch.setattr(numba_engine, 'available', lambda: False)
    monkeypatch.setattr(choose, 'fft_available', lambda: False)
    for shapes in (((512, 512), (3, 3)), ((300, 300), (41, 41))):
        assert choose.choose_engine(*shapes, 'float32') == 'numpy'
    check = random_pair(((200, 180), (31, 5)), 1)
    from scipy.signal import correlate2d
    onp.testing.assert_allclose(corr2d_fast(*check).asnumpy(),
                                correlate2d(*check, 'valid'), atol=1e-3)


def test_results_stay_on_the_context_of_X():
    import mxnet as mx
    from mxnet import np
    X, K = random_pair(((300, 300), (41, 41)), 2)  # the FFT engine
    Y = corr2d_fast(np.array(X, ctx=mx.cpu(1)), np.array(K))
    assert Y.ctx == mx.cpu(1)


def test_small_calls_do_not_search_for_numba_each_time(monkeypatch):
    # a search of sys.path per call cost as much as a small call itself
    import importlib.util
    found = []
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec',
                        lambda name, *a: found.append(name) or real(name, *a))
    for _ in range(3):
        choose.choose_engine((8, 8), (3, 3), 'float32')
    assert found.count('numba') <= 1


def test_the_model_is_asked_once_per_shape_once_numba_is_loaded(
        monkeypatch):
    # the model cost a tenth of a small call; its answer never changes
    pytest.importorskip('numba')
    assert numba_engine.load('float32')
    asked = []
    real = choose.estimate
    monkeypatch.setattr(choose, 'estimate',
                        lambda *args: asked.append(args) or real(*args))
    first = choose.choose_engine((777, 555), (3, 4), 'float32')
    count = len(asked)
    assert count and choose.choose_engine((777, 555), (3, 4),
                                          'float32') == first
    assert len(asked) == count
