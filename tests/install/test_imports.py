"""What `import d2l_conv` costs and guarantees."""

import json
import sys

import pytest
from conftest import ROOT
from conftest import run_python as python

from d2l_conv._versions import NUMPY_TESTED

sys.path.insert(0, str(ROOT / 'tools'))
import lockfile  # noqa: E402

#: Packages that compile code while the program runs (just-in-time
#: compilers and the libraries that drive them): none may be imported by
#: `import d2l_conv` or by a `corr2d_fast` call, in either build.
COMPILERS = ('numba', 'llvmlite', 'pyximport', 'Cython', 'cffi', 'jax',
             'jaxlib', 'torch', 'tensorflow', 'pythran', 'taichi',
             'triton', 'cupy', 'tvm', 'numexpr')


@pytest.fixture(scope='module')
def fresh_import():
    """What one `import d2l_conv` in a fresh process loads and turns on.

    One subprocess for the tests below: each MXNet import costs seconds.
    """
    done = python('''
        import json
        import sys
        import mxnet
        before = set(sys.modules)
        import d2l_conv
        after = sorted(sys.modules)
        from mxnet import npx
        print(json.dumps({
            'added': sorted(set(after) - before), 'after': after,
            'np_array': npx.is_np_array(),
            'corr2d': str(type(d2l_conv.corr2d([[1.]], [[2.]])))}))
        ''')
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_adds_nothing_heavy_beyond_mxnet(fresh_import):
    added = fresh_import['added']
    outside = [name for name in added
               if not name.startswith('d2l_conv') and name not in
               sys.stdlib_module_names and
               name.split('.')[0] not in sys.stdlib_module_names]
    assert outside == []
    for heavy in ('matplotlib', 'pandas', 'scipy', 'cv2', *COMPILERS):
        assert not any(name.split('.')[0] == heavy for name in added)


@pytest.mark.slow  # a fresh Python: make test-slow
@pytest.mark.parametrize('build', ['as installed', 'without C'])
def test_no_call_imports_a_compiler_or_starts_a_thread(build):
    """Calls that reach every engine: a plain small one, the C engine or
    OpenCV (large image, small kernel), the FFT (large kernel), NaN on a
    large kernel (a direct engine), float64, and NumPy input. The only
    threads are the engines' helpers, which compile nothing."""
    done = python(f'''
        import sys
        import threading
        if {build!r} == 'without C':  # as where no compiler built it
            sys.modules['d2l_conv.fast._direct'] = None
        import numpy as onp
        import d2l_conv
        from d2l_conv.fast import choose
        from mxnet import np
        rng = onp.random.default_rng(0)
        for n, k in ((3, 2), (28, 3), (900, 3), (300, 41), (120, 15)):
            X = rng.standard_normal((n, n)).astype('float32')
            K = rng.standard_normal((k, k)).astype('float32')
            d2l_conv.corr2d_fast(np.array(X), np.array(K)).wait_to_read()
            d2l_conv.corr2d_fast(X.astype('float64'), K).wait_to_read()
            X[0, 0] = onp.nan
            d2l_conv.corr2d_fast(X, K).wait_to_read()
        print(choose.ENGINES)
        print(sorted(name for name in sys.modules
                     if name.split('.')[0] in {COMPILERS!r}))
        print(sorted({{thread.name.rstrip('0123456789')
                      for thread in threading.enumerate()}}))
        ''')
    assert done.returncode == 0, done.stderr
    engines, compilers, threads = done.stdout.splitlines()
    assert ("'c'" in engines) == (build == 'as installed' and has_c())
    assert compilers == '[]'
    assert threads in ("['MainThread']", "['MainThread', 'corr2d-helper-']")


def has_c():
    """Tell whether this tree's C engine was built."""
    from d2l_conv.fast import c_engine
    return c_engine.available()


@pytest.mark.slow  # a fresh Python: make test-slow
def test_a_small_corr2d_fast_starts_no_thread():
    done = python('''
        import threading
        import d2l_conv
        Y = d2l_conv.corr2d_fast([[0, 1, 2], [3, 4, 5]], [[1, -1]])
        print(Y.tolist())
        print(threading.active_count())
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ['[[-1.0, -1.0], [-1.0, -1.0]]', '1']


@pytest.mark.parametrize('heavy', ['matplotlib', 'pandas', *COMPILERS])
def test_import_does_not_load(fresh_import, heavy):
    assert heavy not in fresh_import['after']


def test_import_turns_on_numpy_semantics(fresh_import):
    assert fresh_import['np_array'] is True
    assert 'mxnet.numpy.ndarray' in fresh_import['corr2d']


def test_works_as_the_books_d2l_helper():
    from mxnet import np

    import d2l_conv as d2l
    X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = np.array([[0, 1], [2, 3]])
    assert d2l.corr2d(X, K).tolist() == [[19, 25], [37, 43]]


def test_a_numpy_outside_the_tested_range_gets_an_import_error():
    # Pretend numpy is 1.25 before importing; mxnet itself must not run.
    done = python('''
        import numpy
        numpy.__version__ = '1.25.2'
        try:
            import d2l_conv
        except ImportError as err:
            print(type(err).__name__, err)
        print('mxnet' in __import__('sys').modules)
        ''')
    assert done.returncode == 0, done.stderr
    python_version = '{}.{}'.format(*sys.version_info[:2])
    low, high, pinned = NUMPY_TESTED[sys.version_info[:2]]
    assert done.stdout.startswith(
        f'ImportError d2l_conv on Python {python_version} needs '
        f'numpy>={low[0]}.{low[1]},<{high[0]}.{high[1]} (found numpy 1.25.2)')
    assert (f"pip install 'numpy>={low[0]}.{low[1]},<{high[0]}.{high[1]}' "
            f'(requirements.lock pins {pinned})') in done.stdout
    assert done.stdout.endswith('False\n')
    assert 'AttributeError' not in done.stdout + done.stderr


@pytest.mark.parametrize('python, version, tested', [
    ((3, 11), '1.23.5', True), ((3, 11), '1.23.2', True),
    ((3, 11), '1.16.0', False), ((3, 11), '1.24.0', False),
    ((3, 11), '1.26.4', False), ((3, 12), '1.26.4', True),
    ((3, 12), '1.23.5', False), ((3, 12), '2.0.2', True),
    ((3, 12), '2.4.6', True), ((3, 12), '2.5.0', False),
    ((3, 13), '2.4.6', True), ((3, 13), '2.4.0rc1', True),
    ((3, 13), '2.1.3', True), ((3, 13), '2.0.2', False),
    ((3, 13), '2.5.0.dev0', False),
    ((3, 13), '1.26.4', False)])
def test_check_numpy(python, version, tested):
    from d2l_conv._versions import check_numpy
    if tested:
        check_numpy(version, python)
    else:
        with pytest.raises(ImportError, match=r'needs numpy>=\d\.\d+,<'):
            check_numpy(version, python)


@pytest.mark.parametrize('python', [(3, 10), (3, 14)])
def test_check_numpy_names_the_pythons_supported(python):
    from d2l_conv._versions import check_numpy
    with pytest.raises(ImportError, match='supports Python 3.11, 3.12, '
                       '3.13; this is Python 3.1[04]'):
        check_numpy('1.23.5', python)


def test_the_tested_ranges_are_setup_cfgs_and_the_locks():
    import configparser

    from packaging.requirements import Requirement
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / 'setup.cfg')
    lines = [line.split('#')[0].strip() for line in
             config['options']['install_requires'].splitlines()]
    numpy_lines = [Requirement(line) for line in lines
                   if line.startswith('numpy')]
    pins = dict((marker, version) for version, marker
                in lockfile.locked_versions(ROOT / 'requirements.lock')
                ['numpy'])
    assert len(numpy_lines) == len(NUMPY_TESTED) == len(pins)
    for version, (low, high, pinned) in NUMPY_TESTED.items():
        env = {'python_version': '{}.{}'.format(*version),
               'python_full_version': '{}.{}.0'.format(*version)}
        [wanted] = [r for r in numpy_lines if r.marker.evaluate(env)]
        assert str(wanted.specifier) == ','.join(sorted(
            [f'>={low[0]}.{low[1]}' + ('.2' if version == (3, 11) else ''),
             f'<{high[0]}.{high[1]}']))
        from packaging.markers import Marker
        [locked] = [v for m, v in pins.items() if Marker(m).evaluate(env)]
        assert locked == pinned


@pytest.mark.slow  # a fresh Python: make test-slow
def test_figures_load_lazily_on_first_use():
    done = python('''
        import sys
        import d2l_conv
        print('d2l_conv.figures' in sys.modules)
        print(callable(d2l_conv.figures.plot_edge_detection))
        print('d2l_conv.figures' in sys.modules)
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['False', 'True', 'True']


def test_unknown_attribute_is_an_attribute_error():
    import d2l_conv
    with pytest.raises(AttributeError, match="has no attribute 'corr3d'"):
        d2l_conv.corr3d  # noqa: B018 (the access is the test)
