"""The section's code blocks, as data, and the notebook's check of them.

The section notebook (``notebooks/convolutions_for_images.ipynb``) is the
book's notebook: its code cells include the nine code blocks of section
6.2 of *Dive into Deep Learning* (MXNet edition), verbatim and in order,
which `BLOCKS` records (the seed's text lost their indentation; it is
restored). The tests prove the notebook holds them, that its `corr2d`
and `Conv2D` are the package's, and that each block's stored output is
the book's; at its end the notebook checks itself with `check_cells`,
on what each block printed or showed when it ran (`record_cells`).
`show_source` shows the package's own code, so that the exercises
notebook can show how each answer is written.
"""

import ast
import inspect
import sys
import textwrap
from collections import namedtuple

from .published import BY_KEY, matches

#: One code block of the section: the `section` it appears in, its
#: `code` and the `key` in `PUBLISHED` of the output it prints (None if
#: it prints none).
Block = namedtuple('Block', ['section', 'code', 'key'])

BLOCKS = (
    Block(
        section='6.2.1 The Cross-Correlation Operator',
        code='''\
from mxnet import autograd, np, npx
from mxnet.gluon import nn
npx.set_np()
# Save to the d2l package.
def corr2d(X, K):
    """Compute 2D cross-correlation."""
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y''',
        key=None),
    Block(
        section='6.2.1 The Cross-Correlation Operator',
        code='''\
X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
K = np.array([[0, 1], [2, 3]])
corr2d(X, K)''',
        key='corr2d'),
    Block(
        section='6.2.2 Convolutional Layers',
        code='''\
class Conv2D(nn.Block):
    def __init__(self, kernel_size, **kwargs):
        super(Conv2D, self).__init__(**kwargs)
        self.weight = self.params.get('weight', shape=kernel_size)
        self.bias = self.params.get('bias', shape=(1,))
    def forward(self, x):
        return corr2d(x, self.weight.data()) + self.bias.data()''',
        key=None),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='''\
X = np.ones((6, 8))
X[:, 2:6] = 0
X''',
        key='edge_image'),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='K = np.array([[1, -1]])',
        key=None),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='''\
Y = corr2d(X, K)
Y''',
        key='edges'),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='corr2d(X.T, K)',
        key='edges_transposed'),
    Block(
        section='6.2.4 Learning a Kernel',
        code='''\
# Construct a convolutional layer with 1 output channel
# (channels will be introduced in the following section)
# and a kernel array shape of (1, 2)
conv2d = nn.Conv2D(1, kernel_size=(1, 2))
conv2d.initialize()
# The two-dimensional convolutional layer uses four-dimensional input and
# output in the format of (example channel, height, width), where the batch
# size (number of examples in the batch) and the number of channels are both 1
X = X.reshape(1, 1, 6, 8)
Y = Y.reshape(1, 1, 6, 7)
for i in range(10):
    with autograd.record():
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
    l.backward()
    # For the sake of simplicity, we ignore the bias here
    conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
    if (i + 1) % 2 == 0:
        print('batch %d, loss %.3f' % (i + 1, l.sum()))''',
        key='losses'),
    Block(
        section='6.2.4 Learning a Kernel',
        code='conv2d.weight.data().reshape(1, 2)',
        key='learned_kernel'),
)


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
        """Stop recording; the cells recorded so far stay."""
        self.shell.events.unregister('pre_run_cell', self._start)
        self.shell.events.unregister('post_run_cell', self._stop)


def record_cells(shell=None):
    """Keep what each cell run from now on prints and shows, in IPython.

    The cells still print and show as usual. The section notebook starts
    a recording in its first cell and, at its end, checks what the
    book's cells showed with `check_cells`. (IPython's own ``Out`` is
    empty where the cells run without history, as under nbval.)

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


#: What each book cell showed, and whether it is the book's.
Result = namedtuple('Result', ['record', 'reproduced', 'match'])


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


def without_docstrings(source):
    """Return `source` with the docstring of each def and class removed.

    Comments, blank lines and everything else stay as written.

    Parameters
    ----------
    source : str
        Python source.

    Returns
    -------
    str
        The same source, less its docstrings' lines.

    Examples
    --------
    >>> print(without_docstrings("def f(x):\\n    'Twice.'\\n"
    ...                          '    return 2 * x\\n'))
    def f(x):
        return 2 * x
    """
    lines = source.splitlines(keepends=True)
    drop = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and \
                    isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str):
                drop.update(range(first.lineno - 1, first.end_lineno))
                after = first.end_lineno  # a blank line left after it
                if after < len(lines) and not lines[after].strip():
                    drop.add(after)
    return ''.join(line for n, line in enumerate(lines) if n not in drop)


class Source:
    """Python source that a notebook shows as highlighted code.

    Jupyter renders its ``_repr_markdown_``, a fenced ``python`` block
    (GitHub's notebook view too); IPython's plain text is the code.

    Parameters
    ----------
    code : str
        The source.

    Examples
    --------
    >>> Source('x = 1\\n')._repr_markdown_()
    '```python\\nx = 1\\n```'
    """

    def __init__(self, code):
        #: str: the source shown.
        self.code = code

    def __repr__(self):
        return f'Source({self.code!r})'

    def _repr_pretty_(self, p, cycle):
        p.text(self.code.rstrip('\n'))

    def _repr_markdown_(self):
        return f'```python\n{self.code}```'


def show_source(*objects):
    """Show the source of functions or classes, less their docstrings.

    For a notebook: how an answer is written, highlighted as Python,
    without the numpydoc docstrings the package's help shows.

    Parameters
    ----------
    *objects : function, class or module
        What to show, in order, two blank lines apart.

    Returns
    -------
    Source
        The source, which a notebook shows as highlighted code.

    Raises
    ------
    TypeError
        If one of `objects` has no Python source (a number, a builtin).

    Examples
    --------
    >>> shown = show_source(without_docstrings)
    >>> print(*shown.code.splitlines()[:2], sep='\\n')
    def without_docstrings(source):
        lines = source.splitlines(keepends=True)
    """
    parts = []
    for obj in objects:
        try:
            source = inspect.getsource(obj)
        except (TypeError, OSError):
            raise TypeError(f'show_source: {obj!r} has no Python source '
                            'to show') from None
        parts.append(without_docstrings(textwrap.dedent(source)))
    return Source('\n\n\n'.join(part.rstrip('\n') for part in parts) + '\n')
