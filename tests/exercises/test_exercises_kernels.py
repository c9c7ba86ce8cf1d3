"""Exercise 4: derivative and Laplace kernels, and their minimum size."""

import math

import numpy as onp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.polynomial import polynomial as P

from d2l_conv import corr2d
from d2l_conv.exercises import (
    LAPLACE,
    SECOND_DERIVATIVE,
    derivative_kernel,
    min_kernel_size,
    moment_system,
)

rank = onp.linalg.matrix_rank


def polynomials(degree):
    """Coefficients (lowest first) of polynomials up to `degree`."""
    return st.lists(st.integers(-3, 3), min_size=1, max_size=degree + 1)


def samples(coeffs, n=7):
    """Return ``x`` (0, 1, ..., n - 1) and ``f(x)`` as a 1 x n row."""
    x = onp.arange(n, dtype='float64')
    return x, P.polyval(x, coeffs).reshape(1, -1)


@given(polynomials(3))
def test_second_derivative_kernel_is_exact_on_cubics(coeffs):
    x, f = samples(coeffs)
    Y = corr2d(f, SECOND_DERIVATIVE).asnumpy()[0]
    # output j is f'' at the middle sample, x[j + 1]
    expected = P.polyval(x[1:-1], P.polyder(coeffs, 2))
    onp.testing.assert_allclose(Y, expected, rtol=1e-6, atol=1e-4)


def test_second_derivative_kernel_errs_by_f4_over_12_on_quartics():
    x, f = samples([0, 0, 0, 0, 1])  # x ** 4: f'' = 12 x ** 2, f'''' = 24
    Y = corr2d(f, SECOND_DERIVATIVE).asnumpy()[0]
    onp.testing.assert_allclose(Y - 12 * x[1:-1] ** 2, 24 / 12)


@given(st.lists(st.lists(st.integers(-2, 2), min_size=4, max_size=4),
                min_size=4, max_size=4))
def test_laplace_kernel_is_exact_on_bicubics(rows):
    c = onp.array(rows, dtype='float64')  # c[m, n] multiplies x**m y**n
    x = onp.arange(-3.0, 4.0)  # 7 samples per axis
    F = P.polygrid2d(x, x, c)
    # f_xx + f_yy, each padded back to 4 x 4 coefficients
    c_xx, c_yy = onp.zeros_like(c), onp.zeros_like(c)
    c_xx[:2] = P.polyder(c, 2, axis=0)
    c_yy[:, :2] = P.polyder(c, 2, axis=1)
    expected = P.polygrid2d(x[1:-1], x[1:-1], c_xx + c_yy)
    Y = corr2d(F, LAPLACE).asnumpy()
    onp.testing.assert_allclose(Y, expected, rtol=1e-6,
                                atol=1e-6 * abs(F).max())


def test_laplace_kernel_is_the_two_second_derivatives_summed():
    row = onp.pad(SECOND_DERIVATIVE.asnumpy(), ((1, 1), (0, 0)))
    onp.testing.assert_array_equal(LAPLACE.asnumpy(), row + row.T)


@pytest.mark.parametrize('d', range(7))
@given(coeffs=st.lists(st.integers(-3, 3), min_size=1, max_size=7))
def test_derivative_kernel_is_exact_up_to_degree_d(d, coeffs):
    coeffs = coeffs[:d + 1]  # degree at most d
    x, f = samples(coeffs, n=d + 3)
    Y = corr2d(f, derivative_kernel(d)).asnumpy()[0]
    expected = P.polyval(x[:Y.size], P.polyder(coeffs, d))
    onp.testing.assert_allclose(Y, expected, rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize('d', range(9))
def test_d_plus_1_taps_solve_the_moment_system(d):
    V, b = moment_system(d, d + 1)
    K = derivative_kernel(d).asnumpy()[0]
    assert K.shape == (min_kernel_size(d),)
    onp.testing.assert_allclose(V @ K, b, atol=1e-6 * math.factorial(d))


@pytest.mark.parametrize('d', range(1, 9))
def test_d_taps_cannot_by_the_vandermonde_rank(d):
    for taps in range(1, d + 1):
        V, b = moment_system(d, taps)
        assert rank(V) == taps
        assert rank(onp.column_stack([V, b])) == taps + 1  # no solution


@pytest.mark.parametrize('d', range(9))
def test_min_kernel_size_is_the_smallest_consistent_width(d):
    def solvable(taps):
        V, b = moment_system(d, taps)
        return rank(V) == rank(onp.column_stack([V, b]))
    assert min_kernel_size(d) == min(t for t in range(1, d + 3)
                                     if solvable(t))


@pytest.mark.parametrize('name, func', [
    ('min_kernel_size', min_kernel_size),
    ('derivative_kernel', derivative_kernel),
    ('moment_system', lambda d: moment_system(d, 3)),
])
@pytest.mark.parametrize('d, exc, pattern', [
    (-1, ValueError, r'd must be non-negative, got -1'),
    (2.0, TypeError, r'd must be an int, got float'),
    (True, TypeError, r'd must be an int, got bool'),
    ('2', TypeError, r'd must be an int, got str'),
    (None, TypeError, r'd must be an int, got NoneType'),
])
def test_degree_must_be_a_non_negative_int(name, func, d, exc, pattern):
    with pytest.raises(exc, match=f'{name}: {pattern}'):
        func(d)


@pytest.mark.parametrize('taps, exc, pattern', [
    (0, ValueError, 'moment_system: taps must be at least 1, got 0'),
    (2.5, TypeError, 'moment_system: taps must be an int, got float'),
    (False, TypeError, 'taps must be an int, got bool'),
])
def test_moment_system_refuses_bad_widths(taps, exc, pattern):
    with pytest.raises(exc, match=pattern):
        moment_system(2, taps)
