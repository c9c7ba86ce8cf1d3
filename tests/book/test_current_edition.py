"""The helper contract: the current edition's steps, through d2l_conv.

The current edition of the book (d2l.ai 1.0 and later, section 7.2,
MXNet tab) does what the seed's section 6.2 does, spelled with the d2l
helper's names and trained without a bias. This test takes those steps
in its own words, with ``import d2l_conv as d2l`` as the helper, and
checks what each step prints against the published record: the same
numbers, with losses reported per ``epoch`` where the seed says
``batch``.
"""

import re

import mxnet as mx
import pytest
from conftest import ROOT
from mxnet import autograd
from mxnet.gluon import nn

import d2l_conv as d2l
from d2l_conv.published import BY_KEY, matches


def corr2d(X, K):
    """2-D cross-correlation, written on `d2l.zeros` and `d2l.reduce_sum`."""
    h, w = K.shape
    Y = d2l.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = d2l.reduce_sum(X[i:i + h, j:j + w] * K)
    return Y


def image_with_a_dark_band():
    """The 6 x 8 image of ones with columns 2 to 5 set to zero."""
    X = d2l.ones((6, 8))
    X[:, 2:6] = 0
    return X


def loss_numbers(text):
    """``[(iteration, '%.3f' loss)]`` from lines in either wording."""
    found = re.findall(r'^(?:batch|epoch) (\d+), loss (\d+\.\d{3})$', text,
                       flags=re.MULTILINE)
    assert len(found) == len(text.splitlines()), text
    return [(int(i), loss) for i, loss in found]


def test_corr2d_on_tensors():
    X = d2l.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = d2l.tensor([[0.0, 1.0], [2.0, 3.0]])
    assert matches('corr2d', repr(corr2d(X, K)))
    assert repr(d2l.corr2d(X, K)) == repr(corr2d(X, K))


def test_the_image_its_edges_and_its_transpose():
    X = image_with_a_dark_band()
    K = d2l.tensor([[1.0, -1.0]])
    assert matches('edge_image', repr(X))
    assert matches('edges', repr(corr2d(X, K)))
    assert matches('edges_transposed', repr(corr2d(d2l.transpose(X), K)))


def test_learning_the_kernel_without_a_bias(capsys):
    X = image_with_a_dark_band()
    Y = corr2d(X, d2l.tensor([[1.0, -1.0]]))
    # one output channel, a 1 x 2 kernel, and no bias term at all
    conv2d = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
    mx.random.seed(0)  # the state of a fresh process, which the book uses
    conv2d.initialize()
    # (batch, channel, height, width)
    X = d2l.reshape(X, (1, 1, 6, 8))
    Y = d2l.reshape(Y, (1, 1, 6, 7))
    for i in range(10):
        with autograd.record():
            squared_error = (conv2d(X) - Y) ** 2
        squared_error.backward()
        conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
        if (i + 1) % 2 == 0:
            print('epoch %d, loss %.3f'
                  % (i + 1, d2l.reduce_sum(squared_error)))
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == 'epoch 2, loss 4.949'
    assert loss_numbers(printed) == loss_numbers(BY_KEY['losses'].text)
    assert conv2d.bias is None
    kernel = d2l.reshape(conv2d.weight.data(), (1, 2))
    assert matches('learned_kernel', repr(kernel))


def test_loss_numbers_reads_both_wordings_and_only_them():
    assert loss_numbers('batch 2, loss 4.949\nepoch 4, loss 0.831') == [
        (2, '4.949'), (4, '0.831')]
    for wrong in ('step 2, loss 4.949', 'epoch 2, loss 4.95'):
        with pytest.raises(AssertionError):
            loss_numbers(wrong)


def test_the_readme_example_of_the_current_edition_runs():
    import doctest
    text = (ROOT / 'README.md').read_text(encoding='utf-8')
    use_it = text[text.index('## Use it'):]
    use_it = use_it[:use_it.index('\n## ', 1)]
    blocks = re.findall(r'```pycon\n(.*?)```', use_it, flags=re.DOTALL)
    assert any('d2l.tensor' in block for block in blocks)
    for block in blocks:
        test = doctest.DocTestParser().get_doctest(
            block, {}, 'README: Use it', 'README.md', 0)
        runner = doctest.DocTestRunner(
            optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0
