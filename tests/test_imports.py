"""What `import d2l_conv` costs and guarantees."""

import json
import sys

import pytest
from conftest import run_python as python


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
    for heavy in ('matplotlib', 'pandas', 'numba', 'llvmlite', 'scipy',
                  'cv2'):
        assert not any(name.split('.')[0] == heavy for name in added)


def test_small_corr2d_fast_imports_and_compiles_nothing():
    """The NumPy engine serves small calls; numba stays out.

    (scipy cannot: MXNet 1.9.1 imports it, when installed, on import.)
    """
    done = python('''
        import sys
        import threading
        import d2l_conv
        Y = d2l_conv.corr2d_fast([[0, 1, 2], [3, 4, 5]], [[1, -1]])
        print(Y.tolist())
        print(sorted(m for m in ('numba', 'llvmlite') if m in sys.modules),
              threading.active_count())
        ''')
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == '[[-1.0, -1.0], [-1.0, -1.0]]'
    assert lines[1] == '[] 1'  # no import, no compile thread


@pytest.mark.parametrize('heavy', ['matplotlib', 'pandas', 'numba',
                                   'llvmlite'])
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


def test_too_new_numpy_gets_an_import_error_naming_the_pin():
    # Pretend numpy is 1.26 before importing; mxnet itself must not run.
    done = python('''
        import numpy
        numpy.__version__ = '1.26.4'
        try:
            import d2l_conv
        except ImportError as err:
            print(type(err).__name__, err)
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith('ImportError d2l_conv needs numpy<1.24')
    assert 'np.bool' in done.stdout
    assert 'AttributeError' not in done.stdout + done.stderr


@pytest.mark.parametrize('version, too_new', [
    ('1.23.5', False), ('1.16.0', False), ('1.24.0', True),
    ('1.26.4', True), ('2.0.0rc1', True), ('1.25.dev0', True)])
def test_check_numpy(version, too_new):
    from d2l_conv._compat import check_numpy
    if too_new:
        with pytest.raises(ImportError, match='numpy<1.24'):
            check_numpy(version)
    else:
        check_numpy(version)


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
