"""Shared test helpers: one oracle for every 2-D cross-correlation.

`check_corr2d` compares an implementation with trusted references, in the
manner of tinygrad's ``helper_test_op``: forward values against
``scipy.signal.correlate2d(mode='valid')`` and, when asked, gradients with
respect to both input and kernel against Gluon's built-in ``nn.Conv2D``.
scipy is a test-only dependency.
"""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as onp
import pytest
from hypothesis import settings
from hypothesis import strategies as st

import d2l_conv  # noqa: F401  (calls npx.set_np() before any test)

#: The repository's root (the tests live in folders by area under tests/).
ROOT = Path(__file__).resolve().parent.parent


#: Scales the cost model's constants before any test runs (`scale_costs`):
#: ``D2L_CONV_SCALE_COSTS=all:0.5 pytest tests/fast`` halves every one,
#: ``c:2,fft:0.5`` doubles the C engine's and halves the FFT's, as a
#: refit on a slower or faster machine would. No test may hold only for
#: the constants fitted on one machine.
SCALE_COSTS = 'D2L_CONV_SCALE_COSTS'


def scale_costs(costs, spec):
    """Scale `costs` (engine -> constants) in place by `spec`, a
    comma-separated list of ``ENGINE:FACTOR`` (``all``: every engine).

    Examples
    --------
    >>> costs = {'c': (1.0, 2.0), 'fft': (4.0,)}
    >>> scale_costs(costs, 'c:2,all:0.5')
    >>> costs
    {'c': (1.0, 2.0), 'fft': (2.0,)}
    """
    for item in spec.split(','):
        name, _, factor = item.strip().partition(':')
        try:
            factor = float(factor)
        except ValueError:
            factor = 0.0
        if not factor > 0 or name not in ('all', *costs):
            raise ValueError(
                f'{SCALE_COSTS}: each item must be ENGINE:FACTOR with '
                f'ENGINE one of all, {", ".join(costs)} and FACTOR above '
                f'0; got {item.strip()!r}')
        for key in costs:
            if name in ('all', key):
                costs[key] = tuple(factor * c for c in costs[key])


def pytest_configure(config):
    spec = os.environ.get(SCALE_COSTS, '').strip()
    if spec:
        from d2l_conv.fast._costs import COSTS
        try:
            scale_costs(COSTS, spec)
        except ValueError as err:
            raise pytest.UsageError(str(err)) from None


def pytest_report_header(config):
    spec = os.environ.get(SCALE_COSTS, '').strip()
    return f'{SCALE_COSTS}={spec}: the cost model scaled' if spec else None


def pytest_collection_modifyitems(items):
    """Mark nbval's cells `slow`: each notebook re-run in a kernel is
    seconds (``make test-slow`` runs them, ``make test`` leaves them
    out). The other slow tests carry the marker in their own files."""
    for item in items:
        if item.path.suffix == '.ipynb':
            item.add_marker(pytest.mark.slow)


settings.register_profile('d2l', deadline=None, max_examples=25,
                          derandomize=True, print_blob=True)
settings.load_profile('d2l')


@st.composite
def corr2d_shapes(draw, max_side=7):
    """Draw ``((H, W), (h, w))`` with the kernel fitting in the input.

    Explicitly covers 1 x N and N x 1 kernels and a kernel the size of
    the input, which uniform draws reach only rarely.
    """
    H = draw(st.integers(1, max_side))
    W = draw(st.integers(1, max_side))
    kind = draw(st.sampled_from(['any', 'row', 'column', 'full']))
    h = {'row': 1, 'full': H}.get(kind) or draw(st.integers(1, H))
    w = {'column': 1, 'full': W}.get(kind) or draw(st.integers(1, W))
    return (H, W), (h, w)


def random_pair(shapes, seed):
    """Return float32 NumPy arrays ``X``, ``K`` of the given shapes."""
    rng = onp.random.default_rng(seed)
    (H, W), (h, w) = shapes
    X = rng.standard_normal((H, W)).astype('float32')
    K = rng.standard_normal((h, w)).astype('float32')
    return X, K


def gluon_conv2d_grads(X, K, dY):
    """Return ``(dX, dK)`` of ``sum(dY * Y)`` through Gluon's ``nn.Conv2D``.

    ``Y`` is the built-in layer's output with weight `K` and zero bias.
    """
    from mxnet import autograd, init, np
    from mxnet.gluon import nn
    h, w = K.shape
    layer = nn.Conv2D(1, kernel_size=(h, w), in_channels=1)
    layer.initialize(init.Zero())
    layer.weight.set_data(np.array(K.reshape(1, 1, h, w)))
    x = np.array(X.reshape(1, 1, *X.shape))  # (batch, channel, H, W)
    x.attach_grad()
    with autograd.record():
        Y = layer(x)
    Y.backward(np.array(dY.reshape(Y.shape)))
    return (x.grad.asnumpy().reshape(X.shape),
            layer.weight.grad().asnumpy().reshape(K.shape))


def check_corr2d(fn, X, K, *, grad=False, atol=1e-4, rtol=1e-4):
    """Assert that ``fn(X, K)`` equals the oracles.

    Parameters
    ----------
    fn : callable
        A 2-D cross-correlation taking ``mxnet.np`` arrays.
    X, K : numpy.ndarray
        float32 input and kernel.
    grad : bool
        Also compare the gradients of ``sum(dY * fn(X, K))`` with respect
        to `X` and `K`, for a random `dY`, with Gluon's ``nn.Conv2D``.
    atol, rtol : float
        Tolerances for ``numpy.testing.assert_allclose``.
    """
    from mxnet import autograd, np
    from scipy.signal import correlate2d
    expected = correlate2d(X.astype('float64'), K.astype('float64'),
                           mode='valid')
    x, k = np.array(X), np.array(K)
    Y = fn(x, k)
    assert isinstance(Y, np.ndarray), type(Y)
    assert Y.shape == expected.shape
    onp.testing.assert_allclose(Y.asnumpy(), expected, atol=atol, rtol=rtol)
    if not grad:
        return
    dY = onp.random.default_rng(0).standard_normal(
        expected.shape).astype('float32')
    x.attach_grad()
    k.attach_grad()
    with autograd.record():
        Y = fn(x, k)
    Y.backward(np.array(dY))
    dX, dK = gluon_conv2d_grads(X, K, dY)
    onp.testing.assert_allclose(x.grad.asnumpy(), dX, atol=atol, rtol=rtol)
    onp.testing.assert_allclose(k.grad.asnumpy(), dK, atol=atol, rtol=rtol)


#: Bad inputs every `corr2d`-like function must refuse, as
#: ``(X, K, exception, message pattern)``; `{name}` is the function's name.
BAD_INPUTS = [
    pytest.param([[1, 2], [3, 4]], [[1, 2, 3]], ValueError,
                 r'{name}: kernel K of shape \(1, 3\) does not fit in input'
                 r' X of shape \(2, 2\)', id='kernel-wider'),
    pytest.param([[1, 2], [3, 4]], [[1], [2], [3]], ValueError,
                 r'{name}: kernel K of shape \(3, 1\) does not fit',
                 id='kernel-taller'),
    pytest.param([1, 2, 3], [[1]], ValueError,
                 r'{name}: X must be a 2-D array, got shape \(3,\)',
                 id='X-1d'),
    pytest.param([[1, 2], [3, 4]], [1], ValueError,
                 r'{name}: K must be a 2-D array, got shape \(1,\)',
                 id='K-1d'),
    pytest.param(onp.zeros((2, 3, 4)), [[1]], ValueError,
                 r'{name}: X must be a 2-D array, got shape \(2, 3, 4\)',
                 id='X-3d'),
    pytest.param([[1, 2], [3, 4]], onp.ones((1, 1, 1)), ValueError,
                 r'{name}: K must be a 2-D array, got shape \(1, 1, 1\)',
                 id='K-3d'),
    pytest.param(onp.zeros((0, 3)), [[1]], ValueError,
                 r'{name}: X must not be empty, got shape \(0, 3\)',
                 id='X-empty'),
    pytest.param([[1, 2]], onp.zeros((1, 0)), ValueError,
                 r'{name}: K must not be empty, got shape \(1, 0\)',
                 id='K-empty'),
    pytest.param([], [[1]], ValueError,
                 r'{name}: X must be a 2-D array, got shape \(0,\)',
                 id='X-empty-list'),
    pytest.param('abc', [[1]], TypeError,
                 r'{name}: X must be a 2-D numeric array, got str',
                 id='X-str'),
    pytest.param([[1, 2]], 'k', TypeError,
                 r'{name}: K must be a 2-D numeric array, got str',
                 id='K-str'),
    pytest.param(None, [[1]], TypeError,
                 r'{name}: X must be a 2-D numeric array, got NoneType',
                 id='X-None'),
    pytest.param([[1, 2]], None, TypeError,
                 r'{name}: K must be a 2-D numeric array, got NoneType',
                 id='K-None'),
    pytest.param([['a', 'b']], [[1]], TypeError,
                 r'{name}: X must be numeric .* got dtype <U1',
                 id='X-strings'),
    pytest.param([[True, False]], [[1]], TypeError,
                 r'{name}: X must be numeric .* got dtype bool',
                 id='X-bool'),
    pytest.param([[1, 2], [3]], [[1]], TypeError,
                 r'{name}: X must be a 2-D numeric array, got list',
                 id='X-ragged'),
]


def scipy_valid(X, K):
    """The oracle: ``scipy.signal.correlate2d``'s valid part, in float64
    (NaN and inf where its direct sum puts them, quietly)."""
    from scipy.signal import correlate2d
    with onp.errstate(invalid='ignore', over='ignore'):
        return correlate2d(onp.asarray(X, 'float64'),
                           onp.asarray(K, 'float64'), 'valid')


def assert_placed_like(Y, expected, rtol=1e-6):
    """Assert NaN, +inf and -inf at the same places as in `expected`,
    and values within `rtol` elsewhere (0: equal), relative to each value
    and to the largest finite one (the FFT engine's error is about 3e-7
    of the largest output, spread over every output, zeros too)."""
    Y = onp.asarray(Y, dtype='float64')
    onp.testing.assert_array_equal(onp.isnan(Y), onp.isnan(expected))
    onp.testing.assert_array_equal(onp.isposinf(Y), onp.isposinf(expected))
    onp.testing.assert_array_equal(onp.isneginf(Y), onp.isneginf(expected))
    finite = onp.isfinite(expected)
    largest = onp.abs(expected[finite]).max(initial=1.0)
    onp.testing.assert_allclose(Y[finite], expected[finite], rtol=rtol,
                                atol=rtol * largest)


@pytest.fixture
def without_c(monkeypatch):
    """`corr2d_fast` as where its C engine was not built (no compiler):
    its engines those found then (`choose.importable`)."""
    from d2l_conv.fast import c_engine, choose
    monkeypatch.setattr(c_engine, 'available', lambda: False)
    monkeypatch.setattr(choose, 'ENGINES', choose.importable())


def make_tree(tmp_path, uv_script):
    """Copy what ``make`` reads (the Makefile, the setup files, the lock,
    ``_d2l_conv_tools.py`` and ``tools/``) to `tmp_path`, with
    `uv_script` as its ``.uv/bin/uv``; return that uv's path."""
    for name in ('Makefile', 'setup.cfg', 'setup.py', 'requirements.lock',
                 '_d2l_conv_tools.py'):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / 'tools', tmp_path / 'tools',
                    ignore=shutil.ignore_patterns('__pycache__'))
    (tmp_path / '.uv' / 'bin').mkdir(parents=True)
    uv = tmp_path / '.uv' / 'bin' / 'uv'
    uv.write_text(uv_script)
    uv.chmod(0o755)
    return uv


def run_python(code, env=None):
    """Run `code` (dedented) in a fresh Python; return what it printed.

    For what only a new process shows: imports, MXNet's start-up state.
    """
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=300,
                          env=env)


def assert_works_without(module, engine, name):
    """Run `corr2d_fast` in a fresh process where `module` cannot be
    imported (as where it is not installed or was not built): `engine`
    (a module of `d2l_conv.fast`) says it is unavailable, the cost model
    never picks `name`, and every result still equals scipy's."""
    done = run_python(f'''
        import sys
        sys.modules[{module!r}] = None  # its import raises ImportError
        import numpy as onp
        from scipy.signal import correlate2d
        import d2l_conv
        from d2l_conv.fast import choose, {engine}
        assert not {engine}.available()
        rng = onp.random.default_rng(0)
        for n, k in ((28, 3), (64, 5), (300, 3), (300, 41)):
            X = rng.standard_normal((n, n)).astype('float32')
            K = rng.standard_normal((k, k)).astype('float32')
            assert choose.choose_engine(X.shape, K.shape) != {name!r}
            Y = d2l_conv.corr2d_fast(X, K).asnumpy()
            onp.testing.assert_allclose(Y, correlate2d(X, K, 'valid'),
                                        atol=1e-3, rtol=1e-4)
        print('ok')
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['ok']
