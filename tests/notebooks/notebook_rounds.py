"""Each notebook survives a learner's three habits, run by nbclient.

The tests, shared by ``test_rerun_*.py`` (one file per notebook, so that
pytest-xdist runs the notebooks in parallel).

Restart & Run All (a fresh kernel's first round), Run All again in the
same kernel, then every code cell run twice in a row: no cell raises,
the kernel stays alive, and the second Run All shows what the first did.
One kernel per notebook runs all three orders, to keep the suite fast.
"""

import re

import pytest
from conftest import ROOT

nbclient = pytest.importorskip('nbclient')
nbformat = pytest.importorskip('nbformat')

NOTEBOOKS = ROOT / 'notebooks'
SECTION = 'convolutions_for_images.ipynb'


def texts(cell):
    """Return what `cell` printed and showed, as text, in order.

    A stream's text is whole however the kernel cut it into messages
    (it flushes on a timer, so a slow run cuts it elsewhere), as nbval
    joins them: consecutive pieces of one stream are one text.
    """
    shown, last = [], None
    for output in cell.outputs:
        if output.output_type == 'stream':
            if last == output.name:
                shown[-1] += output.text
            else:
                shown.append(output.text)
            last = output.name
        elif 'data' in output:
            shown.append(output.data.get('text/plain', ''))
            last = None
    return '\n'.join(shown)


def compared(cell):
    """Whether a rerun of `cell` must show what its first run showed:
    a code cell that nbval compares (no ``# NBVAL_IGNORE_OUTPUT`` line).
    """
    return cell.cell_type == 'code' and not any(
        line.strip().lstrip('#').strip() == 'NBVAL_IGNORE_OUTPUT'
        for line in cell.source.splitlines())


def run_cell(client, notebook, index, times=1):
    """Run code cell `index` of `notebook` `times` in a row; its texts."""
    cell = notebook.cells[index]
    runs = []
    for _ in range(times):
        client.execute_cell(cell, index)  # raises CellExecutionError
        runs.append(texts(cell))
    return runs


def run_all(client, notebook):
    """Run every code cell once, in order; return each one's texts."""
    return {index: run_cell(client, notebook, index)[0]
            for index, cell in enumerate(notebook.cells)
            if cell.cell_type == 'code'}


def check_lines(text):
    """Return the ✗ lines of a check and the reasons printed under them."""
    return re.findall(r'^✗ .*\n((?:  .*\n)*)', text, re.MULTILINE)


def run_rounds(name):
    """Run a notebook in all three orders in one kernel; what each shows."""
    path = NOTEBOOKS / name
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name='python3',
        resources={'metadata': {'path': str(NOTEBOOKS)}})
    with client.setup_kernel():
        first = run_all(client, notebook)  # Restart & Run All
        second = run_all(client, notebook)  # Run All again
        twice = {index: run_cell(client, notebook, index, times=2)
                 for index in first}  # each cell twice in a row
        after = {}
        if name == SECTION:
            # What the check says to do after 6.2.4 ran twice: run the
            # cell that seeds MXNet, and the cells from training on.
            seed = next(i for i in first
                        if 'mx.random.seed(0)' in notebook.cells[i].source
                        and 'conv2d' not in notebook.cells[i].source)
            after = {index: run_cell(client, notebook, index)[0]
                     for index in first if index >= seed}
        # the kernel still answers, and prints as it should
        probe = nbformat.v4.new_code_cell("print('alive')")
        notebook.cells.append(probe)
        alive = run_cell(client, notebook, len(notebook.cells) - 1)[0]
        notebook.cells.pop()
    return name, notebook, first, second, twice, after, alive


def check_run_all_twice(rounds):
    """Run All again: the kernel lives, and every cell shows the same."""
    name, notebook, first, second, _, _, alive = rounds
    assert alive == 'alive\n'
    for index in first:
        if compared(notebook.cells[index]):
            assert second[index] == first[index], \
                f'{name}, cell {index}:\n{notebook.cells[index].source}'


def check_each_cell_twice(rounds, stateful=()):
    """Each cell run twice in a row shows what it showed in Run All.

    Cells whose source holds one of `stateful` are left out: their
    second run may differ, and the notebook says why.
    """
    name, notebook, first, _, twice, _, _ = rounds
    for index, (once, again) in twice.items():
        source = notebook.cells[index].source
        if not compared(notebook.cells[index]) or \
                any(text in source for text in stateful):
            continue
        assert again == once == first[index], \
            f'{name}, cell {index}:\n{source}'


def cell_index(rounds, text):
    """Return the index of the one code cell whose source holds `text`."""
    _, notebook, first, *_ = rounds
    found = [i for i in first if text in notebook.cells[i].source]
    assert len(found) == 1, (text, found)
    return found[0]
