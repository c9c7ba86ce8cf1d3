"""The exercises notebook survives Run All twice, each cell twice in a
row and Restart & Run All."""

import pytest
from notebook_rounds import (
    cell_index,
    check_each_cell_twice,
    check_going_back,
    check_run_all_twice,
    run_rounds,
)

pytestmark = pytest.mark.slow  # a kernel each: make test-slow


@pytest.fixture(scope='module')
def rounds():
    return run_rounds('exercises.ipynb')


def test_run_all_twice_shows_the_same_both_rounds(rounds):
    check_run_all_twice(rounds)


def test_each_cell_run_alone_going_back_shows_the_same(rounds):
    check_going_back(rounds)


def test_each_cell_run_twice_shows_the_same(rounds):
    check_each_cell_twice(rounds)


def test_its_check_of_the_books_numbers_passes_in_every_round(rounds):
    _, _, first, second, twice, *_ = rounds
    check = cell_index(rounds, "matches('losses', loss_lines(losses))")
    for shown in (first[check], second[check], *twice[check]):
        assert shown == '(True, True)'
