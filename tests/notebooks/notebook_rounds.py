"""Each notebook survives a learner's four habits, run by nbclient.

The tests, shared by ``test_rerun_*.py`` (one file per notebook, so that
pytest-xdist runs the notebooks in parallel).

Restart & Run All (a fresh kernel's first round); then going back, every
code cell run once from the last to the first, as a learner who pokes
around runs one cell on its own after Run All; Run All again in the
same kernel; then every code cell run twice in a row. No cell raises,
the kernel stays alive, and going back and the second Run All show what
the first did. One kernel per notebook runs all four orders, to keep
the suite fast.
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
        back = {index: run_cell(client, notebook, index)[0]
                for index in reversed(first)}  # each alone, last to first
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
            after.update(run_out_of_turn(client, notebook, first, seed))
        # the kernel still answers, and prints as it should
        probe = nbformat.v4.new_code_cell("print('alive')")
        notebook.cells.append(probe)
        alive = run_cell(client, notebook, len(notebook.cells) - 1)[0]
        notebook.cells.pop()
    return name, notebook, first, second, twice, after, alive, back


def check_going_back(rounds):
    """After Run All, each cell run alone, from the last to the first,
    raises nothing (nbclient would raise) and shows what it showed."""
    name, notebook, first, *_, back = rounds
    for index in first:
        if compared(notebook.cells[index]):
            assert back[index] == first[index], \
                f'{name}, cell {index}:\n{notebook.cells[index].source}'


def run_out_of_turn(client, notebook, first, seed):
    """The section's book cells run out of turn, and then as told.

    6.2.4's training, then the book's ``Y = corr2d(X, K)`` alone, on the
    4-D `X` the training leaves: what the cell of ours after it and the
    seed cell then say (``'stale check'``, ``'stale seed'``); then the
    cells they name, the check, the seed cell and the training again
    (``'fixed ...'``).
    """
    def find(text):  # the cell that holds `text`, or the book's cell
        found = [i for i in first if notebook.cells[i].source == text] or \
            [i for i in first if text in notebook.cells[i].source]
        [index] = found
        return index

    def run(index):
        return run_cell(client, notebook, index)[0]

    training, compute = find('conv2d.initialize()'), \
        find('Y = corr2d(X, K)\nY')
    check, K, back = find('Y is 6 x 7'), find('K = np.array([[1, -1]])'), \
        find('Back to 6 x 8')
    run(training)
    shown = {'stale compute': run(compute), 'stale check': run(check),
             'stale seed': run(seed)}
    for index in K, back, compute:
        run(index)
    shown.update({'fixed check': run(check), 'fixed seed': run(seed),
                  'fixed training': run(training)})
    return shown


def check_run_all_twice(rounds):
    """Run All again: the kernel lives, and every cell shows the same."""
    name, notebook, first, second, _, _, alive, _ = rounds
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
    name, notebook, first, _, twice, *_ = rounds
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
