"""The d2l names that the current edition's code for section 6.2 calls.

The current edition of *Dive into Deep Learning* (d2l.ai 1.0 and later,
section 7.2, MXNet tab) writes this section with the ``d2l`` helper's
framework-neutral names. These six are d2l 1.0.3's own lines, from the
alias block of its ``d2l/mxnet.py`` (lines 3334 to 3369): `tensor`,
`ones` and `zeros` are ``mxnet.np.array``, ``mxnet.np.ones`` and
``mxnet.np.zeros``; `transpose`, `reshape` and `reduce_sum` call the
array's own ``.T``, ``.reshape`` and ``.sum``, so a list, which has
none of them, raises `AttributeError`, as in d2l. Only these six; the
rest of d2l's alias layer is not here.

Examples
--------
>>> X = tensor([[0, 1, 2], [3, 4, 5]])
>>> X
array([[0., 1., 2.],
       [3., 4., 5.]])
>>> transpose(X).shape, reshape(X, (1, 1, 2, 3)).shape
((3, 2), (1, 1, 2, 3))
>>> reduce_sum(X), reduce_sum(X, axis=0)
(array(15.), array([3., 5., 7.]))
>>> ones((2, 3)) - zeros((2, 3))
array([[1., 1., 1.],
       [1., 1., 1.]])
"""

from mxnet import np

# As d2l writes them (ruff's E731 is off for this file: pyproject.toml).
transpose = lambda a: a.T
ones = np.ones
zeros = np.zeros
tensor = np.array
reshape = lambda x, *args, **kwargs: x.reshape(*args, **kwargs)
reduce_sum = lambda x, *args, **kwargs: x.sum(*args, **kwargs)
