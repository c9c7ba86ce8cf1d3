"""How much faster `corr2d_fast` is than the book's loop, per output.

The book's `corr2d` (6.2.1) runs one Python iteration per output
element, far too long to wait for on a photograph: `compare_speed`
times it on a corner and `corr2d_fast` on the whole image, and
`speed_line` says the ratio per output element. The photograph
notebook and `widgets.kernel_explorer` use them.
"""

import time
from collections import namedtuple

from . import corr2d_fast  # the public name; its engines may move
from ._args import check_int
from ._validation import check_corr2d_args
from .cross_correlation import corr2d

#: Times of `compare_speed`; ``*_outputs`` count output elements.
Speed = namedtuple('Speed', ['loop_s', 'loop_outputs', 'fast_s',
                             'fast_outputs'])


def _seconds(call, repeat):
    """Return the best of `repeat` wall-clock times of ``call()``."""
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def compare_speed(X, K, crop=40, repeat=5):
    """Time the book's loop on a crop and `corr2d_fast` on all of `X`.

    The book's `corr2d` (6.2.1) runs one Python iteration per output
    element, so it runs on the top-left ``crop x crop`` corner only,
    once; `speed_line` estimates from it how long it would take on the
    whole image. `corr2d_fast` runs on the whole image, best of
    `repeat`. Compare them per output element.

    Parameters
    ----------
    X, K : array_like
        The 2-D image and kernel.
    crop : int, optional
        The side of the corner the loop runs on, at least the kernel's.
    repeat : int, optional
        How many times `corr2d_fast` runs; the best time counts.

    Returns
    -------
    Speed
        ``(loop_s, loop_outputs, fast_s, fast_outputs)``; print it with
        `speed_line`.

    Raises
    ------
    TypeError, ValueError
        If `X` or `K` is not a non-empty 2-D numeric array, `K` does not
        fit in the crop, or `crop` or `repeat` is not a positive int.

    Examples
    --------
    >>> from mxnet import np
    >>> speed = compare_speed(np.ones((60, 60)), np.ones((3, 3)), crop=8)
    >>> speed.loop_outputs, speed.fast_outputs
    (36, 3364)
    """
    func = 'compare_speed'
    crop = check_int(func, 'crop', crop, 1)
    repeat = check_int(func, 'repeat', repeat, 1)
    X, K = check_corr2d_args(func, X, K)
    corner, K = check_corr2d_args(func, X[:crop, :crop], K)
    (H, W), (h, w) = X.shape, K.shape
    small = (corner.shape[0] - h + 1) * (corner.shape[1] - w + 1)
    loop_s = _seconds(lambda: corr2d(corner, K).wait_to_read(), 1)
    fast_s = _seconds(lambda: corr2d_fast(X, K).wait_to_read(), repeat)
    return Speed(loop_s, small, fast_s, (H - h + 1) * (W - w + 1))


def speed_line(speed):
    """Say how much faster `corr2d_fast` is per output element.

    Parameters
    ----------
    speed : Speed
        As `compare_speed` returns.

    Returns
    -------
    str
        Both times, per output element, their ratio, and how long the
        loop would take on the whole image.

    Raises
    ------
    TypeError
        If `speed` is not a `Speed`.

    Examples
    --------
    >>> print(speed_line(Speed(0.5, 1444, 0.004, 304980)))
    book's corr2d on 1444 outputs (a crop): 0.500 s, 346 µs per output;
    corr2d_fast on all 304980 outputs: 4.00 ms, 13.1 ns per output;
    corr2d_fast is 26,400x faster per output
    (the loop would take 106 s on the whole image)
    """
    if not isinstance(speed, Speed):
        raise TypeError(f'speed_line: speed must be a Speed, '
                        f'got {type(speed).__name__}')
    loop, fast = (speed.loop_s / speed.loop_outputs,
                  speed.fast_s / speed.fast_outputs)
    ratio = float(f'{loop / fast:.3g}')  # three significant digits
    return (f"book's corr2d on {speed.loop_outputs} outputs (a crop): "
            f'{speed.loop_s:.3f} s, {loop * 1e6:.3g} µs per output;\n'
            f'corr2d_fast on all {speed.fast_outputs} outputs: '
            f'{speed.fast_s * 1e3:.2f} ms, {fast * 1e9:.3g} ns per '
            f'output;\ncorr2d_fast is {ratio:,.0f}x faster per output\n'
            f'(the loop would take {loop * speed.fast_outputs:.0f} s on '
            'the whole image)')
