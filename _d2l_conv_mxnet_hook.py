"""Let ``import mxnet`` (MXNet 1.x) run on numpy 1.24 and later.

MXNet 1.x reads, as it imports, names that numpy has since removed:
``numpy.bool`` and ``numpy.int`` (removed in 1.24), and on numpy 2 the
constants (``PINF``, ``NaN``, ...), the aliases (``alltrue``, ``product``,
``round_``, ...) and the NEP 32 financial functions its fallback list
names. This module puts back exactly those that the running numpy lacks,
with the values numpy 1.23 gave them, and nothing else:

- it acts only when ``mxnet`` is first imported (a finder on
  ``sys.meta_path`` that removes itself then), never at interpreter start,
  where it costs one small import and no numpy;
- on numpy older than 1.24 it does nothing;
- it never replaces a name numpy has (in its namespace, or from its
  module ``__getattr__``), and prints no warning;
- ``D2L_CONV_MXNET_HOOK=0`` in the environment turns it off (the
  ``.pth`` then imports nothing).

The names are `NAMES`; `restore` sets them, with their values, and
only then imports anything beyond ``sys``. The list is what
MXNet 1.9.1 reads: its sources' ``numpy`` attribute
reads and the names its array-function registry looks up, checked by
importing it on numpy 1.26 and 2.4 (see the README, "Your Python").
d2l_conv's wheel installs ``d2l_conv_mxnet_hook.pth``, one line that
calls `install`, so ``from mxnet import np`` works before, or without,
``import d2l_conv``.

Examples
--------
>>> finder = _Finder()
>>> finder.find_spec('json') is None
True
"""

import sys

#: The environment variable that turns the hook off (``0``).
SWITCH = 'D2L_CONV_MXNET_HOOK'


class _Finder:
    """Finds nothing; restores the names the first time ``mxnet`` is asked
    for, then leaves ``sys.meta_path``."""

    def find_spec(self, name, path=None, target=None):
        if name == 'mxnet':
            _uninstall()
            numpy = sys.modules.get('numpy')
            if numpy is None:
                try:
                    import numpy
                except ImportError:  # MXNet will say so itself
                    return None
            restore(numpy)
        return None


def install():
    """Put the finder first on ``sys.meta_path``, once, unless ``mxnet``
    is already imported. Called by the ``.pth`` at start-up, which reads
    `SWITCH` first (so that, switched off, nothing is imported)."""
    if 'mxnet' in sys.modules:
        return
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _uninstall():
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not isinstance(f, _Finder)]


#: The numpy that first removed a name MXNet 1.x reads.
FIRST_NUMPY = (1, 24)
#: Every name restored, in the order MXNet meets them.
NAMES = ('bool', 'int', 'PINF', 'NINF', 'PZERO', 'NZERO', 'NaN', 'NAN',
         'Inf', 'alltrue', 'sometrue', 'product', 'cumproduct', 'round_',
         'msort', 'in1d', 'trapz', 'mirr', 'npv', 'pmt', 'ppmt', 'pv',
         'rate')


def _lacks(numpy, name):
    """Return whether `numpy` has no `name`, asking its ``__getattr__``
    with its warnings silenced (numpy 1.26 warns as it refuses ``bool``)."""
    if name in vars(numpy):
        return False
    getter = vars(numpy).get('__getattr__')
    if getter is None:
        return True
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            getter(name)
        except AttributeError:
            return True
    return False


def restore(numpy):
    """Set on `numpy` each name of `NAMES` it lacks, as numpy 1.23 had it.

    Does nothing on numpy older than 1.24. Returns the names set.

    Examples
    --------
    >>> import types
    >>> old = types.ModuleType('numpy'); old.__version__ = '1.23.5'
    >>> restore(old)
    []
    """
    from _d2l_conv_tools import leading  # only now: nothing at start-up
    if leading(numpy.__version__, 2) < FIRST_NUMPY:
        return []
    values = _values(numpy)
    done = []
    for name in NAMES:
        if _lacks(numpy, name):
            setattr(numpy, name, values[name])
            done.append(name)
    return done


def _values(numpy):
    """Return numpy 1.23's value of each name in `NAMES`."""
    import builtins

    def alltrue(*args, **kwargs):
        """Check if all elements of input array are true (`numpy.all`)."""
        return numpy.all(*args, **kwargs)

    def sometrue(*args, **kwargs):
        """Check whether some values are true (`numpy.any`)."""
        return numpy.any(*args, **kwargs)

    def product(*args, **kwargs):
        """Return the product of array elements (`numpy.prod`)."""
        return numpy.prod(*args, **kwargs)

    def cumproduct(*args, **kwargs):
        """Return the cumulative product (`numpy.cumprod`)."""
        return numpy.cumprod(*args, **kwargs)

    def round_(a, decimals=0, out=None):
        """Round an array to the given number of decimals (`numpy.round`)."""
        return numpy.round(a, decimals=decimals, out=out)

    def msort(a):
        """Return a copy of an array sorted along the first axis."""
        b = numpy.array(a, subok=True, copy=True)
        b.sort(axis=0)
        return b

    def in1d(ar1, ar2, assume_unique=False, invert=False):
        """Test whether each element of a 1-D array is also present in a
        second array (`numpy.isin` of the flattened `ar1`)."""
        return numpy.isin(numpy.asarray(ar1).ravel(), ar2,
                          assume_unique=assume_unique, invert=invert)

    def trapz(y, x=None, dx=1.0, axis=-1):
        """Integrate along the given axis by the trapezoidal rule."""
        return numpy.trapezoid(y, x=x, dx=dx, axis=axis)

    def expired(name):
        def _expired(*args, **kwargs):
            raise RuntimeError(
                f'In accordance with NEP 32, the function {name} was removed '
                'from NumPy version 1.20.  A replacement for this function '
                'is available in the numpy_financial library: '
                'https://pypi.org/project/numpy-financial')
        return _expired

    inf, nan = float('inf'), float('nan')
    values = {'bool': builtins.bool, 'int': builtins.int, 'PINF': inf,
              'NINF': -inf, 'PZERO': 0.0, 'NZERO': -0.0, 'NaN': nan,
              'NAN': nan, 'Inf': inf, 'alltrue': alltrue,
              'sometrue': sometrue, 'product': product,
              'cumproduct': cumproduct, 'round_': round_, 'msort': msort,
              'in1d': in1d, 'trapz': trapz}
    for name in ('mirr', 'npv', 'pmt', 'ppmt', 'pv', 'rate'):
        values[name] = expired(name)
    return values
