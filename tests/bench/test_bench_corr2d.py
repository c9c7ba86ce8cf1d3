"""The bench times what it says: every contender computes the valid
correlation, a call that disagrees stops the run, and the builds without
C are what they are named."""

import sys

import numpy as onp
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / 'benchmarks'))

import bench_corr2d  # noqa: E402


def test_every_contender_computes_the_valid_correlation():
    from scipy.signal import correlate2d
    X, K = bench_corr2d.make_inputs(20, (3, 5))
    calls = {**bench_corr2d.ours(X, K, methods=True),
             **bench_corr2d.peers(X, K)}
    assert len(calls) == 4 + 6
    expected = correlate2d(X, K, 'valid')
    for name, call in calls.items():
        Y = call()
        Y = Y.asnumpy() if hasattr(Y, 'asnumpy') else Y
        onp.testing.assert_allclose(Y.reshape(expected.shape), expected,
                                    rtol=1e-4, atol=1e-4, err_msg=name)


def test_a_call_that_disagrees_stops_the_run(monkeypatch):
    monkeypatch.setattr(bench_corr2d, 'BUDGET', 1e-4)
    X, K = bench_corr2d.make_inputs(20, (3, 3))
    calls = bench_corr2d.ours(X, K)
    times = bench_corr2d.time_calls(calls, 'test')
    assert set(times) == set(calls) and min(times.values()) > 0
    calls['wrong'] = lambda: onp.zeros((18, 18), 'float32')
    with pytest.raises(AssertionError, match='wrong'):
        bench_corr2d.time_calls(calls, 'test')


@pytest.mark.parametrize('build, engines', [
    ('without C', lambda found: 'c' not in found and 'cv2' in found),
    ('without C, NumPy only', lambda found: found == ['numpy'])])
def test_a_build_without_c_runs_without_it(build, engines):
    case = {'n': 16, 'kernel': [3, 3], 'peer': 'cv2.filter2D'}
    found, = bench_corr2d.fresh(build, cases=[case])
    assert engines(found['engines']), found['engines']
    assert found['engine'] in found['engines']
    assert set(found['times']) == {*bench_corr2d.OURS, 'cv2.filter2D'}
