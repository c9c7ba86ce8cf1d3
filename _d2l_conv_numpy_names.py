"""The numpy names MXNet 1.x reads that numpy 1.24 and 2 removed.

Imported by ``_d2l_conv_mxnet_hook`` when ``mxnet`` is first imported, and
only then: `restore` sets, on numpy 1.24 and later, each name of `NAMES`
the running numpy lacks, with the value numpy 1.23 gave it. See the hook
for the rules and the README ("Your Python") for how the list was found.

Examples
--------
>>> import types
>>> old = types.ModuleType('numpy'); old.__version__ = '1.23.5'
>>> restore(old)
[]
"""

from _d2l_conv_tools import leading

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
    """
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
