"""Every other notebook survives Run All twice, each cell twice in a row
and Restart & Run All.

The section, exercises and photograph notebooks have files of their own
(``test_rerun_*.py``), with checks of their own; any other notebook in
``notebooks/`` is run here, so none is left out.
"""

import pytest
from notebook_rounds import (
    NOTEBOOKS,
    check_each_cell_twice,
    check_going_back,
    check_run_all_twice,
    run_rounds,
)

pytestmark = pytest.mark.slow  # a kernel each: make test-slow

#: The notebooks with a test file of their own.
OWN_FILES = {'convolutions_for_images.ipynb': 'test_rerun_section.py',
             'exercises.ipynb': 'test_rerun_exercises.py',
             'photograph.ipynb': 'test_rerun_photograph.py'}
OTHERS = sorted(path.name for path in NOTEBOOKS.glob('*.ipynb')
                if path.name not in OWN_FILES)


def test_each_notebook_named_here_has_its_file():
    tests = NOTEBOOKS.parent / 'tests' / 'notebooks'
    for name, file in OWN_FILES.items():
        assert (NOTEBOOKS / name).exists(), name
        assert (tests / file).exists(), file


@pytest.fixture(scope='module', params=OTHERS)
def rounds(request):
    return run_rounds(request.param)


def test_run_all_twice_shows_the_same_both_rounds(rounds):
    check_run_all_twice(rounds)


def test_each_cell_run_alone_going_back_shows_the_same(rounds):
    check_going_back(rounds)


def test_each_cell_run_twice_shows_the_same(rounds):
    check_each_cell_twice(rounds)


def test_a_stream_cut_in_pieces_reads_as_one_text():
    """The kernel flushes stdout on a timer, so a slow run may send one
    print's lines in two messages; a cell's text must not depend on it."""
    import nbformat
    from notebook_rounds import texts
    whole, cut = (nbformat.v4.new_code_cell('') for _ in range(2))
    stream = nbformat.v4.new_output
    whole.outputs = [stream('stream', name='stdout', text='a\nb\n')]
    cut.outputs = [stream('stream', name='stdout', text='a\n'),
                   stream('stream', name='stdout', text='b\n'),
                   stream('stream', name='stderr', text='c\n')]
    assert texts(cut) == texts(whole) + '\nc\n'
