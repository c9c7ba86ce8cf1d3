"""d2l_conv: "Convolutions for Images" (D2L section 6.2, MXNet), runnable.

Use it as the book's helper, in either edition's code::

    import d2l_conv as d2l
    d2l.corr2d(X, K)                          # the 2019 edition (the seed)
    d2l.reduce_sum(d2l.tensor([[1.0, 2.0]]))  # d2l.ai 1.0 and later

Importing the package calls ``mxnet.npx.set_np()``. The book's ``d2l``
package does not: no release from 0.11 to 1.0.3 calls it; the book's
code calls it itself, after its imports, in both editions. d2l_conv
calls it because its own functions need MXNet's NumPy semantics (in
MXNet 1.9.1 even `corr2d` fails without them), so they work whether or
not that line has run; the book's own call afterwards changes nothing.
It imports nothing heavy beyond MXNet: matplotlib is imported only when
`d2l_conv.figures` is first used, and scipy never.

d2l_conv runs on MXNet 1.7 to 1.9.1, any build (CPU or ``mxnet-cuXX``),
which it does not install (docs/install.md, "Your MXNet"). Without one,
with another version, or with a numpy outside the range tested on the
running Python (1.23 on 3.11, 1.26 to 2.4 on 3.12, 2.1 to 2.4 on 3.13)
the import raises one `ImportError` saying what to install.
"""

from ._versions import check_numpy, import_mxnet

check_numpy()
import_mxnet()

from mxnet import npx  # noqa: E402 (after the version checks)

npx.set_np()

from . import exercises  # noqa: E402
from .conv_layer import Conv2D  # noqa: E402
from .convolution import conv2d_true, flip_kernel  # noqa: E402
from .cross_correlation import corr2d  # noqa: E402
from .d2l_names import (  # noqa: E402
    ones,
    reduce_sum,
    reshape,
    tensor,
    transpose,
    zeros,
)
from .edge_detection import (  # noqa: E402
    detect_edges,
    detect_edges_transposed,
    edge_image,
    edge_kernel,
)
from .fast import corr2d_fast  # noqa: E402
from .learning import learn_kernel  # noqa: E402
from .published import PUBLISHED  # noqa: E402
from .vectorized import corr2d_vectorized  # noqa: E402

__version__ = '0.1.0'

__all__ = [
    'Conv2D', 'PUBLISHED', 'conv2d_true', 'corr2d', 'corr2d_fast',
    'corr2d_vectorized',
    'detect_edges', 'detect_edges_transposed', 'edge_image', 'edge_kernel',
    'exercises', 'flip_kernel', 'learn_kernel',
    # the d2l names the current edition's code for this section calls
    'ones', 'reduce_sum', 'reshape', 'tensor', 'transpose', 'zeros',
]


def __getattr__(name):
    """Import `figures` on first use, so matplotlib stays out of import."""
    if name == 'figures':
        import importlib
        return importlib.import_module('.figures', __name__)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
