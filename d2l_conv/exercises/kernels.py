"""Exercise 4: derivative kernels by hand, and how small they can be.

From section 6.2's exercises: "Design some kernels manually. What is
the form of a kernel for the second derivative? What is the kernel for
the Laplace operator? [...] What is the minimum size of a kernel to
obtain a derivative of degree d?"

On samples ``f(x0), f(x0 + 1), ...`` (spacing 1; for spacing ``dx``
divide a degree-`d` kernel by ``dx ** d``):

- `SECOND_DERIVATIVE`, ``[[1, -2, 1]]``: ``Y[j] = f(j) - 2 f(j + 1)
  + f(j + 2)``, which approximates ``f''`` at the middle sample
  ``j + 1``: it is ``f''(j + 1) + f''''(xi) / 12`` for some ``xi`` in
  the window, so exact on polynomials of degree at most 3.
- `LAPLACE`, the 5-point stencil: the second difference along each
  axis, summed; ``Y[i, j]`` is ``f_xx + f_yy`` at pixel
  ``(i + 1, j + 1)``, exact on polynomials of degree at most 3 in
  each variable.

>>> from d2l_conv import corr2d
>>> x = np.arange(6.0)
>>> corr2d((x ** 3).reshape(1, -1), SECOND_DERIVATIVE)  # 6 x at x = 1..4
array([[ 6., 12., 18., 24.]])
>>> LAPLACE
array([[ 0.,  1.,  0.],
       [ 1., -4.,  1.],
       [ 0.,  1.,  0.]])
"""

import math

import numpy as onp
from mxnet import np

from .._args import check_int


def derivative_kernel(d):
    """Return the ``1 x (d + 1)`` kernel of the degree-`d` difference.

    From section 6.2's exercises: "What is the minimum size of a kernel
    to obtain a derivative of degree d?" The taps are the alternating
    binomial coefficients, ``K[0, k] = (-1) ** (d - k) * comb(d, k)``,
    so ``corr2d(f, K)`` is the forward difference of order `d`. It is
    exact on polynomials of degree `d`, whose `d`-th derivative is a
    constant, ``d!`` times the leading coefficient.

    Parameters
    ----------
    d : int
        The degree of the derivative, at least 0.

    Returns
    -------
    K : mxnet.np.ndarray
        A float32 array of shape ``(1, d + 1)``.

    Raises
    ------
    TypeError
        If `d` is not an int (or is a bool).
    ValueError
        If `d` is negative.

    Examples
    --------
    >>> derivative_kernel(1)  # the section's [1, -1], negated
    array([[-1.,  1.]])
    >>> derivative_kernel(3)
    array([[-1.,  3., -3.,  1.]])
    """
    d = check_int('derivative_kernel', 'd', d, 0)
    taps = [(-1) ** (d - k) * math.comb(d, k) for k in range(d + 1)]
    return np.array([taps], dtype='float32')


#: The second derivative (section 6.2, exercise 4): ``[[1, -2, 1]]``.
SECOND_DERIVATIVE = derivative_kernel(2)

#: The 5-point Laplace operator (section 6.2, exercise 4).
LAPLACE = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype='float32')


def moment_system(d, taps):
    """Return ``V, b``: a `taps`-tap kernel is exact iff ``V @ K == b``.

    From section 6.2's exercises: "What is the minimum size of a kernel
    to obtain a derivative of degree d?" A kernel ``K`` with taps at
    offsets ``0, ..., taps - 1`` computes the `d`-th derivative exactly
    on every polynomial of degree at most `d` if and only if it does so
    on the monomials ``t ** m`` at ``t = 0`` (shifting a polynomial
    keeps its degree): ``sum_k K[k] k ** m = d! [m == d]`` for
    ``m = 0, ..., d``. ``V[m, k] = k ** m`` is a Vandermonde matrix.

    Parameters
    ----------
    d : int
        The degree of the derivative, at least 0.
    taps : int
        The kernel width, at least 1.

    Returns
    -------
    V : numpy.ndarray
        float64, shape ``(d + 1, taps)``.
    b : numpy.ndarray
        float64, shape ``(d + 1,)``: ``d!`` in the last place, else 0.

    Raises
    ------
    TypeError
        If `d` or `taps` is not an int (or is a bool).
    ValueError
        If `d` is negative or `taps` less than 1.

    Examples
    --------
    Three taps solve the system for ``d = 2``; two cannot, as ``[V | b]``
    has a larger rank than ``V``:

    >>> import numpy as onp
    >>> V, b = moment_system(2, 3)
    >>> onp.linalg.solve(V, b)
    array([ 1., -2.,  1.])
    >>> V, b = moment_system(2, 2)
    >>> rank = onp.linalg.matrix_rank
    >>> int(rank(V)), int(rank(onp.column_stack([V, b])))
    (2, 3)
    """
    d = check_int('moment_system', 'd', d, 0)
    taps = check_int('moment_system', 'taps', taps, 1)
    V = onp.vander(onp.arange(taps, dtype='float64'), d + 1,
                   increasing=True).T  # (d + 1, taps)
    b = onp.zeros(d + 1)
    b[d] = math.factorial(d)
    return V, b


def min_kernel_size(d):
    """Return the minimum kernel width for a derivative of degree `d`.

    From section 6.2's exercises: "What is the minimum size of a kernel
    to obtain a derivative of degree d?" The answer is ``d + 1``, the
    width of the kernel exact on polynomials of degree `d` (a centred
    stencil, symmetric about its middle tap, has an odd width: ``d + 1``
    for even `d`, such as ``[1, -2, 1]``, and ``d + 2`` for odd `d`;
    it is exact on polynomials of degree ``d + 1``):

    - ``d + 1`` taps suffice: `derivative_kernel` (alternating binomial
      coefficients) solves `moment_system`.
    - ``d`` taps cannot: rows ``0, ..., d - 1`` of ``V @ K = b`` form an
      invertible square Vandermonde matrix (distinct nodes) with a zero
      right-hand side, so ``K = 0``, and then row ``d`` says
      ``0 = d!``. Numerically, ``[V | b]`` has rank ``d + 1`` and ``V``
      rank ``d``. Fewer taps drop columns and cannot help.

    Parameters
    ----------
    d : int
        The degree of the derivative, at least 0 (degree 0 is the
        identity, the kernel ``[[1]]``).

    Returns
    -------
    int
        ``d + 1``.

    Raises
    ------
    TypeError
        If `d` is not an int (or is a bool).
    ValueError
        If `d` is negative.

    Examples
    --------
    >>> [min_kernel_size(d) for d in range(5)]
    [1, 2, 3, 4, 5]
    """
    d = check_int('min_kernel_size', 'd', d, 0)
    return d + 1
