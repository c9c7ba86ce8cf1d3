"""Record what a notebook's cells show, and check the book's against it.

The section notebook (``notebooks/convolutions_for_images.ipynb``)
starts a recording in its first cell (`record_cells`) and, at its end,
checks what each of the book's cells printed or showed when it ran
against the book's published outputs (`check_cells`); where one does
not match, `why` says why and which cell to run.
"""

import sys
from collections import namedtuple

from .published import BLOCKS, BY_KEY, Result, matches

#: One cell run in IPython: its `source`, what it `printed` to stdout
#: and the printed form (``repr``) of the value it `shown`, or None.
Cell = namedtuple('Cell', ['source', 'printed', 'shown'])


class CellRecorder:
    """Keeps what each cell run after it prints and shows (`record_cells`).

    It tees ``sys.stdout`` while a cell runs, so the cell still prints as
    usual, and keeps the value IPython shows at the cell's end.
    """

    def __init__(self, shell):
        self.shell = shell
        #: list of Cell: the cells run since, in order.
        self.cells = []
        self._parts = None
        self._stream = None
        # A notebook's cell that starts a recording may run again: the
        # recording it started before stops, or two would tee stdout.
        for callback in list(shell.events.callbacks['pre_run_cell']):
            if isinstance(getattr(callback, '__self__', None),
                          CellRecorder):
                callback.__self__.stop()
        shell.events.register('pre_run_cell', self._start)
        shell.events.register('post_run_cell', self._stop)

    def write(self, text):
        """Keep `text`, and print it as usual."""
        self._parts.append(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        # flush, encoding, isatty, ...: those of the stream it tees
        return getattr(self._stream, name)

    def _start(self, info):
        if sys.stdout is self:  # still teeing: a cell that never ended
            return
        self._parts, self._stream, sys.stdout = [], sys.stdout, self

    def _stop(self, result):
        if self._parts is None:  # the cell that started the recording
            return
        if sys.stdout is self:
            sys.stdout = self._stream
        value = result.result
        self.cells.append(Cell(result.info.raw_cell, ''.join(self._parts),
                               None if value is None else repr(value)))
        self._parts = None

    def stop(self):
        """Stop recording; the cells recorded so far stay.

        It gives ``sys.stdout`` back if it is teeing it, and may be
        called again.
        """
        for event, callback in (('pre_run_cell', self._start),
                                ('post_run_cell', self._stop)):
            if callback in self.shell.events.callbacks[event]:
                self.shell.events.unregister(event, callback)
        if sys.stdout is self:
            sys.stdout = self._stream
        self._parts = None


def record_cells(shell=None):
    """Keep what each cell run from now on prints and shows, in IPython.

    The cells still print and show as usual. The section notebook starts
    a recording in its first cell and, at its end, checks what the
    book's cells showed with `check_cells`. A recording started before
    in the same shell stops: the first cell may run again. (IPython's
    own ``Out`` is empty where the cells run without history, as under
    nbval.)

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        The shell that runs the cells; defaults to the running one.

    Returns
    -------
    CellRecorder
        Its ``cells`` fill in as cells run.

    Raises
    ------
    RuntimeError
        If there is no shell: not run in IPython or Jupyter.

    Examples
    --------
    In a notebook, ``recorder = record_cells()``. Here a shell's events
    stand in for a cell that runs:

    >>> from types import SimpleNamespace as Run
    >>> from IPython.core.events import EventManager, available_events
    >>> shell = Run()
    >>> shell.events = EventManager(shell, available_events)
    >>> recorder = record_cells(shell)
    >>> shell.events.trigger('pre_run_cell', None)  # a cell starts
    >>> print('batch 2, loss 4.949')
    batch 2, loss 4.949
    >>> cell = Run(raw_cell="print('batch 2, loss 4.949')")
    >>> shell.events.trigger('post_run_cell', Run(result=None, info=cell))
    >>> recorder.stop()
    >>> recorder.cells
    [Cell(source="print('batch 2, loss 4.949')",
          printed='batch 2, loss 4.949\\n', shown=None)]
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            get_ipython = None
        shell = get_ipython() if get_ipython else None
    if shell is None:
        raise RuntimeError('record_cells: no IPython shell is running; it '
                           'records the cells of a notebook or IPython')
    return CellRecorder(shell)


def check_cells(cells):
    """Check what the book's cells showed in a session against the book.

    Each of the book's blocks that shows an output (`BLOCKS`) is looked
    up among the recorded cells by its code (the last run, if several);
    what it printed, or the value it showed, is compared with the
    `PUBLISHED` record at the precision the book prints.

    Parameters
    ----------
    cells : sequence of Cell
        The cells run, as `record_cells` keeps them.

    Returns
    -------
    list of Result
        One per published output, in the section's order; ``reproduced``
        is None (and ``match`` False) where no cell ran the block.

    Raises
    ------
    TypeError
        If `cells` is not a sequence of `Cell`.

    Examples
    --------
    >>> cells = [Cell('figures.plot()', '', '<Figure>'),
    ...          Cell(BLOCKS[1].code, '', 'array([[19., 25.], [37., 43.]])')]
    >>> results = check_cells(cells)
    >>> [(r.record.key, r.match) for r in results[:2]]
    [('corr2d', True), ('edge_image', False)]
    """
    if isinstance(cells, (str, bytes)) or not all(
            isinstance(cell, Cell) for cell in cells):
        raise TypeError('check_cells: cells must be a sequence of Cell, '
                        'as record_cells keeps them')
    results = []
    for block in BLOCKS:
        if block.key is None:
            continue
        runs = [cell for cell in cells if cell.source.strip() == block.code]
        reproduced = None
        if runs:
            reproduced = runs[-1].printed.strip() \
                if block.key == 'losses' else runs[-1].shown
        results.append(Result(BY_KEY[block.key], reproduced,
                              reproduced is not None and
                              matches(block.key, reproduced)))
    return results


#: The cell of ours, above 6.2.4's training cell, that puts MXNet's
#: random generator in a fresh kernel's state.
SEED_CELL = 'mx.random.seed(0)'


def why(result):
    """Say why a checked output is not the book's, and which cell to run.

    Parameters
    ----------
    result : Result
        One of `check_cells`'s results.

    Returns
    -------
    str
        The reason and the cell to run; empty if `result` matches.

    Raises
    ------
    TypeError
        If `result` is not a `Result`.

    Examples
    --------
    >>> from d2l_conv.published import BY_KEY
    >>> print(why(Result(BY_KEY['edges'], None, False)))
    no cell has run it since the recording started (the first cell):
    run the cells of 6.2.3 again, in order, from `X = np.ones((6, 8))`
    """
    if not isinstance(result, Result):
        raise TypeError(f'why: result must be a Result, not '
                        f'{type(result).__name__}')
    if result.match:
        return ''
    record = result.record
    if record.key in ('losses', 'learned_kernel'):
        if result.reproduced is None:
            told = "6.2.4's training cell has not run since the " \
                'recording started (the first cell)'
        else:
            told = ("6.2.4's training started from another random kernel: "
                    "MXNet's generator was not in a fresh kernel's state\n"
                    'when its cell ran (it ran twice, or a cell drew a '
                    'random number before it)')
        return (f'{told}:\nrun the cell `{SEED_CELL}` above it, then the '
                'training cell and the cells after it')
    number = record.section.split()[0]
    first = next(block for block in BLOCKS if block.key and
                 block.section == record.section).code.splitlines()[0]
    if result.reproduced is None:
        told = 'no cell has run it since the recording started (the ' \
            'first cell)'
    else:
        told = f'it showed {result.reproduced}, not the book\'s: a ' \
            'cell run since changed X or K'
    return (f'{told}:\nrun the cells of {number} again, in order, from '
            f'`{first}`')
