"""Section 6.2.3: the image, the kernel and what it detects."""

import numpy as onp

from d2l_conv import (
    corr2d,
    detect_edges,
    detect_edges_transposed,
    edge_image,
    edge_kernel,
)


def test_image_is_white_with_middle_four_columns_black():
    X = edge_image().asnumpy()
    assert X.shape == (6, 8)
    assert (X[:, 2:6] == 0).all()
    assert (X[:, [0, 1, 6, 7]] == 1).all()


def test_kernel_is_the_finite_difference():
    onp.testing.assert_array_equal(edge_kernel().asnumpy(), [[1, -1]])


def test_edges_are_where_adjacent_pixels_differ():
    X = edge_image().asnumpy()
    Y = detect_edges().asnumpy()
    onp.testing.assert_array_equal(Y, X[:, :-1] - X[:, 1:])
    assert set(onp.unique(Y)) == {-1.0, 0.0, 1.0}
    onp.testing.assert_array_equal(onp.nonzero(Y[0])[0], [1, 5])


def test_vertical_edge_kernel_sees_nothing_in_the_transposed_image():
    Z = detect_edges_transposed().asnumpy()
    assert Z.shape == (8, 5)
    assert not Z.any()


def test_transposed_kernel_finds_the_transposed_edges():
    Z = corr2d(edge_image().T, edge_kernel().T).asnumpy()
    onp.testing.assert_array_equal(Z, detect_edges().asnumpy().T)


def test_each_call_returns_a_fresh_image():
    X = edge_image()
    X[:] = 7
    assert float(edge_image().sum()) == 6 * 8 - 6 * 4
