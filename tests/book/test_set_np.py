"""`npx.set_np()`: what d2l does, and what d2l_conv does on import.

No d2l release from 0.11.0 to 1.0.3 calls ``npx.set_np()``: neither
``d2l/d2l.py`` (0.11, 0.12) nor ``d2l/mxnet.py`` (0.13 to 1.0.3) names
it. The book's code calls it itself, after its imports, in both
editions. d2l_conv calls it on import, because its own functions need
MXNet's NumPy semantics.
"""

import pytest
from conftest import run_python as python

pytestmark = pytest.mark.slow  # fresh Pythons: make test-slow


def test_numpy_semantics_come_from_d2l_conv_not_mxnet_and_stay_on():
    # MXNet alone starts without them; the book's own call after the
    # import changes nothing.
    done = python('''
        from mxnet import npx
        print(npx.is_np_array(), npx.is_np_shape())
        import d2l_conv as d2l
        print(npx.is_np_array(), npx.is_np_shape())
        npx.set_np()
        print(npx.is_np_array(), npx.is_np_shape())
        print(d2l.corr2d(d2l.tensor([[0, 1], [2, 3]]), d2l.ones((1, 1))))
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        'False False', 'True True', 'True True',
        '[[0. 1.]', ' [2. 3.]]']


def test_without_numpy_semantics_the_books_corr2d_fails():
    # Why d2l_conv turns them on: `Y[i, j] = ...` on an `mxnet.np` array
    # needs NumPy shape semantics in MXNet 1.9.1.
    done = python('''
        import d2l_conv as d2l
        from mxnet import npx
        npx.reset_np()
        try:
            d2l.corr2d(d2l.tensor([[0, 1], [2, 3]]), d2l.ones((1, 1)))
        except Exception as err:
            print(type(err).__name__)
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ['MXNetError']
