"""Masked arrays: the book's API refuses them, as `corr2d_fast` does.

A masked array's hidden values are still in its memory; a correlation
that ignored the mask would compute with them silently.
"""

import numpy as onp
import pytest
from mxnet import init

from d2l_conv import (
    Conv2D,
    conv2d_true,
    corr2d,
    corr2d_fast,
    corr2d_vectorized,
)

HIDDEN = onp.ma.masked_greater(onp.array([[1., 2., 100.]]), 10)
PLAIN = onp.array([[1., 2., 3.]])


@pytest.mark.parametrize('func', [corr2d, corr2d_vectorized, corr2d_fast,
                                  conv2d_true],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize('name', ['X', 'K'])
def test_a_masked_input_is_refused_naming_the_function(func, name):
    X, K = (HIDDEN, PLAIN[:, :2]) if name == 'X' else \
        (PLAIN, onp.ma.masked_equal([[1., 0.]], 0))
    with pytest.raises(TypeError, match=(
            rf'^{func.__name__}: {name} is a masked array, whose mask would '
            rf'be ignored; pass numpy.ma.filled\({name}, value\) or '
            rf'{name}.data$')):
        func(X, K)


def test_conv2d_refuses_a_masked_input_naming_itself():
    layer = Conv2D((1, 2))
    layer.initialize(init.Constant(1))
    with pytest.raises(TypeError, match=r'^Conv2D: x is a masked array'):
        layer(HIDDEN)


def test_its_data_or_a_filled_copy_is_accepted():
    assert corr2d(HIDDEN.data, [[1., 1.]]).asnumpy().tolist() == \
        [[3.0, 102.0]]
    assert corr2d(onp.ma.filled(HIDDEN, 0), [[1., 1.]]).asnumpy().tolist() \
        == [[3.0, 2.0]]
