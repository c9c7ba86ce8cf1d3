"""Today's 7.2.6 Feature Map and Receptive Field: click an output cell."""

import ipywidgets

from ..figures import plot_receptive_field
from ..plotting import figure_png, number
from ..receptive_field import (
    LAYER_NAMES,
    check_element,
    field_of,
    field_text,
    stacked_outputs,
)
from ._base import Figure, natural, numpy_mode

FUNC = 'receptive_field'

#: The largest side of `X` the widget draws, as `window.MAX_SIDE`.
MAX_SIDE = 12


class ReceptiveField(Figure):
    """Two stacked layers, one element's field lit; see `receptive_field`.

    Attributes
    ----------
    buttons : dict
        ``(layer, i, j)`` to the ``ipywidgets.Button`` of that output
        element: layer 1 is `Y`, 2 is `Z`. A click selects it.
    selected : tuple of int
        ``(layer, i, j)``, the element lit up now.
    text : ipywidgets.HTML
        What the element sees, and why the field grows.
    image : ipywidgets.Image
        `figures.plot_receptive_field` of the element: `X`, `Y` and `Z`,
        the element orange, its field blue.
    arrays : list of numpy.ndarray
        ``[X, Y, Z]``, as `receptive_field.stacked_outputs` returns them.
    """

    css_class = 'd2l-receptive-field'

    def __init__(self, X, K, selected=(1, 0, 0)):
        try:
            self.arrays = stacked_outputs(X, K)
        except (TypeError, ValueError) as err:
            raise type(err)(str(err).replace('stacked_outputs', FUNC)) \
                from None
        if max(self.arrays[0].shape) > MAX_SIDE:
            raise ValueError(f'{FUNC}: X of shape {self.arrays[0].shape} is '
                             f'too large to draw; each side must be at '
                             f'most {MAX_SIDE}')
        self.X, self.K = self.arrays[0], K
        self.buttons = {}
        grids = []
        for layer in (1, 2):
            A = self.arrays[layer]
            name = LAYER_NAMES[layer]
            for (i, j), value in _cells(A):
                button = ipywidgets.Button(
                    description=number(value), tooltip=f'{name}[{i}, {j}]',
                    layout=ipywidgets.Layout(width='4.5em', height='2.5em'))
                button.on_click(
                    lambda _, at=(layer, i, j): self.select(*at))
                self.buttons[layer, i, j] = button
            grid = ipywidgets.GridBox(
                [self.buttons[layer, i, j] for (i, j), _ in _cells(A)],
                layout=ipywidgets.Layout(
                    grid_template_columns=f'repeat({A.shape[1]}, 4.5em)',
                    grid_gap='2px'))
            label = ipywidgets.HTML(
                f'layer {layer}: <b>{name} = corr2d('
                f'{LAYER_NAMES[layer - 1]}, K)</b>')
            grids.append(ipywidgets.VBox([label, grid]))
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._pngs = {}
        intro = ipywidgets.HTML('click an output cell to light up its '
                                'receptive field:')
        super().__init__([intro, ipywidgets.HBox(
            grids, layout=ipywidgets.Layout(grid_gap='3em')),
            self.text, self.image])
        self.selected = None
        self.select(*check_element(FUNC, self.arrays, selected))

    @numpy_mode
    def select(self, layer, i, j):
        """Light up element ``(i, j)`` of layer `layer` (1: Y, 2: Z)."""
        self.selected = check_element(FUNC, self.arrays, (layer, i, j))
        layer, i, j = self.selected
        shape = self.K_shape
        for (n, r, c), button in self.buttons.items():
            if (n, r, c) == self.selected:
                button.button_style = 'warning'  # orange, as the figure
            elif n < layer and _inside(field_of(shape, layer, i, j, n),
                                       r, c):
                button.button_style = 'info'  # blue: in the field
            else:
                button.button_style = ''
        rows, cols = field_of(shape, layer, i, j)
        h, w = shape
        self.image.value = self.picture()  # first: see `_base`
        self.text.value = (
            f'<div class="d2l-field" style="font-size: 15px">'
            f'<b>{field_text(self.arrays, layer, i, j)}</b></div>'
            f'<div>one {h} x {w} layer sees a {h} x {w} window of the '
            f'layer below it, and each layer more widens the field by '
            f'h − 1 = {h - 1} and w − 1 = {w - 1}: through {layer} '
            f'layer{"s" if layer > 1 else ""}, '
            f'{rows.stop - rows.start} x {cols.stop - cols.start} of the '
            f'input</div>')

    @property
    def K_shape(self):
        """The kernel's shape ``(h, w)``, that of both layers."""
        (H, W), (oh, ow) = self.arrays[0].shape, self.arrays[1].shape
        return H - oh + 1, W - ow + 1

    def summary(self):
        return f'{FUNC}: {field_text(self.arrays, *self.selected)}'

    def picture(self):
        if self.selected not in self._pngs:
            fig = plot_receptive_field(self.X, self.K,
                                       selected=self.selected)
            self._pngs[self.selected] = figure_png(fig, dpi=80)
        return self._pngs[self.selected]


def _cells(A):
    """``((i, j), value)`` for each element of `A`, row by row."""
    return [((i, j), A[i, j]) for i in range(A.shape[0])
            for j in range(A.shape[1])]


def _inside(field, r, c):
    rows, cols = field
    return rows.start <= r < rows.stop and cols.start <= c < cols.stop


def receptive_field(X=None, K=None, selected=(1, 0, 0)):
    """Click an output element to light up its receptive field.

    Today's edition, section 7.2.6, "Feature Map and Receptive Field",
    as CNN Explainer shows it: two stacked layers of the same kernel,
    ``Y = corr2d(X, K)`` and ``Z = corr2d(Y, K)``. Each output element
    is a button; click one, and the picture lights it up in orange and
    its receptive field, every element below it that may affect it, in
    blue. With the section's 2 x 2 kernel an element of `Y` sees 4
    inputs, and ``Z[0, 0]`` sees all 4 of `Y` and all 9 inputs.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input, at most `MAX_SIDE` a side; defaults to the
        section's ``[[0, 1, 2], [3, 4, 5], [6, 7, 8]]``.
    K : array_like, optional
        The 2-D kernel of both layers; defaults to ``[[0, 1], [2, 3]]``.
    selected : tuple of int, optional
        ``(layer, i, j)``, the element lit up first: ``Y[0, 0]`` by
        default.

    Returns
    -------
    ReceptiveField
        An ``ipywidgets.VBox``; its stored output in a notebook is also
        a PNG of the element lit up.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `K` does not
        fit in `X` twice over, `X` has a side longer than `MAX_SIDE`, or
        `selected` names no element of `Y` or `Z`.

    Examples
    --------
    >>> w = receptive_field()
    >>> w.summary()
    'receptive_field: Y[0, 0] = 19 sees 4 of the 9 inputs, X[0:2, 0:2]'
    >>> w.buttons[2, 0, 0].click()  # Z[0, 0]
    >>> w.summary()
    'receptive_field: Z[0, 0] = 228 sees 4 of Y and 9 of the 9 inputs, \
X[0:3, 0:3]'
    """
    return ReceptiveField(X, K, selected)  # None: the section's
