"""Book regression: every published output of section 6.2, as printed.

Each test compares against the one record in `d2l_conv.published`, at
the precision the book prints: arrays by their printed form with
whitespace normalised, losses as ``%.3f`` strings.
"""

import pytest

from d2l_conv import (
    corr2d,
    detect_edges,
    detect_edges_transposed,
    edge_image,
    edge_kernel,
    learn_kernel,
)
from d2l_conv.published import BY_KEY, PUBLISHED, loss_lines, matches
from d2l_conv.reproduce import reproduce, run_section


def test_the_record_holds_the_sections_six_output_blocks():
    assert [record.key for record in PUBLISHED] == [
        'corr2d', 'edge_image', 'edges', 'edges_transposed', 'losses',
        'learned_kernel']
    assert all(record.section.startswith('6.2.') for record in PUBLISHED)


def test_corr2d_example():
    from mxnet import np
    X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = np.array([[0, 1], [2, 3]])
    assert matches('corr2d', repr(corr2d(X, K)))


def test_edge_image():
    assert matches('edge_image', repr(edge_image()))


def test_edges():
    assert matches('edges', repr(corr2d(edge_image(), edge_kernel())))
    assert matches('edges', repr(detect_edges()))


def test_edges_transposed():
    assert matches('edges_transposed', repr(detect_edges_transposed()))


def test_learned_losses_and_kernel():
    kernel, losses = learn_kernel()
    assert len(losses) == 10
    assert loss_lines(losses) == BY_KEY['losses'].text
    assert matches('learned_kernel', repr(kernel))


def _draw_some_random_numbers():
    import mxnet as mx
    mx.random.seed(1234)
    mx.np.random.uniform(size=(17,))
    mx.nd.random.normal(shape=(3, 3))


def test_learn_kernel_reproduces_the_book_after_other_random_draws():
    _draw_some_random_numbers()
    kernel, losses = learn_kernel()
    assert loss_lines(losses) == BY_KEY['losses'].text
    assert matches('learned_kernel', repr(kernel))


def test_without_seed_other_draws_change_the_result():
    # The control for the test above: the seed is what makes it hold.
    _draw_some_random_numbers()
    kernel, losses = learn_kernel(seed=None)
    assert loss_lines(losses) != BY_KEY['losses'].text


def test_a_mismatch_is_detected():
    kernel, losses = learn_kernel(num_iters=10, lr=2e-2)
    assert loss_lines(losses) != BY_KEY['losses'].text
    assert not matches('learned_kernel', repr(kernel))


def test_reproduce_matches_every_record():
    results = reproduce()
    assert [r.record for r in results] == list(PUBLISHED)
    assert all(r.match for r in results), [
        (r.record.key, r.reproduced) for r in results if not r.match]


@pytest.mark.parametrize('key', [record.key for record in PUBLISHED])
def test_run_section_prints_every_block(key):
    assert matches(key, run_section()[key])
