"""6.2.4 Learning a Kernel: step through the book's ten iterations."""

import ipywidgets
import mxnet as mx
import numpy as onp
from mxnet.gluon import nn

from .._args import check_positive_real
from .._validation import as_2d_array
from ..edge_detection import edge_image
from ..learning import BOOK_SEED, learn_kernel
from ..plotting import figure_png, mark_printed, new_figure
from ..published import book_losses
from ._base import Figure, natural, numpy_mode, player

#: The book's learning rate, 6.2.4.
BOOK_LR = 3e-2

#: The learning rates the stepper offers, by label: the book's, either
#: side of 1/30 (where this data starts to diverge), and beyond.
RATES = {'0.01': 0.01, '0.02': 0.02, "0.03 (the book's)": BOOK_LR,
         '0.033': 0.033, '1/30': 1 / 30, '0.034': 0.034, '0.04': 0.04,
         '0.05': 0.05}


def loss_hessian(X=None, kernel_shape=(1, 2)):
    """Return the Hessian of 6.2.4's loss in the kernel's weights.

    The loss, ``((corr2d(X, K) - Y) ** 2).sum()``, is quadratic in the
    ``h * w`` weights of `K`: with `A` the matrix whose rows are the
    windows of `X` (one per output element, flattened), the output is
    ``A @ k`` and the loss ``|A k - y|^2``, whose Hessian is
    ``2 A.T @ A``, the same at every `K`. Gradient descent multiplies
    the error along each eigenvector of it by ``1 - lr * lambda``, so
    it diverges once ``lr > 2 / lambda_max``. `Y` and the bias play no
    part.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to `edge_image()`, the book's.
    kernel_shape : tuple of int, optional
        ``(h, w)``; the book's is ``(1, 2)``.

    Returns
    -------
    numpy.ndarray
        ``(h * w, h * w)``, in float64.

    Examples
    --------
    >>> H = loss_hessian()
    >>> H
    array([[36., 24.],
           [24., 36.]])
    >>> lam = onp.linalg.eigvalsh(H)
    >>> lam, float(2 / lam.max())  # lr above 1/30 diverges
    (array([12., 60.]), 0.03333333333333333)
    """
    X = as_2d_array('loss_hessian', 'X', edge_image() if X is None else X)
    X = X.asnumpy().astype('float64')
    h, w = kernel_shape
    oh, ow = X.shape[0] - h + 1, X.shape[1] - w + 1
    A = onp.stack([X[i:i + h, j:j + w].ravel()
                   for i in range(oh) for j in range(ow)])  # (oh*ow, h*w)
    return 2 * A.T @ A


def weight_history(lr=BOOK_LR):
    """Run the book's 6.2.4 and return its weights after every update.

    `learn_kernel` with its defaults, the book's run (or another `lr`,
    finite and positive): a forward hook on
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
    >>> ['%.3g' % loss for loss in weight_history(lr=0.05)[1][-3:]]
    ['96.7', '387', '1.55e+03']
    """
    lr = check_positive_real('weight_history', 'lr', lr)
    layer = nn.Conv2D(1, kernel_size=(1, 2))  # the book's, as learn_kernel
    seen = []  # the weight at every forward, before that iteration's update

    def record(block, inputs, output):
        seen.append(block.weight.data().asnumpy().reshape(-1))

    layer.register_forward_hook(record)
    try:
        kernel, losses = learn_kernel(layer=layer, seed=BOOK_SEED, lr=lr)
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
    rate : ipywidgets.Dropdown
        The learning rate, one of `RATES` (the book's 0.03 first shown);
        picking one reruns the ten iterations with it.
    rate_text : ipywidgets.HTML
        Whether that rate converges on this data, and why: the bound
        ``2 / lambda_max`` of `loss_hessian`, 1/30 here.
    weights : numpy.ndarray
        ``(11, 2)``, as `weight_history` returns, for the rate chosen.
    losses : list of float
        The ten losses, for the rate chosen.
    """

    css_class = 'd2l-training-stepper'

    def __init__(self):
        self.book = dict(zip(*book_losses(), strict=True))
        self.hessian = loss_hessian()
        self.lambda_max = float(onp.linalg.eigvalsh(self.hessian).max())
        self._runs = {}
        self.weights, self.losses = self._run(BOOK_LR)
        n = len(self.losses)
        self.slider, self.play = player(0, n, 'iteration')
        self.rate = ipywidgets.Dropdown(
            options=list(RATES.items()), value=BOOK_LR,
            description='lr')
        self.rate_text = ipywidgets.HTML()
        self.text = ipywidgets.HTML()
        self.image = ipywidgets.Image(format='png', layout=natural())
        self._pngs, self._figures = {}, {}
        super().__init__([self.rate, self.rate_text,
                          ipywidgets.HBox([self.play, self.slider]),
                          self.text, self.image])
        self.slider.observe(self._update, names='value')
        self.rate.observe(self._retrain, names='value')
        self._retrain()

    @property
    def lr(self):
        """The learning rate of the run shown."""
        return self.rate.value

    @property
    def lr_label(self):
        """The rate as the menu names it: ``0.04``, ``1/30``."""
        return next(label for label, value in RATES.items()
                    if value == self.lr)

    @property
    def factor(self):
        """``1 - lr * lambda_max``: what each update multiplies the
        error along the Hessian's top eigenvector by."""
        return 1 - self.lr * self.lambda_max

    def _run(self, lr):
        if lr not in self._runs:
            self._runs[lr] = weight_history(lr)
        return self._runs[lr]

    @numpy_mode
    def _retrain(self, change=None):
        """Take the run of the rate chosen, then update."""
        self.weights, self.losses = self._run(self.lr)
        bound = 2 / self.lambda_max
        factor = self.factor
        if abs(factor) < 1 - 1e-9:
            verdict = ('<b class="d2l-verdict" style="color: #060">'
                       f'converges</b>: lr = {self.lr_label} is below '
                       f'2/λ_max = 1/{self.lambda_max / 2:g}')
        elif abs(factor) <= 1 + 1e-9:
            verdict = ('<b class="d2l-verdict" style="color: #a60">'
                       'on the edge</b>: lr = 2/λ_max exactly, so that '
                       'error never shrinks')
        else:
            verdict = ('<b class="d2l-verdict" style="color: #b00">'
                       f'diverges</b>: lr = {self.lr_label} is above '
                       f'2/λ_max = 1/{self.lambda_max / 2:g}')
            if abs(factor) < 1.1:
                verdict += (' (slowly: over ten iterations the other '
                            'direction still converges faster)')
        H = self.hessian
        lambdas = ' and '.join(
            f'{v:g}' for v in sorted(onp.linalg.eigvalsh(H), reverse=True))
        factor_text = f'{factor:.3g}'.replace('-', '\N{MINUS SIGN}')
        self.rate_text.value = (
            f'<div class="d2l-rate">{verdict}. The loss is quadratic in '
            f'the two weights, with Hessian 2AᵀA = '
            f'[[{H[0, 0]:g}, {H[0, 1]:g}], [{H[1, 0]:g}, {H[1, 1]:g}]] '
            f'(A: the windows of X), eigenvalues {lambdas}. Each update '
            f'multiplies the error along the top eigenvector by '
            f'1 − lr·λ_max = {factor_text}; it grows once '
            f'|1 − lr·λ_max| &gt; 1, that is lr &gt; 2/λ_max = '
            f'{bound:.4g}.</div>')
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
            line = (f'training_stepper: before training, weights '
                    f'{self._weights()}')
        else:
            line = (f'training_stepper: {self.loss_line} of '
                    f'{len(self.losses)}, weights after it '
                    f'{self._weights()}')
        if self.lr != BOOK_LR:
            line += f' (lr {self.lr_label})'
        return line

    def picture(self):
        key = self.lr, self.step
        if key not in self._pngs:
            self._pngs[key] = figure_png(self._draw(), dpi=80)
        return self._pngs[key]

    @numpy_mode
    def _update(self, change=None):
        k = self.step
        if k == 0:
            line = ('before training: the weights Gluon drew, with '
                    f'<code>mxnet.random.seed({BOOK_SEED})</code>, '
                    f'<b>{self._weights()}</b>')
            if self.lr != BOOK_LR:
                line += f'; lr {self.lr_label}'
        else:
            printed = self.book.get(k)
            if self.lr != BOOK_LR:
                book = f'lr {self.lr_label}; the book uses {BOOK_LR:g}'
            elif printed is not None:
                book = f'the book prints <b>{printed:.3f}</b>'
            else:
                book = 'the book prints every second iteration'
            line = (f'<b class="d2l-loss">{self.loss_line}</b> ({book}); '
                    f'its update leaves the weights '
                    f'<b>{self._weights()}</b>')
        self.image.value = self.picture()  # first: see `_base`
        self.text.value = f'<div class="d2l-step">{line}</div>'

    def _draw(self):
        """Losses (log scale) and weights, the first `step` in colour.

        The figure is built once a rate; each step moves its lines, its
        title and the loss legend only, which halves the drawing (no
        axes and ticks made anew). The legend names only the lines that
        show: before training, no loss is reached yet; after the last
        iteration, none is to come.
        """
        if self.lr not in self._figures:
            self._figures[self.lr] = self._build()
        fig, reached, current, weights, title, kept = self._figures[self.lr]
        k = self.step
        its = onp.arange(1, len(self.losses) + 1)
        reached.set_data(its[:k], self.losses[:k])
        current.set_data(its[k - 1:k], self.losses[k - 1:k])
        for i, line in enumerate(weights):
            line.set_data(onp.arange(k + 1), self.weights[:k + 1, i])
        rate = '' if self.lr == BOOK_LR else f', lr {self.lr_label}'
        title.set_text('6.2.4 Learning a kernel: '
                       + ('before training' if k == 0 else self.loss_line)
                       + rate)
        shown = [line for line in kept
                 if len(line.get_xdata()) and not (
                     line is kept[0] and k == len(self.losses))]
        reached.axes.legend(handles=shown, fontsize=8, loc='upper right')
        return fig

    def _build(self):
        """Draw what every step shows: axes, the whole run in gray, the
        book's losses; return the figure and the artists that move."""
        n = len(self.losses)
        fig = new_figure(figsize=(10, 3.4))
        # fixed margins: a constrained layout doubles the drawing time
        fig.subplots_adjust(left=0.07, right=0.99, bottom=0.14, top=0.89,
                            wspace=0.2)
        loss_ax, weight_ax = fig.subplots(1, 2)
        its = onp.arange(1, n + 1)
        (to_come,) = loss_ax.plot(its, self.losses, '-', color='0.85',
                                  label='iterations to come')
        (reached,) = loss_ax.plot([], [], 'o-', markersize=4,
                                  color='tab:blue',
                                  label='learn_kernel() losses'
                                  if self.lr == BOOK_LR else
                                  f'learn_kernel(lr={self.lr_label})')
        kept = [to_come, reached]  # the lines the legend may name
        if self.lr == BOOK_LR:  # the book's marks, on the book's run
            kept.append(mark_printed(loss_ax, *zip(*self.book.items(),
                                                   strict=True)))
        (current,) = loss_ax.plot([], [], 'o', markersize=9,
                                  color='tab:blue')
        loss_ax.set_yscale('log')
        loss_ax.set_xticks(its)
        loss_ax.set_xlim(0.5, n + 0.5)
        loss_ax.set_xlabel('iteration (batch)')
        loss_ax.set_ylabel('loss: summed squared error')
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
        return fig, reached, current, weights, title, kept


def training_stepper():
    """Step through the ten iterations of 6.2.4, "Learning a Kernel".

    The book's run (`learn_kernel`'s defaults, seed 0, so the book's
    numbers in any process state), once; a slider (or the play button)
    then shows iteration after iteration: its loss, with the five the
    book prints marked, and the kernel's two weights, as they move from
    Gluon's random start towards ``[[1, -1]]``.

    A menu picks another learning rate and reruns the ten iterations
    with it. On this data a rate above 1/30 diverges, and the widget
    says why: the loss is quadratic in the kernel, with the constant
    Hessian `loss_hessian`, whose largest eigenvalue is 60; each update
    multiplies the error along its eigenvector by ``1 - 60 lr``, which
    grows in size once ``lr > 2/60``.

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
    >>> w.rate.value = 0.05  # above 1/30
    >>> '%.3g' % w.losses[-1], round(w.factor, 3)  # 1 - lr * 60
    ('1.55e+03', -2.0)
    """
    return TrainingStepper()
