"""Exercise 1: the edge kernel on a diagonal edge, and transposition."""

import numpy as onp
import pytest
from conftest import BAD_INPUTS, corr2d_shapes, random_pair
from hypothesis import given
from hypothesis import strategies as st

from d2l_conv import corr2d, edge_kernel
from d2l_conv.exercises import diagonal_edges, diagonal_image


@given(corr2d_shapes(max_side=6), st.integers(0, 2**32 - 1))
def test_transposing_both_transposes_the_output(shapes, seed):
    X, K = random_pair(shapes, seed)
    onp.testing.assert_allclose(corr2d(X.T, K.T).asnumpy(),
                                corr2d(X, K).T.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize('n', [2, 3, 6, 9])
def test_diagonal_image_is_lower_triangular(n):
    X = diagonal_image(n).asnumpy()
    assert X.shape == (n, n)
    onp.testing.assert_array_equal(X, onp.tril(onp.ones((n, n))))


@pytest.mark.parametrize('n', [2, 3, 6, 9])
def test_each_kernel_marks_one_staircase_of_the_diagonal(n):
    Y, X_T, K_T = (A.asnumpy() for A in diagonal_edges(diagonal_image(n)))
    # K = [[1, -1]] finds where a row steps from 1 to 0: on the diagonal
    onp.testing.assert_array_equal(Y, onp.eye(n, n - 1))
    # on X.T the row steps from 0 to 1, one column before the diagonal
    onp.testing.assert_array_equal(X_T, -onp.eye(n, n - 1, -1))
    # K.T finds where a column steps from 0 to 1, just above the diagonal
    onp.testing.assert_array_equal(K_T, -onp.eye(n - 1, n, 1))
    onp.testing.assert_array_equal(X_T, K_T.T)  # the identity


def test_defaults_are_the_triangle_and_the_section_kernel():
    expected = diagonal_edges(diagonal_image(), edge_kernel())
    for got, want in zip(diagonal_edges(), expected, strict=True):
        onp.testing.assert_array_equal(got.asnumpy(), want.asnumpy())


def test_vertical_and_horizontal_kernels_miss_the_other_edges():
    # the section's vertical edges: K sees them, K.T does not
    X = onp.ones((6, 8), dtype='float32')
    X[:, 2:6] = 0
    Y, X_T, K_T = diagonal_edges(X)
    assert abs(Y.asnumpy()).sum() == 12
    assert abs(X_T.asnumpy()).sum() == abs(K_T.asnumpy()).sum() == 0


# None is not bad here: it asks for the default image or kernel
@pytest.mark.parametrize('X, K, exc, pattern', [
    case for case in BAD_INPUTS if case.id not in ('X-None', 'K-None')])
def test_refuses_bad_input(X, K, exc, pattern):
    with pytest.raises(exc, match=pattern.format(name='diagonal_edges')):
        diagonal_edges(X, K)


def test_refuses_a_kernel_whose_transpose_does_not_fit():
    with pytest.raises(ValueError, match=r'diagonal_edges: transposed '
                       r'kernel K.T of shape \(3, 1\) does not fit in '
                       r'input X of shape \(2, 4\)'):
        diagonal_edges(onp.ones((2, 4)), [[1, 0, -1]])


@pytest.mark.parametrize('n, exc, pattern', [
    (1, ValueError, 'diagonal_image: n must be at least 2, got 1'),
    (-3, ValueError, 'at least 2, got -3'),
    (2.0, TypeError, 'diagonal_image: n must be an int, got float'),
    (True, TypeError, 'n must be an int, got bool'),
    ('6', TypeError, 'n must be an int, got str'),
])
def test_diagonal_image_refuses_bad_sizes(n, exc, pattern):
    with pytest.raises(exc, match=pattern):
        diagonal_image(n)
