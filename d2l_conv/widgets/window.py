"""6.2.1 The Cross-Correlation Operator: slide the window over `X`."""

import ipywidgets
import numpy as onp
from mxnet import np

from .._validation import check_corr2d_args
from ..cross_correlation import corr2d
from ..figures import CELL, _draw_grid, _figure, sum_text
from ._base import Figure, figure_png, natural, player

FUNC = 'window_slider'

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
    text : ipywidgets.HTML
        The window's position, its products written out and their sum.
    image : ipywidgets.Image
        The picture: `X` with the window shaded, `K`, and `Y` so far.
    X, K, Y : numpy.ndarray
        The input, the kernel and ``corr2d(X, K)``, the book's loop.
    """

    css_class = 'd2l-window-slider'

    def __init__(self, X, K):
        X, K = check_corr2d_args(FUNC, X, K)
        if max(X.shape) > MAX_SIDE:
            raise ValueError(f'{FUNC}: X of shape {X.shape} is too large '
                             f'to draw; each side must be at most '
                             f'{MAX_SIDE}')
        self.Y = corr2d(X, K).asnumpy()  # the book's loop, once
        self.X, self.K = X.asnumpy(), K.asnumpy()
        n = self.Y.size
        self.slider, self.play = player(1, n, 'window')
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._pngs = {}
        super().__init__([ipywidgets.HBox([self.play, self.slider]),
                          self.text, self.image])
        self.slider.observe(self._update, names='value')
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
        """The sum of the window's elementwise products with `K`."""
        return float((self.window * self.K).sum())

    @property
    def equation(self):
        """The products written out and their sum: ``0×0 + ... = 19``."""
        return sum_text(self.window, self.K, [[self.total]])

    @property
    def Y_shown(self):
        """`Y` as filled in so far, NaN where the window has not been."""
        shown = onp.full(self.Y.shape, onp.nan)
        filled = shown.reshape(-1)  # a view, row-major
        filled[:self.slider.value] = self.Y.reshape(-1)[:self.slider.value]
        return shown

    def summary(self):
        (i, j), n = self.position, self.Y.size
        return (f'window_slider: window {self.slider.value} of {n}, '
                f'Y[{i}, {j}] = {self.equation}')

    def picture(self):
        value = self.slider.value
        if value not in self._pngs:
            self._pngs[value] = figure_png(self._draw(), dpi=80)
        return self._pngs[value]

    def _update(self, change=None):
        (i, j), n = self.position, self.Y.size
        self.image.value = self.picture()  # first: see `_base`
        self.text.value = (
            f'<div class="d2l-equation" style="font-size: 15px">'
            f'window {self.slider.value} of {n}: '
            f'<b>Y[{i}, {j}]</b> = {self.equation}</div>')

    def _draw(self):
        """Draw `X`, `K` and `Y` so far, as `plot_cross_correlation`."""
        (i, j), (h, w) = self.position, self.K.shape
        X, K, Y = self.X, self.K, self.Y_shown
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
        fig = _figure(figsize=(width * CELL, height * CELL))
        x = (width - arrays) / 2
        panels = [(X, window, 'input X', '\N{ASTERISK OPERATOR}'),
                  (K, onp.ones(K.shape, dtype=bool), 'kernel K', '='),
                  (Y, current, 'output Y', None)]
        for A, shaded, title, operator in panels:
            r, c = A.shape
            y = bottom + (rows - r) / 2
            ax = fig.add_axes([x / width, y / height, c / width, r / height])
            _draw_grid(ax, A, shaded, blank_nan=True)
            ax.set_title(title, fontsize=13)
            x += c + gap
            if operator:
                fig.text((x - gap / 2) / width,
                         (bottom + rows / 2) / height, operator,
                         ha='center', va='center', fontsize=20)
        fig.text(0.5, bottom / 2 / height, text, ha='center',
                 va='center', fontsize=14)
        return fig


def window_slider(X=None, K=None):
    """Slide the window of 6.2.1 over `X`, one output element at a time.

    Section 6.2.1, "The Cross-Correlation Operator", as CNN Explainer
    shows it: a slider (drag it, or focus it and press the arrow keys)
    moves the kernel's window over `X` in row-major order. For each
    window the widget shades it on `X`, writes out the elementwise
    products with `K` and their sum, and fills `Y` in up to that
    element. `Y` is ``corr2d(X, K)``, the book's loop, run once.

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
    """
    if X is None:
        X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    if K is None:
        K = np.array([[0, 1], [2, 3]])
    return WindowSlider(X, K)
