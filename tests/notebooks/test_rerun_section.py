"""The section notebook survives Run All twice, each cell twice in a row
and Restart & Run All, and its checks say why when they fail."""

import pytest
from notebook_rounds import (
    SECTION,
    cell_index,
    check_each_cell_twice,
    check_going_back,
    check_lines,
    check_run_all_twice,
    run_rounds,
)

pytestmark = pytest.mark.slow  # a kernel each: make test-slow

#: The cells whose second run in a row differs, as it should: 6.2.4's
#: training draws a new starting kernel from MXNet's generator, the
#: learned kernel follows it, and the check then says why.
STATEFUL = ('conv2d.initialize()', 'conv2d.weight.data().reshape(1, 2)',
            'check_cells(recorder.cells)')
CHECK = 'check_cells(recorder.cells)'


@pytest.fixture(scope='module')
def rounds():
    return run_rounds(SECTION)


def test_run_all_twice_shows_the_same_both_rounds(rounds):
    check_run_all_twice(rounds)


def test_each_cell_run_alone_going_back_shows_the_same(rounds):
    check_going_back(rounds)


def test_each_cell_run_twice_shows_the_same_or_says_why(rounds):
    check_each_cell_twice(rounds, STATEFUL)


def test_the_checks_pass_in_both_rounds(rounds):
    _, _, first, second, *_ = rounds
    check = cell_index(rounds, CHECK)
    for shown in first[check], second[check]:
        assert '6/6 of this notebook' in shown and '✗' not in shown


def test_a_failing_check_says_why_and_which_cell_to_run(rounds):
    *_, twice, after, _, _ = rounds
    check = cell_index(rounds, CHECK)
    # 6.2.4's training ran twice in a row: the second run started from
    # another random kernel, so its losses are not the book's
    shown = twice[check][-1]
    reasons = check_lines(shown)
    assert len(reasons) == 2, shown  # the losses and the learned kernel
    for reason in reasons:
        assert "MXNet's generator" in reason, shown
        assert '`mx.random.seed(0)`' in reason, shown
    # ... and doing what it says gives the book's numbers back
    assert '6/6 of this notebook' in after[check], after[check]


def test_a_book_cell_run_out_of_turn_is_named_by_the_next_cell_of_ours(
        rounds):
    """6.2.4's training, then `Y = corr2d(X, K)` alone: the book's cell
    gives an empty Y (its code stays the book's); the cell of ours after
    it, and the one before the training, say plainly which cells to run
    first, and doing so gives the book's numbers back."""
    _, _, first, _, _, after, *_ = rounds
    assert 'shape=(1, 0)' in after['stale compute']
    for shown in after['stale check'], after['stale seed']:
        assert shown.startswith('Y has shape (1, 0), not (6, 7)'), shown
        assert '`K = np.array([[1, -1]])`' in shown, shown
        assert 'the cell of ours after it' in shown, shown
        assert '`Y = corr2d(X, K)`' in shown, shown
    assert after['fixed check'] == after['fixed seed'] == ''
    training = cell_index(rounds, 'conv2d.initialize()')
    assert after['fixed training'] == first[training]
