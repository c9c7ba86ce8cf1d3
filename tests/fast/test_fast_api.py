"""`corr2d_fast`'s `out=` and `method=`, masked arrays, and the engine
contract that `choose` loops over."""

import importlib.util
import textwrap

import numpy as onp
import pytest
from conftest import random_pair, scipy_valid
from mxnet import autograd, np

from d2l_conv import corr2d_fast
from d2l_conv.fast import choose, fft_engine, numpy_engine

#: (image, kernel) shapes: the C engine's small call, a direct engine,
#: the FFT engine.
SHAPES = [((30, 20), (3, 3)), ((700, 600), (3, 5)), ((300, 260), (41, 41))]


@pytest.mark.parametrize('shapes', SHAPES, ids=str)
@pytest.mark.parametrize('kind', ['numpy', 'mxnet'])
def test_out_is_written_and_returned(shapes, kind):
    X, K = random_pair(shapes, 1)
    shape = tuple(a - b + 1 for a, b in zip(*shapes, strict=True))
    out = onp.full(shape, 7, 'float32')
    if kind == 'mxnet':
        out = np.array(out)
    Y = corr2d_fast(np.array(X), K, out=out)
    assert Y is out
    got = Y.asnumpy() if kind == 'mxnet' else Y
    onp.testing.assert_allclose(got, scipy_valid(X, K), atol=1e-3,
                                rtol=1e-4)


def test_out_reused_gives_each_call_s_result():
    X, K = random_pair(((600, 500), (3, 3)), 2)
    out = onp.empty((598, 498), 'float32')
    for step in range(3):
        corr2d_fast(X + step, K, out=out)
        onp.testing.assert_allclose(out, scipy_valid(X + step, K),
                                    atol=1e-3, rtol=1e-4)


def test_out_may_be_the_input_itself():
    """A 1x1 kernel's output has the input's shape: out=X works, as in
    NumPy's ufuncs."""
    X, _ = random_pair(((300, 300), (1, 1)), 3)
    want = X * 2
    for x in (X.copy(), np.array(X)):
        corr2d_fast(x, onp.full((1, 1), 2, 'float32'), out=x)
        got = x.asnumpy() if isinstance(x, np.ndarray) else x
        onp.testing.assert_array_equal(got, want)


@pytest.mark.parametrize('out, error, pattern', [
    (onp.full((9, 9), 7, 'float32'), ValueError, r'shape \(8, 8\)'),
    (onp.full((8, 8), 7, 'float64'), ValueError, 'dtype float32'),
    (np.full((8, 9), 7, dtype='float32'), ValueError, r'shape \(8, 8\)'),
    (np.full((8, 8), 7, dtype='float16'), ValueError, 'dtype float32'),
    (onp.full((8, 16), 7, 'float32')[:, ::2], ValueError, 'C-contiguous'),
    ([[7.0] * 8] * 8, TypeError, 'got list'),
    (onp.ma.masked_array(onp.full((8, 8), 7, 'float32')), TypeError,
     'got MaskedArray'),
], ids=['shape', 'dtype', 'mx-shape', 'mx-dtype', 'strided', 'list',
        'masked'])
@pytest.mark.parametrize('size', [10, 300])
def test_a_wrong_out_is_refused_before_anything_is_written(
        out, error, pattern, size):
    # an 8 x 8 output: of the C engine's small call, or (300²) not
    X, K = random_pair(((size, size), (size - 7, size - 7)), 4)
    before = onp.array(out, copy=True) if not isinstance(out, np.ndarray) \
        else out.asnumpy()
    with pytest.raises(error, match='corr2d_fast: out .*' + pattern):
        corr2d_fast(X, K, out=out)
    after = out.asnumpy() if isinstance(out, np.ndarray) else onp.array(out)
    onp.testing.assert_array_equal(after, before)


def test_a_read_only_out_is_refused():
    out = onp.zeros((8, 8), 'float32')
    out.flags.writeable = False
    with pytest.raises(ValueError, match='corr2d_fast: out must be writable'):
        corr2d_fast(*random_pair(((10, 10), (3, 3)), 5), out=out)


def test_out_is_refused_under_autograd():
    X, K = np.ones((4, 4)), np.ones((2, 2))
    K.attach_grad()
    with autograd.record(), pytest.raises(
            ValueError, match='corr2d_fast: out= is not differentiable'):
        corr2d_fast(X, K, out=np.zeros((3, 3)))


@pytest.mark.parametrize('method', ['Direct', 'fft2', 'oa'])
def test_an_unknown_method_lists_the_choices(method):
    with pytest.raises(ValueError, match=r"corr2d_fast: method must be one "
                       r"of 'auto', 'direct', 'fft', got "):
        corr2d_fast(onp.ones((4, 4)), onp.ones((2, 2)), method=method)


@pytest.mark.parametrize('method', [None, 1, onp.array(['fft', 'auto'])])
def test_a_method_not_a_str_is_a_type_error(method):
    with pytest.raises(TypeError, match=r"corr2d_fast: method must be a "
                       r"str, one of 'auto', 'direct', 'fft'; got "):
        corr2d_fast(onp.ones((4, 4)), onp.ones((2, 2)), method=method)


def counting(monkeypatch, module):
    """Count the calls of `module`'s ``correlate_valid``."""
    calls = []
    real = module.correlate_valid
    monkeypatch.setattr(module, 'correlate_valid',
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


@pytest.mark.parametrize('shapes', SHAPES, ids=str)
def test_method_fft_transforms_and_direct_sums(monkeypatch, shapes):
    X, K = random_pair(shapes, 6)
    ffts = counting(monkeypatch, fft_engine)
    Y = corr2d_fast(X, K, method='fft')
    assert ffts == [1]
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), atol=1e-3,
                                rtol=1e-3)
    Y = corr2d_fast(X, K, method='direct')
    assert ffts == [1]
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), atol=1e-3,
                                rtol=1e-4)


def test_method_direct_is_taken_without_the_c_engine(monkeypatch,
                                                     without_c):
    monkeypatch.setattr(choose, 'ENGINES', ('fft', 'numpy'))
    numpys = counting(monkeypatch, numpy_engine)
    X, K = random_pair(((300, 260), (41, 41)), 7)
    Y = corr2d_fast(X, K, method='direct')
    assert numpys == [1]
    onp.testing.assert_allclose(Y.asnumpy(), scipy_valid(X, K), atol=1e-3,
                                rtol=1e-4)


def test_method_fft_sums_nan_directly():
    """Transforms would spread a NaN over every output of its tile."""
    X, K = random_pair(((300, 260), (41, 41)), 8)
    X[100, 100] = onp.nan
    Y = corr2d_fast(X, K, method='fft').asnumpy()
    want = scipy_valid(X, K)
    onp.testing.assert_array_equal(onp.isnan(Y), onp.isnan(want))
    assert onp.isfinite(Y).sum() > 0.9 * Y.size


def test_method_fft_without_scipy_says_so(monkeypatch):
    monkeypatch.setattr(choose, 'ENGINES', ('numpy',))
    with pytest.raises(ValueError, match="corr2d_fast: method='fft' needs "
                       'scipy'):
        corr2d_fast(onp.ones((4, 4)), onp.ones((2, 2)), method='fft')


@pytest.mark.parametrize('which', ['X', 'K'])
@pytest.mark.parametrize('size', [10, 300])
def test_masked_arrays_are_refused(which, size):
    X, K = random_pair(((size, size), (3, 3)), 9)
    args = {'X': X, 'K': K}
    args[which] = onp.ma.masked_greater(args[which], 0)
    with pytest.raises(TypeError,
                       match=f'corr2d_fast: {which} is a masked array'):
        corr2d_fast(args['X'], args['K'])


TOY = '''
    """A toy engine: every output is 42 (to see that it ran)."""
    import numpy as onp

    METHOD = 'direct'


    def available():
        return True


    def accepts(X, K, integer=False):
        return True


    def features(X_shape, K_shape, threads):
        return 1, 0, 0, 0


    def correlate_valid(X, K, out=None, threads=None, integer=False):
        (H, W), (h, w) = X.shape, K.shape
        if out is None:
            out = onp.empty((H - h + 1, W - w + 1), X.dtype)
        out[...] = 42
        return out
    '''


def test_an_engine_is_one_module_and_one_line(monkeypatch, tmp_path):
    path = tmp_path / 'toy_engine.py'
    path.write_text(textwrap.dedent(TOY))
    spec = importlib.util.spec_from_file_location('toy_engine', path)
    toy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(toy)
    monkeypatch.setitem(choose.REGISTRY, 'toy', toy)  # the line
    monkeypatch.setitem(choose.COSTS, 'toy', (0.0, 0.0, 0.0, 0.0))  # fit
    monkeypatch.setattr(choose, 'ENGINES', choose.importable())
    assert choose.ENGINES[-1] == 'toy'
    X, K = random_pair(((700, 600), (5, 5)), 10)
    assert choose.choose_engine(X.shape, K.shape) == 'toy'
    onp.testing.assert_array_equal(corr2d_fast(X, K).asnumpy(), 42)
    assert choose.choose_engine(X.shape, K.shape, 'fft') == 'fft'
