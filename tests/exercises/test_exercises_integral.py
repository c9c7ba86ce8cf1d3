"""Exercise 4: kernels for an integral, and the running sum."""

import math

import numpy as onp
import pytest
from conftest import corr2d_shapes, random_pair
from hypothesis import given
from hypothesis import strategies as st
from numpy.polynomial import polynomial as P

from d2l_conv import corr2d
from d2l_conv.exercises import SIMPSON, box_kernel, running_sum

SEEDS = st.integers(0, 2**32 - 1)
CUBICS = st.lists(st.integers(-3, 3), min_size=1, max_size=4)

#: Closed forms of ``0 ** r + 1 ** r + ... + (w - 1) ** r`` (Faulhaber).
POWER_SUMS = [
    lambda w: w,
    lambda w: w * (w - 1) / 2,
    lambda w: (w - 1) * w * (2 * w - 1) / 6,
    lambda w: (w * (w - 1) / 2) ** 2,
]


def window_sums(coeffs, x, w):
    """``sum_{k < w} p(x + k)`` in closed form, by the binomial theorem."""
    return sum(c * math.comb(m, r) * x ** (m - r) * POWER_SUMS[r](w)
               for m, c in enumerate(coeffs) for r in range(m + 1))


@given(CUBICS, st.integers(1, 7))
def test_box_kernel_sums_polynomial_samples(coeffs, w):
    x = onp.arange(-3.0, 5.0)  # 8 samples
    Y = corr2d(P.polyval(x, coeffs).reshape(1, -1), box_kernel(1, w))
    expected = window_sums(coeffs, x[:9 - w], w)
    onp.testing.assert_allclose(Y.asnumpy()[0], expected, rtol=1e-6,
                                atol=1e-4)


@given(CUBICS)
def test_simpson_kernel_integrates_cubics_exactly(coeffs):
    dx = 0.5
    x = onp.arange(-6, 7) * dx
    Y = corr2d(P.polyval(x, coeffs).reshape(1, -1), dx * SIMPSON)
    F = P.polyint(coeffs)  # an antiderivative
    expected = P.polyval(x[2:], F) - P.polyval(x[:-2], F)
    onp.testing.assert_allclose(Y.asnumpy()[0], expected, rtol=1e-5,
                                atol=1e-4)


@given(corr2d_shapes(), SEEDS)
def test_running_sum_is_cumsum(shapes, seed):
    X, _ = random_pair(shapes, seed)
    onp.testing.assert_allclose(running_sum(X).asnumpy(),
                                onp.cumsum(X, axis=1), rtol=1e-5,
                                atol=1e-5)


@given(corr2d_shapes(), SEEDS)
def test_box_sums_are_differences_of_running_sums(shapes, seed):
    X, K = random_pair(shapes, seed)
    h, w = K.shape
    # summed-area table with a zero first row and column
    S = onp.zeros((X.shape[0] + 1, X.shape[1] + 1))
    S[1:, 1:] = running_sum(running_sum(X).T).T.asnumpy()
    boxes = S[h:, w:] - S[:-h, w:] - S[h:, :-w] + S[:-h, :-w]
    onp.testing.assert_allclose(corr2d(X, box_kernel(h, w)).asnumpy(),
                                boxes, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('w', [1, 2, 3, 4, 5])
def test_a_kernel_narrower_than_the_input_misses_the_first_column(w):
    # the running sum's last output depends on the first input; a w-tap
    # correlation's last output cannot, whatever its taps and padding
    X, K = random_pair(((2, 6), (1, w)), w)
    moved = X.copy()
    moved[:, 0] += 1
    padded = [onp.pad(A, ((0, 0), (w - 1, 0))) for A in (X, moved)]
    before, after = (corr2d(A, K).asnumpy()[:, -1] for A in padded)
    onp.testing.assert_array_equal(before, after)
    change = running_sum(moved).asnumpy() - running_sum(X).asnumpy()
    onp.testing.assert_allclose(change[:, -1], 1, rtol=1e-5)


@pytest.mark.parametrize('h, w, exc, pattern', [
    (0, 2, ValueError, 'box_kernel: h must be at least 1, got 0'),
    (2, -1, ValueError, 'box_kernel: w must be at least 1, got -1'),
    (2.0, 2, TypeError, 'box_kernel: h must be an int, got float'),
    (1, True, TypeError, 'box_kernel: w must be an int, got bool'),
])
def test_box_kernel_refuses_bad_sides(h, w, exc, pattern):
    with pytest.raises(exc, match=pattern):
        box_kernel(h, w)


@pytest.mark.parametrize('X, exc, pattern', [
    ([1, 2, 3], ValueError, r'running_sum: X must be a 2-D array'),
    (onp.zeros((2, 0)), ValueError, 'running_sum: X must not be empty'),
    ('abc', TypeError, 'running_sum: X must be a 2-D numeric array'),
    ([[True]], TypeError, 'running_sum: X must be numeric'),
])
def test_running_sum_refuses_bad_input(X, exc, pattern):
    with pytest.raises(exc, match=pattern):
        running_sum(X)
