"""Run the section top to bottom and check each published output."""

from mxnet import np

from .cross_correlation import corr2d
from .edge_detection import detect_edges, edge_image, edge_kernel
from .learning import learn_kernel
from .published import PUBLISHED, Result, loss_lines, matches


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
