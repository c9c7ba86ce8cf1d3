"""The section as the book publishes it, recorded once, as data.

Section 6.2 of *Dive into Deep Learning* (MXNet edition), "Convolutions
for Images": its nine code blocks (`BLOCKS`) and the six output blocks
they print (`PUBLISHED`), each with the subsection it appears in. The
command line, the tests and the notebooks all compare against this one
record, at the precision the book prints (`printed_form`, `matches`).

`BLOCKS` holds the code verbatim and in order (the seed's text lost its
indentation; it is restored), each block with the key in `PUBLISHED` of
the output it prints. The section notebook
(``notebooks/convolutions_for_images.ipynb``) shows each as a cell; the
tests prove it does, that its `corr2d` and `Conv2D` are the package's,
and that each block's stored output is the book's.
"""

import re
from collections import namedtuple

#: One published output: a short `key`, the `section` it appears in, the
#: book's `code` that printed it and the `text` the book shows.
Published = namedtuple('Published', ['key', 'section', 'code', 'text'])

PUBLISHED = (
    Published(
        key='corr2d',
        section='6.2.1 The Cross-Correlation Operator',
        code='corr2d(X, K)',
        text="""\
array([[19., 25.],
       [37., 43.]])"""),
    Published(
        key='edge_image',
        section='6.2.3 Object Edge Detection in Images',
        code='X',
        text="""\
array([[1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.],
       [1., 1., 0., 0., 0., 0., 1., 1.]])"""),
    Published(
        key='edges',
        section='6.2.3 Object Edge Detection in Images',
        code='Y = corr2d(X, K)',
        text="""\
array([[ 0., 1., 0., 0., 0., -1., 0.],
       [ 0., 1., 0., 0., 0., -1., 0.],
       [ 0., 1., 0., 0., 0., -1., 0.],
       [ 0., 1., 0., 0., 0., -1., 0.],
       [ 0., 1., 0., 0., 0., -1., 0.],
       [ 0., 1., 0., 0., 0., -1., 0.]])"""),
    Published(
        key='edges_transposed',
        section='6.2.3 Object Edge Detection in Images',
        code='corr2d(X.T, K)',
        text="""\
array([[0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.],
       [0., 0., 0., 0., 0.]])"""),
    Published(
        key='losses',
        section='6.2.4 Learning a Kernel',
        code="print('batch %d, loss %.3f' % (i + 1, l.sum()))",
        text="""\
batch 2, loss 4.949
batch 4, loss 0.831
batch 6, loss 0.140
batch 8, loss 0.024
batch 10, loss 0.004"""),
    Published(
        key='learned_kernel',
        section='6.2.4 Learning a Kernel',
        code='conv2d.weight.data().reshape(1, 2)',
        text='array([[ 0.9895   , -0.9873705]])'),
)

#: One code block of the section: the `section` it appears in, its
#: `code` and the `key` in `PUBLISHED` of the output it prints (None if
#: it prints none).
Block = namedtuple('Block', ['section', 'code', 'key'])

BLOCKS = (
    Block(
        section='6.2.1 The Cross-Correlation Operator',
        code='''\
from mxnet import autograd, np, npx
from mxnet.gluon import nn
npx.set_np()
# Save to the d2l package.
def corr2d(X, K):
    """Compute 2D cross-correlation."""
    h, w = K.shape
    Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
    return Y''',
        key=None),
    Block(
        section='6.2.1 The Cross-Correlation Operator',
        code='''\
X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
K = np.array([[0, 1], [2, 3]])
corr2d(X, K)''',
        key='corr2d'),
    Block(
        section='6.2.2 Convolutional Layers',
        code='''\
class Conv2D(nn.Block):
    def __init__(self, kernel_size, **kwargs):
        super(Conv2D, self).__init__(**kwargs)
        self.weight = self.params.get('weight', shape=kernel_size)
        self.bias = self.params.get('bias', shape=(1,))
    def forward(self, x):
        return corr2d(x, self.weight.data()) + self.bias.data()''',
        key=None),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='''\
X = np.ones((6, 8))
X[:, 2:6] = 0
X''',
        key='edge_image'),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='K = np.array([[1, -1]])',
        key=None),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='''\
Y = corr2d(X, K)
Y''',
        key='edges'),
    Block(
        section='6.2.3 Object Edge Detection in Images',
        code='corr2d(X.T, K)',
        key='edges_transposed'),
    Block(
        section='6.2.4 Learning a Kernel',
        code='''\
# Construct a convolutional layer with 1 output channel
# (channels will be introduced in the following section)
# and a kernel array shape of (1, 2)
conv2d = nn.Conv2D(1, kernel_size=(1, 2))
conv2d.initialize()
# The two-dimensional convolutional layer uses four-dimensional input and
# output in the format of (example channel, height, width), where the batch
# size (number of examples in the batch) and the number of channels are both 1
X = X.reshape(1, 1, 6, 8)
Y = Y.reshape(1, 1, 6, 7)
for i in range(10):
    with autograd.record():
        Y_hat = conv2d(X)
        l = (Y_hat - Y) ** 2
    l.backward()
    # For the sake of simplicity, we ignore the bias here
    conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
    if (i + 1) % 2 == 0:
        print('batch %d, loss %.3f' % (i + 1, l.sum()))''',
        key='losses'),
    Block(
        section='6.2.4 Learning a Kernel',
        code='conv2d.weight.data().reshape(1, 2)',
        key='learned_kernel'),
)

#: The records by key.
BY_KEY = {record.key: record for record in PUBLISHED}

#: A published `record`, what a run `reproduced` of it (its printed
#: form, or None where nothing ran it), and whether the two `match`.
Result = namedtuple('Result', ['record', 'reproduced', 'match'])


def printed_form(text):
    """Return `text` with every run of whitespace collapsed to one space.

    The book's HTML reflows array output, so two printed forms are equal
    when they agree after this normalisation.

    Parameters
    ----------
    text : str
        A printed output, such as ``repr`` of an array.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> printed_form('array([[ 0.9895   , -0.9873705]])')
    'array([[ 0.9895 , -0.9873705]])'
    """
    return ' '.join(text.split())


def loss_lines(losses):
    """Format losses as the book prints them: every second iteration.

    Parameters
    ----------
    losses : sequence of float
        The loss of every iteration, as `learn_kernel` returns them.

    Returns
    -------
    str
        One ``batch %d, loss %.3f`` line for each even-numbered batch.

    Examples
    --------
    >>> print(loss_lines([9.0, 4.9492, 2.0, 0.8311]))
    batch 2, loss 4.949
    batch 4, loss 0.831
    """
    return '\n'.join('batch %d, loss %.3f' % (i + 1, loss)
                     for i, loss in enumerate(losses) if (i + 1) % 2 == 0)


def matches(key, reproduced):
    """Tell whether a reproduced output prints as the book's `key` output.

    Parameters
    ----------
    key : str
        The key of a record in `PUBLISHED`.
    reproduced : str
        The reproduced printed output.

    Returns
    -------
    bool
        Whether the two printed forms are equal.

    Raises
    ------
    KeyError
        If `key` names no record.

    Examples
    --------
    >>> matches('corr2d', 'array([[19., 25.], [37., 43.]])')
    True
    >>> matches('corr2d', 'array([[19., 25.], [37., 44.]])')
    False
    """
    return printed_form(BY_KEY[key].text) == printed_form(reproduced)


def book_losses():
    """Return the losses the book prints in 6.2.4, parsed from its record.

    Returns
    -------
    batches : list of int
        The iterations printed, 2, 4, ..., 10.
    losses : list of float
        The losses printed there, to three decimals.

    Examples
    --------
    >>> book_losses()
    ([2, 4, 6, 8, 10], [4.949, 0.831, 0.14, 0.024, 0.004])
    """
    pairs = re.findall(r'batch (\d+), loss ([\d.]+)', BY_KEY['losses'].text)
    return [int(b) for b, _ in pairs], [float(loss) for _, loss in pairs]
