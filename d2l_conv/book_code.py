"""The section's nine code blocks, as data.

Section 6.2 of *Dive into Deep Learning* (MXNet edition), "Convolutions
for Images", has nine code blocks; `BLOCKS` records them, verbatim and in
order (the seed's text lost their indentation; it is restored), each
with the key in `PUBLISHED` of the output it prints. The section
notebook (``notebooks/convolutions_for_images.ipynb``) shows each as a
cell; the tests prove it does, that its `corr2d` and `Conv2D` are the
package's, and that each block's stored output is the book's.
"""

from collections import namedtuple

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
