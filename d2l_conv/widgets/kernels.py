"""6.2.3 on a photograph: pick or edit a kernel, see `corr2d_fast` live."""

import math
import time

import ipywidgets
import numpy as onp

from .. import corr2d_fast
from .. import photograph as pg
from .._validation import as_2d_array, check_fits
from ..edge_detection import edge_kernel
from ..plotting import (
    CMAP,
    array_png,
    averages,
    clipped_scale,
    figure_png,
    matrix_text,
)
from ..speed import compare_speed
from ._base import Figure, natural, numpy_mode

FUNC = 'kernel_explorer'

#: The preset whose three rows of entries are all the learner's.
YOUR_OWN = 'your own 3 x 3'

#: The kernels to pick from: the section's, the exercises', Sobel's,
#: and `YOUR_OWN` (None: the entries as they stand, all nine).
PRESETS = {**{name: K.asnumpy() for name, K in pg.SECTION_KERNELS.items()},
           **{name: K.asnumpy() for name, K in pg.EXERCISE_KERNELS.items()},
           'Sobel, vertical edges': pg.SOBEL.asnumpy(),
           YOUR_OWN: None}

#: The side of the corner the book's loop is timed on, once per widget.
LOOP_CROP = 16

#: The side of the grid of entries.
SIDE = 3


def _duration(seconds):
    """Say a duration in the unit that reads best: 1.23 ms, 107 s."""
    if seconds >= 1:
        return f'{seconds:,.0f} s'
    if seconds >= 1e-3:
        return f'{seconds * 1e3:.3g} ms'
    return f'{seconds * 1e6:.3g} µs'


class KernelExplorer(Figure):
    """6.2.3's kernels on a photograph; see `kernel_explorer`.

    Attributes
    ----------
    preset : ipywidgets.Dropdown
        The kernel to start from; its options are the keys of `PRESETS`.
    entries : list of list of ipywidgets.FloatText
        The 3 x 3 grid of the kernel's entries; those outside the
        kernel's shape are disabled (a 9 x 9 box disables them all).
    text : ipywidgets.HTML
        The kernel, the time `corr2d_fast` took, the book's loop's
        estimate, the colour scale, or what is wrong with an entry.
    image : ipywidgets.Image
        ``corr2d_fast(X, K)``, one pixel per output element.
    X : mxnet.np.ndarray
        The image.
    kernel, output : numpy.ndarray
        The kernel now, and ``corr2d_fast(X, kernel)``.
    fast_s : float
        The seconds `corr2d_fast` took for `output`.
    update_s : float
        The seconds the last update took in Python: the correlation,
        the colour scale and the PNG, without the frontend.
    loop_s_per_output : float
        The book's loop's seconds per output element, measured once.
    """

    css_class = 'd2l-kernel-explorer'

    def __init__(self, X):
        X = as_2d_array(FUNC, 'X', X)
        largest = max((K.shape for K in PRESETS.values() if K is not None),
                      key=math.prod)
        check_fits(FUNC, largest, X.shape)
        self.X = X
        # The loop's cost per output barely depends on the kernel
        # (MXNet's per-call overhead dominates): measure it once.
        speed = compare_speed(X, edge_kernel(), crop=LOOP_CROP, repeat=1)
        self.loop_s_per_output = speed.loop_s / speed.loop_outputs
        self.preset = ipywidgets.Dropdown(options=list(PRESETS),
                                          description='kernel')
        self.entries = [[ipywidgets.FloatText(
            value=0.0, layout=ipywidgets.Layout(width='6em'))
            for _ in range(SIDE)] for _ in range(SIDE)]
        grid = ipywidgets.GridBox(
            [entry for row in self.entries for entry in row],
            layout=ipywidgets.Layout(
                grid_template_columns=f'repeat({SIDE}, 6em)',
                grid_gap='2px', margin='0 0 0 90px'))
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._loading = False
        self.edited = False
        super().__init__([self.preset, grid, self.text, self.image])
        self.preset.observe(self._load, names='value')
        for row in self.entries:
            for entry in row:
                entry.observe(self._edit, names='value')
        self._load()

    @property
    def label(self):
        """The kernel's name: its preset's, or its entries if edited."""
        if self.edited or self.preset.value == YOUR_OWN:
            return f'K = {matrix_text(self.kernel)}'
        return self.preset.value

    def summary(self):
        h, w = self.kernel.shape
        H, W = self.output.shape
        return (f'kernel_explorer: {self.label} ({h} x {w}), output '
                f'{H} x {W}')

    def picture(self):
        fig = pg.plot_filtered(self.X, {self.label: self.kernel}, ncols=2)
        return figure_png(fig)

    @numpy_mode
    def _load(self, change=None):
        """Fill the entries from the preset just picked, then update."""
        K = PRESETS[self.preset.value]
        if K is None:  # your own: the entries as they are, all nine
            K = onp.zeros((SIDE, SIDE), dtype='float32')
            h, w = self.kernel.shape if hasattr(self, 'kernel') else (0, 0)
            if h <= SIDE and w <= SIDE:
                K[:h, :w] = self.kernel
        h, w = K.shape
        self._loading = True
        try:
            for r, row in enumerate(self.entries):
                for c, entry in enumerate(row):
                    inside = r < h and c < w and max(h, w) <= SIDE
                    entry.value = float(K[r, c]) if inside else 0.0
                    entry.disabled = not inside
        finally:
            self._loading = False
        self.kernel = onp.array(K, dtype='float32')
        self.edited = False
        self._update()

    @numpy_mode
    def _edit(self, change):
        """Take the kernel from the enabled entries, then update."""
        if self._loading:
            return
        h, w = self.kernel.shape
        values = [[self.entries[r][c].value for c in range(w)]
                  for r in range(h)]
        if not all(math.isfinite(v) for row in values for v in row):
            self.text.value = (
                '<div class="d2l-error" style="color: #b00">'
                f'{FUNC}: every entry must be a finite number, got '
                f'{values}; the picture still shows K = '
                f'{matrix_text(self.kernel)}</div>')
            return
        self.kernel = onp.array(values, dtype='float32')
        self.edited = True
        self._update()

    @numpy_mode
    def _update(self):
        """Correlate, colour and encode; say how long it all took."""
        start = time.perf_counter()
        Y = corr2d_fast(self.X, self.kernel)
        Y.wait_to_read()  # MXNet computes asynchronously
        self.fast_s = time.perf_counter() - start
        self.output = Y.asnumpy()
        K = self.kernel
        if averages(K):  # the output is pixels again
            scale = 'gray: the output is again an image, 0 black, 1 white'
            png = array_png(self.output)
        else:  # signed, as `photograph.plot_filtered` draws it
            vmax = clipped_scale(self.output)
            scale = (f'red: positive, blue: negative, white: 0; clipped '
                     f'at ±{vmax:.3g}')
            png = array_png(self.output, -vmax, vmax, cmap=CMAP)
        self.image.value = png
        self.update_s = time.perf_counter() - start
        H, W = self.output.shape
        loop_s = self.loop_s_per_output * self.output.size
        self.text.value = (
            f'<div class="d2l-kernel">{self.label}</div>'
            f'<div class="d2l-timing"><b>corr2d_fast</b>: '
            f'{_duration(self.fast_s)} for {H} x {W} outputs; the book\'s '
            f'loop would take about <b>{_duration(loop_s)}</b> '
            f'({_duration(self.loop_s_per_output)} an output, timed once '
            f'on a {LOOP_CROP} x {LOOP_CROP} corner); this update: '
            f'{_duration(self.update_s)} in Python</div>'
            f'<div class="d2l-scale">{scale}</div>')


def kernel_explorer(X=None):
    """Apply 6.2.3's kernels to a photograph, or your own, live.

    Section 6.2.3, "Object Edge Detection in Images", on a real
    photograph: pick a kernel (the section's ``[[1, -1]]``, its
    transpose, the exercises' second derivative, Laplacian and box
    blur, or Sobel's), or edit its entries in the 3 x 3 grid; "your own
    3 x 3" frees all nine. Each change recomputes
    ``corr2d_fast(X, K)`` and shows it, one pixel per output element,
    as `photograph.plot_filtered` draws it (signed outputs on a
    diverging scale, averages in grayscale), with the time it took
    beside what the book's loop would take. That estimate is the
    loop's time per output, measured once on a corner of `X`, times
    the outputs: the loop itself never runs on the whole image.

    Parameters
    ----------
    X : array_like, optional
        The 2-D image, at least 9 x 9 (the box blur); defaults to
        `photograph.load_photograph()`.

    Returns
    -------
    KernelExplorer
        An ``ipywidgets.VBox``; its stored output in a notebook is also
        the picture of `photograph.plot_filtered` for the kernel.

    Raises
    ------
    TypeError, ValueError
        If `X` is not a non-empty 2-D numeric array, or is smaller than
        a preset kernel. An entry that is not finite is refused in the
        widget's text; the picture keeps the last kernel.

    Examples
    --------
    >>> from mxnet import np
    >>> w = kernel_explorer(np.ones((20, 20)))
    >>> w.preset.value, w.output.shape
    ('K = [[1, −1]]', (20, 19))
    >>> w.entries[0][1].value = -2  # K = [[1, -2]]
    >>> w.label, float(w.output[0, 0])
    ('K = [[1, −2]]', -1.0)
    """
    return KernelExplorer(pg.load_photograph() if X is None else X)
