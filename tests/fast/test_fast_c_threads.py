"""The C engine on threads: same bits on any count, safe across
``fork`` and from many Python threads at once."""

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


def test_threads_share_rows_through_one_row_index():
    """The calls given one row index take chunks of rows from it in turn:
    one that starts once none is left (a helper that woke late) writes
    nothing, and the index stops at the last row."""
    X, K = random_pair(((40, 33), (3, 4)), 2)
    one = c_engine.correlate_valid(X, K, threads=1)
    Y = onp.full((38, 30), onp.nan, 'float32')
    after = onp.array([38], onp.intp)
    args = X, 33, K, 3, 4, Y, 30, 0, 38, False
    direct.correlate(*args, after, 2)
    assert onp.isnan(Y).all() and after[0] == 38
    after[0] = -5  # out of range: nothing either
    direct.correlate(*args, after, 2)
    assert onp.isnan(Y).all() and after[0] == -5
    after[0] = 20  # the rows from 20
    direct.correlate(*args, after, 2)
    assert onp.isnan(Y[:20]).all() and after[0] == 38
    onp.testing.assert_array_equal(Y[20:], one[20:])
    after[0] = 0
    direct.correlate(*args, after, 3)
    onp.testing.assert_array_equal(Y, one)


def test_a_shared_call_rings_the_helpers_bell():
    """A call given a row index rings the bell that idle helpers spin on
    (as it starts, without the GIL); a call alone does not."""
    X, K = random_pair(((40, 33), (3, 4)), 2)
    args = X, 33, K, 3, 4, onp.empty((38, 30), 'float32'), 30, 0, 38, False
    seen = direct.wait(-1, 0)  # never -1: the bell at once
    direct.correlate(*args)
    assert direct.wait(-1, 0) == seen
    direct.correlate(*args, onp.zeros(1, onp.intp), 2)
    assert direct.wait(-1, 0) == seen + 1
    direct.ring()
    assert direct.wait(-1, 0) == seen + 2


def test_an_idle_helper_spins_without_the_gil_until_the_bell_rings():
    """`wait` returns as the bell rings, rung by a thread that needs the
    GIL to do it; else after its seconds."""
    seen = direct.wait(-1, 0)
    ringer = threading.Timer(0.05, direct.ring)
    ringer.start()
    assert direct.wait(seen, 60.0) == seen + 1  # not a minute later
    ringer.join()
    assert direct.wait(seen + 1, 0.01) == seen + 1  # none: it gives up
    for never in (float('nan'), -1.0):  # no spin without end
        with pytest.raises(ValueError, match='wait: seconds'):
            direct.wait(seen + 1, never)


def test_any_thread_count_takes_every_row_once():
    X, K = random_pair(((40, 33), (3, 4)), 2)
    one = c_engine.correlate_valid(X, K, threads=1)
    Y = onp.full((38, 30), onp.nan, 'float32')
    args = X, 33, K, 3, 4, Y, 30, 0, 38, False
    for threads in (1, 7, 38, 2 ** 62, sys.maxsize):
        Y[...] = onp.nan
        direct.correlate(*args, onp.zeros(1, onp.intp), threads)
        onp.testing.assert_array_equal(Y, one)
    with pytest.raises(ValueError):
        direct.correlate(*args, onp.zeros(1, onp.intp), 0)


@pytest.mark.parametrize('change, error', [
    ({1: 34}, ValueError),  # W: ow is not W - w + 1
    ({8: 39}, ValueError),  # stop: past the rows of X and Y
    ({7: -1}, ValueError),  # start
    ({0: onp.ones(40 * 33 - 1, 'float32')}, ValueError),  # X too small
    ({2: onp.ones(11, 'float32')}, ValueError),  # K too small
    ({5: onp.ones(38 * 30 - 1, 'float32')}, ValueError),  # Y too small
    ({5: onp.ones((38, 30), 'float32')[::2]}, ValueError),
    ({5: onp.ones((38, 30), 'float32').view()}, None),
])
def test_the_kernel_checks_what_it_is_given(change, error):
    """Shapes that do not fit or buffers too small raise, writing
    nothing: C reads and writes only within the buffers."""
    X, K = random_pair(((40, 33), (3, 4)), 2)
    Y = onp.full((38, 30), onp.nan, 'float32')
    args = [X, 33, K, 3, 4, Y, 30, 0, 38, False]
    for at, value in change.items():
        args[at] = value
    if error is None:
        c_engine.kernel().correlate(*args)
        return
    with pytest.raises(error):
        c_engine.kernel().correlate(*args)
    assert onp.isnan(Y).all()
    read_only = Y.copy()
    read_only.flags.writeable = False
    with pytest.raises((BufferError, TypeError, ValueError)):
        c_engine.kernel().correlate(X, 33, K, 3, 4, read_only, 30, 0, 38,
                                    False)


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
    # a thread a row at most
    assert choose.plan('c', (16, 4096), (15, 15), 64)[0] <= 2


def test_threads_pay_where_the_model_says_the_work_dwarfs_a_handover():
    """Of the model's own constants: where the work per thread is a
    thousand hand-overs, and threads crowd each other less than they
    share, a second thread is taken."""
    from d2l_conv.fast import choose
    _, handover, work, outputs, crowding = choose.COSTS['c']
    if crowding >= work:  # this machine's threads gain nothing
        assert choose.plan('c', (4096, 4096), (15, 15), 64)[0] == 1
        return
    side = 16
    while (side * side * 225 * work) < 1000 * handover and side < 1 << 16:
        side *= 2
    assert choose.plan('c', (side, side), (15, 15), 64)[0] > 1


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
    """Calls from 8 threads, each sharing its rows with helpers: every
    result is the single thread's, bit for bit."""
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
    """The parent's helpers are busy, in another thread, when it forks:
    the child has none of its threads, starts its own, and its results
    are the parent's."""
    out = run_python('''
        import os, sys, threading
        import numpy as onp
        sys.path.insert(0, 'tests')
        from conftest import random_pair, scipy_valid
        from d2l_conv import corr2d_fast
        from d2l_conv.fast import c_engine
        X, K = random_pair(((1200, 1100), (7, 7)), 3)
        want = c_engine.correlate_valid(X, K, threads=1)
        c_engine.correlate_valid(X, K, threads=2)  # starts a helper
        busy = threading.Event()
        def loop():
            while not busy.is_set():
                c_engine.correlate_valid(X, K, threads=2)
        thread = threading.Thread(target=loop)
        thread.start()
        pid = os.fork()
        if pid == 0:
            same = (c_engine.correlate_valid(X, K, threads=2) == want).all()
            close = onp.allclose(corr2d_fast(X, K).asnumpy(), want,
                                 rtol=1e-4, atol=1e-4)
            os._exit(0 if same and close else 1)
        _, status = os.waitpid(pid, 0)
        busy.set()
        thread.join()
        print(os.waitstatus_to_exitcode(status))
        ''')
    assert out == ['0']  # the child's checks passed
