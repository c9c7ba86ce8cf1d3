"""The section's pictures, laid out from `plotting`'s pieces.

One function per figure of section 6.2, each returning a new
``matplotlib.figure.Figure`` drawn from the package's own computations
(or from the arrays passed in), and `save_figures` to write them all:

1. `plot_cross_correlation`: 6.2.1, the figure the text calls "the
   figure above".
2. `plot_edge_detection`: 6.2.3, `X`, `Y` and ``corr2d(X.T, K)``.
3. `plot_learning_curve`: 6.2.4, the loss per iteration.
4. `plot_learned_kernel`: 6.2.4, the learned kernel beside the ``K``
   that made ``Y``.
5. `plot_receptive_field`: today's edition's 7.2.6, "Feature Map and
   Receptive Field": two stacked layers, one element's field lit up
   (the arithmetic is `receptive_field`'s).

Each lays out its panels; what draws in them (grids of numbered cells,
heatmaps, loss curves) is `plotting`'s, which the widgets and
`photograph` draw with too. matplotlib is imported only when a figure
is drawn, and ``import d2l_conv`` does not import it. The figures are plain
``matplotlib.figure.Figure`` objects, not registered with pyplot:
drawing and saving them needs no display and picks no backend (files
are rendered by matplotlib's non-interactive Agg and SVG canvases), and
nothing global stays open.
In Jupyter, run ``%matplotlib inline`` once and end a cell with a call:
the returned figure is shown once, as the cell's value.
"""

import os
from functools import partial
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
    FIELD,
    SHADE,
    check_losses,
    draw_grid,
    draw_losses,
    heatmaps,
    mark_printed,
    matrix_text,
    new_figure,
    sum_text,
)
from .published import book_losses
from .receptive_field import (
    LAYER_NAMES,
    check_element,
    field_of,
    field_text,
    kernel_shape,
    stacked_outputs,
)

#: File names (without suffix) that `save_figures` writes, in order.
FIGURE_NAMES = ('cross_correlation', 'edge_detection', 'learning_curve',
                'learned_kernel', 'receptive_field')



def _host(func, name, value):
    """Return `value` checked as a non-empty 2-D array, as NumPy."""
    return as_2d_array(func, name, value).asnumpy()


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
    return heatmaps(arrays, titles, pixels=1)


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
    draw_losses(ax, losses, '6.2.4 Learning a kernel', marker='o',
                markersize=4, label='learn_kernel() losses')
    mark_printed(ax, batches, printed)
    ax.set_xticks(range(1, max(len(losses), batches[-1]) + 1))
    ax.legend()
    return fig


def plot_learned_kernel(kernel=None, K=None, *, name=None):
    """Draw the learned kernel beside the one that made `Y`, 6.2.4.

    Section 6.2.4: after 10 iterations the learned kernel is
    "remarkably close" to the kernel ``K = [[1, -1]]`` that made `Y`.
    Both are drawn as heatmaps on one diverging scale, values written
    in, each panel titled with its name.

    Parameters
    ----------
    kernel : array_like, optional
        The learned 2-D kernel; defaults to that of `learn_kernel()`.
    K : array_like, optional
        The 2-D kernel that made `Y`, of the same shape; defaults to
        `edge_kernel()`, the section's ``K``.
    name : str, optional
        The title of `K`'s panel: what the reader's code calls it, such
        as ``'SOBEL'``. By default ``K = [[1, −1]]`` for the section's
        kernel, and ``the kernel that made Y`` for any other, which is
        not the section's ``K``.

    Returns
    -------
    matplotlib.figure.Figure
        Axes 0 and 1 show `kernel` and `K` (each as ``ax.images[0]``);
        axes 2 is the colour bar.

    Raises
    ------
    TypeError, ValueError
        If `kernel` or `K` is not a non-empty 2-D numeric array, their
        shapes differ, or `name` is not a string.

    Examples
    --------
    >>> fig = plot_learned_kernel([[0.9895, -0.9873705]])
    >>> [text.get_text() for text in fig.axes[0].texts]
    ['0.9895', '−0.9874']
    >>> [text.get_text() for text in fig.axes[1].texts]
    ['1', '−1']
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['learned kernel', 'K = [[1, −1]]']
    >>> fig = plot_learned_kernel([[1, 0]], [[1, 0]])
    >>> fig.axes[1].get_title()
    'the kernel that made Y'
    """
    func = 'plot_learned_kernel'
    if name is not None and not isinstance(name, str):
        raise TypeError(f'{func}: name must be a str, '
                        f'got {type(name).__name__}')
    if kernel is None:
        kernel = learn_kernel()[0]
    K = edge_kernel() if K is None else K
    kernel, K = _host(func, 'kernel', kernel), _host(func, 'K', K)
    if kernel.shape != K.shape:
        raise ValueError(f'{func}: kernel of shape {kernel.shape} and K of '
                         f'shape {K.shape} must have the same shape')
    if name is None:
        book = edge_kernel().asnumpy()
        name = (f'K = {matrix_text(book)}'
                if K.shape == book.shape and (K == book).all()
                else 'the kernel that made Y')

    def fmt(value):
        return f'{float(value):.4g}'.replace('-', '\N{MINUS SIGN}')

    return heatmaps([kernel, K], ['learned kernel', name], fmt=fmt,
                    label='weight', cell=0.6)


def draw_receptive_field(fig, arrays, layer, i, j, bottom=0.0, top=1.0):
    """Draw the layers side by side, with one element's field lit up.

    Between `bottom` and `top` (fractions of `fig`'s height): each of
    `arrays` (`stacked_outputs`'s) as a grid of numbered cells, left to
    right; element ``(i, j)`` of layer `layer` in orange, its receptive
    field in every layer below it in blue, joined to it by lines, as
    CNN Explainer draws it; its `field_text` below. Returns the axes.
    """
    rows, cols = field_of(kernel_shape(arrays), layer, i, j)
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
            rows, cols = field_of(kernel_shape(arrays), layer, i, j, n)
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
    shape = kernel_shape(arrays)
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
