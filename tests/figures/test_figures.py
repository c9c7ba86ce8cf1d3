"""`d2l_conv.figures`: each figure draws the package's own computations."""

import os

import numpy as onp
import pytest
from conftest import run_python
from scipy.signal import correlate2d

import d2l_conv
from d2l_conv import figures
from d2l_conv.published import BY_KEY


@pytest.fixture
def figures_made(monkeypatch):
    """Record every figure the module creates."""
    made = []
    real = figures.new_figure

    def recording(**kwargs):
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(figures, 'new_figure', recording)
    return made


def texts(ax):
    return [text.get_text() for text in ax.texts]


def drawn(ax):
    """The array an axes shows as its one heatmap."""
    assert len(ax.images) == 1
    return onp.asarray(ax.images[0].get_array())


def shaded(ax):
    """Which cells of a grid axes are shaded, in row-major order."""
    return [patch.get_facecolor()[:3] != (1.0, 1.0, 1.0)
            for patch in ax.patches]


# 6.2.1 The Cross-Correlation Operator

def test_cross_correlation_draws_the_section_example():
    fig = figures.plot_cross_correlation()
    ax_X, ax_K, ax_Y = fig.axes
    assert texts(ax_X) == [str(i) for i in range(9)]
    assert texts(ax_K) == ['0', '1', '2', '3']
    assert texts(ax_Y) == ['19', '25', '37', '43']
    # The first window, the whole kernel and the first output element.
    assert shaded(ax_X) == [True, True, False, True, True, False,
                            False, False, False]
    assert shaded(ax_K) == [True] * 4
    assert shaded(ax_Y) == [True, False, False, False]
    assert fig.texts[-1].get_text() == '0×0 + 1×1 + 3×2 + 4×3 = 19'


def test_cross_correlation_draws_any_input():
    X = onp.array([[1, -2, 3, 0], [4, 5, -6, 2]], dtype='float32')
    K = onp.array([[2], [-1]], dtype='float32')
    fig = figures.plot_cross_correlation(X, K)
    Y = correlate2d(X, K, mode='valid')  # the oracle, shape (1, 4)
    assert texts(fig.axes[2]) == [f'{y:g}'.replace('-', '−')
                                  for y in Y.ravel()]
    assert shaded(fig.axes[0]) == [True, False, False, False,
                                   True, False, False, False]
    assert fig.texts[-1].get_text() == '1×2 + 4×(−1) = −2'


# 6.2.3 Object Edge Detection in Images

def test_edge_detection_draws_X_Y_and_the_transposed_output():
    fig = figures.plot_edge_detection()
    ax_X, ax_Y, ax_T, colour_bar = fig.axes
    onp.testing.assert_array_equal(drawn(ax_X),
                                   d2l_conv.edge_image().asnumpy())
    onp.testing.assert_array_equal(drawn(ax_Y),
                                   d2l_conv.detect_edges().asnumpy())
    onp.testing.assert_array_equal(
        drawn(ax_T), d2l_conv.detect_edges_transposed().asnumpy())
    # The book's printed `Y`, column by column: 1 then -1 at the edges.
    assert (drawn(ax_Y)[:, 1] == 1).all() and (drawn(ax_Y)[:, 5] == -1).all()
    assert BY_KEY['edges'].text.count('-1.') == 6


def test_edge_detection_draws_the_image_in_grayscale_1_white_0_black():
    # The title says "1: white, 0: black"; the picture must agree.
    fig = figures.plot_edge_detection()
    image = fig.axes[0].images[0]
    assert image.get_clim() == (0.0, 1.0)
    white, black = (onp.array(image.cmap(image.norm(v))[:3])
                    for v in (1, 0))
    onp.testing.assert_allclose(white, [1, 1, 1])
    onp.testing.assert_allclose(black, [0, 0, 0])
    assert 'white' in fig.axes[0].get_title()


def test_edge_detection_shares_one_diverging_scale_and_colour_bar():
    fig = figures.plot_edge_detection()
    images = [ax.images[0] for ax in fig.axes[1:3]]
    assert {image.get_clim() for image in images} == {(-1.0, 1.0)}
    assert len({image.cmap.name for image in images}) == 1
    cmap, norm = images[0].cmap, images[0].norm
    white, red, blue = (onp.array(cmap(norm(v))[:3]) for v in (0, 1, -1))
    assert white.min() > 0.9  # 0 is (nearly) white
    assert red[0] > red[2] and blue[2] > blue[0]  # opposite hues
    bar = images[-1].colorbar
    assert bar is not None and bar.ax is fig.axes[3]
    assert list(bar.get_ticks()) == [-1.0, 0.0, 1.0]


def test_edge_detection_draws_any_image_and_kernel():
    # A diagonal edge (exercise 1) and a 2 x 2 kernel.
    X = onp.tril(onp.ones((5, 7), dtype='float32'))
    K = onp.array([[1, 0], [0, -1]], dtype='float32')
    fig = figures.plot_edge_detection(X, K)
    onp.testing.assert_array_equal(drawn(fig.axes[0]), X)
    onp.testing.assert_allclose(drawn(fig.axes[1]),
                                correlate2d(X, K, mode='valid'))
    onp.testing.assert_allclose(drawn(fig.axes[2]),
                                correlate2d(X.T, K, mode='valid'))


# 6.2.4 Learning a Kernel

def test_learning_curve_draws_learn_kernel_losses_on_a_log_scale():
    _, losses = d2l_conv.learn_kernel()
    fig = figures.plot_learning_curve()
    ax = fig.axes[0]
    assert ax.get_yscale() == 'log'
    assert list(ax.lines[0].get_xdata()) == list(range(1, 11))
    assert list(ax.lines[0].get_ydata()) == losses


def test_learning_curve_marks_the_book_losses_on_the_curve():
    _, losses = d2l_conv.learn_kernel()
    ax = figures.plot_learning_curve(losses).axes[0]
    batches = list(ax.lines[1].get_xdata())
    printed = list(ax.lines[1].get_ydata())
    marks = [(batch, printed[i]) for i, batch in enumerate(batches)]
    text = '\n'.join(f'batch {b}, loss {loss:.3f}' for b, loss in marks)
    assert text == BY_KEY['losses'].text
    # Each mark sits on the curve, at the precision the book prints.
    for b, loss in marks:
        assert f'{losses[b - 1]:.3f}' == f'{loss:.3f}'
    assert texts(ax) == ['4.949', '0.831', '0.140', '0.024', '0.004']


def test_learned_kernel_beside_the_true_one():
    kernel, _ = d2l_conv.learn_kernel()
    fig = figures.plot_learned_kernel()
    ax_learned, ax_true, _ = fig.axes
    onp.testing.assert_array_equal(drawn(ax_learned), kernel.asnumpy())
    onp.testing.assert_array_equal(drawn(ax_true), [[1, -1]])
    assert texts(ax_learned) == ['0.9895', '−0.9874']
    assert ax_learned.images[0].get_clim() == ax_true.images[0].get_clim()


# Today's 7.2.6 Feature Map and Receptive Field

def grid_colours(ax):
    """Each cell's fill of a grid axes, as 'field', 'element' or ''."""
    names = {figures.SHADE: 'field', figures.FIELD: 'element'}
    from matplotlib.colors import to_hex
    return [names.get(to_hex(patch.get_facecolor()), '')
            for patch in ax.patches]


def test_receptive_field_shows_4_inputs_for_one_layer_and_9_for_two():
    fig = figures.plot_receptive_field()
    assert len(fig.axes) == 6  # two rows of X, Y, Z
    (X1, Y1, Z1), (X2, Y2, Z2) = fig.axes[:3], fig.axes[3:]
    assert texts(X1) == [str(i) for i in range(9)]
    assert texts(Y1) == ['19', '25', '37', '43'] and texts(Z1) == ['228']
    # Y[0, 0]: the first window, the four shaded inputs of 6.2.1
    assert grid_colours(X1) == ['field', 'field', '', 'field', 'field', '',
                                '', '', '']
    assert grid_colours(Y1) == ['element', '', '', '']
    assert grid_colours(Z1) == ['']
    # Z[0, 0]: all four of Y, all nine inputs
    assert grid_colours(X2) == ['field'] * 9
    assert grid_colours(Y2) == ['field'] * 4
    assert grid_colours(Z2) == ['element']
    assert [t.get_text() for t in fig.texts] == [
        'Y[0, 0] = 19 sees 4 of the 9 inputs, X[0:2, 0:2]',
        'Z[0, 0] = 228 sees 4 of Y and 9 of the 9 inputs, X[0:3, 0:3]']


def test_each_field_is_the_set_of_inputs_the_element_depends_on():
    # The oracle: change one input at a time and see which outputs move.
    rng = onp.random.default_rng(0)
    X = rng.standard_normal((5, 6))
    K = rng.standard_normal((2, 3))
    arrays = figures.stacked_outputs(X, K)
    h, w = K.shape
    for layer in (1, 2):
        for (i, j), _ in onp.ndenumerate(arrays[layer]):
            rows, cols = figures.field_of((h, w), layer, i, j)
            field = onp.zeros(X.shape, dtype=bool)
            field[rows, cols] = True
            moved = onp.zeros(X.shape, dtype=bool)
            for (r, c), _ in onp.ndenumerate(X):
                nudged = X.copy()
                nudged[r, c] += 1.0
                out = figures.stacked_outputs(nudged, K)[layer]
                moved[r, c] = out[i, j] != arrays[layer][i, j]
            assert (moved == field).all(), (layer, i, j)


def test_receptive_field_of_any_element_of_any_input():
    X = onp.arange(20.0).reshape(4, 5)
    K = [[1, 0, -1]]
    fig = figures.plot_receptive_field(X, K, selected=(2, 3, 0))
    ax_X, ax_Y, ax_Z = fig.axes
    Y = correlate2d(X, K, mode='valid')
    onp.testing.assert_allclose(
        [float(t.replace('−', '-')) for t in texts(ax_Y)], Y.ravel())
    field = onp.zeros(X.shape, dtype=bool)
    field[3, 0:5] = True  # two 1 x 3 layers: 1 x 5 of X
    assert grid_colours(ax_X) == ['field' if f else '' for f in
                                  field.ravel()]
    assert grid_colours(ax_Z) == ['', '', '', 'element']  # Z: 4 x 1
    assert fig.texts[-1].get_text().startswith('Z[3, 0] = ')
    assert fig.texts[-1].get_text().endswith(
        '3 of Y and 5 of the 20 inputs, X[3:4, 0:5]')


@pytest.mark.parametrize('call, exception, message', [
    (lambda: figures.plot_receptive_field([[1, 2]], [[1, 1]]), ValueError,
     r'plot_receptive_field: kernel K of shape \(1, 2\) does not fit'),
    (lambda: figures.plot_receptive_field('abc'), TypeError,
     'plot_receptive_field: X must be a 2-D numeric array'),
    (lambda: figures.plot_receptive_field(selected=(3, 0, 0)), ValueError,
     'plot_receptive_field: layer must be 1 to 2, got 3'),
    (lambda: figures.plot_receptive_field(selected=(1, 2, 0)), ValueError,
     r'plot_receptive_field: \(2, 0\) is not an element of Y, of shape '
     r'\(2, 2\)'),
    (lambda: figures.plot_receptive_field(selected=(1, 0.5, 0)), TypeError,
     r'plot_receptive_field: selected must be \(layer, i, j\)'),
    (lambda: figures.plot_receptive_field(selected=(1, 0)), TypeError,
     r'plot_receptive_field: selected must be \(layer, i, j\)'),
    (lambda: figures.stacked_outputs(layers=3), ValueError,
     'stacked_outputs: layers must be 1 or 2, got 3'),
], ids=['misfit-twice', 'str', 'layer', 'element', 'float', 'two',
        'layers'])
def test_receptive_field_refuses_bad_input_clearly(call, exception, message,
                                                   figures_made):
    with pytest.raises(exception, match=message):
        call()
    assert figures_made == []


# Bad input: a clear error naming the function, and no figure left open.

@pytest.mark.parametrize('call, exception, message', [
    (lambda: figures.plot_cross_correlation([[1, 2]], [[1], [2]]),
     ValueError, r'plot_cross_correlation: kernel K of shape \(2, 1\) '
                 r'does not fit'),
    (lambda: figures.plot_cross_correlation('abc'), TypeError,
     r'plot_cross_correlation: X must be a 2-D numeric array, got str'),
    (lambda: figures.plot_edge_detection([1, 2, 3]), ValueError,
     r'plot_edge_detection: X must be a 2-D array, got shape \(3,\)'),
    (lambda: figures.plot_edge_detection(onp.ones((2, 8)), [[1, 1, 1]]),
     ValueError, r'plot_edge_detection: kernel K of shape \(1, 3\) does '
                 r'not fit in the transposed input X.T of shape \(8, 2\)'),
    (lambda: figures.plot_learning_curve([]), ValueError,
     'plot_learning_curve: losses must not be empty'),
    (lambda: figures.plot_learning_curve([1.0, 0.0]), ValueError,
     r'plot_learning_curve: losses\[1\] must be finite and positive'),
    (lambda: figures.plot_learning_curve([1.0, float('nan')]), ValueError,
     r'plot_learning_curve: losses\[1\] must be finite and positive'),
    (lambda: figures.plot_learning_curve([1.0, '2']), TypeError,
     r'plot_learning_curve: losses\[1\] must be a real number, got str'),
    (lambda: figures.plot_learning_curve(3.0), TypeError,
     'plot_learning_curve: losses must be a sequence of numbers, '
     'got float'),
    (lambda: figures.plot_learned_kernel([[1, 2, 3]]), ValueError,
     r'plot_learned_kernel: kernel of shape \(1, 3\) and K of shape '
     r'\(1, 2\) must have the same shape'),
    (lambda: figures.plot_learned_kernel(None, 'K'), TypeError,
     'plot_learned_kernel: K must be a 2-D numeric array, got str'),
], ids=['corr-misfit', 'corr-str', 'edge-1d', 'edge-transposed-misfit',
        'losses-empty', 'losses-zero', 'losses-nan', 'losses-str-item',
        'losses-scalar', 'kernel-shape', 'K-str'])
def test_bad_input_is_refused_before_drawing(call, exception, message,
                                             figures_made):
    with pytest.raises(exception, match=message):
        call()
    assert figures_made == []


def test_save_figures_refuses_a_file_and_a_path_under_a_file(tmp_path):
    file = tmp_path / 'file.txt'
    file.write_text('not a directory')
    with pytest.raises(ValueError, match='save_figures: .* exists and is '
                                         'not a directory'):
        figures.save_figures(file)
    # Root may write anywhere chmod forbids, but no one can make a
    # directory inside a regular file.
    with pytest.raises(NotADirectoryError,
                       match='save_figures: cannot create directory'):
        figures.save_figures(file / 'figures')
    with pytest.raises(TypeError, match='save_figures: directory must be a '
                                        'path, got int'):
        figures.save_figures(5)
    with pytest.raises(ValueError, match='save_figures: directory must not '
                                         'be empty'):
        figures.save_figures('')
    assert file.read_text() == 'not a directory'


# No backend: the figures are not pyplot's, so nothing needs a display.

def python(code, **env):
    environ = {key: value for key, value in os.environ.items()
               if key not in ('DISPLAY', 'WAYLAND_DISPLAY', 'MPLBACKEND')}
    environ.update(env)
    return run_python(code, environ)


@pytest.mark.slow  # a fresh Python: make test-slow
@pytest.mark.parametrize('env', [{}, {'MPLBACKEND': 'TkAgg'}],
                         ids=['headless', 'interactive-backend-asked'])
def test_drawing_and_saving_need_no_display_and_no_pyplot(env, tmp_path):
    done = python(f'''
        import sys
        import d2l_conv
        assert 'matplotlib' not in sys.modules, 'imported by d2l_conv'
        from d2l_conv import figures
        fig = figures.plot_learning_curve([2.0, 1.0])
        fig.savefig({str(tmp_path / 'curve.png')!r})
        print('matplotlib.pyplot' in sys.modules)
        ''', **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['False']
    assert (tmp_path / 'curve.png').stat().st_size > 0


def test_save_figures_leaves_no_pyplot_figure_open(tmp_path):
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    figures.save_figures(tmp_path)
    assert plt.get_fignums() == before
