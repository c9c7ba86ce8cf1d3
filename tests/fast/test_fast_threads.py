"""`_threads.share`: pieces of work shared between this thread and helpers."""

import threading
import time

import pytest

from d2l_conv.fast import _threads


def test_every_piece_is_done_once_before_share_returns():
    done, names = [], set()

    def work(mine):
        for piece in mine:
            time.sleep(0.01)  # slow pieces, so that the helper takes some
            names.add(threading.current_thread().name)
            done.append(piece)

    _threads.share(work, range(20), 2)
    assert sorted(done) == list(range(20))
    assert len(names) == 2  # the helper took its share


@pytest.fixture
def busy_helper():
    """Keep the only helper thread busy until the test calls `release`."""
    tasks = _threads.helpers(1)
    release, freed = threading.Event(), threading.Event()
    tasks.put((lambda: release.wait() and freed.set(), ()))  # occupies it
    while not tasks.empty():
        time.sleep(0.001)  # until the helper is in release.wait

    def free():
        release.set()
        assert freed.wait(timeout=10)
    yield free
    free()  # again if the test failed first; harmless otherwise


def test_a_helper_that_starts_late_is_not_waited_for(busy_helper):
    """With the only helper busy, this thread does every piece."""
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
            time.sleep(0.005)
            if piece == failing:
                raise ZeroDivisionError(piece)

    with pytest.raises(ZeroDivisionError):
        _threads.share(work, range(8), 2)


def test_one_thread_needs_no_helper(monkeypatch):
    monkeypatch.setattr(_threads, 'helpers', None)  # calling it would fail
    done = []
    _threads.share(lambda mine: done.extend(mine), range(3), 1)
    assert done == [0, 1, 2]


def test_after_an_error_a_late_helper_takes_no_piece(busy_helper):
    """Once `share` has raised, nothing more writes to its output."""
    done = []

    def work(shared):
        for piece in shared:
            if piece == 0:
                raise ZeroDivisionError(piece)
            done.append(piece)

    with pytest.raises(ZeroDivisionError):
        _threads.share(work, range(5), 2)
    busy_helper()  # now the helper takes share's task, late
    marker = threading.Event()
    _threads.helpers(1).put((marker.set, ()))  # runs after that task
    assert marker.wait(timeout=10)
    assert done == []
