"""Reproduce the section and report the book's verdict on it.

The end of the book check's path: `run_section` runs the section's code
(the package's `corr2d`, `learn_kernel`, ...) top to bottom; `reproduce`
compares each output with the `PUBLISHED` record at the precision the
book prints; `report` prints each beside the book's, with the verdict.
The command line is these three; the section notebook's cells reach
the same verdict through `cell_recorder`.
"""

from mxnet import np

from .cross_correlation import corr2d
from .edge_detection import detect_edges, edge_image, edge_kernel
from .learning import learn_kernel
from .published import PUBLISHED, Result, loss_lines, matches, printed_form


def run_section():
    """Run the section's code and return what each output block prints.

    Returns
    -------
    dict of str to str
        The printed output of each block, keyed as in `PUBLISHED`.

    Examples
    --------
    >>> print(run_section()['corr2d'])
    array([[19., 25.],
           [37., 43.]])
    """
    X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = np.array([[0, 1], [2, 3]])
    printed = {'corr2d': repr(corr2d(X, K))}
    X, K = edge_image(), edge_kernel()
    printed['edge_image'] = repr(X)
    printed['edges'] = repr(detect_edges(X, K))
    printed['edges_transposed'] = repr(corr2d(X.T, K))
    kernel, losses = learn_kernel()
    printed['losses'] = loss_lines(losses)
    printed['learned_kernel'] = repr(kernel)
    return printed


def reproduce():
    """Reproduce the section and compare each output with the book's.

    Returns
    -------
    list of Result
        One per published output, in the section's order.

    Examples
    --------
    >>> results = reproduce()
    >>> f'{sum(r.match for r in results)}/{len(results)}'
    '6/6'
    """
    printed = run_section()
    return [Result(record, printed[record.key],
                   matches(record.key, printed[record.key]))
            for record in PUBLISHED]


def report(results, out, markdown=False):
    """Print `results` beside the book's outputs, then the verdict.

    Parameters
    ----------
    results : list of Result
        As `reproduce` returns them.
    out : file-like
        Where to print.
    markdown : bool, optional
        Print a Markdown table (the README's) instead of text.

    Returns
    -------
    int
        How many outputs match the book.

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> report(reproduce(), buffer)
    6
    >>> print(buffer.getvalue().splitlines()[0])
    ✓ 6.2.1 The Cross-Correlation Operator: corr2d(X, K)
    >>> buffer.getvalue().splitlines()[-1]
    '6/6 outputs match the book'
    """
    (_markdown_report if markdown else _text_report)(results, out)
    matched = sum(result.match for result in results)
    print(f'{matched}/{len(results)} outputs match the book', file=out)
    return matched


def _marks(out):
    """Return the (match, mismatch) marks that `out`'s encoding can show."""
    encoding = getattr(out, 'encoding', None) or 'utf-8'
    try:
        '✓✗'.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return 'ok', 'DIFFERS'
    return '✓', '✗'


def _text_report(results, out):
    """Each output reproduced, beside the published one."""
    yes, no = _marks(out)
    for result in results:
        record = result.record
        mark = yes if result.match else no
        print(f'{mark} {record.section}: {record.code}', file=out)
        left = ['reproduced'] + result.reproduced.splitlines()
        right = ['published'] + record.text.splitlines()
        width = max(len(line) for line in left) + 4
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else ''
            b = right[i] if i < len(right) else ''
            print(f'    {a:<{width}}{b}'.rstrip(), file=out)
        print(file=out)


def _cell(text):
    # Arrays in the form they are compared in; printed lines one by one.
    if text.startswith('array'):
        return f'`{printed_form(text)}`'
    return '<br>'.join(f'`{line.strip()}`' for line in text.splitlines())


def _markdown_report(results, out):
    """The same, as a Markdown table (the README's)."""
    print('| output | section | reproduced | published | match |', file=out)
    print('|---|---|---|---|:-:|', file=out)
    yes, no = _marks(out)
    for result in results:
        record = result.record
        mark = yes if result.match else no
        print(f'| `{record.code}` | {record.section} | '
              f'{_cell(result.reproduced)} | {_cell(record.text)} | '
              f'{mark} |', file=out)
    print(file=out)
