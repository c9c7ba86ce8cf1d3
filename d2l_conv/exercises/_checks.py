"""Argument checks shared by the exercises: sizes, degrees and shapes."""

import numbers


def _is_int(value):
    """Tell whether `value` is an int, not counting bools."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(func, name, value, minimum):
    """Return `value` if it is an int of at least `minimum`, else raise.

    Raises a `TypeError` (not an int, or a bool) or a `ValueError` (too
    small) whose message names `func` and the argument `name`.
    """
    if not _is_int(value):
        raise TypeError(f'{func}: {name} must be an int, '
                        f'got {type(value).__name__}')
    if value < minimum:
        bound = 'non-negative' if minimum == 0 else f'at least {minimum}'
        raise ValueError(f'{func}: {name} must be {bound}, got {value}')
    return int(value)


def check_pair(func, name, value, sides):
    """Return `value` if it is a tuple of two ints, else raise `TypeError`.

    `sides` names the two ints in the message, e.g. ``'(h, w)'``.
    """
    if (not isinstance(value, tuple) or len(value) != 2
            or not all(_is_int(side) for side in value)):
        raise TypeError(f'{func}: {name} must be a pair of ints {sides}, '
                        f'got {value!r}')
    return int(value[0]), int(value[1])
