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

The names and their values are in ``_d2l_conv_numpy_names``, imported
only then. The list is what MXNet 1.9.1 reads: its sources' ``numpy`` attribute
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

import os
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
            from _d2l_conv_numpy_names import restore
            restore(numpy)
        return None


def install():
    """Put the finder first on ``sys.meta_path``, unless switched off or
    ``mxnet`` is already imported. Called by the ``.pth`` at start-up."""
    if os.environ.get(SWITCH) == '0' or 'mxnet' in sys.modules:
        return
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def _uninstall():
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not isinstance(f, _Finder)]
