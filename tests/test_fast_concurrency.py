"""`corr2d_fast` from many threads and in forked and spawned children."""

import multiprocessing
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import numpy as onp
import pytest
from conftest import random_pair

from d2l_conv import corr2d_fast
from d2l_conv.fast import numpy_engine

pytest.importorskip('numba')


def scipy_valid(X, K):
    from scipy.signal import correlate2d
    return correlate2d(X.astype('float64'), K.astype('float64'), 'valid')


def test_eight_threads_give_correct_results():
    """Concurrent calls into every engine, each sharing out its rows."""
    from d2l_conv.fast import fft_engine, numba_engine
    cases = [random_pair(((600, 500), (3, 3)), s) for s in range(4)]
    cases += [random_pair(((300, 200), (31, 5)), s) for s in range(4)]
    calls = [numba_engine.correlate_valid, numpy_engine.correlate_valid,
             fft_engine.correlate_valid,
             lambda X, K: corr2d_fast(X, K).asnumpy()]
    jobs = [(call, X, K) for call in calls for X, K in cases] * 2
    with ThreadPoolExecutor(8) as pool:
        outputs = list(pool.map(lambda job: job[0](job[1], job[2]), jobs))
    for (_, X, K), Y in zip(jobs, outputs, strict=True):
        onp.testing.assert_allclose(Y, scipy_valid(X, K), atol=2e-3,
                                    rtol=1e-4)


def child_result(shapes):
    """Run in a child: return the max error of every engine on `shapes`."""
    from d2l_conv.fast import fft_engine, numba_engine
    X, K = random_pair(shapes, 5)
    want = scipy_valid(X, K)
    calls = [numba_engine.correlate_valid, fft_engine.correlate_valid,
             numpy_engine.correlate_valid,
             lambda X, K: corr2d_fast(X, K).asnumpy()]
    return max(float(onp.abs(call(X, K) - want).max()) for call in calls)


SHAPES = ((700, 600), (3, 3))  # large enough for both threads


def child_mid_compile():
    """Run in a child forked mid-compile: numba refuses, others serve."""
    from d2l_conv.fast import numba_engine
    X, K = random_pair(SHAPES, 5)
    try:
        numba_engine.correlate_valid(X, K)
    except RuntimeError as err:
        refused = 'forked while compiling' in str(err)
    else:
        refused = False  # the compile had finished before the fork
    error = float(onp.abs(corr2d_fast(X, K).asnumpy()
                          - scipy_valid(X, K)).max())
    return refused, error


@pytest.mark.parametrize('method', ['fork', 'spawn'])
def test_children_work_after_the_parent_used_the_helpers(method):
    from d2l_conv.fast import numba_engine
    X, K = random_pair(SHAPES, 6)
    numpy_engine.correlate_valid(X, K)  # the parent's helper threads
    numba_engine.correlate_valid(X, K)  # and again, from numba
    corr2d_fast(X, K)
    context = multiprocessing.get_context(method)
    with context.Pool(1) as pool:
        result = pool.apply_async(child_result, (SHAPES,))
        assert result.get(timeout=120) < 2e-3  # a hang fails here


def test_fork_while_compiling_in_the_background():
    """A child forked mid-compile answers at once, by another engine."""
    code = textwrap.dedent('''
        import multiprocessing, sys
        import numpy as onp
        sys.path.insert(0, 'tests')
        from d2l_conv.fast import numba_engine
        from test_fast_concurrency import child_mid_compile
        numba_engine.start('float64')  # compiles in a background thread
        ctx = multiprocessing.get_context('fork')
        with ctx.Pool(1) as pool:
            print(*pool.apply_async(child_mid_compile).get(120))
        ''')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    refused, error = done.stdout.split()
    assert float(error) < 2e-3
    assert refused in ('True', 'False')  # False: the cache loaded first
