"""Checks of the scalar arguments: counts, sizes, rates and pairs.

Each returns the value it was given, as a plain ``int`` or ``float``,
or raises a `TypeError` (the wrong type; bools are not ints) or a
`ValueError` (out of range) whose message names the function the
reader called and the argument. The array inputs of the correlations
have checks of their own, in `d2l_conv._validation`.
"""

import math
import numbers


def _is_int(value):
    """Tell whether `value` is an int, not counting bools."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(func, name, value, minimum, *, none_ok=False):
    """Return `value` if it is an int of at least `minimum`, else raise.

    Raises a `TypeError` (not an int, or a bool) or a `ValueError` (too
    small) whose message names `func` and the argument `name`. With
    `none_ok`, None is returned as it is.

    Examples
    --------
    >>> check_int('learn_kernel', 'num_iters', 10, 1)
    10
    >>> check_int('learn_kernel', 'num_iters', 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: learn_kernel: num_iters must be at least 1, got 0
    >>> check_int('learn_kernel', 'seed', 'a', 0, none_ok=True)
    Traceback (most recent call last):
    ...
    TypeError: learn_kernel: seed must be an int or None, got str
    """
    if none_ok and value is None:
        return None
    if not _is_int(value):
        kind = 'an int or None' if none_ok else 'an int'
        raise TypeError(f'{func}: {name} must be {kind}, '
                        f'got {type(value).__name__}')
    if value < minimum:
        bound = 'non-negative' if minimum == 0 else f'at least {minimum}'
        raise ValueError(f'{func}: {name} must be {bound}, got {value}')
    return int(value)


def check_positive_real(func, name, value):
    """Return `value` as a float if it is a finite, positive real number.

    Raises a `TypeError` (not a real number, or a bool) or a `ValueError`
    (NaN, infinite, zero or negative) whose message names `func` and the
    argument `name`.

    Examples
    --------
    >>> check_positive_real('learn_kernel', 'lr', 3e-2)
    0.03
    >>> check_positive_real('learn_kernel', 'lr', float('inf'))
    Traceback (most recent call last):
    ...
    ValueError: learn_kernel: lr must be finite and positive, got inf
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f'{func}: {name} must be a real number, '
                        f'got {type(value).__name__}')
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f'{func}: {name} must be finite and positive, '
                         f'got {value}')
    return float(value)


def check_pair(func, name, value, sides):
    """Return `value` if it is a tuple of two ints, else raise `TypeError`.

    `sides` names the two ints in the message, e.g. ``'(h, w)'``.

    Examples
    --------
    >>> check_pair('toeplitz_matrix', 'shape', (3, 4), '(H, W)')
    (3, 4)
    """
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(_is_int(side) for side in value)):
        raise TypeError(f'{func}: {name} must be a pair of ints {sides}, '
                        f'got {value!r}')
    return int(value[0]), int(value[1])
