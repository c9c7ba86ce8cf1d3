"""`_threads.share`: pieces of work shared between this thread and helpers."""

import threading

import pytest

from d2l_conv.fast import _threads


def test_every_piece_is_done_once_before_share_returns():
    done, names = [], set()
    both = threading.Barrier(2, timeout=10)

    def work(mine):
        for piece in mine:
            if piece == 0:
                both.wait()  # the first piece of each thread waits for
            names.add(threading.current_thread().name)  # the other's
            done.append(piece)

    _threads.share(work, [0, 0, *range(1, 20)], 2)
    assert sorted(done) == [0, 0, *range(1, 20)]
    assert len(names) == 2  # the helper took its share


def helper_count():
    """Return how many helper threads are alive (at least one)."""
    _threads.helpers(1)
    return _threads._HELPERS[0]


def gathered():
    """Return tasks for every helper that end only once each helper
    holds one, and the test's own barrier of that meeting."""
    count = helper_count()
    meeting = threading.Barrier(count + 1, timeout=10)
    return [(meeting.wait, ())] * count, meeting


@pytest.fixture
def busy_helpers():
    """Keep every helper thread busy until the test calls `free`."""
    count = helper_count()
    started = threading.Semaphore(0)
    release = threading.Event()
    for _ in range(count):
        _threads.helpers(1).put((
            lambda: started.release() or release.wait(10), ()))
    for _ in range(count):  # until each helper holds one
        assert started.acquire(timeout=10)
    yield release.set
    release.set()


def test_a_helper_that_starts_late_is_not_waited_for(busy_helpers):
    """With every helper busy, this thread does every piece."""
    done = []
    caller = threading.Thread(target=_threads.share, daemon=True,
                              args=(lambda mine: done.extend(mine),
                                    range(5), 2))
    caller.start()
    caller.join(timeout=10)
    assert not caller.is_alive(), 'share waited for a helper'
    assert done == list(range(5))


@pytest.mark.parametrize('failing', [0, 7])
def test_an_error_in_any_piece_reaches_the_caller(failing):
    def work(mine):
        for piece in mine:
            if piece == failing:
                raise ZeroDivisionError(piece)

    with pytest.raises(ZeroDivisionError):
        _threads.share(work, range(8), 2)


def test_one_thread_needs_no_helper(monkeypatch):
    monkeypatch.setattr(_threads, 'helpers', None)  # calling it would fail
    done = []
    _threads.share(lambda mine: done.extend(mine), range(3), 1)
    assert done == [0, 1, 2]


def test_after_an_error_a_late_helper_takes_no_piece(busy_helpers):
    """Once `share` has raised, nothing more writes to its output."""
    done = []

    def work(shared):
        for piece in shared:
            if piece == 0:
                raise ZeroDivisionError(piece)
            done.append(piece)

    with pytest.raises(ZeroDivisionError):
        _threads.share(work, range(5), 2)
    tasks, meeting = gathered()
    busy_helpers()  # now a helper takes share's task, late
    for task in tasks:
        _threads.helpers(1).put(task)
    meeting.wait()  # every helper is here: none runs share's task
    assert done == []


def test_share_rings_the_helpers_bell_unless_its_work_does():
    """Helpers that spin after a task start on the bell: `share` rings it
    once it has handed out their tasks, unless `work` rings it itself
    (the C engine's calls, once they have let go of the GIL)."""
    direct = pytest.importorskip('d2l_conv.fast._direct')
    seen = direct.wait(-1, 0)
    _threads.share(lambda shared: list(shared), range(4), 1)  # no helper
    assert direct.wait(-1, 0) == seen
    _threads.share(lambda shared: list(shared), range(4), 2)
    assert direct.wait(-1, 0) == seen + 1
    _threads.share(lambda shared: list(shared), range(4), 2, rings=True)
    assert direct.wait(-1, 0) == seen + 1
