"""How d2l_conv draws: the pieces every picture of the package is made of.

`figures`, `photograph` and `widgets` compose their pictures from these,
and draw nothing of their own: a new figure that pyplot does not
manage; arrays as grids of numbered cells, as heatmaps, or as images
of pixel values or of signed values on a clipped diverging scale; loss
curves on a log scale, with the losses the book prints marked; numbers
written as the book writes them; and a figure or an array as PNG bytes.
matplotlib (and PIL) are imported only inside the functions that draw.
"""

import io

import numpy as onp

from ._args import check_positive_real

SHADE = '#9ecae1'  # the first window and first output element, 6.2.1
FIELD = '#fdae6b'  # the element whose receptive field is lit up
CMAP = 'RdBu_r'  # diverging: -1 blue, 0 white, 1 red
#: How an image of pixel values is drawn: grayscale, 1 white and 0 black.
PIXELS = {'cmap': 'gray', 'vmin': 0.0, 'vmax': 1.0}
CELL = 0.6  # inches per array element in the grids of numbered cells
#: The percentile of ``|Y|`` at which a signed map's colour scale is
#: clipped: the few strongest responses saturate, so that the rest stay
#: visible.
CLIP_PERCENTILE = 98


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


def heatmaps(arrays, titles, fmt=number, label='value', cell=0.3,
             pixels=0):
    """Draw 2-D arrays side by side on one symmetric diverging scale.

    Each array gets an ``imshow`` with its values written in the cells;
    the first `pixels` arrays are images of pixel values, drawn in
    grayscale (`PIXELS`), the rest share the diverging scale and its
    colour bar, labelled `label`. `cell` is the inches per element.

    Examples
    --------
    >>> fig = heatmaps([onp.array([[1.0, -2.0]])], ['K'])
    >>> [t.get_text() for t in fig.axes[0].texts], fig.axes[0].get_title()
    (['1', '−2'], 'K')
    >>> fig.axes[0].images[0].get_clim()
    (-2.0, 2.0)
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


def averages(K):
    """Tell whether kernel `K` averages its window: no negative taps,
    summing to 1, so that its output is again an image of pixel values.

    Examples
    --------
    >>> averages(onp.ones((3, 3)) / 9), averages([[1, -1]])
    (True, False)
    """
    K = onp.asarray(K)
    return bool((K >= 0).all() and abs(K.sum() - 1) < 1e-6)


def clipped_scale(Y):
    """Return where a signed map of `Y` clips: the `CLIP_PERCENTILE`-th
    percentile of ``|Y|`` (1 where that is 0).

    Examples
    --------
    >>> clipped_scale(onp.arange(-50.0, 51.0))
    49.0
    >>> clipped_scale(onp.zeros((2, 2)))
    1.0
    """
    return float(onp.percentile(abs(onp.asarray(Y)), CLIP_PERCENTILE)) or 1.0


def draw_map(fig, ax, Y, title, pixels):
    """Draw `Y` on `ax`: pixel values in gray, signed values diverging.

    A signed map gets its own colour scale, symmetric about 0 and clipped
    at `clipped_scale`, so that a few strong edges do not wash out the
    rest, and a colour bar under the panel, horizontal, whose label says
    where it clips, in type as large as the title's. Returns the image.

    Examples
    --------
    >>> fig = new_figure()
    >>> image = draw_map(fig, fig.add_subplot(), onp.arange(-50.0, 51.0)
    ...                  .reshape(1, -1), 'Y', pixels=False)
    >>> image.get_clim(), fig.axes[1].get_xlabel()
    ((-49.0, 49.0), 'clipped at ±49: 98th percentile of |Y|')
    """
    ax.set_title(title, fontsize=12)
    ax.set_axis_off()
    if pixels:
        return ax.imshow(Y, **PIXELS)
    vmax = clipped_scale(Y)
    image = ax.imshow(Y, cmap=CMAP, vmin=-vmax, vmax=vmax)
    bar = fig.colorbar(image, ax=ax, orientation='horizontal',
                       fraction=0.06, pad=0.03, aspect=25, extend='both')
    bar.set_ticks([-vmax, 0, vmax])
    bar.set_ticklabels([number(float(f'{v:.2g}')) for v in
                        (-vmax, 0, vmax)])
    bar.ax.tick_params(labelsize=12)
    bar.set_label(f'clipped at ±{vmax:.2g}: {CLIP_PERCENTILE:g}th '
                  'percentile of |Y|', fontsize=12)
    return image


def draw_losses(ax, losses, title, **style):
    """Draw `losses`, one per iteration from 1, on a log scale on `ax`.

    `style` goes to ``ax.plot``. Returns the line.

    Examples
    --------
    >>> ax = new_figure().add_subplot()
    >>> line = draw_losses(ax, [100.0, 10.0], 'learning')
    >>> ax.get_yscale(), line.get_xdata().tolist(), ax.get_title()
    ('log', [1, 2], 'learning')
    """
    (line,) = ax.plot(range(1, len(losses) + 1), losses, **style)
    ax.set_yscale('log')
    ax.set_xlabel('iteration (batch)')
    ax.set_ylabel('loss: summed squared error')
    ax.set_title(title)
    ax.grid(True, which='major', alpha=0.3)
    return line


def mark_printed(ax, batches, printed):
    """Mark the losses the book prints, each with its three decimals.

    Red squares at ``(batches[k], printed[k])``, labelled ``printed in
    the book``, each with its value written beside it. Returns the line
    of squares.

    Examples
    --------
    >>> ax = new_figure().add_subplot()
    >>> line = mark_printed(ax, [2, 4], [4.949, 0.831])
    >>> line.get_label(), [t.get_text() for t in ax.texts]
    ('printed in the book', ['4.949', '0.831'])
    """
    (line,) = ax.plot(batches, printed, 's', markersize=10,
                      markerfacecolor='none', markeredgecolor='tab:red',
                      markeredgewidth=1.5, label='printed in the book')
    for batch, loss in zip(batches, printed, strict=True):
        ax.annotate(f'{loss:.3f}', (batch, loss), xytext=(-10, -6),
                    textcoords='offset points', ha='right', va='center',
                    fontsize=8, color='tab:red')
    return line


def figure_png(fig, dpi=None):
    """Return the PNG bytes of a matplotlib `fig`, without metadata.

    Examples
    --------
    >>> figure_png(new_figure(figsize=(1, 1)), dpi=10)[:4]
    b'\\x89PNG'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=dpi,
                metadata={'Software': None})
    return buffer.getvalue()


def array_png(A, vmin=0.0, vmax=1.0, cmap=None):
    """Return a 2-D float array as PNG bytes, `vmin` to `vmax` in colour.

    One pixel per element, in gray (`vmin` black, `vmax` white) or in
    `cmap`; values beyond are clipped, NaN drawn as `vmin`. An 8-bit
    image with 256 colours as its palette, at zlib's fastest level: PIL
    filters no palette image, so the 600 x 512 photograph encodes in
    about 12 ms, where grayscale (``'L'``) at the default level takes
    70 ms, for a file a quarter larger.

    Examples
    --------
    >>> array_png(onp.zeros((2, 3)))[:4]
    b'\\x89PNG'
    """
    from PIL import Image
    scaled = onp.subtract(A, vmin, dtype='float32')  # one pass a step
    scaled *= 255 / (vmax - vmin)
    scaled += 0.5
    onp.nan_to_num(scaled, copy=False)
    index = onp.clip(scaled, 0, 255, out=scaled).astype(onp.uint8)
    if cmap is None:
        palette = onp.repeat(onp.arange(256, dtype=onp.uint8)[:, None], 3, 1)
    else:
        from matplotlib import colormaps
        palette = colormaps[cmap](onp.linspace(0, 1, 256), bytes=True)
    image = Image.fromarray(index, 'P')
    image.putpalette(palette[:, :3].ravel().tolist())
    buffer = io.BytesIO()
    image.save(buffer, format='PNG', compress_level=1)
    return buffer.getvalue()
