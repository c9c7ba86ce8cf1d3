"""What the figures and the widgets share to draw: colours, grids, numbers.

`figures`, `photograph` and `widgets` draw the section's arrays the same
way: a new figure that pyplot does not manage, arrays as grids of
numbered cells, numbers written as the book writes them, one diverging
colour map for signed values. This module holds those pieces, and
imports matplotlib only inside the functions that draw.
"""

import numpy as onp

from ._args import check_positive_real

SHADE = '#9ecae1'  # the first window and first output element, 6.2.1
CMAP = 'RdBu_r'  # diverging: -1 blue, 0 white, 1 red
#: How an image of pixel values is drawn: grayscale, 1 white and 0 black.
PIXELS = {'cmap': 'gray', 'vmin': 0.0, 'vmax': 1.0}
CELL = 0.6  # inches per array element in the grids of numbered cells


def new_figure(**kwargs):
    """Return a new ``matplotlib.figure.Figure`` that pyplot does not manage.

    Drawing and saving it needs no display and picks no backend, and
    nothing global stays open; `kwargs` go to ``Figure``.

    Examples
    --------
    >>> fig = new_figure(figsize=(2, 1))
    >>> type(fig).__name__, [float(x) for x in fig.get_size_inches()]
    ('Figure', [2.0, 1.0])
    """
    from matplotlib.figure import Figure
    return Figure(**kwargs)


def number(value):
    """Format an array element as the book would write it.

    Examples
    --------
    >>> number(-1.0), number(19), number(0.5)
    ('−1', '19', '0.5')
    """
    return f'{float(value):g}'.replace('-', '\N{MINUS SIGN}')


def matrix_text(K):
    """Write a 2-D array as the book would, each element by `number`.

    Examples
    --------
    >>> matrix_text([[1, -1]])
    '[[1, −1]]'
    """
    return '[' + ', '.join('[' + ', '.join(number(v) for v in row) + ']'
                           for row in K) + ']'


def rectangle(xy, facecolor):
    """Return one cell of a grid: a unit square at `xy`, black edge."""
    from matplotlib.patches import Rectangle
    return Rectangle(xy, 1, 1, facecolor=facecolor, edgecolor='black',
                     linewidth=1.2, clip_on=False)


def draw_grid(ax, A, shaded, blank_nan=False, colour=SHADE):
    """Draw `A` on `ax` as a grid of numbered cells.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw; its limits are set to the grid, row 0 on top,
        and its axis is turned off.
    A : numpy.ndarray
        The 2-D array; each element is a cell with its value written in.
    shaded : numpy.ndarray of bool or of colours
        Of `A`'s shape: True cells get `colour`, False ones white; a
        string is that cell's own colour ('' for white).
    blank_nan : bool, optional
        Leave a NaN cell blank (an output not yet computed).
    colour : str, optional
        The colour of a True cell.

    Examples
    --------
    >>> ax = new_figure().add_subplot()
    >>> draw_grid(ax, onp.array([[1.0, -2.0]]), onp.array([[True, False]]))
    >>> [t.get_text() for t in ax.texts], len(ax.patches)
    (['1', '−2'], 2)
    """
    rows, cols = A.shape
    for i in range(rows):
        for j in range(cols):
            fill = shaded[i, j]
            if isinstance(fill, (bool, onp.bool_)):
                fill = colour if fill else 'white'
            ax.add_patch(rectangle((j, i), facecolor=fill or 'white'))
            if not (blank_nan and onp.isnan(A[i, j])):
                ax.text(j + 0.5, i + 0.5, number(A[i, j]), ha='center',
                        va='center', fontsize=14)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)  # row 0 on top, as the array prints
    ax.set_axis_off()


def check_losses(func, losses):
    """Return `losses` as a list of positive finite floats, or raise.

    Raises
    ------
    TypeError
        If `losses` is not a sequence of real numbers.
    ValueError
        If it is empty, or holds a value that is not positive and finite
        (a log scale draws neither).

    Examples
    --------
    >>> check_losses('plot', (2, 0.5))
    [2.0, 0.5]
    >>> check_losses('plot', [])
    Traceback (most recent call last):
    ...
    ValueError: plot: losses must not be empty
    """
    if isinstance(losses, (str, bytes)) or not hasattr(losses, '__len__'):
        raise TypeError(f'{func}: losses must be a sequence of numbers, '
                        f'got {type(losses).__name__}')
    if len(losses) == 0:
        raise ValueError(f'{func}: losses must not be empty')
    return [check_positive_real(func, f'losses[{i}]', loss)
            for i, loss in enumerate(losses)]
