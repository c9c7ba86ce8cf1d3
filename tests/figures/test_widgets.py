"""`d2l_conv.widgets`: the figures a learner can move, driven from Python.

Each widget is moved by setting its controls' values, as the browser
does; the tests read back what it shows (text, picture, arrays) and
check it against the package's functions and the book's record.
That ``import d2l_conv`` imports no ipywidgets (nor anything else beyond
MXNet and the standard library) is `tests/install/test_imports.py`'s to check.
"""

import base64
import io
import json
import re
import warnings

import mxnet as mx
import nbformat
import numpy as onp
import pytest
from conftest import ROOT
from mxnet import autograd, np
from mxnet.gluon import nn
from PIL import Image
from scipy.signal import correlate2d

import d2l_conv as d2l
from d2l_conv import widgets
from d2l_conv.published import BY_KEY, printed_form

NOTEBOOKS = ROOT / 'notebooks'
BOOK_X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
BOOK_K = [[0, 1], [2, 3]]


def decode(png):
    """Return a PNG's pixels as an array (raises if it is no PNG)."""
    image = Image.open(io.BytesIO(png))
    assert image.format == 'PNG'
    return onp.asarray(image.convert('RGB'))


# 6.2.1: window_slider


def test_window_slider_walks_the_books_windows_to_43():
    w = widgets.window_slider()
    Y = d2l.corr2d(np.array(BOOK_X), np.array(BOOK_K)).asnumpy()
    assert (w.slider.min, w.slider.max) == (1, 4)
    equations = ['0×0 + 1×1 + 3×2 + 4×3 = 19', '1×0 + 2×1 + 4×2 + 5×3 = 25',
                 '3×0 + 4×1 + 6×2 + 7×3 = 37', '4×0 + 5×1 + 7×2 + 8×3 = 43']
    pictures = set()
    for n, equation in enumerate(equations, start=1):
        w.slider.value = n
        i, j = w.position
        assert (i, j) == divmod(n - 1, 2)
        assert w.total == Y[i, j]
        assert w.equation == equation
        assert f'Y[{i}, {j}]</b> = {equation}' in w.text.value
        shown = w.Y_shown.reshape(-1)
        assert shown[:n].tolist() == Y.reshape(-1)[:n].tolist()
        assert onp.isnan(shown[n:]).all()  # not yet filled in
        decode(w.image.value)
        pictures.add(w.image.value)
    assert len(pictures) == 4  # each window its own picture
    assert w.summary().endswith('Y[1, 1] = 4×0 + 5×1 + 7×2 + 8×3 = 43')


@pytest.mark.parametrize('X, K', [
    (d2l.edge_image(), d2l.edge_kernel()),
    (onp.random.default_rng(0).standard_normal((5, 4)),
     onp.random.default_rng(1).standard_normal((2, 3))),
    ([[1, 2, 3]], [[1]]),
])
def test_window_slider_sums_equal_corr2d_at_its_windows(X, K):
    w = widgets.window_slider(X, K)
    Y = d2l.corr2d(X, K).asnumpy()
    assert w.slider.max == Y.size
    # the corners and a window inside (each one is drawn: 0.1 s)
    for n in sorted({1, Y.shape[1], Y.size // 2 + 1, Y.size}):
        w.slider.value = n
        onp.testing.assert_allclose(w.total, Y[w.position], rtol=1e-5,
                                    atol=1e-6)
        assert w.equation.count('×') == onp.size(K)


def test_window_slider_writes_negative_factors_in_parentheses():
    w = widgets.window_slider([[0, 1, 2], [3, 4, 5]], [[1, -1]])
    assert w.equation == '0×1 + 1×(−1) = −1'


def test_the_kernel_can_be_edited_and_the_output_shape_follows():
    w = widgets.window_slider()
    X = onp.array(BOOK_X, dtype='float32')
    assert w.shape_text.endswith('= (3 − 2 + 1) × (3 − 2 + 1) = 2 × 2')
    assert w.shape_text in w.text.value
    w.slider.value = where = 4
    for typed, K in [('[[1, -1]]', [[1, -1]]), ('[[2], [−1]]', [[2], [-1]]),
                     ('[[1, 0, 1], [0, 1, 0], [1, 0, 1]]',
                      [[1, 0, 1], [0, 1, 0], [1, 0, 1]]), ('0.5', [[0.5]])]:
        before = w.image.value
        w.kernel.value = typed
        Y = correlate2d(X, onp.array(K), mode='valid')
        (H, W), (h, w_) = X.shape, onp.shape(K)
        assert w.Y.shape == Y.shape == (H - h + 1, W - w_ + 1)
        onp.testing.assert_allclose(w.Y, Y)
        assert w.shape_text.endswith(
            f'= ({H} − {h} + 1) × ({W} − {w_} + 1) = {Y.shape[0]} × '
            f'{Y.shape[1]}')
        assert w.shape_text in w.text.value and w.error is None
        assert w.slider.max == w.play.max == Y.size
        assert w.slider.value == min(where, Y.size)  # the window stays
        where = w.slider.value
        assert w.total == Y[w.position]
        assert w.image.value != before
        decode(w.image.value)


@pytest.mark.parametrize('typed, message', [
    ('[[1, 2], [3]]', 'every row of the kernel must have the same length'),
    ('abc', 'write the kernel as a list of rows of numbers'),
    ('[]', 'write the kernel as a list of rows of numbers'),
    ('[[]]', 'K must not be empty'),
    ('[[1, 2, 3, 4]]', r'kernel K of shape \(1, 4\) does not fit'),
    ('[[1e400]]', 'every entry of the kernel must be finite'),
    ('[[True]]', 'every entry of the kernel must be a number'),
    ("[['a']]", 'every entry of the kernel must be a number'),
    ('__import__("os").system("true")',
     'write the kernel as a list of rows of numbers'),
])
def test_a_bad_kernel_is_refused_in_the_widget_not_raised(typed, message):
    w = widgets.window_slider()
    w.slider.value = 2
    before = (w.image.value, w.K.copy(), w.Y.copy(), w.summary())
    w.kernel.value = typed  # no exception
    assert re.search(f'window_slider: {message}', w.error)
    assert 'class="d2l-error"' in w.text.value
    assert 'the picture still shows K = [[0, 1], [2, 3]]' in w.text.value
    assert w.image.value == before[0] and w.summary() == before[3]
    assert w.K.tolist() == before[1].tolist()
    assert w.Y.tolist() == before[2].tolist()
    w.kernel.value = '[[0, 1], [2, 3]]'  # and it recovers
    assert w.error is None and w.equation == '1×0 + 2×1 + 4×2 + 5×3 = 25'


def test_the_toggle_convolves_with_the_flipped_kernel():
    w = widgets.window_slider()
    X = onp.array(BOOK_X, dtype='float32')
    K = onp.array(BOOK_K, dtype='float32')
    pictures = {w.image.value}
    w.mode.value = 'convolution'
    # a true convolution: scipy's convolve2d, and corr2d of the flip
    from scipy.signal import convolve2d
    Y = convolve2d(X, K, mode='valid')
    onp.testing.assert_array_equal(w.Y, Y)
    onp.testing.assert_array_equal(
        w.Y, d2l.corr2d(np.array(X), np.array(K[::-1, ::-1])).asnumpy())
    assert w.applied.tolist() == [[3, 2], [1, 0]]
    assert w.equation == '0×3 + 1×2 + 3×1 + 4×0 = 5'
    assert 'K[::-1, ::-1] = [[3, 2], [1, 0]]' in w.text.value
    assert w.summary().endswith('= 5 (convolution: K flipped)')
    pictures.add(w.image.value)
    # an edited kernel is flipped too, and back again
    w.kernel.value = '[[1, -1]]'
    assert w.applied.tolist() == [[-1, 1]]
    onp.testing.assert_array_equal(w.Y, convolve2d(X, [[1, -1]], 'valid'))
    w.mode.value = 'cross-correlation'
    onp.testing.assert_array_equal(w.Y, correlate2d(X, [[1, -1]], 'valid'))
    pictures.add(w.image.value)
    assert len(pictures) == 3


@pytest.mark.parametrize('X, K, error, message', [
    ([[1, 2]], [[1], [2]], ValueError, 'window_slider: kernel K of shape'),
    ('abc', None, TypeError, 'window_slider: X must be a 2-D numeric'),
    ([[1, 2], [3, 4]], [], ValueError, 'window_slider: K must be a 2-D'),
    (onp.ones((13, 4)), [[1]], ValueError,
     r'window_slider: X of shape \(13, 4\) is too large to draw'),
])
def test_window_slider_refuses_bad_input_clearly(X, K, error, message):
    with pytest.raises(error, match=message):
        widgets.window_slider(X, K)


# 6.2.3: kernel_explorer


@pytest.fixture(scope='module')
def explorer():
    return widgets.kernel_explorer()


def enabled(w):
    return [[not entry.disabled for entry in row] for row in w.entries]


def test_kernel_explorer_starts_on_the_photograph_with_the_section_kernel(
        explorer):
    w = explorer
    w.preset.value = w.preset.options[0]
    assert w.X.shape == (600, 512)
    assert w.preset.value == 'K = [[1, −1]]'
    assert w.kernel.tolist() == [[1, -1]]
    assert enabled(w) == [[True, True, False], [False] * 3, [False] * 3]
    assert [w.entries[0][0].value, w.entries[0][1].value] == [1, -1]
    assert w.output.shape == (600, 511)
    assert decode(w.image.value).shape == (600, 511, 3)  # a pixel each


def test_every_preset_shows_corr2d_fast_of_its_kernel(explorer):
    w = explorer
    X = w.X.asnumpy()
    pictures = []
    for name in w.preset.options:
        w.preset.value = name
        K = widgets.PRESETS[name]
        if K is not None:
            assert w.kernel.tolist() == K.tolist()
        onp.testing.assert_allclose(
            w.output, d2l.corr2d_fast(w.X, w.kernel).asnumpy(), atol=1e-5)
        onp.testing.assert_allclose(
            w.output, correlate2d(X, w.kernel, mode='valid'), atol=1e-4)
        H, W = w.output.shape
        assert f'{H} x {W} outputs' in w.text.value
        pictures.append(w.image.value)
    # 2 the section's, 3 the exercises', Sobel's, and your own, which
    # starts from the kernel shown before it (Sobel's)
    assert len(set(pictures)) == len(pictures) - 1 == 6
    assert pictures[-1] == pictures[-2]


def test_editing_an_entry_updates_the_output_and_the_picture(explorer):
    w = explorer
    w.preset.value = 'Sobel, vertical edges'
    before = w.image.value
    w.entries[1][1].value = 4.0  # the centre: Sobel plus 4 times identity
    K = onp.array([[1, 0, -1], [2, 4, -2], [1, 0, -1]], dtype='float32')
    assert w.kernel.tolist() == K.tolist()
    assert w.edited and w.label == 'K = [[1, 0, −1], [2, 4, −2], [1, 0, −1]]'
    onp.testing.assert_allclose(
        w.output, d2l.corr2d_fast(w.X, K).asnumpy(), atol=1e-5)
    assert w.image.value != before
    assert w.label in w.text.value
    assert w.summary() == ('kernel_explorer: K = [[1, 0, −1], [2, 4, −2], '
                           '[1, 0, −1]] (3 x 3), output 598 x 510')


def test_an_edited_preset_keeps_its_shape(explorer):
    w = explorer
    w.preset.value = 'K.T = [[1], [−1]]'
    w.entries[1][0].value = -2.0
    assert w.kernel.tolist() == [[1], [-2]]
    assert w.output.shape == (599, 512)
    onp.testing.assert_allclose(
        w.output[:, :3], (w.X[:-1, :3] - 2 * w.X[1:, :3]).asnumpy(),
        atol=1e-5)


def test_your_own_frees_all_nine_entries_from_the_kernel_shown(explorer):
    w = explorer
    w.preset.value = 'K = [[1, −1]]'
    w.preset.value = widgets.kernels.YOUR_OWN
    assert enabled(w) == [[True] * 3] * 3
    assert w.kernel.tolist() == [[1, -1, 0], [0, 0, 0], [0, 0, 0]]
    w.entries[2][2].value = 0.5
    assert w.kernel[2, 2] == 0.5 and w.output.shape == (598, 510)
    onp.testing.assert_allclose(
        w.output, d2l.corr2d_fast(w.X, w.kernel).asnumpy(), atol=1e-5)


def test_the_box_blur_is_drawn_as_pixels_and_disables_the_entries(
        explorer):
    w = explorer
    w.preset.value = 'box blur, 9 x 9 ones / 81'
    assert w.kernel.shape == (9, 9) and enabled(w) == [[False] * 3] * 3
    rgb = decode(w.image.value)
    assert (rgb == rgb[..., :1]).all()  # gray: 0 black, 1 white
    onp.testing.assert_allclose(rgb[..., 0] / 255, w.output, atol=1 / 255)
    assert 'gray' in w.text.value


def test_a_signed_output_is_red_where_positive_blue_where_negative(explorer):
    w = explorer
    w.preset.value = 'K = [[1, −1]]'
    rgb = decode(w.image.value).astype(int)
    for at, colour in [(onp.argmax(w.output), 0), (onp.argmin(w.output), 2),
                       (onp.argmin(abs(w.output)), None)]:
        pixel = rgb[onp.unravel_index(at, w.output.shape)]
        if colour is None:  # 0: white
            assert pixel.min() > 240
        else:  # the strongest: red, or blue
            assert pixel[colour] > pixel.max() - 1 > pixel.min() + 50


def test_a_non_finite_entry_is_refused_in_the_widget(explorer):
    w = explorer
    w.preset.value = 'Laplacian (5-point)'
    before, kernel = w.image.value, w.kernel.copy()
    w.entries[0][0].value = float('nan')
    assert 'kernel_explorer: every entry must be a finite number' in \
        w.text.value
    assert w.image.value == before
    assert w.kernel.tolist() == kernel.tolist()


def test_the_loop_estimate_is_the_measured_cost_per_output(explorer):
    w = explorer
    w.preset.value = 'Sobel, vertical edges'
    assert 0 < w.loop_s_per_output < 0.1
    assert 0 < w.fast_s <= w.update_s
    assert "the book's loop would take about" in w.text.value


@pytest.mark.parametrize('X, error, message', [
    (onp.ones((8, 20)), ValueError,
     r'kernel_explorer: kernel K of shape \(9, 9\) does not fit'),
    ('photo', TypeError, 'kernel_explorer: X must be a 2-D numeric'),
    (onp.ones(20), ValueError, 'kernel_explorer: X must be a 2-D array'),
])
def test_kernel_explorer_refuses_bad_input_clearly(X, error, message):
    with pytest.raises(error, match=message):
        widgets.kernel_explorer(X)


# 6.2.4: training_stepper


@pytest.fixture(scope='module')
def stepper():
    return widgets.training_stepper()


def test_the_stepper_prints_the_books_losses(stepper):
    lines = []
    for k in range(2, 11, 2):
        stepper.slider.value = k
        lines.append(stepper.loss_line)
        assert stepper.loss_line in stepper.text.value
    assert '\n'.join(lines) == BY_KEY['losses'].text


def test_the_stepper_ends_on_the_books_kernel(stepper):
    stepper.slider.value = 10
    kernel = np.array(stepper.weights[-1].reshape(1, 2))
    assert printed_form(repr(kernel)) == printed_form(
        BY_KEY['learned_kernel'].text)


@pytest.mark.parametrize('k', [1, 3, 10])
def test_the_weights_are_those_after_each_update(stepper, k):
    kernel, losses = d2l.learn_kernel(num_iters=k)
    onp.testing.assert_array_equal(stepper.weights[k],
                                   kernel.asnumpy().reshape(-1))
    assert stepper.losses[:k] == losses


def test_each_step_shows_its_own_picture_and_text(stepper):
    seen = set()
    for k in range(11):
        stepper.slider.value = k
        decode(stepper.image.value)
        seen.add((stepper.image.value, stepper.text.value))
    assert len(seen) == 11
    stepper.slider.value = 0
    assert 'before training' in stepper.text.value
    assert stepper.loss_line is None


@pytest.mark.parametrize('k', [0, 1, 10])
def test_the_loss_legend_names_only_what_is_drawn(stepper, k):
    stepper.slider.value = k
    loss_ax = stepper._draw().axes[0]
    named = {text.get_text() for text in loss_ax.get_legend().get_texts()}
    drawn = {line.get_label() for line in loss_ax.lines
             if len(line.get_xdata())}
    assert named <= drawn
    assert ('learn_kernel() losses' in named) == (k > 0)
    assert ('iterations to come' in named) == (k < 10)
    assert 'printed in the book' in named
    stepper.slider.value = 0


def test_the_stepper_leaves_mxnets_generator_as_a_fresh_process(stepper):
    mx.random.seed(123)  # a caller's seed, and a draw
    np.random.uniform(size=5)
    again = widgets.training_stepper()
    assert again.losses == stepper.losses  # seeded: the book's run
    # The book's own 6.2.4 cell, after the widget: no seed of its own.
    conv2d = nn.Conv2D(1, kernel_size=(1, 2))
    conv2d.initialize()
    X = d2l.edge_image().reshape((1, 1, 6, 8))
    Y = d2l.detect_edges().reshape((1, 1, 6, 7))
    printed = []
    for i in range(10):
        with autograd.record():
            Y_hat = conv2d(X)
            l = (Y_hat - Y) ** 2  # noqa: E741 (the book's name)
        l.backward()
        conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
        if (i + 1) % 2 == 0:
            printed.append('batch %d, loss %.3f' % (i + 1, l.sum()))
    assert '\n'.join(printed) == BY_KEY['losses'].text


def test_the_lr_bound_is_1_over_30_from_the_hessian_of_the_loss():
    # The Hessian, by central differences of the book's loss itself
    # (exact for a quadratic), equals `loss_hessian`'s 2 A^T A.
    X, Y = d2l.edge_image(), d2l.detect_edges()

    def loss(k):
        K = np.array(onp.array(k, dtype='float64').reshape(1, 2))
        return float(((d2l.corr2d(X.astype('float64'), K)
                       - Y.astype('float64')) ** 2).sum())

    k0 = onp.array([0.3, -0.7])
    e = onp.eye(2)
    H = onp.array([[(loss(k0 + e[a] + e[b]) - loss(k0 + e[a] - e[b])
                     - loss(k0 - e[a] + e[b]) + loss(k0 - e[a] - e[b])) / 4
                    for b in range(2)] for a in range(2)])
    onp.testing.assert_allclose(widgets.stepper.loss_hessian(), H,
                                rtol=1e-6)
    bound = 2 / onp.linalg.eigvalsh(H).max()
    onp.testing.assert_allclose(bound, 1 / 30, rtol=1e-6)
    exact = onp.linalg.eigvalsh(widgets.stepper.loss_hessian())
    onp.testing.assert_allclose(exact, [12, 60], rtol=1e-12)
    assert 2 / exact.max() == 1 / 30


@pytest.mark.parametrize('scale, diverges', [(0.98, False), (1.02, True)])
def test_the_books_training_diverges_just_above_1_over_30(scale, diverges):
    # The book's loss and update (learn_kernel), run long enough for a
    # factor |1 - 60 lr| = 1.04 or 0.96 a step to show.
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # no overflow either way
        _, losses = d2l.learn_kernel(lr=scale / 30, num_iters=300)
    assert (losses[-1] > losses[0] * 100) == diverges
    assert (losses[-1] < 1e-6) == (not diverges)


def test_the_stepper_reruns_with_the_rate_picked_and_says_why(stepper):
    stepper.slider.value = 10
    assert stepper.lr == 0.03 and 'converges' in stepper.rate_text.value
    for lr, verdict in [(0.04, 'diverges'), (1 / 30, 'on the edge'),
                        (0.05, 'diverges'), (0.02, 'converges')]:
        before = stepper.image.value
        stepper.rate.value = lr
        kernel, losses = d2l.learn_kernel(lr=lr)
        assert stepper.losses == losses
        onp.testing.assert_array_equal(stepper.weights[-1],
                                       kernel.asnumpy().reshape(-1))
        assert f'>{verdict}</b>' in stepper.rate_text.value
        assert '2/λ_max = 0.03333' in stepper.rate_text.value
        assert 'eigenvalues 60 and 12' in stepper.rate_text.value
        factor = f'{1 - 60 * lr:.3g}'.replace('-', '−')
        assert f'1 − lr·λ_max = {factor};' in stepper.rate_text.value
        assert stepper.summary().endswith(f'(lr {stepper.lr_label})')
        assert stepper.image.value != before
    stepper.rate.value = 0.05
    assert stepper.losses[-1] > 1000 > 13 > stepper.losses[0]  # diverged
    stepper.rate.value = 0.03  # back to the book's
    assert stepper.loss_line == 'batch 10, loss 0.004'
    assert stepper.summary() == ('training_stepper: batch 10, loss 0.004 '
                                 'of 10, weights after it [[0.9895, '
                                 '-0.9874]]')


@pytest.mark.parametrize('make, move', [
    (widgets.window_slider, lambda w: setattr(w.slider, 'value', 3)),
    (widgets.window_slider, lambda w: setattr(w.kernel, 'value', '[[1]]')),
    (widgets.window_slider,
     lambda w: setattr(w.mode, 'value', 'convolution')),
    (widgets.training_stepper, lambda w: setattr(w.slider, 'value', 3)),
    (widgets.training_stepper, lambda w: setattr(w.rate, 'value', 0.04)),
    (lambda: widgets.kernel_explorer(onp.ones((12, 12))),
     lambda w: setattr(w.entries[0][0], 'value', 2.0)),
    (widgets.receptive_field, lambda w: w.buttons[2, 0, 0].click()),
], ids=['window_slider', 'window_slider-kernel', 'window_slider-mode',
        'training_stepper', 'training_stepper-lr', 'kernel_explorer',
        'receptive_field'])
def test_each_widget_sends_its_picture_before_its_text(make, move):
    # A frontend that shows the new text then holds the new picture.
    w = make()
    sent = []
    w.image.observe(lambda change: sent.append('image'), names='value')
    w.text.observe(lambda change: sent.append('text'), names='value')
    move(w)
    assert sent == ['image', 'text']


# Today's 7.2.6: receptive_field


def test_clicking_an_output_cell_lights_up_its_field():
    w = widgets.receptive_field()
    assert w.selected == (1, 0, 0)
    assert w.summary() == ('receptive_field: Y[0, 0] = 19 sees 4 of the 9 '
                           'inputs, X[0:2, 0:2]')
    assert sorted(w.buttons) == [(1, 0, 0), (1, 0, 1), (1, 1, 0),
                                 (1, 1, 1), (2, 0, 0)]
    assert [b.description for b in w.buttons.values()] == [
        '19', '25', '37', '43', '228']
    pictures = {w.image.value}
    w.buttons[2, 0, 0].click()  # Z: all 4 of Y, all 9 inputs
    assert w.selected == (2, 0, 0)
    assert '9 of the 9 inputs' in w.text.value and '3 x 3' in w.text.value
    assert {k: b.button_style for k, b in w.buttons.items()} == {
        (1, 0, 0): 'info', (1, 0, 1): 'info', (1, 1, 0): 'info',
        (1, 1, 1): 'info', (2, 0, 0): 'warning'}
    pictures.add(w.image.value)
    w.buttons[1, 1, 1].click()
    assert w.summary().endswith('Y[1, 1] = 43 sees 4 of the 9 inputs, '
                                'X[1:3, 1:3]')
    assert [b.button_style for b in w.buttons.values()] == [
        '', '', '', 'warning', '']
    pictures.add(w.image.value)
    assert len(pictures) == 3
    for png in pictures:
        decode(png)


def test_the_fields_picture_is_the_figures():
    w = widgets.receptive_field([[1, 2, 3, 4]] * 3, [[1, -1]])
    w.select(2, 2, 1)
    ax_X = d2l.figures.plot_receptive_field(
        [[1, 2, 3, 4]] * 3, [[1, -1]], selected=(2, 2, 1)).axes[0]
    lit = [patch.get_facecolor() != (1, 1, 1, 1) for patch in ax_X.patches]
    assert lit == [False] * 8 + [False, True, True, True]
    assert w.summary().endswith('Z[2, 1] = 0 sees 2 of Y and 3 of the 12 '
                                'inputs, X[2:3, 1:4]')
    decode(w.image.value)


@pytest.mark.parametrize('X, K, error, message', [
    ([[1, 2]], [[1, 1]], ValueError, r'receptive_field: kernel K of shape'),
    ('abc', None, TypeError, 'receptive_field: X must be a 2-D numeric'),
    (onp.ones((13, 4)), [[1]], ValueError,
     r'receptive_field: X of shape \(13, 4\) is too large to draw'),
])
def test_receptive_field_refuses_bad_input_clearly(X, K, error, message):
    with pytest.raises(error, match=message):
        widgets.receptive_field(X, K)


def test_a_bad_element_is_refused_clearly():
    with pytest.raises(ValueError, match='receptive_field: layer must be 1 '
                                         'to 2, got 0'):
        widgets.receptive_field(selected=(0, 0, 0))
    w = widgets.receptive_field(selected=(2, 0, 0))
    assert w.buttons[2, 0, 0].button_style == 'warning'
    w.select(1, 0, 0)
    with pytest.raises(ValueError, match=r'receptive_field: \(0, 1\) is '
                                         r'not an element of Z'):
        w.select(2, 0, 1)
    assert w.selected == (1, 0, 0)


# In a kernel, a learner's move may run on another thread than the import


def on_a_fresh_thread(move):
    """Run `move` on a new thread, where MXNet's NumPy mode (which
    ``npx.set_np()`` sets per thread) is off; return what it raised."""
    import threading
    raised = []

    def run():
        try:
            move()
        except BaseException as err:  # noqa: B036 (reported below)
            raised.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return raised


@pytest.mark.parametrize('make, move, shown', [
    (widgets.receptive_field, lambda w: w.buttons[1, 1, 1].click(),
     'Y[1, 1] = 43 sees 4 of the 9 inputs'),
    (widgets.window_slider, lambda w: setattr(w.kernel, 'value', '[[1]]'),
     'window 1 of 9'),
    (widgets.window_slider,
     lambda w: setattr(w.mode, 'value', 'convolution'), '= 5'),
    (widgets.window_slider, lambda w: setattr(w.slider, 'value', 4),
     '= 43'),
    (widgets.training_stepper, lambda w: setattr(w.rate, 'value', 0.05),
     'lr 0.05'),
], ids=['receptive_field', 'window_slider-kernel', 'window_slider-mode',
        'window_slider', 'training_stepper-lr'])
def test_a_move_on_another_thread_works(make, move, shown):
    w = make()
    before = w.image.value
    assert on_a_fresh_thread(lambda: move(w)) == []
    assert shown in w.summary() and shown in w.text.value
    assert w.image.value != before


# What a stored notebook keeps


@pytest.mark.parametrize('make', [
    widgets.window_slider, widgets.training_stepper,
    lambda: widgets.kernel_explorer(onp.ones((12, 12))),
    widgets.receptive_field],
    ids=['window_slider', 'training_stepper', 'kernel_explorer',
         'receptive_field'])
def test_each_widget_leaves_a_picture_and_a_summary(make):
    w = make()
    data = w._repr_mimebundle_()
    assert data['application/vnd.jupyter.widget-view+json']['model_id'] == \
        w.model_id
    assert data['text/plain'] == w.summary() and 'Figure' not in repr(w)
    decode(base64.b64decode(data['image/png']))
    assert w.css_class.startswith('d2l-') and w.css_class in w._dom_classes


def test_the_photograph_notebook_stores_the_explorer_with_its_picture():
    notebook = nbformat.read(NOTEBOOKS / 'photograph.ipynb', as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == 'code'
             and 'kernel_explorer(' in cell.source]
    assert len(cells) == 1
    (output,) = cells[0].outputs
    assert output['data']['text/plain'] == (
        'kernel_explorer: K = [[1, −1]] (1 x 2), output 600 x 511')
    decode(base64.b64decode(output['data']['image/png']))
    assert 'application/vnd.jupyter.widget-view+json' in output['data']
    json.dumps(notebook)  # nothing but JSON


def test_the_readme_shows_a_moved_widget_and_names_each_widget():
    readme = (NOTEBOOKS.parent / 'docs' / 'notebooks.md').read_text(
        encoding='utf-8')
    start = readme.index('<!-- section:lab:start -->')
    section = readme[start:readme.index('<!-- section:lab:end -->')]
    linked = re.findall(r'\]\((figures/[^)]+\.png)\)', section)
    assert 'figures/widget_window_slider.png' in linked
    for link in linked:
        decode((NOTEBOOKS.parent / 'docs' / link).read_bytes())
    for name in ('window_slider', 'kernel_explorer', 'training_stepper',
                 'receptive_field'):
        assert f'`{name}(' in section and callable(getattr(widgets, name))
