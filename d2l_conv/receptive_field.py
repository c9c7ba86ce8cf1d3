"""Receptive fields: which inputs an element of a stacked layer sees.

Section 7.2.6 of today's edition, "Feature Map and Receptive Field":
`stacked_outputs` runs one or two stacked correlations with the book's
`corr2d`, and `field_of` and `field_text` say which elements of the
layers below any output element depends on. `figures` draws it and
`widgets.receptive_field` lets a learner click through it.
"""

from operator import index

from mxnet import np

from ._validation import check_corr2d_args
from .cross_correlation import corr2d
from .plotting import number

#: The names of the stacked layers' arrays: the input, then each output.
LAYER_NAMES = ('X', 'Y', 'Z')


def stacked_outputs(X=None, K=None, layers=2):
    """Return the input and the outputs of `layers` stacked correlations.

    Section 7.2.6 of today's edition, "Feature Map and Receptive
    Field": `X`, then ``Y = corr2d(X, K)``, then ``Z = corr2d(Y, K)``
    (the same kernel again, a second layer), each with the book's loop.

    Parameters
    ----------
    X : array_like, optional
        The 2-D input; defaults to the section's ``[[0, 1, 2], [3, 4,
        5], [6, 7, 8]]``.
    K : array_like, optional
        The 2-D kernel of every layer; defaults to ``[[0, 1], [2, 3]]``.
    layers : int, optional
        How many correlations to stack: 1 or 2.

    Returns
    -------
    list of numpy.ndarray
        ``[X, Y]`` or ``[X, Y, Z]``.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `layers` is
        not 1 or 2, or `K` does not fit in the output of the layer
        before.

    Examples
    --------
    >>> X, Y, Z = stacked_outputs()
    >>> Y.tolist(), Z.tolist()
    ([[19.0, 25.0], [37.0, 43.0]], [[228.0]])
    """
    func = 'stacked_outputs'
    if X is None:
        X = np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    if K is None:
        K = np.array([[0, 1], [2, 3]])
    if layers not in (1, 2) or isinstance(layers, bool):
        raise ValueError(f'{func}: layers must be 1 or 2, got {layers!r}')
    X, K = check_corr2d_args(func, X, K)
    arrays = [X]
    for _ in range(layers):
        arrays.append(corr2d(*check_corr2d_args(func, arrays[-1], K)))
    return [A.asnumpy() for A in arrays]


def field_of(kernel_shape, layer, i, j, below=0):
    """Return the receptive field of one element, in a layer below it.

    With stride 1 and an ``h x w`` kernel in every layer, element
    ``(i, j)`` of layer `layer`'s output is computed from the ``h x w``
    window at ``(i, j)`` of the layer before, and each layer further
    down widens the window by ``h - 1`` rows and ``w - 1`` columns.

    Parameters
    ----------
    kernel_shape : tuple of int
        ``(h, w)``, the kernel of every layer.
    layer : int
        The layer of the element: 1 for ``Y``, 2 for ``Z``.
    i, j : int
        The element's row and column.
    below : int, optional
        The layer to find the field in, under `layer`: 0 the input.

    Returns
    -------
    tuple of slice
        The rows and the columns of the field.

    Examples
    --------
    >>> field_of((2, 2), 1, 0, 0)  # Y[0, 0]: 2 x 2 of X, 4 inputs
    (slice(0, 2, None), slice(0, 2, None))
    >>> field_of((2, 2), 2, 0, 0)  # Z[0, 0]: 3 x 3 of X, 9 inputs
    (slice(0, 3, None), slice(0, 3, None))
    >>> field_of((2, 2), 2, 0, 0, below=1)  # and all 4 of Y
    (slice(0, 2, None), slice(0, 2, None))
    """
    (h, w), n = kernel_shape, layer - below
    return slice(i, i + n * (h - 1) + 1), slice(j, j + n * (w - 1) + 1)


def field_text(arrays, layer, i, j):
    """Say what element ``(i, j)`` of layer `layer` sees, in words.

    `arrays` are `stacked_outputs`'s; the kernel's shape is read from
    the change of shape from one layer to the next.

    Examples
    --------
    >>> arrays = stacked_outputs()
    >>> field_text(arrays, 1, 0, 0)
    'Y[0, 0] = 19 sees 4 of the 9 inputs, X[0:2, 0:2]'
    >>> field_text(arrays, 2, 0, 0)
    'Z[0, 0] = 228 sees 4 of Y and 9 of the 9 inputs, X[0:3, 0:3]'
    """
    shape = kernel_shape(arrays)
    names = LAYER_NAMES
    parts = []
    for below in range(layer - 1, -1, -1):
        rows, cols = field_of(shape, layer, i, j, below)
        count = (rows.stop - rows.start) * (cols.stop - cols.start)
        if below:
            parts.append(f'{count} of {names[below]}')
        else:
            parts.append(f'{count} of the {arrays[0].size} inputs, '
                         f'X[{rows.start}:{rows.stop}, '
                         f'{cols.start}:{cols.stop}]')
    value = number(arrays[layer][i, j])
    return f'{names[layer]}[{i}, {j}] = {value} sees {" and ".join(parts)}'


def kernel_shape(arrays):
    """Return the kernel's shape, from the first two of `stacked_outputs`."""
    (H, W), (oh, ow) = arrays[0].shape, arrays[1].shape
    return H - oh + 1, W - ow + 1


def check_element(func, arrays, selected):
    """Return `selected` as ``(layer, i, j)`` of an output, or raise."""
    try:
        layer, i, j = (index(v) for v in selected)
    except (TypeError, ValueError):
        raise TypeError(f'{func}: selected must be (layer, i, j), three '
                        f'integers, got {selected!r}') from None
    if not 1 <= layer < len(arrays):
        raise ValueError(f'{func}: layer must be 1 to {len(arrays) - 1}, '
                         f'got {layer}')
    shape = arrays[layer].shape
    if not (0 <= i < shape[0] and 0 <= j < shape[1]):
        raise ValueError(f'{func}: ({i}, {j}) is not an element of '
                         f'{LAYER_NAMES[layer]}, of shape {shape}')
    return layer, i, j
