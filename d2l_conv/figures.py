"""The section's pictures, drawn with matplotlib from the package's data.

One function per figure of section 6.2, each returning a new
``matplotlib.figure.Figure`` drawn from the package's own computations
(or from the arrays passed in), and `save_figures` to write them all:

1. `plot_cross_correlation`: 6.2.1, the figure the text calls "the
   figure above".
2. `plot_edge_detection`: 6.2.3, `X`, `Y` and ``corr2d(X.T, K)``.
3. `plot_learning_curve`: 6.2.4, the loss per iteration.
4. `plot_learned_kernel`: 6.2.4, the learned kernel beside the true one.

This is the only module that imports matplotlib, and ``import d2l_conv``
does not import it. The figures are plain ``matplotlib.figure.Figure``
objects, not registered with pyplot: drawing and saving them needs no
display and picks no backend (files are rendered by matplotlib's
non-interactive Agg and SVG canvases), and nothing global stays open.
In Jupyter, run ``%matplotlib inline`` once and end a cell with a call:
the returned figure is shown once, as the cell's value.
"""

import os
import re
from functools import partial
from pathlib import Path

import numpy as onp
from mxnet import np

from ._files import write_atomic
from ._validation import (
    as_2d_array,
    check_corr2d_args,
    check_positive_real,
)
from .cross_correlation import corr2d
from .edge_detection import edge_image, edge_kernel
from .learning import learn_kernel
from .published import BY_KEY

#: File names (without suffix) that `save_figures` writes, in order.
FIGURE_NAMES = ('cross_correlation', 'edge_detection', 'learning_curve',
                'learned_kernel')

SHADE = '#9ecae1'  # the first window and first output element, 6.2.1
CMAP = 'RdBu_r'  # diverging: -1 blue, 0 white, 1 red
#: How an image of pixel values is drawn: grayscale, 1 white and 0 black.
PIXELS = {'cmap': 'gray', 'vmin': 0.0, 'vmax': 1.0}
CELL = 0.6  # inches per array element in the cross-correlation figure


def _figure(**kwargs):
    """Return a new figure that pyplot does not manage (see module doc)."""
    from matplotlib.figure import Figure
    return Figure(**kwargs)


def _host(func, name, value):
    """Return `value` checked as a non-empty 2-D array, as NumPy."""
    return as_2d_array(func, name, value).asnumpy()


def _number(value):
    """Format an array element as the book would write it: ``-1``."""
    return f'{float(value):g}'.replace('-', '\N{MINUS SIGN}')


def _draw_grid(ax, A, shaded, blank_nan=False):
    """Draw `A` as a grid of numbered cells, shading those in `shaded`;
    with `blank_nan`, a NaN cell is left blank (an output not yet
    computed, in `widgets.window_slider`)."""
    rows, cols = A.shape
    for i in range(rows):
        for j in range(cols):
            ax.add_patch(_rectangle(
                (j, i), facecolor=SHADE if shaded[i, j] else 'white'))
            if not (blank_nan and onp.isnan(A[i, j])):
                ax.text(j + 0.5, i + 0.5, _number(A[i, j]), ha='center',
                        va='center', fontsize=14)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)  # row 0 on top, as the array prints
    ax.set_axis_off()


def _rectangle(xy, facecolor):
    from matplotlib.patches import Rectangle
    return Rectangle(xy, 1, 1, facecolor=facecolor, edgecolor='black',
                     linewidth=1.2, clip_on=False)


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
        text = _number(value)
        return f'({text})' if value < 0 else text

    pairs = onp.stack([X[:h, :w].ravel(), K.ravel()], axis=1)  # (h*w, 2)
    terms = [f'{factor(x)}×{factor(k)}' for x, k in pairs]
    return f'{" + ".join(terms)} = {_number(Y[0, 0])}'


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
    fig = _figure(figsize=(width * CELL, height * CELL))
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
        _draw_grid(ax, A, shaded)
        ax.set_title(title, fontsize=13)
        x += c + gap
        if operator:
            fig.text((x - gap / 2) / width, (bottom + rows / 2) / height,
                     operator, ha='center', va='center', fontsize=20)
    fig.text(0.5, bottom / 2 / height, sum_text(X, K, Y), ha='center',
             va='center', fontsize=14)
    return fig


def _heatmaps(arrays, titles, fmt=_number, label='value', cell=0.3,
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
    fig = _figure(
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


def _check_losses(func, losses):
    """Return `losses` as a list of positive finite floats, or raise."""
    if isinstance(losses, (str, bytes)) or not hasattr(losses, '__len__'):
        raise TypeError(f'{func}: losses must be a sequence of numbers, '
                        f'got {type(losses).__name__}')
    if len(losses) == 0:
        raise ValueError(f'{func}: losses must not be empty')
    # finite and positive, for a log scale
    return [check_positive_real(func, f'losses[{i}]', loss)
            for i, loss in enumerate(losses)]


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
    losses = _check_losses(func, losses)
    batches, printed = book_losses()
    fig = _figure(figsize=(5.6, 3.4), layout='constrained')
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


def save_figures(directory, *, dpi=100):
    """Write the section's four figures as PNG and SVG into `directory`.

    Draws `plot_cross_correlation`, `plot_edge_detection`,
    `plot_learning_curve` and `plot_learned_kernel` with their defaults
    (running `learn_kernel` once for the last two), saves each as
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
    learning_curve.png learning_curve.svg
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
               plot_learning_curve(losses), plot_learned_kernel(kernel)]
    paths = []
    # Fixed SVG ids; no dates or versions, so files change only with
    # their pictures.
    with matplotlib.rc_context({'svg.hashsalt': 'd2l_conv'}):
        for name, fig in zip(FIGURE_NAMES, figures, strict=True):
            for suffix, metadata in [
                    ('png', {'Software': None}),
                    ('svg', {'Date': None, 'Creator': None})]:
                path = directory / f'{name}.{suffix}'
                write_atomic(func, path, partial(
                    fig.savefig, format=suffix, dpi=dpi, metadata=metadata))
                paths.append(path)
    return paths
