"""6.2.1 The Cross-Correlation Operator: slide the window over `X`."""

import ast
import math

import ipywidgets
import numpy as onp
from mxnet import np

from .._validation import check_corr2d_args
from ..cross_correlation import corr2d
from ..plotting import (
    CELL,
    draw_grid,
    figure_png,
    matrix_text,
    new_figure,
    sum_text,
)
from ._base import Figure, natural, numpy_mode, player

FUNC = 'window_slider'

#: The two operations the toggle switches between (6.2.5).
CORRELATION, CONVOLUTION = 'cross-correlation', 'convolution'

#: The largest side of `X` the widget draws: every element is a
#: numbered cell, and more than this many a side no longer reads.
MAX_SIDE = 12


class WindowSlider(Figure):
    """The window of 6.2.1 under the learner's hand; see `window_slider`.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        The window, 1 to ``Y.size``, in row-major order.
    play : ipywidgets.Play
        Moves `slider` one window a second (linked in the browser).
    kernel : ipywidgets.Text
        The kernel, written as a list of rows (``[[0, 1], [2, 3]]``);
        editing it recomputes `Y`. An entry that is no kernel, or one
        that does not fit in `X`, is refused in `text`.
    mode : ipywidgets.ToggleButtons
        `CORRELATION` (the book's ``corr2d``) or `CONVOLUTION`: a true
        convolution, ``corr2d`` with the kernel flipped (6.2.5).
    text : ipywidgets.HTML
        The output's shape, the window's position, its products written
        out and their sum; or what is wrong with the kernel entered.
    image : ipywidgets.Image
        The picture: `X` with the window shaded, the kernel applied, and
        `Y` so far.
    X, K, Y : numpy.ndarray
        The input, the kernel and the output, ``corr2d(X, applied)``,
        the book's loop.
    applied : numpy.ndarray
        The kernel the window multiplies by: `K`, or `K` flipped in both
        axes for a convolution.
    error : str or None
        Why the kernel last entered was refused; None if it was taken.
    """

    css_class = 'd2l-window-slider'

    def __init__(self, X, K):
        X, K = check_corr2d_args(FUNC, X, K)
        if max(X.shape) > MAX_SIDE:
            raise ValueError(f'{FUNC}: X of shape {X.shape} is too large '
                             f'to draw; each side must be at most '
                             f'{MAX_SIDE}')
        self.X = X.asnumpy()
        self._ctx = X  # the input as MXNet holds it, for `corr2d`
        self.kernel = ipywidgets.Text(
            value=_written(K.asnumpy()), description='kernel K',
            continuous_update=False,
            layout=ipywidgets.Layout(width='22em'))
        self.mode = ipywidgets.ToggleButtons(
            options=[CORRELATION, CONVOLUTION], value=CORRELATION,
            tooltips=['corr2d(X, K): the book\'s operator',
                      'corr2d(X, K flipped): a true convolution, 6.2.5'])
        self.mode.style.button_width = '10em'
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._pngs, self.error = {}, None
        self._set_kernel(K.asnumpy())
        self.slider, self.play = player(1, self.Y.size, 'window')
        super().__init__([ipywidgets.HBox([self.kernel, self.mode]),
                          ipywidgets.HBox([self.play, self.slider]),
                          self.text, self.image])
        self.slider.observe(self._update, names='value')
        self.kernel.observe(self._edit, names='value')
        self.mode.observe(self._edit, names='value')
        self._update()

    def _set_kernel(self, K):
        """Take `K`: the kernel applied, and `Y` by the book's loop."""
        self.K = onp.array(K, dtype='float32')
        convolve = self.mode.value == CONVOLUTION
        self.applied = self.K[::-1, ::-1].copy() if convolve else self.K
        self.Y = corr2d(self._ctx, np.array(self.applied)).asnumpy()

    @numpy_mode
    def _edit(self, change=None):
        """Read the kernel entered and the mode; refuse a bad kernel."""
        try:
            K = _parse(self.kernel.value)
            check_corr2d_args(FUNC, self.X, K)
        except (TypeError, ValueError) as err:
            self.error = str(err)
            self.text.value = (
                '<div class="d2l-error" style="color: #b00">'
                f'{_html(self.error)}; the picture still shows '
                f'K = {matrix_text(self.K)}</div>')
            return
        self.error = None
        self._set_kernel(K)
        n = self.Y.size
        # Keep the window where it was, if the output still has it; the
        # slider's own observer waits until all is set.
        self._busy = True
        try:
            value = min(self.slider.value, n)
            for control in (self.slider, self.play):
                control.max = max(n, control.min)
                control.value = value
        finally:
            self._busy = False
        self._update()

    @property
    def position(self):
        """``(i, j)``: the output element the window computes."""
        return divmod(self.slider.value - 1, self.Y.shape[1])

    @property
    def window(self):
        """The elements of `X` under the kernel now."""
        (i, j), (h, w) = self.position, self.K.shape
        return self.X[i:i + h, j:j + w]

    @property
    def total(self):
        """The sum of the window's elementwise products with the kernel."""
        return float((self.window * self.applied).sum())

    @property
    def equation(self):
        """The products written out and their sum: ``0×0 + ... = 19``."""
        return sum_text(self.window, self.applied, [[self.total]])

    @property
    def Y_shown(self):
        """`Y` as filled in so far, NaN where the window has not been."""
        shown = onp.full(self.Y.shape, onp.nan)
        filled = shown.reshape(-1)  # a view, row-major
        filled[:self.slider.value] = self.Y.reshape(-1)[:self.slider.value]
        return shown

    @property
    def shape_text(self):
        """The output's shape, ``(H - h + 1) x (W - w + 1)``, worked out."""
        (H, W), (h, w) = self.X.shape, self.K.shape
        return (f'output shape (H − h + 1) × (W − w + 1) = ({H} − {h} + 1) '
                f'× ({W} − {w} + 1) = {H - h + 1} × {W - w + 1}')

    def summary(self):
        (i, j), n = self.position, self.Y.size
        line = (f'window_slider: window {self.slider.value} of {n}, '
                f'Y[{i}, {j}] = {self.equation}')
        if self.mode.value == CONVOLUTION:
            line += ' (convolution: K flipped)'
        return line

    def picture(self):
        key = (self.slider.value, self.applied.shape,
               self.applied.tobytes(), self.mode.value)
        if key not in self._pngs:
            self._pngs[key] = figure_png(self._draw(), dpi=80)
        return self._pngs[key]

    @numpy_mode
    def _update(self, change=None):
        if getattr(self, '_busy', False):
            return
        (i, j), n = self.position, self.Y.size
        if self.mode.value == CONVOLUTION:
            how = ('convolution: <code>corr2d</code> with K flipped '
                   f'in both axes, K[::-1, ::-1] = '
                   f'{matrix_text(self.applied)}')
        else:
            how = ('cross-correlation: <code>corr2d(X, K)</code>, '
                   'the book\'s operator')
        self.image.value = self.picture()  # first: see `_base`
        self.text.value = (
            f'<div class="d2l-shape">{how}; {self.shape_text}</div>'
            f'<div class="d2l-equation" style="font-size: 15px">'
            f'window {self.slider.value} of {n}: '
            f'<b>Y[{i}, {j}]</b> = {self.equation}</div>')

    def _draw(self):
        """Draw `X`, `K` and `Y` so far, as `plot_cross_correlation`."""
        (i, j), (h, w) = self.position, self.K.shape
        X, K, Y = self.X, self.applied, self.Y_shown
        window = onp.zeros(X.shape, dtype=bool)
        window[i:i + h, j:j + w] = True
        current = onp.zeros(Y.shape, dtype=bool)
        current[i, j] = True
        text = f'Y[{i}, {j}] = {self.equation}'
        # In units of one element, as `plot_cross_correlation`; wide
        # enough for the sum below (about 0.2 elements a character).
        gap, margin, top, bottom = 1, 0.5, 1, 1.3
        rows = max(X.shape[0], Y.shape[0])
        arrays = X.shape[1] + w + Y.shape[1] + 2 * gap
        width = max(arrays + 2 * margin, 0.2 * len(text) + 2 * margin)
        height = rows + top + bottom
        fig = new_figure(figsize=(width * CELL, height * CELL))
        x = (width - arrays) / 2
        flipped = self.mode.value == CONVOLUTION
        panels = [(X, window, 'input X', '\N{ASTERISK OPERATOR}'),
                  (K, onp.ones(K.shape, dtype=bool),
                   'K flipped' if flipped else 'kernel K', '='),
                  (Y, current, 'output Y', None)]
        for A, shaded, title, operator in panels:
            r, c = A.shape
            y = bottom + (rows - r) / 2
            ax = fig.add_axes([x / width, y / height, c / width, r / height])
            draw_grid(ax, A, shaded, blank_nan=True)
            ax.set_title(title, fontsize=13)
            x += c + gap
            if operator:
                fig.text((x - gap / 2) / width,
                         (bottom + rows / 2) / height, operator,
                         ha='center', va='center', fontsize=20)
        fig.text(0.5, bottom / 2 / height, text, ha='center',
                 va='center', fontsize=14)
        return fig


def _written(K):
    """A kernel as one types it: ``[[0, 1], [2, 3]]``."""
    return '[' + ', '.join('[' + ', '.join(f'{float(v):g}' for v in row)
                           + ']' for row in K) + ']'


def _html(text):
    import html
    return html.escape(text)


def _parse(text):
    """Read a kernel typed as a list of rows; raise a clear error."""
    text = text.replace('\N{MINUS SIGN}', '-').replace('×', '*')
    try:
        K = ast.literal_eval(text.strip() or 'None')
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        K = None
    if isinstance(K, (int, float)) and not isinstance(K, bool):
        K = [[K]]  # a 1 x 1 kernel
    if not isinstance(K, (list, tuple)) or not K or not all(
            isinstance(row, (list, tuple)) for row in K):
        raise ValueError(f'{FUNC}: write the kernel as a list of rows of '
                         f'numbers, like [[0, 1], [2, 3]], not {text!r}')
    values = [v for row in K for v in row]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool)
               for v in values):
        raise TypeError(f'{FUNC}: every entry of the kernel must be a '
                        f'number, got {text!r}')
    if len({len(row) for row in K}) > 1:
        raise ValueError(f'{FUNC}: every row of the kernel must have the '
                         f'same length, got {text!r}')
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f'{FUNC}: every entry of the kernel must be '
                         f'finite, got {text!r}')
    return onp.array(K, dtype='float32').reshape(len(K), -1)


def window_slider(X=None, K=None):
    """Slide the window of 6.2.1 over `X`, one output element at a time.

    Section 6.2.1, "The Cross-Correlation Operator", as CNN Explainer
    shows it: a slider (drag it, or focus it and press the arrow keys)
    moves the kernel's window over `X` in row-major order. For each
    window the widget shades it on `X`, writes out the elementwise
    products with `K` and their sum, and fills `Y` in up to that
    element. `Y` is ``corr2d(X, K)``, the book's loop, run once.

    The kernel can be edited (type its rows: ``[[1, -1]]``); the output
    shape, ``(H - h + 1) x (W - w + 1)``, follows. A toggle switches to
    a true convolution (6.2.5): ``corr2d`` with the kernel flipped in
    both axes, whose window products show the flipped entries.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input, at most `MAX_SIDE` a side; defaults to the
        section's ``[[0, 1, 2], [3, 4, 5], [6, 7, 8]]``.
    K : array_like, optional
        The 2-D kernel; defaults to the section's ``[[0, 1], [2, 3]]``.

    Returns
    -------
    WindowSlider
        An ``ipywidgets.VBox``; its stored output in a notebook is also
        a PNG of the current window.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `K` does not
        fit in `X`, or `X` has a side longer than `MAX_SIDE`.

    Examples
    --------
    >>> w = window_slider()
    >>> w.equation
    '0×0 + 1×1 + 3×2 + 4×3 = 19'
    >>> w.slider.value = 4  # the last window
    >>> w.position, w.equation
    ((1, 1), '4×0 + 5×1 + 7×2 + 8×3 = 43')
    >>> w.mode.value = 'convolution'  # the kernel flipped
    >>> w.equation
    '4×3 + 5×2 + 7×1 + 8×0 = 29'
    >>> w.kernel.value = '[[1, -1]]'
    >>> print(w.shape_text.replace(' = ', '\\n= '))
    output shape (H − h + 1) × (W − w + 1)
    = (3 − 1 + 1) × (3 − 2 + 1)
    = 3 × 2
    """
    if X is None:
        X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    if K is None:
        K = np.array([[0, 1], [2, 3]])
    return WindowSlider(X, K)
