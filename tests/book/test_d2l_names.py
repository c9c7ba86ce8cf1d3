"""The six d2l names, held to the definitions in d2l 1.0.3.

The oracle below is d2l 1.0.3's own definitions, copied from the alias
block of ``d2l/mxnet.py`` in the wheel (``pip download d2l==1.0.3
--no-deps``), lines 3334, 3340, 3342, 3353, 3367 and 3369. The d2l
package itself is not a dependency: it imports pandas, matplotlib and
requests at import time.
"""

import numpy as onp
import pytest
from mxnet import np

import d2l_conv as d2l
from d2l_conv import d2l_names

D2L_1_0_3 = {
    'transpose': lambda a: a.T,
    'ones': np.ones,
    'zeros': np.zeros,
    'tensor': np.array,
    'reshape': lambda x, *args, **kwargs: x.reshape(*args, **kwargs),
    'reduce_sum': lambda x, *args, **kwargs: x.sum(*args, **kwargs),
}

NAMES = sorted(D2L_1_0_3)


def same(got, want):
    """Assert equal type, dtype, shape and values."""
    assert type(got) is type(want)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    onp.testing.assert_array_equal(onp.asarray(got.tolist()),
                                   onp.asarray(want.tolist()))


def grid(*shape):
    return np.arange(int(onp.prod(shape)), dtype='float32').reshape(shape)


# (name, args, kwargs): argument forms the book uses, then a few more
CALLS = [
    ('tensor', ([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]],), {}),
    ('tensor', ([[1, -1]],), {}),  # a list of ints is float32 too
    ('tensor', ([1, 2, 3],), {'dtype': 'int32'}),
    ('tensor', (onp.arange(4, dtype='float64'),), {}),  # keeps float64
    ('tensor', (3.5,), {}),
    ('ones', ((6, 8),), {}),
    ('ones', (4,), {}),
    ('ones', ((2, 3),), {'dtype': 'int32'}),
    ('zeros', ((2, 3),), {}),
    ('zeros', ((0, 3),), {}),
    ('zeros', (5,), {'dtype': 'float64'}),
    ('transpose', (grid(6, 8),), {}),
    ('transpose', (grid(5),), {}),
    ('transpose', (grid(2, 3, 4),), {}),
    ('transpose', (onp.arange(6).reshape(2, 3),), {}),
    ('reshape', (grid(6, 8), (1, 1, 6, 8)), {}),
    ('reshape', (grid(1, 1, 1, 2), (1, 2)), {}),
    ('reshape', (grid(2, 3), 3, 2), {}),
    ('reshape', (grid(2, 3), -1), {}),
    ('reshape', (onp.arange(6), (3, 2)), {}),
    ('reduce_sum', (grid(3, 4),), {}),
    ('reduce_sum', (grid(3, 4),), {'axis': 0}),
    ('reduce_sum', (grid(3, 4), 1), {}),
    ('reduce_sum', (grid(3, 4),), {'axis': 1, 'keepdims': True}),
    ('reduce_sum', (onp.arange(5),), {}),
]


@pytest.mark.parametrize('name, args, kwargs', CALLS)
def test_each_name_does_what_d2l_1_0_3_does(name, args, kwargs):
    same(getattr(d2l, name)(*args, **kwargs),
         D2L_1_0_3[name](*args, **kwargs))


def test_tensor_makes_an_mxnet_np_array_of_float32():
    X = d2l.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    assert isinstance(X, np.ndarray)
    assert X.dtype == onp.float32


def test_reduce_sum_of_a_whole_tensor_is_a_0_d_array():
    total = d2l.reduce_sum(d2l.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert isinstance(total, np.ndarray)
    assert total.shape == ()
    assert float(total) == 10.0


@pytest.mark.parametrize('name, arg', [
    ('reduce_sum', [1, 2, 3]),
    ('reshape', [1, 2, 3]),
    ('transpose', [[1, 2]]),
])
def test_a_list_fails_as_it_does_in_d2l(name, arg):
    # d2l's lambdas call methods that lists lack
    with pytest.raises(AttributeError, match="'list' object has no"):
        D2L_1_0_3[name](arg)
    with pytest.raises(AttributeError, match="'list' object has no"):
        getattr(d2l, name)(arg)


@pytest.mark.parametrize('name', NAMES)
def test_exported_and_documented_as_the_d2l_name(name):
    assert name in d2l.__all__
    assert f'`{name}`' in ' '.join(d2l_names.__doc__.split())


@pytest.mark.parametrize('name, mxnet_function', [
    ('tensor', np.array), ('ones', np.ones), ('zeros', np.zeros)])
def test_the_creation_names_are_mxnets_own_functions(name, mxnet_function):
    # d2l binds them (ones = np.ones), so they are the functions themselves
    assert getattr(d2l, name) is mxnet_function
