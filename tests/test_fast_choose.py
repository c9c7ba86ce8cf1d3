"""The cost model that picks `corr2d_fast`'s engine, and its fallbacks."""

import threading

import numpy as onp
import pytest
from conftest import random_pair

from d2l_conv import corr2d_fast
from d2l_conv.fast import choose, cv2_engine, numba_engine


def test_small_inputs_go_to_the_c_engine():
    pytest.importorskip('d2l_conv.fast._direct')
    for n in (28, 64, 224):
        assert choose.choose_engine((n, n), (3, 3), 'float32') == 'c'


def test_small_inputs_go_to_numpy_without_opencv(monkeypatch, without_c):
    monkeypatch.setattr(numba_engine, '_READY', set())
    monkeypatch.setattr(cv2_engine, 'available', lambda: False)
    assert choose.choose_engine((16, 16), (3, 3), 'float32') == 'numpy'


@pytest.mark.parametrize('numba_ready', [False, True])
def test_small_inputs_go_to_opencv_without_c(monkeypatch, without_c,
                                             numba_ready):
    pytest.importorskip('cv2')
    if numba_ready:
        pytest.importorskip('numba')
        assert numba_engine.load('float32')
    else:
        monkeypatch.setattr(numba_engine, '_READY', set())
    for n in (28, 64):
        assert choose.choose_engine((n, n), (3, 3), 'float32') == 'cv2'
    # OpenCV filters kernels of 50 taps and more by DFT: never sent there
    assert choose.choose_engine((28, 28), (5, 10), 'float32') != 'cv2'


def test_opencv_is_not_sent_what_it_would_misplace(monkeypatch, without_c):
    """A zero tap meeting NaN or inf: OpenCV skips the zero tap."""
    pytest.importorskip('cv2')
    X = onp.ones((28, 28), 'float32')
    X[5, 5] = onp.inf
    K = onp.ones((3, 3), 'float32')
    K[1, 1] = 0
    ran = []
    real = cv2_engine.correlate_valid
    monkeypatch.setattr(cv2_engine, 'correlate_valid',
                        lambda *a, **k: ran.append(1) or real(*a, **k))
    Y = corr2d_fast(X, K).asnumpy()
    assert ran == [] and onp.isnan(Y[4, 4]) and onp.isinf(Y[3, 3])
    X[5, 5] = 1  # all finite: the zero tap changes nothing
    onp.testing.assert_array_equal(corr2d_fast(X, K).asnumpy(), 8)
    assert ran == [1]


def test_large_kernels_go_to_the_fft():
    assert choose.choose_engine((1024, 1024), (31, 31), 'float32',
                                compile=False) == 'fft'


def test_small_kernels_on_large_images_go_to_the_c_engine():
    pytest.importorskip('d2l_conv.fast._direct')
    for n, k in ((1024, 3), (4096, 3), (1024, 7)):
        assert choose.choose_engine((n, n), (k, k), 'float32') == 'c'


def test_small_kernels_on_large_images_go_to_numba_once_loaded(without_c):
    pytest.importorskip('numba')
    assert numba_engine.load('float32')
    assert choose.choose_engine((1024, 1024), (3, 3), 'float32') == 'numba'


def test_every_estimate_grows_with_the_work():
    for engine in ('numpy', 'numba', 'fft', 'cv2', 'c'):
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


def test_with_the_c_engine_numba_is_never_loaded(fresh_numba):
    """The C engine needs no loading: no call starts numba's loader, so
    none runs beside it (it held the GIL for about a second)."""
    pytest.importorskip('d2l_conv.fast._direct')
    for shapes in (((2048, 2048), (3, 3)), ((1024, 1024), (15, 15)),
                   ((300, 300), (41, 41))):
        corr2d_fast(*random_pair(shapes, 0))
    assert not fresh_numba.is_set()
    assert numba_engine._DONE == {}


def test_no_call_waits_for_the_compile(fresh_numba, without_c):
    """The call that starts the compile is served by another engine."""
    X, K = random_pair(((2048, 2048), (3, 3)), 0)
    Y = corr2d_fast(X, K)  # returns while the "compile" is still running
    assert fresh_numba.wait(5)
    assert not numba_engine.ready('float32')
    onp.testing.assert_allclose(Y.asnumpy()[:3, :3], onp.array(
        [[(X[i:i + 3, j:j + 3] * K).sum() for j in range(3)]
         for i in range(3)]), atol=1e-4)


def test_small_calls_start_no_compile(fresh_numba, without_c):
    corr2d_fast(*random_pair(((64, 64), (3, 3)), 0))
    assert not fresh_numba.is_set()
    assert numba_engine._DONE == {}


def test_without_numba_scipy_or_opencv_numpy_serves(monkeypatch,
                                                    without_c):
    monkeypatch.setattr(numba_engine, '_READY', set())
    monkeypatch.setattr(numba_engine, 'available', lambda: False)
    monkeypatch.setattr(choose, 'fft_available', lambda: False)
    monkeypatch.setattr(cv2_engine, 'available', lambda: False)
    for shapes in (((512, 512), (3, 3)), ((300, 300), (41, 41)),
                   ((28, 28), (3, 3))):
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


def assert_modelled_once(monkeypatch, X_shape, K_shape):
    """Two calls for one shape ask the cost model only in the first."""
    asked = []
    real = choose.estimate
    monkeypatch.setattr(choose, 'estimate',
                        lambda *args: asked.append(args) or real(*args))
    first = choose.choose_engine(X_shape, K_shape, 'float32')
    count = len(asked)
    assert count and choose.choose_engine(X_shape, K_shape,
                                          'float32') == first
    assert len(asked) == count


def test_the_model_is_asked_once_per_shape_once_numba_is_loaded(
        monkeypatch):
    # the model cost a tenth of a small call; its answer never changes
    pytest.importorskip('numba')
    assert numba_engine.load('float32')
    assert_modelled_once(monkeypatch, (777, 555), (3, 4))


def test_the_model_is_asked_once_per_shape_before_numba_loads(
        monkeypatch):
    # at 28² modelling each call cost about 10 us of a 40 us call
    monkeypatch.setattr(numba_engine, '_READY', set())
    assert_modelled_once(monkeypatch, (29, 31), (3, 2))


def test_without_opencv_installed_everything_works():
    """A fresh process where ``import cv2`` fails, as where OpenCV is
    not installed (MXNet then does without it too)."""
    from conftest import assert_works_without
    assert_works_without('cv2', 'cv2_engine', 'cv2')


def test_the_switch_interval_is_short_while_numba_loads(monkeypatch):
    """A call that releases the GIL waits up to a switch interval to get
    it back from the loader; the interval is 0.1 ms while one loads, and
    the reader's own afterwards."""
    import sys
    monkeypatch.setattr(numba_engine, '_DONE', {})
    monkeypatch.setattr(numba_engine, '_READY', set())
    monkeypatch.setattr(numba_engine, '_FAILED', {})
    monkeypatch.setattr(numba_engine, 'available', lambda: False)
    before = sys.getswitchinterval()
    assert before > numba_engine.LOADING_SWITCH_INTERVAL
    seen = []
    real = numba_engine._switch_often

    def spy(starting):
        real(starting)
        seen.append(sys.getswitchinterval())
    monkeypatch.setattr(numba_engine, '_switch_often', spy)
    assert not numba_engine.load('float32')  # "numba is not installed"
    assert seen == [pytest.approx(numba_engine.LOADING_SWITCH_INTERVAL),
                    before]
    assert sys.getswitchinterval() == before


def test_two_loaders_restore_the_interval_once_both_end(monkeypatch):
    import sys
    before = sys.getswitchinterval()
    try:
        numba_engine._switch_often(True)
        numba_engine._switch_often(True)
        numba_engine._switch_often(False)
        assert sys.getswitchinterval() == pytest.approx(
            numba_engine.LOADING_SWITCH_INTERVAL)
        numba_engine._switch_often(False)
        assert sys.getswitchinterval() == before
        numba_engine._switch_often(True)
        sys.setswitchinterval(0.002)  # the reader's own choice, kept
        numba_engine._switch_often(False)
        assert sys.getswitchinterval() == 0.002
    finally:
        sys.setswitchinterval(before)
