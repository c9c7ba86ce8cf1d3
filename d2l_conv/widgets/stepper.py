"""6.2.4 Learning a Kernel: step through the book's ten iterations."""

import ipywidgets
import mxnet as mx
import numpy as onp
from mxnet.gluon import nn

from ..figures import _figure, book_losses
from ..learning import BOOK_SEED, learn_kernel
from ._base import Figure, figure_png, natural, player


def weight_history():
    """Run the book's 6.2.4 and return its weights after every update.

    `learn_kernel` with its defaults, the book's run: a forward hook on
    Gluon's ``nn.Conv2D(1, kernel_size=(1, 2))`` copies the weight each
    time the layer runs, that is, before each update. The hook draws
    nothing, so the run is the book's.

    MXNet's global generator: `learn_kernel` seeds it with `BOOK_SEED`
    and draws the initial weights; afterwards this function seeds it
    with `BOOK_SEED` again, the state of a fresh process, so that code
    run later that relies on a fresh process (the book's own 6.2.4
    cell, which initialises its layer without a seed) still gets the
    book's numbers. Any seed set before the call is forgotten.

    Returns
    -------
    weights : numpy.ndarray
        Shape ``(11, 2)``: row 0 the initial weights, row ``k`` those
        after the ``k``-th update.
    losses : list of float
        The ten losses, each before its iteration's update.

    Examples
    --------
    >>> weights, losses = weight_history()
    >>> weights.shape, '%.3f' % losses[1]
    ((11, 2), '4.949')
    >>> weights[-1]
    array([ 0.9895   , -0.9873705], dtype=float32)
    """
    layer = nn.Conv2D(1, kernel_size=(1, 2))  # the book's, as learn_kernel
    seen = []  # the weight at every forward, before that iteration's update

    def record(block, inputs, output):
        seen.append(block.weight.data().asnumpy().reshape(-1))

    layer.register_forward_hook(record)
    try:
        kernel, losses = learn_kernel(layer=layer, seed=BOOK_SEED)
    finally:
        mx.random.seed(BOOK_SEED)
    # seen[0]: learn_kernel's check before training, seen[k]: before
    # iteration k; then the weights the last update left
    weights = onp.stack(seen[1:] + [kernel.asnumpy().reshape(-1)])
    return weights, losses


class TrainingStepper(Figure):
    """6.2.4's ten iterations, one at a time; see `training_stepper`.

    Attributes
    ----------
    slider : ipywidgets.IntSlider
        The iteration, 0 (before training) to 10.
    play : ipywidgets.Play
        Moves `slider` one iteration a second (linked in the browser).
    text : ipywidgets.HTML
        The iteration's loss, the book's where it prints one, and the
        weights its update leaves.
    image : ipywidgets.Image
        The losses and the two weights, up to the iteration.
    weights : numpy.ndarray
        ``(11, 2)``, as `weight_history` returns.
    losses : list of float
        The ten losses.
    """

    css_class = 'd2l-training-stepper'

    def __init__(self):
        self.weights, self.losses = weight_history()
        self.book = dict(zip(*book_losses(), strict=True))
        n = len(self.losses)
        self.slider, self.play = player(0, n, 'iteration')
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._pngs, self._figure = {}, None
        super().__init__([ipywidgets.HBox([self.play, self.slider]),
                          self.text, self.image])
        self.slider.observe(self._update, names='value')
        self._update()

    @property
    def step(self):
        """The iteration shown: 0 before training, else 1 to 10."""
        return self.slider.value

    @property
    def loss_line(self):
        """The book's line for this iteration, ``batch 2, loss 4.949``."""
        if self.step == 0:
            return None
        return 'batch %d, loss %.3f' % (self.step, self.losses[self.step - 1])

    def _weights(self):
        w0, w1 = self.weights[self.step]
        return f'[[{w0:.4f}, {w1:.4f}]]'

    def summary(self):
        if self.step == 0:
            return (f'training_stepper: before training, weights '
                    f'{self._weights()}')
        return (f'training_stepper: {self.loss_line} of '
                f'{len(self.losses)}, weights after it {self._weights()}')

    def picture(self):
        if self.step not in self._pngs:
            self._pngs[self.step] = figure_png(self._draw(), dpi=80)
        return self._pngs[self.step]

    def _update(self, change=None):
        k = self.step
        if k == 0:
            line = ('before training: the weights Gluon drew, with '
                    f'<code>mxnet.random.seed({BOOK_SEED})</code>, '
                    f'<b>{self._weights()}</b>')
        else:
            printed = self.book.get(k)
            book = (f'the book prints <b>{printed:.3f}</b>'
                    if printed is not None else
                    'the book prints every second iteration')
            line = (f'<b class="d2l-loss">{self.loss_line}</b> ({book}); '
                    f'its update leaves the weights '
                    f'<b>{self._weights()}</b>')
        self.image.value = self.picture()  # first: see `_base`
        self.text.value = f'<div class="d2l-step">{line}</div>'

    def _draw(self):
        """Losses (log scale) and weights, the first `step` in colour.

        The figure is built once; each step moves its lines and title
        only, which halves the drawing (no axes and ticks made anew).
        """
        if self._figure is None:
            self._figure = self._build()
        fig, reached, current, weights, title = self._figure
        k = self.step
        its = onp.arange(1, len(self.losses) + 1)
        reached.set_data(its[:k], self.losses[:k])
        current.set_data(its[k - 1:k], self.losses[k - 1:k])
        for i, line in enumerate(weights):
            line.set_data(onp.arange(k + 1), self.weights[:k + 1, i])
        title.set_text('6.2.4 Learning a kernel: '
                       + ('before training' if k == 0 else self.loss_line))
        return fig

    def _build(self):
        """Draw what every step shows: axes, the whole run in gray, the
        book's losses; return the figure and the artists that move."""
        n = len(self.losses)
        fig = _figure(figsize=(10, 3.4))
        # fixed margins: a constrained layout doubles the drawing time
        fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.89,
                            wspace=0.2)
        loss_ax, weight_ax = fig.subplots(1, 2)
        its = onp.arange(1, n + 1)
        loss_ax.plot(its, self.losses, '-', color='0.85')  # to come
        (reached,) = loss_ax.plot([], [], 'o-', markersize=4,
                                  color='tab:blue',
                                  label='learn_kernel() losses')
        batches, printed = zip(*self.book.items(), strict=True)
        loss_ax.plot(batches, printed, 's', markersize=10,
                     markerfacecolor='none', markeredgecolor='tab:red',
                     markeredgewidth=1.5, label='printed in the book')
        for batch, loss in self.book.items():
            loss_ax.annotate(f'{loss:.3f}', (batch, loss), xytext=(-10, -6),
                             textcoords='offset points', ha='right',
                             va='center', fontsize=8, color='tab:red')
        (current,) = loss_ax.plot([], [], 'o', markersize=9,
                                  color='tab:blue')
        loss_ax.set_yscale('log')
        loss_ax.set_xticks(its)
        loss_ax.set_xlim(0.5, n + 0.5)
        loss_ax.set_xlabel('iteration (batch)')
        loss_ax.set_ylabel('loss: summed squared error')
        loss_ax.legend(fontsize=8, loc='upper right')
        steps = onp.arange(n + 1)
        weights = []
        for i, colour in enumerate(('tab:green', 'tab:purple')):
            target = (1, -1)[i]
            weight_ax.axhline(target, color=colour, linestyle=':')
            weight_ax.plot(steps, self.weights[:, i], '-', color='0.85')
            weights += weight_ax.plot(
                [], [], 'o-', markersize=4, color=colour,
                label=f'weight {i}, K[0, {i}] = {target}')
        weight_ax.set_xticks(steps)
        weight_ax.set_xlabel('updates made')
        weight_ax.set_ylabel('kernel weight')
        weight_ax.legend(fontsize=8, loc='center right')
        title = fig.suptitle('')
        return fig, reached, current, weights, title


def training_stepper():
    """Step through the ten iterations of 6.2.4, "Learning a Kernel".

    The book's run (`learn_kernel`'s defaults, seed 0, so the book's
    numbers in any process state), once; a slider (or the play button)
    then shows iteration after iteration: its loss, with the five the
    book prints marked, and the kernel's two weights, as they move from
    Gluon's random start towards ``[[1, -1]]``.

    It runs `weight_history`, which seeds MXNet's global generator with
    0 before and after training: afterwards the generator is as a fresh
    process has it, so the book's own 6.2.4 cell still prints the book's
    numbers after this widget, and any seed set before is forgotten.

    Returns
    -------
    TrainingStepper
        An ``ipywidgets.VBox``; its stored output in a notebook is also
        a PNG of the iteration shown.

    Examples
    --------
    >>> w = training_stepper()
    >>> for k in range(2, 11, 2):
    ...     w.slider.value = k
    ...     print(w.loss_line)
    batch 2, loss 4.949
    batch 4, loss 0.831
    batch 6, loss 0.140
    batch 8, loss 0.024
    batch 10, loss 0.004
    """
    return TrainingStepper()
