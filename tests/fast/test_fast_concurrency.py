"""`corr2d_fast` from many threads and in forked and spawned children."""

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as onp
import pytest
from conftest import random_pair, scipy_valid

from d2l_conv import corr2d_fast
from d2l_conv.fast import choose


def test_eight_threads_give_correct_results():
    """Concurrent calls into every engine, each sharing out its rows."""
    cases = [random_pair(((600, 500), (3, 3)), s) for s in range(4)]
    cases += [random_pair(((300, 200), (5, 9)), s) for s in range(4)]
    calls = [*every_engine(), lambda X, K: corr2d_fast(X, K).asnumpy()]
    jobs = [(call, X, K) for call in calls for X, K in cases] * 2
    with ThreadPoolExecutor(8) as pool:
        outputs = list(pool.map(lambda job: job[0](job[1], job[2]), jobs))
    for (_, X, K), Y in zip(jobs, outputs, strict=True):
        onp.testing.assert_allclose(Y, scipy_valid(X, K), atol=2e-3,
                                    rtol=1e-4)


def every_engine():
    """Return the ``correlate_valid`` of every engine of this install."""
    return [choose.REGISTRY[name].correlate_valid for name in choose.ENGINES]


def child_result(shapes):
    """Run in a child: return the max error of every engine on `shapes`."""
    X, K = random_pair(shapes, 5)
    want = scipy_valid(X, K)
    calls = [*every_engine(), lambda X, K: corr2d_fast(X, K).asnumpy()]
    return max(float(onp.abs(call(X, K) - want).max()) for call in calls)


SHAPES = ((700, 600), (3, 3))  # large enough for both threads


@pytest.mark.parametrize('method', ['fork', 'spawn'])
def test_children_work_after_the_parent_used_the_helpers(method):
    X, K = random_pair(SHAPES, 6)
    for call in every_engine():  # the parent's helper threads, each
        call(X, K)
    corr2d_fast(X, K)
    context = multiprocessing.get_context(method)
    with context.Pool(1) as pool:
        result = pool.apply_async(child_result, (SHAPES,))
        assert result.get(timeout=120) < 2e-3  # a hang fails here
