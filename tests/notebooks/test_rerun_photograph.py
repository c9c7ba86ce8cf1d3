"""The photograph notebook survives Run All twice, each cell twice in a
row and Restart & Run All."""

import pytest
from notebook_rounds import (
    check_each_cell_twice,
    check_going_back,
    check_run_all_twice,
    run_rounds,
)

pytestmark = pytest.mark.slow  # a kernel each: make test-slow


@pytest.fixture(scope='module')
def rounds():
    return run_rounds('photograph.ipynb')


def test_run_all_twice_shows_the_same_both_rounds(rounds):
    check_run_all_twice(rounds)


def test_each_cell_run_alone_going_back_shows_the_same(rounds):
    check_going_back(rounds)


def test_each_cell_run_twice_shows_the_same(rounds):
    check_each_cell_twice(rounds)
