"""The C engine's native threads: same bits on any count, safe across
``fork``, at exit and from many Python threads at once."""

import os
import subprocess
import sys
import textwrap
import threading

import numpy as onp
import pytest
from conftest import ROOT, random_pair, scipy_valid

from d2l_conv import corr2d_fast, fast

direct = pytest.importorskip('d2l_conv.fast._direct')

from d2l_conv.fast import c_engine  # noqa: E402


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
@pytest.mark.parametrize('shapes', [((301, 257), (3, 3)),
                                    ((90, 1000), (15, 15)),
                                    ((40, 33), (1, 2)), ((9, 9), (9, 1))])
def test_every_thread_count_gives_the_same_bits(dtype, shapes):
    X, K = (A.astype(dtype) for A in random_pair(shapes, 1))
    one = c_engine.correlate_valid(X, K, threads=1)
    onp.testing.assert_allclose(one, scipy_valid(X, K), rtol=1e-4,
                                atol=1e-4)
    for threads in (2, 3, 4, 7, 16, 1000):
        onp.testing.assert_array_equal(
            c_engine.correlate_valid(X, K, threads=threads), one)
    onp.testing.assert_array_equal(c_engine.correlate_valid(X, K), one)


def test_the_pool_takes_pieces():
    """With two threads, the pool's thread takes some of the rows."""
    X, K = random_pair(((1500, 1500), (9, 9)), 2)
    before = direct.pool_stats()[1]
    for _ in range(10):
        c_engine.correlate_valid(X, K, threads=2)
    started, taken = direct.pool_stats()
    assert started >= 1 and taken > before


@pytest.mark.parametrize('threads', [0, -3])
def test_a_bad_thread_count(threads):
    X, K = random_pair(((8, 8), (3, 3)), 0)
    with pytest.raises(ValueError, match='corr2d_fast: threads'):
        c_engine.correlate_valid(X, K, threads=threads)


def test_the_model_never_takes_threads_that_do_not_pay():
    """More threads only where the cost model says they save time."""
    from d2l_conv.fast import choose
    for side in (8, 64, 256, 512, 1024, 4096):
        for k in (1, 3, 15):
            if k > side:
                continue
            shapes = (side, side), (k, k)
            threads, seconds = choose.plan('c', *shapes, 64)
            alone = choose.plan('c', *shapes, 1)[1]
            assert seconds <= alone
            assert (threads == 1) == (seconds == alone)
    assert choose.plan('c', (64, 64), (3, 3), 64)[0] == 1  # microseconds
    assert choose.plan('c', (4096, 4096), (15, 15), 64)[0] > 1
    # a thread a row at most
    assert choose.plan('c', (16, 4096), (15, 15), 64)[0] <= 2


def test_the_setting_caps_the_threads_used():
    from d2l_conv.fast import choose
    fast.set_num_threads(1)
    try:
        assert choose.plan('c', (4096, 4096), (15, 15))[0] == 1
    finally:
        fast.set_num_threads(None)
    assert choose.plan('c', (4096, 4096), (15, 15))[0] <= (
        fast.get_num_threads())


def test_many_python_threads_at_once():
    """Calls from 8 threads: one has the pool, the others run alone;
    every result is the single thread's, bit for bit."""
    cases = [random_pair(((400 + 37 * s, 300), (3 + s % 3, 5)), s)
             for s in range(8)]
    wants = [c_engine.correlate_valid(X, K, threads=1) for X, K in cases]
    errors = []

    def work(i):
        try:
            X, K = cases[i]
            for _ in range(20):
                onp.testing.assert_array_equal(
                    c_engine.correlate_valid(X, K, threads=4), wants[i])
                onp.testing.assert_allclose(
                    corr2d_fast(X, K).asnumpy(), wants[i], rtol=1e-4,
                    atol=1e-4)
        except Exception as err:  # noqa: BLE001 (reported below)
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), 'a hang'
    assert errors == []


def run_python(code, timeout=120):
    """Run `code` in a fresh Python (tests/ on its path); its stdout."""
    done = subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)], capture_output=True,
        text=True, timeout=timeout,
        cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='no fork')
def test_a_forked_child_calls_corr2d_fast():
    """The parent's pool is running, and busy in another thread, when it
    forks: the child has none of its threads, starts its own, and its
    results are the parent's."""
    out = run_python('''
        import os, sys, threading
        import numpy as onp
        sys.path.insert(0, 'tests')
        from conftest import random_pair, scipy_valid
        from d2l_conv import corr2d_fast
        from d2l_conv.fast import _direct, c_engine
        X, K = random_pair(((1200, 1100), (7, 7)), 3)
        want = c_engine.correlate_valid(X, K, threads=1)
        c_engine.correlate_valid(X, K, threads=2)  # starts the pool
        busy = threading.Event()
        def loop():
            while not busy.is_set():
                c_engine.correlate_valid(X, K, threads=2)
        thread = threading.Thread(target=loop)
        thread.start()
        pid = os.fork()
        if pid == 0:
            fresh = _direct.pool_stats() == (0, 0)
            same = (c_engine.correlate_valid(X, K, threads=2) == want).all()
            close = onp.allclose(corr2d_fast(X, K).asnumpy(), want,
                                 rtol=1e-4, atol=1e-4)
            os._exit(0 if fresh and same and close else 1)
        _, status = os.waitpid(pid, 0)
        busy.set()
        thread.join()
        print(os.waitstatus_to_exitcode(status), _direct.pool_stats()[0])
        ''')
    assert out[0] == '0'  # the child's checks passed
    assert int(out[1]) >= 1


@pytest.mark.parametrize('daemon_working', [False, True])
def test_exit_with_the_pool_alive(daemon_working):
    """The interpreter exits at once with the pool asleep, or with a
    daemon thread in the middle of a call."""
    out = run_python(f'''
        import threading, time
        import numpy as onp
        from d2l_conv.fast import _direct, c_engine
        X = onp.ones((2000, 2000), 'float32')
        K = onp.ones((15, 15), 'float32')
        c_engine.correlate_valid(X, K, threads=4)
        if {daemon_working}:
            def loop():
                while True:
                    c_engine.correlate_valid(X, K, threads=4)
            threading.Thread(target=loop, daemon=True).start()
            time.sleep(0.05)
        print(_direct.pool_stats()[0])
        ''', timeout=60)
    assert int(out[0]) >= 1
