"""The section's pictures, drawn with matplotlib from the package's data.

One function per figure of section 6.2, each returning a new
``matplotlib.figure.Figure`` drawn from the package's own computations
(or from the arrays passed in), and `save_figures` to write them all:

1. `plot_cross_correlation`: 6.2.1, the figure the text calls "the
   figure above".
2. `plot_edge_detection`: 6.2.3, `X`, `Y` and ``corr2d(X.T, K)``.
3. `plot_learning_curve`: 6.2.4, the loss per iteration.
4. `plot_learned_kernel`: 6.2.4, the learned kernel beside the true one.
5. `plot_receptive_field`: today's edition's 7.2.6, "Feature Map and
   Receptive Field": two stacked layers, one element's field lit up.

matplotlib is imported only when a figure is drawn (here and in
`plotting`, which holds what the figures share with the widgets), and
``import d2l_conv`` does not import it. The figures are plain
``matplotlib.figure.Figure`` objects, not registered with pyplot:
drawing and saving them needs no display and picks no backend (files
are rendered by matplotlib's non-interactive Agg and SVG canvases), and
nothing global stays open.
In Jupyter, run ``%matplotlib inline`` once and end a cell with a call:
the returned figure is shown once, as the cell's value.
"""

import os
import re
from functools import partial
from operator import index
from pathlib import Path

import numpy as onp
from mxnet import np

from _d2l_conv_tools import write_atomic

from ._validation import (
    as_2d_array,
    check_corr2d_args,
)
from .cross_correlation import corr2d
from .edge_detection import edge_image, edge_kernel
from .learning import learn_kernel
from .plotting import (
    CELL,
    CMAP,
    PIXELS,
    SHADE,
    check_losses,
    draw_grid,
    new_figure,
    number,
)
from .published import BY_KEY

#: File names (without suffix) that `save_figures` writes, in order.
FIGURE_NAMES = ('cross_correlation', 'edge_detection', 'learning_curve',
                'learned_kernel', 'receptive_field')



def _host(func, name, value):
    """Return `value` checked as a non-empty 2-D array, as NumPy."""
    return as_2d_array(func, name, value).asnumpy()


def sum_text(X, K, Y):
    """Spell out the first output element of ``Y = corr2d(X, K)``.

    Parameters
    ----------
    X, K, Y : array_like
        Input, kernel and output of a 2-D cross-correlation.

    Returns
    -------
    str
        ``X[0, 0]×K[0, 0] + ... = Y[0, 0]`` over the first window, with
        negative factors in parentheses.

    Examples
    --------
    >>> sum_text([[0, 1, 2], [3, 4, 5]], [[1, -1]], [[-1, -1], [-1, -1]])
    '0×1 + 1×(−1) = −1'
    """
    X, K, Y = onp.asarray(X), onp.asarray(K), onp.asarray(Y)
    h, w = K.shape

    def factor(value):
        text = number(value)
        return f'({text})' if value < 0 else text

    pairs = onp.stack([X[:h, :w].ravel(), K.ravel()], axis=1)  # (h*w, 2)
    terms = [f'{factor(x)}×{factor(k)}' for x, k in pairs]
    return f'{" + ".join(terms)} = {number(Y[0, 0])}'


def plot_cross_correlation(X=None, K=None):
    """Draw the two-dimensional cross-correlation of section 6.2.1.

    The figure the text of 6.2.1, "The Cross-Correlation Operator",
    calls "the figure above": the input `X`, the kernel `K` and the
    output ``Y = corr2d(X, K)`` as grids of numbers. The first window
    of `X`, the kernel and the first output element are shaded, and the
    sum that gives that element is spelled out below.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to the section's ``[[0, 1, 2], [3, 4,
        5], [6, 7, 8]]``.
    K : array_like, optional
        The 2-D kernel; defaults to the section's ``[[0, 1], [2, 3]]``.

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0, 1 and 2 hold `X`, `K` and `Y`, one text per element in
        row-major order; the figure's last text is the spelled-out sum.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, or `K` does
        not fit in `X`.

    Examples
    --------
    >>> fig = plot_cross_correlation()
    >>> [ax.get_title() for ax in fig.axes]
    ['input X', 'kernel K', 'output Y']
    >>> [text.get_text() for text in fig.axes[2].texts]
    ['19', '25', '37', '43']
    >>> fig.texts[-1].get_text()
    '0×0 + 1×1 + 3×2 + 4×3 = 19'
    """
    func = 'plot_cross_correlation'
    if X is None:
        X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    if K is None:
        K = np.array([[0, 1], [2, 3]])
    X, K = check_corr2d_args(func, X, K)
    Y = corr2d(X, K).asnumpy()
    X, K = X.asnumpy(), K.asnumpy()
    (H, W), (h, w) = X.shape, K.shape
    # In units of one element: arrays side by side, one element apart
    # (the operators stand there), a margin around, titles above and the
    # sum below.
    gap, margin, top, bottom = 1, 0.5, 1, 1.3
    rows = max(H, Y.shape[0])
    width = W + w + Y.shape[1] + 2 * gap + 2 * margin
    height = rows + top + bottom
    fig = new_figure(figsize=(width * CELL, height * CELL))
    window = onp.zeros(X.shape, dtype=bool)
    window[:h, :w] = True
    first = onp.zeros(Y.shape, dtype=bool)
    first[0, 0] = True
    x = margin
    panels = [(X, window, 'input X', '\N{ASTERISK OPERATOR}'),
              (K, onp.ones(K.shape, dtype=bool), 'kernel K', '='),
              (Y, first, 'output Y', None)]
    for A, shaded, title, operator in panels:
        r, c = A.shape
        y = bottom + (rows - r) / 2  # centred vertically
        ax = fig.add_axes([x / width, y / height, c / width, r / height])
        draw_grid(ax, A, shaded)
        ax.set_title(title, fontsize=13)
        x += c + gap
        if operator:
            fig.text((x - gap / 2) / width, (bottom + rows / 2) / height,
                     operator, ha='center', va='center', fontsize=20)
    fig.text(0.5, bottom / 2 / height, sum_text(X, K, Y), ha='center',
             va='center', fontsize=14)
    return fig


def _heatmaps(arrays, titles, fmt=number, label='value', cell=0.3,
              pixels=0):
    """Draw 2-D arrays side by side on one symmetric diverging scale.

    Each array gets an ``imshow`` with its values written in the cells;
    the first `pixels` arrays are images of pixel values, drawn in
    grayscale (`PIXELS`), the rest share the diverging scale and its
    colour bar. `cell` is the inches per element. Returns the figure.
    """
    vmax = max(float(abs(A).max()) for A in arrays[pixels:]) or 1.0
    widths = [A.shape[1] for A in arrays]
    height = max(A.shape[0] for A in arrays)
    fig = new_figure(
        figsize=(1.4 + cell * (sum(widths) + len(arrays)),
                 1.2 + cell * height),
        layout='constrained')
    axes = fig.subplots(1, len(arrays), squeeze=False,
                        gridspec_kw={'width_ratios': widths})[0]
    for n, A in enumerate(arrays):
        ax = axes[n]
        if n < pixels:
            ax.imshow(A, **PIXELS)
            dark = A < 0.5
        else:
            image = ax.imshow(A, cmap=CMAP, vmin=-vmax, vmax=vmax)
            dark = abs(A) > 0.6 * vmax
        for (i, j), value in onp.ndenumerate(A):
            ax.text(j, i, fmt(value), ha='center', va='center',
                    fontsize=8, color='white' if dark[i, j] else 'black')
        ax.set_title(titles[n], fontsize=10)
        ax.set_xticks(range(A.shape[1]))
        ax.set_yticks(range(A.shape[0]))
        ax.tick_params(labelsize=7, length=2)
    bar = fig.colorbar(image, ax=list(axes[pixels:]), label=label,
                       shrink=0.9)
    bar.set_ticks([-vmax, 0, vmax])
    return fig


def plot_edge_detection(X=None, K=None):
    """Draw the edge detection of section 6.2.3 as heatmaps.

    Section 6.2.3, "Object Edge Detection in Images": the image `X`,
    ``Y = corr2d(X, K)``, where 1 marks the edge from white to black and
    -1 the edge from black to white, and ``corr2d(X.T, K)``, which
    vanishes because `K` only detects vertical edges.
    `X`, an image of pixel values, is drawn in grayscale, 1 white and
    0 black; the two signed outputs share one diverging colour scale,
    symmetric about 0, and its colour bar.

    Parameters
    ----------
    X : array_like, optional
        The 2-D image; defaults to `edge_image()`.
    K : array_like, optional
        The 2-D kernel; defaults to `edge_kernel()`.

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0, 1 and 2 show `X`, `Y` and ``corr2d(X.T, K)`` (each as
        ``ax.images[0]``); axes 3 is the colour bar.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, or `K` does
        not fit in `X` or in ``X.T``.

    Examples
    --------
    >>> fig = plot_edge_detection()
    >>> Y = fig.axes[1].images[0].get_array()  # the drawn `Y`
    >>> print(Y.data[:2])
    [[ 0.  1.  0.  0.  0. -1.  0.]
     [ 0.  1.  0.  0.  0. -1.  0.]]
    >>> fig.axes[1].images[0].get_clim()
    (-1.0, 1.0)
    """
    func = 'plot_edge_detection'
    X = edge_image() if X is None else X
    K = edge_kernel() if K is None else K
    X, K = check_corr2d_args(func, X, K)
    if K.shape[0] > X.shape[1] or K.shape[1] > X.shape[0]:
        raise ValueError(
            f'{func}: kernel K of shape {K.shape} does not fit in the '
            f'transposed input X.T of shape {X.T.shape}')
    arrays = [X.asnumpy(), corr2d(X, K).asnumpy(),
              corr2d(X.T, K).asnumpy()]
    titles = ['image X\n1: white, 0: black',
              'Y = corr2d(X, K)\n1: white→black, −1: black→white',
              'corr2d(X.T, K)\nno vertical edges: all 0']
    return _heatmaps(arrays, titles, pixels=1)


def book_losses():
    """Return the losses the book prints in 6.2.4, parsed from its record.

    Returns
    -------
    batches : list of int
        The iterations printed, 2, 4, ..., 10.
    losses : list of float
        The losses printed there, to three decimals.

    Examples
    --------
    >>> book_losses()
    ([2, 4, 6, 8, 10], [4.949, 0.831, 0.14, 0.024, 0.004])
    """
    pairs = re.findall(r'batch (\d+), loss ([\d.]+)', BY_KEY['losses'].text)
    return [int(b) for b, _ in pairs], [float(loss) for _, loss in pairs]


def plot_learning_curve(losses=None):
    """Draw the loss per iteration of section 6.2.4 on a log scale.

    Section 6.2.4, "Learning a Kernel": the summed squared error of each
    iteration, with the five losses the book prints (every second
    iteration, to three decimals) marked on the curve.

    Parameters
    ----------
    losses : sequence of float, optional
        The loss of every iteration, first to last; defaults to those of
        `learn_kernel()`.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes hold the curve as ``lines[0]`` (x: 1, 2, ...) and the
        book's losses as ``lines[1]``.

    Raises
    ------
    TypeError
        If `losses` is not a sequence of real numbers.
    ValueError
        If `losses` is empty or holds a value that is not positive and
        finite.

    Examples
    --------
    >>> fig = plot_learning_curve([8.0, 4.949, 2.0, 0.831])
    >>> ax = fig.axes[0]
    >>> ax.get_yscale(), [float(y) for y in ax.lines[0].get_ydata()]
    ('log', [8.0, 4.949, 2.0, 0.831])
    >>> ax.lines[1].get_xdata().tolist()
    [2, 4, 6, 8, 10]
    """
    func = 'plot_learning_curve'
    if losses is None:
        losses = learn_kernel()[1]
    losses = check_losses(func, losses)
    batches, printed = book_losses()
    fig = new_figure(figsize=(5.6, 3.4), layout='constrained')
    ax = fig.add_subplot()
    ax.plot(range(1, len(losses) + 1), losses, 'o-', markersize=4,
            label='learn_kernel() losses')
    ax.plot(batches, printed, 's', markersize=10, markerfacecolor='none',
            markeredgecolor='tab:red', markeredgewidth=1.5,
            label='printed in the book')
    for i, batch in enumerate(batches):
        ax.annotate(f'{printed[i]:.3f}', (batch, printed[i]), xytext=(-10, -6),
                    textcoords='offset points', ha='right', va='center',
                    fontsize=8, color='tab:red')
    ax.set_yscale('log')
    ax.set_xticks(range(1, max(len(losses), batches[-1]) + 1))
    ax.set_xlabel('iteration (batch)')
    ax.set_ylabel('loss: summed squared error')
    ax.set_title('6.2.4 Learning a kernel')
    ax.grid(True, which='major', alpha=0.3)
    ax.legend()
    return fig


def plot_learned_kernel(kernel=None, K=None):
    """Draw the learned kernel beside the true one, section 6.2.4.

    Section 6.2.4: after 10 iterations the learned kernel is
    "remarkably close" to the kernel ``K = [[1, -1]]`` that made `Y`.
    Both are drawn as heatmaps on one diverging scale, values written
    in.

    Parameters
    ----------
    kernel : array_like, optional
        The learned 2-D kernel; defaults to that of `learn_kernel()`.
    K : array_like, optional
        The true 2-D kernel, of the same shape; defaults to
        `edge_kernel()`.

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0 and 1 show `kernel` and `K` (each as ``ax.images[0]``);
        axes 2 is the colour bar.

    Raises
    ------
    TypeError, ValueError
        If `kernel` or `K` is not a non-empty 2-D numeric array, or their
        shapes differ.

    Examples
    --------
    >>> fig = plot_learned_kernel([[0.9895, -0.9873705]])
    >>> [text.get_text() for text in fig.axes[0].texts]
    ['0.9895', '−0.9874']
    >>> [text.get_text() for text in fig.axes[1].texts]
    ['1', '−1']
    """
    func = 'plot_learned_kernel'
    if kernel is None:
        kernel = learn_kernel()[0]
    K = edge_kernel() if K is None else K
    kernel, K = _host(func, 'kernel', kernel), _host(func, 'K', K)
    if kernel.shape != K.shape:
        raise ValueError(f'{func}: kernel of shape {kernel.shape} and K of '
                         f'shape {K.shape} must have the same shape')

    def fmt(value):
        return f'{float(value):.4g}'.replace('-', '\N{MINUS SIGN}')

    titles = ['learned kernel', 'true K']
    return _heatmaps([kernel, K], titles, fmt=fmt,
                     label='weight', cell=0.6)


#: The names of the stacked layers' arrays: the input, then each output.
LAYER_NAMES = ('X', 'Y', 'Z')
FIELD = '#fdae6b'  # the output element whose receptive field is shown


def stacked_outputs(X=None, K=None, layers=2):
    """Return the input and the outputs of `layers` stacked correlations.

    Section 7.2.6 of today's edition, "Feature Map and Receptive
    Field": `X`, then ``Y = corr2d(X, K)``, then ``Z = corr2d(Y, K)``
    (the same kernel again, a second layer), each with the book's loop.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to the section's ``[[0, 1, 2], [3, 4,
        5], [6, 7, 8]]``.
    K : array_like, optional
        The 2-D kernel of every layer; defaults to ``[[0, 1], [2, 3]]``.
    layers : int, optional
        How many correlations to stack: 1 or 2.

    Returns
    -------
    list of numpy.ndarray
        ``[X, Y]`` or ``[X, Y, Z]``.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `layers` is
        not 1 or 2, or `K` does not fit in the output of the layer
        before.

    Examples
    --------
    >>> X, Y, Z = stacked_outputs()
    >>> Y.tolist(), Z.tolist()
    ([[19.0, 25.0], [37.0, 43.0]], [[228.0]])
    """
    func = 'stacked_outputs'
    if X is None:
        X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    if K is None:
        K = np.array([[0, 1], [2, 3]])
    if layers not in (1, 2) or isinstance(layers, bool):
        raise ValueError(f'{func}: layers must be 1 or 2, got {layers!r}')
    X, K = check_corr2d_args(func, X, K)
    arrays = [X]
    for _ in range(layers):
        arrays.append(corr2d(*check_corr2d_args(func, arrays[-1], K)))
    return [A.asnumpy() for A in arrays]


def field_of(kernel_shape, layer, i, j, below=0):
    """Return the receptive field of one element, in a layer below it.

    With stride 1 and an ``h x w`` kernel in every layer, element
    ``(i, j)`` of layer `layer`'s output is computed from the ``h x w``
    window at ``(i, j)`` of the layer before, and each layer further
    down widens the window by ``h - 1`` rows and ``w - 1`` columns.

    Parameters
    ----------
    kernel_shape : tuple of int
        ``(h, w)``, the kernel of every layer.
    layer : int
        The layer of the element: 1 for ``Y``, 2 for ``Z``.
    i, j : int
        The element's row and column.
    below : int, optional
        The layer to find the field in, under `layer`: 0 the input.

    Returns
    -------
    tuple of slice
        The rows and the columns of the field.

    Examples
    --------
    >>> field_of((2, 2), 1, 0, 0)  # Y[0, 0]: 2 x 2 of X, 4 inputs
    (slice(0, 2, None), slice(0, 2, None))
    >>> field_of((2, 2), 2, 0, 0)  # Z[0, 0]: 3 x 3 of X, 9 inputs
    (slice(0, 3, None), slice(0, 3, None))
    >>> field_of((2, 2), 2, 0, 0, below=1)  # and all 4 of Y
    (slice(0, 2, None), slice(0, 2, None))
    """
    (h, w), n = kernel_shape, layer - below
    return slice(i, i + n * (h - 1) + 1), slice(j, j + n * (w - 1) + 1)


def field_text(arrays, layer, i, j):
    """Say what element ``(i, j)`` of layer `layer` sees, in words.

    `arrays` are `stacked_outputs`'s; the kernel's shape is read from
    the change of shape from one layer to the next.

    Examples
    --------
    >>> arrays = stacked_outputs()
    >>> field_text(arrays, 1, 0, 0)
    'Y[0, 0] = 19 sees 4 of the 9 inputs, X[0:2, 0:2]'
    >>> field_text(arrays, 2, 0, 0)
    'Z[0, 0] = 228 sees 4 of Y and 9 of the 9 inputs, X[0:3, 0:3]'
    """
    shape = _kernel_shape(arrays)
    names = LAYER_NAMES
    parts = []
    for below in range(layer - 1, -1, -1):
        rows, cols = field_of(shape, layer, i, j, below)
        count = (rows.stop - rows.start) * (cols.stop - cols.start)
        if below:
            parts.append(f'{count} of {names[below]}')
        else:
            parts.append(f'{count} of the {arrays[0].size} inputs, '
                         f'X[{rows.start}:{rows.stop}, '
                         f'{cols.start}:{cols.stop}]')
    value = number(arrays[layer][i, j])
    return f'{names[layer]}[{i}, {j}] = {value} sees {" and ".join(parts)}'


def _kernel_shape(arrays):
    """The kernel's shape, from the first two of `stacked_outputs`."""
    (H, W), (oh, ow) = arrays[0].shape, arrays[1].shape
    return H - oh + 1, W - ow + 1


def draw_receptive_field(fig, arrays, layer, i, j, bottom=0.0, top=1.0):
    """Draw the layers side by side, with one element's field lit up.

    Between `bottom` and `top` (fractions of `fig`'s height): each of
    `arrays` (`stacked_outputs`'s) as a grid of numbered cells, left to
    right; element ``(i, j)`` of layer `layer` in orange, its receptive
    field in every layer below it in blue, joined to it by lines, as
    CNN Explainer draws it; its `field_text` below. Returns the axes.
    """
    rows, cols = field_of(_kernel_shape(arrays), layer, i, j)
    gap, head, foot = 2, 0.8, 1.0  # in cells
    tall = max(A.shape[0] for A in arrays)
    wide = sum(A.shape[1] for A in arrays) + gap * (len(arrays) - 1)
    width = fig.get_figwidth() / CELL  # square cells, the arrays centred
    height = tall + head + foot
    scale = (top - bottom) / height  # figure height per cell
    x, axes = (width - wide) / 2, []
    titles = ['input X'] + [
        f'{LAYER_NAMES[n]} = corr2d({LAYER_NAMES[n - 1]}, K)'
        for n in range(1, len(arrays))]
    for n, A in enumerate(arrays):
        r, c = A.shape
        shade = onp.full(A.shape, '', dtype=object)
        if n < layer:
            rows, cols = field_of(_kernel_shape(arrays), layer, i, j, n)
            shade[rows, cols] = SHADE
        elif n == layer:
            shade[i, j] = FIELD
        y = bottom + (foot + (tall - r) / 2) * scale
        ax = fig.add_axes([x / width, y, c / width, r * scale])
        draw_grid(ax, A, shade)
        ax.set_title(titles[n], fontsize=12)
        axes.append(ax)
        x += c + gap
    _join(fig, axes, arrays, layer, i, j)
    fig.text(0.5, bottom + foot / 2 * scale,
             field_text(arrays, layer, i, j), ha='center', va='center',
             fontsize=12)
    return axes


def _join(fig, axes, arrays, layer, i, j):
    """Lines from the lit element (and each field) to the field below."""
    from matplotlib.patches import ConnectionPatch
    shape = _kernel_shape(arrays)
    upper = (slice(i, i + 1), slice(j, j + 1))
    for n in range(layer - 1, -1, -1):
        rows, cols = field_of(shape, layer, i, j, n)
        for y_up, y_down in ((upper[0].start, rows.start),
                             (upper[0].stop, rows.stop)):
            fig.add_artist(ConnectionPatch(
                (upper[1].start, y_up), (cols.stop, y_down), 'data', 'data',
                axesA=axes[n + 1], axesB=axes[n], color='0.45',
                linestyle='--', linewidth=1))
        upper = rows, cols


def plot_receptive_field(X=None, K=None, selected=None):
    """Draw the receptive field of today's section 7.2.6.

    "Feature Map and Receptive Field": the receptive field of an
    element is every element of the layers before it that may affect
    it. With the section's 2 x 2 kernel, ``Y[0, 0] = 19`` sees the four
    shaded inputs; a second 2 x 2 layer on `Y` gives one element
    ``Z[0, 0]``, which sees all four of `Y` and so all nine inputs.
    The element is orange, its field blue, joined by dashed lines.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to the section's 3 x 3 ``X``.
    K : array_like, optional
        The 2-D kernel of both layers; defaults to ``[[0, 1], [2, 3]]``.
    selected : tuple of int, optional
        ``(layer, i, j)``: draw one row, with element ``(i, j)`` of
        layer 1 (`Y`) or 2 (`Z`) lit up. By default two rows: ``Y[0,
        0]`` above, ``Z[0, 0]`` below.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes a row (`X`, `Y`, `Z`), one text per element in
        row-major order; one text a row says what the element sees.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `K` does not
        fit twice, or `selected` names no element.

    Examples
    --------
    >>> fig = plot_receptive_field()
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['input X', 'Y = corr2d(X, K)', 'Z = corr2d(Y, K)']
    >>> for text in fig.texts:
    ...     print(text.get_text())
    Y[0, 0] = 19 sees 4 of the 9 inputs, X[0:2, 0:2]
    Z[0, 0] = 228 sees 4 of Y and 9 of the 9 inputs, X[0:3, 0:3]
    """
    func = 'plot_receptive_field'
    try:
        arrays = stacked_outputs(X, K)
    except (TypeError, ValueError) as err:
        raise type(err)(str(err).replace('stacked_outputs', func)) from None
    if selected is None:
        rows = [(1, 0, 0), (2, 0, 0)]
    else:
        rows = [check_element(func, arrays, selected)]
    # In cells, as `draw_receptive_field` lays them out: the arrays two
    # apart, a title above and a line of text below; wide enough for
    # the text (about 0.2 cells a character) and the last title.
    tall = max(A.shape[0] for A in arrays) + 1.8
    wide = sum(A.shape[1] for A in arrays) + 2 * (len(arrays) - 1) + 3
    texts = [field_text(arrays, *row) for row in rows]
    wide = max(wide, 0.2 * max(map(len, texts)) + 1)
    fig = new_figure(figsize=(wide * CELL, len(rows) * tall * CELL))
    for n, (layer, i, j) in enumerate(rows):
        top = 1 - n / len(rows)
        draw_receptive_field(fig, arrays, layer, i, j,
                             bottom=top - 1 / len(rows), top=top)
    return fig


def check_element(func, arrays, selected):
    """Return `selected` as ``(layer, i, j)`` of an output, or raise."""
    try:
        layer, i, j = (index(v) for v in selected)
    except (TypeError, ValueError):
        raise TypeError(f'{func}: selected must be (layer, i, j), three '
                        f'integers, got {selected!r}') from None
    if not 1 <= layer < len(arrays):
        raise ValueError(f'{func}: layer must be 1 to {len(arrays) - 1}, '
                         f'got {layer}')
    shape = arrays[layer].shape
    if not (0 <= i < shape[0] and 0 <= j < shape[1]):
        raise ValueError(f'{func}: ({i}, {j}) is not an element of '
                         f'{LAYER_NAMES[layer]}, of shape {shape}')
    return layer, i, j



def save_figures(directory, *, dpi=100):
    """Write the section's five figures as PNG and SVG into `directory`.

    Draws `plot_cross_correlation`, `plot_edge_detection`,
    `plot_learning_curve`, `plot_learned_kernel` (running `learn_kernel`
    once for these two) and `plot_receptive_field` with their defaults,
    saves each as
    ``<name>.png`` and ``<name>.svg`` (names in `FIGURE_NAMES`).
    The files carry no date or software version, and the SVG
    ids come from a fixed salt, so rerunning rewrites identical files.

    Parameters
    ----------
    directory : str or os.PathLike
        Where to write; created, with its parents, if missing.
    dpi : int, optional
        Pixels per inch of the PNG files.

    Returns
    -------
    list of pathlib.Path
        The written files, PNG then SVG for each figure in turn.

    Raises
    ------
    TypeError
        If `directory` is not a path.
    ValueError
        If `directory` is empty, or exists and is not a directory.
    OSError
        If `directory` cannot be created or written to; its message
        names this function, and the file. Each file is written whole or
        not at all (a temporary file, then ``os.replace``; a symlink at
        its name is replaced, not followed), so a failure leaves every
        figure already there intact.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = save_figures(tmp)
    ...     print(*sorted(path.name for path in paths))
    cross_correlation.png cross_correlation.svg edge_detection.png
    edge_detection.svg learned_kernel.png learned_kernel.svg
    learning_curve.png learning_curve.svg receptive_field.png
    receptive_field.svg
    """
    func = 'save_figures'
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f'{func}: directory must be a path, '
                        f'got {type(directory).__name__}')
    if not os.fspath(directory):
        raise ValueError(f'{func}: directory must not be empty')
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f'{func}: {str(directory)!r} exists and is not a '
                         'directory')
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:  # e.g. a parent is a file, or read-only
        raise type(err)(f'{func}: cannot create directory '
                        f'{str(directory)!r}: {err.strerror}') from err
    if not os.access(directory, os.W_OK):
        raise PermissionError(f'{func}: directory {str(directory)!r} is '
                              'not writable')
    import matplotlib
    kernel, losses = learn_kernel()
    figures = [plot_cross_correlation(), plot_edge_detection(),
               plot_learning_curve(losses), plot_learned_kernel(kernel),
               plot_receptive_field()]
    paths = []
    # Fixed SVG ids; no dates or versions, so files change only with
    # their pictures.
    with matplotlib.rc_context({'svg.hashsalt': 'd2l_conv'}):
        for name, fig in zip(FIGURE_NAMES, figures, strict=True):
            for suffix, metadata in [
                    ('png', {'Software': None}),
                    ('svg', {'Date': None, 'Creator': None})]:
                path = directory / f'{name}.{suffix}'
                write_atomic(path, partial(
                    fig.savefig, format=suffix, dpi=dpi, metadata=metadata),
                    func=func)
                paths.append(path)
    return paths
