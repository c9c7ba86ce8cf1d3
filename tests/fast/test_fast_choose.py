"""The cost model that picks `corr2d_fast`'s engine, and its fallbacks."""

import numpy as onp
import pytest
from conftest import random_pair

from d2l_conv import corr2d_fast
from d2l_conv.fast import choose, cv2_engine

#: Shapes over the range the model serves: (image, kernel).
GRID = [((n, n), (k, k)) for n in (28, 224, 1024, 4096)
        for k in (1, 3, 7, 15, 31, 63) if k <= n]


@pytest.mark.parametrize('method', choose.METHODS)
@pytest.mark.parametrize('shapes', GRID, ids=str)
def test_the_pick_has_the_least_modelled_time(method, shapes):
    """Whatever the constants: among the engines `method` allows, none
    models faster than the one picked (for 'fft', the FFT first)."""
    picked = choose.choose_engine(*shapes, method)
    allowed = [name for name in choose.ENGINES
               if method != 'direct' or choose.REGISTRY[name].METHOD ==
               'direct']
    if method == 'fft' and 'fft' in choose.ENGINES:
        allowed = ['fft']
    assert picked in allowed
    assert choose.estimate(picked, *shapes) == min(
        choose.estimate(name, *shapes) for name in allowed)


def test_a_kernel_large_enough_goes_to_the_fft():
    """The FFT's modelled cost grows with the log of the kernel, a
    direct engine's with its taps: some kernel sends 'auto' there."""
    if 'fft' not in choose.ENGINES:
        pytest.skip('no scipy')
    picks = {choose.choose_engine((2048, 2048), (k, k))
             for k in (3, 15, 63, 255, 1023)}
    assert 'fft' in picks


def test_a_kernel_of_fifty_taps_never_goes_to_opencv():
    # OpenCV filters kernels of 50 taps and more by DFT
    assert cv2_engine.features((28, 28), (5, 10), 1) is None
    assert choose.choose_engine((28, 28), (5, 10)) != 'cv2'


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


@pytest.mark.parametrize('engine', list(choose.REGISTRY))
def test_every_estimate_grows_with_the_work(engine):
    for k in (1, 3, 7):
        small = choose.estimate(engine, (256, 256), (k, k))
        assert 0 < small < choose.estimate(engine, (2048, 2048), (k, k))


def test_the_engines_are_those_importable_found_at_load():
    """NumPy last; the C engine only where it was built."""
    from d2l_conv.fast import c_engine
    assert choose.ENGINES == choose.importable()
    assert choose.ENGINES[-1] == 'numpy'
    assert ('c' in choose.ENGINES) == c_engine.available()
    assert set(choose.ENGINES) <= set(choose.REGISTRY)


def test_without_scipy_or_opencv_numpy_serves(monkeypatch, without_c):
    monkeypatch.setattr(choose, 'ENGINES', ('numpy',))
    for shapes in (((512, 512), (3, 3)), ((300, 300), (41, 41)),
                   ((28, 28), (3, 3))):
        assert choose.choose_engine(*shapes) == 'numpy'
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


def test_calls_search_for_no_engine(monkeypatch):
    # the engines were found when the package loaded; a search of
    # sys.path per call cost as much as a small call itself
    import importlib.util
    found = []
    monkeypatch.setattr(importlib.util, 'find_spec',
                        lambda name, *a: found.append(name))
    for shapes in (((8, 8), (3, 3)), ((900, 900), (3, 3)),
                   ((300, 300), (41, 41))):
        corr2d_fast(*random_pair(shapes, 0))
    assert found == []


def assert_modelled_once(monkeypatch, X_shape, K_shape):
    """Two calls for one shape ask the cost model only in the first."""
    asked = []
    real = choose.plan
    monkeypatch.setattr(choose, 'plan',
                        lambda *args: asked.append(args) or real(*args))
    first = choose.choose_engine(X_shape, K_shape)
    count = len(asked)
    assert count and choose.choose_engine(X_shape, K_shape) == first
    assert len(asked) == count


def test_the_model_is_asked_once_per_shape(monkeypatch):
    # the model cost a tenth of a small call; its answer never changes
    assert_modelled_once(monkeypatch, (777, 555), (3, 4))


def test_the_model_is_asked_once_per_shape_without_c(monkeypatch,
                                                    without_c):
    # at 28² modelling each call cost about 10 us of a 40 us call
    assert_modelled_once(monkeypatch, (29, 31), (3, 2))


def test_without_opencv_installed_everything_works():
    """A fresh process where ``import cv2`` fails, as where OpenCV is
    not installed (MXNet then does without it too)."""
    from conftest import assert_works_without
    assert_works_without('cv2', 'cv2_engine', 'cv2')
