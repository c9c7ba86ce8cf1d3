"""The section's kernels on a real photograph.

Section 6.2 is called "Convolutions for Images", but its image is a
6 x 8 array of ones and zeros. This module takes its kernels to a real
photograph: matplotlib's own sample of Grace Hopper (600 x 512 pixels,
shipped with matplotlib, so nothing is downloaded).

- `load_photograph`: the photograph as a grayscale float32 image in
  ``[0, 1]``, 1 white and 0 black.
- `SECTION_KERNELS`, `EXERCISE_KERNELS`: the kernels of 6.2.3 and of
  exercise 4, by name; `plot_filtered` draws what they do to an image.
- `learn_on_photograph`: 6.2.4's experiment at photographic scale, a
  3 x 3 kernel learned from (photograph, photograph filtered by `SOBEL`);
  `plot_losses` draws its loss curve.

matplotlib is imported inside the functions that need it, as in
`d2l_conv.figures`, so importing this module costs no more than
``import d2l_conv``.
"""

import os

import numpy as onp
from mxnet import init, np
from mxnet.gluon import nn

from . import corr2d_fast  # the public name; its engines may move
from ._args import check_int
from ._validation import as_2d_array, check_corr2d_args
from .edge_detection import edge_kernel
from .exercises import LAPLACE, SECOND_DERIVATIVE, box_kernel
from .learning import learn_kernel
from .plotting import (
    averages,
    check_losses,
    draw_losses,
    draw_map,
    new_figure,
)

#: matplotlib's sample photograph (``matplotlib.cbook.get_sample_data``).
PHOTOGRAPH = 'grace_hopper.jpg'

#: ITU-R BT.601 luma weights of red, green and blue (as PIL's ``'L'``).
LUMA = (0.299, 0.587, 0.114)

#: 6.2.3's kernel, which finds vertical edges, and its transpose.
SECTION_KERNELS = {'K = [[1, −1]]': edge_kernel(),
                   'K.T = [[1], [−1]]': edge_kernel().T}

#: Exercise 4's kernels; the box is normalised to average its window.
EXERCISE_KERNELS = {'second derivative [[1, −2, 1]]': SECOND_DERIVATIVE,
                    'Laplacian (5-point)': LAPLACE,
                    'box blur, 9 x 9 ones / 81': box_kernel(9, 9) / 81}

#: The known kernel of the learning experiment: Sobel's, for vertical
#: edges (``[[1], [2], [1]]`` times ``[[1, 0, -1]]``).
SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype='float32')

#: Rows and columns of a 240 x 240 crop of the photograph around the
#: face: `plot_filtered` draws it at full resolution, where a map of
#: one-pixel lines (a second difference) stays visible; shrunk to a
#: panel, the whole photograph averages such lines away.
FACE = (slice(90, 330), slice(130, 370))

#: Learning rate and iterations of `learn_on_photograph`; see there.
LR, NUM_ITERS = 1.9e-5, 500



def load_photograph(name=PHOTOGRAPH):
    """Return a photograph of matplotlib's sample data, in grayscale.

    Parameters
    ----------
    name : str, optional
        A JPEG or PNG file of ``matplotlib.cbook.get_sample_data``;
        defaults to `PHOTOGRAPH`, Grace Hopper.

    Returns
    -------
    X : mxnet.np.ndarray
        float32, shape ``(height, width)``, values in ``[0, 1]``: the
        `LUMA`-weighted sum of red, green and blue, 1 white, 0 black.

    Raises
    ------
    TypeError
        If `name` is not a string.
    ValueError
        If matplotlib has no sample file `name`.

    Examples
    --------
    >>> X = load_photograph()
    >>> X.shape, X.dtype
    ((600, 512), dtype('float32'))
    >>> 0 <= float(X.min()) < float(X.max()) <= 1
    True
    """
    func = 'load_photograph'
    if not isinstance(name, str):
        raise TypeError(f'{func}: name must be a str, '
                        f'got {type(name).__name__}')
    from matplotlib import cbook, image
    path = cbook.get_sample_data(name, asfileobj=False)
    if not os.path.isfile(path):
        raise ValueError(f'{func}: matplotlib has no sample file {name!r}')
    pixels = image.imread(path)  # (H, W) or (H, W, 3 or 4)
    if pixels.dtype == onp.uint8:
        pixels = pixels / 255
    if pixels.ndim == 3:
        pixels = pixels[..., :3] @ onp.array(LUMA)
    return np.array(pixels.astype('float32'))


def _check_kernels(func, kernels):
    """Return `kernels` as a list of ``(str, mxnet.np.ndarray)`` pairs."""
    if not isinstance(kernels, dict) or not kernels:
        raise TypeError(f'{func}: kernels must be a non-empty dict of '
                        f'name to kernel, got {type(kernels).__name__}')
    return [(str(name), as_2d_array(func, f'kernels[{name!r}]', K))
            for name, K in kernels.items()]


def plot_filtered(X, kernels, ncols=4):
    """Draw an image and ``corr2d_fast(X, K)`` for each kernel `K`.

    The image, and every result that is again an image of pixel values
    (a kernel with no negative taps that sums to 1, such as a box blur),
    is drawn in grayscale, 1 white and 0 black. A signed result (edges,
    derivatives) is drawn on a diverging scale of its own with its
    colour bar: red positive, blue negative, white 0, clipped at the
    `plotting.CLIP_PERCENTILE`-th percentile of its ``|Y|`` (the bar under it
    says where).

    Parameters
    ----------
    X : array_like
        The 2-D image, values in ``[0, 1]``.
    kernels : dict of str to array_like
        Panel titles and the 2-D kernels to apply, in order.
    ncols : int, optional
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, image first, each showing its array as
        ``ax.images[0]``, followed by the colour bars.

    Raises
    ------
    TypeError, ValueError
        If `X` or a kernel is not a non-empty 2-D numeric array, a
        kernel does not fit in `X`, `kernels` is not a non-empty dict,
        or `ncols` is not a positive int.

    Examples
    --------
    >>> X = np.array([[1, 1, 0, 0], [1, 1, 0, 0]])
    >>> fig = plot_filtered(X, {'K': [[1, -1]]})
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['image X (1: white, 0: black)', 'K']
    >>> fig.axes[1].images[0].get_array().tolist()
    [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]
    """
    func = 'plot_filtered'
    X = as_2d_array(func, 'X', X)
    pairs = _check_kernels(func, kernels)
    ncols = check_int(func, 'ncols', ncols, 1)
    panels = [('image X (1: white, 0: black)', X, True)]
    for name, K in pairs:
        X, K = check_corr2d_args(func, X, K)
        panels.append((name, corr2d_fast(X, K), averages(K.asnumpy())))
    ncols = min(ncols, len(panels))
    nrows = -(-len(panels) // ncols)
    H, W = X.shape
    # 80 dpi: about 290 pixels a panel, half the photograph's width,
    # keeps a notebook's stored PNGs small; a row is a panel, its title
    # and the colour bar under it (about an inch)
    fig = new_figure(figsize=(3.6 * ncols, nrows * (3.6 * H / W + 1.1)),
                     dpi=80, layout='constrained')
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, (title, Y, pixels) in zip(axes, panels, strict=False):
        draw_map(fig, ax, Y.asnumpy(), title, pixels)
    for ax in axes[len(panels):]:
        fig.delaxes(ax)
    return fig


def learn_on_photograph(X, K=SOBEL, *, lr=LR, num_iters=NUM_ITERS):
    """Learn `K` back from ``(X, corr2d_fast(X, K))``, as in 6.2.4.

    Section 6.2.4, "Learning a Kernel", at photographic scale: a 3 x 3
    ``nn.Conv2D`` without bias, its kernel starting at 0 (so the
    learned kernel owes nothing to a random draw), is trained by
    `learn_kernel`, the section's gradient descent on the summed
    squared error. The image is halved (every second pixel, 300 x 256
    for the photograph) and its mean subtracted first: neighbouring
    pixels of a photograph are nearly equal, which makes plain gradient
    descent slow, and both steps make them less alike. Even so it takes
    hundreds of iterations where the book's 6 x 8 image took ten.

    Parameters
    ----------
    X : array_like
        The 2-D image.
    K : array_like, optional
        The kernel to learn back; defaults to `SOBEL`.
    lr : float, optional
        The learning rate. The default, `LR`, is 0.85 of the largest
        stable rate for the photograph, ``2 / lambda_max``, where
        ``lambda_max`` (8.97e4) is the largest eigenvalue of the loss's
        Hessian, twice the Gram matrix of the halved image's 3 x 3
        windows; the loss is a sum over pixels, so a larger image needs
        a smaller rate.
    num_iters : int, optional
        The number of iterations; `NUM_ITERS` by default.

    Returns
    -------
    kernel : mxnet.np.ndarray
        The learned kernel, of the shape of `K`.
    losses : list of float
        The summed squared error of every iteration, before its update.

    Raises
    ------
    TypeError, ValueError
        As `learn_kernel`, naming it; or if `X` or `K` is not a
        non-empty 2-D numeric array, or `K` does not fit in the halved
        image.

    Examples
    --------
    On random pixels, unlike a photograph's, neighbours are unalike,
    and twenty iterations suffice:

    >>> X = np.array(onp.random.default_rng(0).random((40, 40)))
    >>> kernel, losses = learn_on_photograph(X, lr=5e-3, num_iters=20)
    >>> kernel.shape, losses[-1] < losses[0] / 100
    ((3, 3), True)
    """
    func = 'learn_on_photograph'
    # float32, the layer's dtype
    X = as_2d_array(func, 'X', X)[::2, ::2].astype('float32')
    X, K = check_corr2d_args(func, X - X.mean(), K)
    K = K.astype('float32')
    layer = nn.Conv2D(1, kernel_size=K.shape, use_bias=False,
                      weight_initializer=init.Zero())
    return learn_kernel(X, corr2d_fast(X, K), layer=layer, lr=lr,
                        num_iters=num_iters)


def plot_losses(losses, title='learning a 3 x 3 kernel'):
    """Draw the loss of every iteration on a log scale.

    Parameters
    ----------
    losses : sequence of float
        Positive, finite losses, first iteration first.
    title : str, optional
        The axes title.

    Returns
    -------
    matplotlib.figure.Figure
        Its axes hold the curve as ``lines[0]`` (x: 1, 2, ...).

    Raises
    ------
    TypeError, ValueError
        If `losses` is not a non-empty sequence of positive finite reals.

    Examples
    --------
    >>> fig = plot_losses([100.0, 10.0, 1.0])
    >>> ax = fig.axes[0]
    >>> ax.get_yscale(), [float(y) for y in ax.lines[0].get_ydata()]
    ('log', [100.0, 10.0, 1.0])
    """
    losses = check_losses('plot_losses', losses)
    fig = new_figure(figsize=(5.6, 3.4), layout='constrained')
    draw_losses(fig.add_subplot(), losses, str(title))
    return fig
