"""`d2l_conv.photograph`: the section's kernels on a real photograph."""

import numpy as onp
import pytest
from matplotlib import cbook
from PIL import Image
from scipy.signal import correlate2d

import d2l_conv
from d2l_conv import photograph as pg
from d2l_conv import plotting, speed


@pytest.fixture(scope='module')
def X():
    return pg.load_photograph()


def test_photograph_is_grayscale_float32_in_0_1_as_pil_sees_it(X):
    assert X.shape == (600, 512) and X.dtype == onp.float32
    with cbook.get_sample_data(pg.PHOTOGRAPH) as file:
        luma = onp.asarray(Image.open(file).convert('L'))  # uint8, rounded
    # The same weights as PIL's 'L' mode, before its rounding to 1/255.
    onp.testing.assert_allclose(X.asnumpy(), luma / 255, atol=0.5 / 255)


@pytest.mark.slow  # a fresh Python: make test-slow
def test_photograph_is_not_imported_by_the_package():
    import subprocess
    import sys
    done = subprocess.run(
        [sys.executable, '-c', 'import sys, d2l_conv; '
         'import d2l_conv.photograph; print("matplotlib" in sys.modules)'],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['False']


def test_filtered_panels_are_the_oracle_correlations(X):
    kernels = {**pg.SECTION_KERNELS, **pg.EXERCISE_KERNELS}
    fig = pg.plot_filtered(X, kernels)
    axes = [ax for ax in fig.axes if ax.images]  # not the colour bars
    assert [ax.get_title() for ax in axes[1:]] == list(kernels)
    onp.testing.assert_array_equal(axes[0].images[0].get_array(),
                                   X.asnumpy())
    for ax, K in zip(axes[1:], kernels.values(), strict=True):
        onp.testing.assert_allclose(
            ax.images[0].get_array(),
            correlate2d(X.asnumpy(), K.asnumpy(), mode='valid'),
            atol=1e-4)


def test_pixel_images_are_gray_signed_results_diverge_with_a_bar(X):
    fig = pg.plot_filtered(X, pg.EXERCISE_KERNELS)
    images = {ax.get_title(): ax.images[0] for ax in fig.axes if ax.images}
    gray = [images['image X (1: white, 0: black)'],
            images['box blur, 9 x 9 ones / 81']]
    for image in gray:
        assert image.get_clim() == (0.0, 1.0)
        assert image.cmap(image.norm(1.0))[:3] == (1.0, 1.0, 1.0)
        assert image.cmap(image.norm(0.0))[:3] == (0.0, 0.0, 0.0)
        assert image.colorbar is None
    clips = []
    for title in ('second derivative [[1, −2, 1]]', 'Laplacian (5-point)'):
        image = images[title]
        low, high = image.get_clim()
        assert low == -high > -8  # symmetric, clipped below the range
        assert image.cmap.name == 'RdBu_r' and image.colorbar is not None
        # each map on its own scale, clipped at a percentile of its |Y|
        Y = onp.asarray(image.get_array())
        assert high == pytest.approx(
            onp.percentile(abs(Y), plotting.CLIP_PERCENTILE), rel=1e-6)
        assert image.colorbar.ax.get_xlabel() == (
            f'clipped at ±{high:.2g}: '
            f'{plotting.CLIP_PERCENTILE:g}th percentile of |Y|')
        clips.append(high)
    assert clips[0] != clips[1]


#: The width, in pixels, a notebook shows a wide figure at (JupyterLab's
#: output area on a laptop's screen), and the smallest text height, in
#: pixels, read there without effort.
NOTEBOOK_WIDTH, LEGIBLE = 900, 10


@pytest.mark.parametrize('crop', [False, True], ids=['section', 'face'])
def test_colour_bar_text_is_legible_at_the_notebooks_width(X, crop):
    kernels = pg.EXERCISE_KERNELS if crop else pg.SECTION_KERNELS
    fig = pg.plot_filtered(X[pg.FACE] if crop else X, kernels)
    fig.canvas.draw()
    scale = min(1, NOTEBOOK_WIDTH / (fig.get_figwidth() * fig.dpi))
    bars = [image.colorbar for ax in fig.axes for image in ax.images
            if image.colorbar is not None]
    assert len(bars) == 2
    for bar in bars:
        label = bar.ax.xaxis.label
        assert label.get_rotation() == 0 and label.get_text()
        texts = [label, *bar.ax.get_xticklabels()]
        for text in texts:
            assert text.get_rotation() == 0
            pixels = text.get_fontsize() * fig.dpi / 72 * scale
            assert pixels >= LEGIBLE, (text.get_text(), pixels)


def test_a_signed_map_is_legible_at_a_glance(X):
    # the second derivative's lines are one pixel wide: on the face's
    # crop, drawn at full resolution and clipped at CLIP_PERCENTILE, a
    # fifth of its pixels or more get a quarter of the full colour or
    # more (on the whole photograph clipped at the 99.5th percentile, as
    # it was drawn before, 5.9%)
    fig = pg.plot_filtered(X[pg.FACE], pg.EXERCISE_KERNELS)
    for title in 'second derivative [[1, −2, 1]]', 'Laplacian (5-point)':
        image = [ax.images[0] for ax in fig.axes
                 if ax.get_title() == title][0]
        Y, (_, high) = onp.asarray(image.get_array()), image.get_clim()
        assert (abs(Y) >= high / 4).mean() >= 1 / 5


def test_the_notebook_states_no_duration_it_does_not_measure():
    import json
    import re

    from conftest import ROOT
    path = ROOT / 'notebooks' / 'photograph.ipynb'
    cells = json.loads(path.read_text(encoding='utf-8'))['cells']
    text = ' '.join(''.join(cell['source']) for cell in cells
                    if cell['cell_type'] == 'markdown')
    said = re.findall(r'(?:a few|a couple of|about [\d.]+|[\d.]+)\s+'
                      r'(?:seconds?|minutes?|ms|s)\b', ' '.join(text.split()))
    assert said == []


@pytest.mark.slow  # make test-slow
def test_learning_recovers_sobel_from_the_photograph(X):
    kernel, losses = pg.learn_on_photograph(X)
    assert len(losses) == pg.NUM_ITERS
    onp.testing.assert_allclose(kernel.asnumpy(), pg.SOBEL.asnumpy(),
                                atol=0.02)
    assert losses[-1] < 1e-4 * losses[0]
    # The kernel starts at 0, whatever was drawn before: the same result
    # up to float32 rounding (threaded sums may add in another order).
    d2l_conv.learn_kernel()
    again, _ = pg.learn_on_photograph(X, num_iters=pg.NUM_ITERS)
    onp.testing.assert_allclose(again.asnumpy(), kernel.asnumpy(),
                                atol=1e-5)


def test_the_sobel_panel_is_not_called_the_sections_K():
    """6.2's ``K`` is ``[[1, -1]]``; the photograph learns Sobel's."""
    from d2l_conv import figures
    fig = figures.plot_learned_kernel(pg.SOBEL, pg.SOBEL)
    assert [ax.get_title() for ax in fig.axes[:2]] == [
        'learned kernel', 'the kernel that made Y']
    fig = figures.plot_learned_kernel(pg.SOBEL, pg.SOBEL, name='SOBEL')
    assert fig.axes[1].get_title() == 'SOBEL'


def test_loss_curve_draws_every_loss():
    ax = pg.plot_losses([4.0, 2.0, 1.0]).axes[0]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]
    assert ax.get_yscale() == 'log'


def test_speed_counts_outputs_and_says_the_ratio():
    timed = speed.compare_speed(onp.ones((50, 40), 'float32'),
                                onp.ones((3, 3), 'float32'), crop=10,
                                repeat=2)
    assert timed.loop_outputs == 64 and timed.fast_outputs == 48 * 38
    assert timed.loop_s > 0 and timed.fast_s > 0
    line = speed.speed_line(speed.Speed(1.0, 1000, 0.001, 10000))
    assert 'corr2d_fast is 10,000x faster per output' in line
    assert '(the loop would take 10 s on the whole image)' in line


@pytest.mark.parametrize('call, exception, message', [
    (lambda: pg.load_photograph(3), TypeError,
     'load_photograph: name must be a str, got int'),
    (lambda: pg.load_photograph('no_such.jpg'), ValueError,
     "load_photograph: matplotlib has no sample file 'no_such.jpg'"),
    (lambda: pg.plot_filtered([[1, 2]], [[1, -1]]), TypeError,
     'plot_filtered: kernels must be a non-empty dict'),
    (lambda: pg.plot_filtered([[1, 2]], {}), TypeError,
     'plot_filtered: kernels must be a non-empty dict'),
    (lambda: pg.plot_filtered([[1, 2]], {'K': [[1, 2, 3]]}), ValueError,
     r'plot_filtered: kernel K of shape \(1, 3\) does not fit'),
    (lambda: pg.plot_filtered([[1, 2]], {'K': [[1]]}, ncols=0),
     ValueError, 'plot_filtered: ncols'),
    (lambda: pg.learn_on_photograph(onp.ones((8, 8)), lr=-1), ValueError,
     'learn_kernel: lr must be .*positive'),
    (lambda: pg.learn_on_photograph(onp.ones((4, 4))), ValueError,
     r'learn_on_photograph: kernel K of shape \(3, 3\) does not fit'),
    (lambda: pg.plot_losses([1.0, 0.0]), ValueError,
     r'plot_losses: losses\[1\] must be finite and positive'),
    (lambda: speed.compare_speed(onp.ones((9, 9)), onp.ones((3, 3)),
                                 crop=2),
     ValueError, r'compare_speed: kernel K of shape \(3, 3\) does not fit'),
    (lambda: speed.speed_line((1, 2, 3, 4)), TypeError,
     'speed_line: speed must be a Speed, got tuple'),
], ids=['name-int', 'name-missing', 'kernels-list', 'kernels-empty',
        'kernel-misfit', 'ncols-0', 'lr', 'halved-too-small', 'losses',
        'crop-small', 'speed-tuple'])
def test_bad_input_names_the_function(call, exception, message):
    with pytest.raises(exception, match=message):
        call()
