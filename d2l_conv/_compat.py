"""Guard the one pin MXNet 1.9.1 cannot live without: ``numpy<1.24``."""

import numpy

#: The newest NumPy minor release that MXNet 1.9.1 imports under.
NUMPY_LIMIT = (1, 24)


def _numpy_version(text):
    """Return the leading ``(major, minor)`` of a version string."""
    parts = []
    for piece in text.split('.')[:2]:
        digits = ''.join(c for c in piece if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def check_numpy(version=None):
    """Raise `ImportError` if NumPy is too new for MXNet 1.9.1.

    MXNet 1.9.1 uses ``np.bool``, which NumPy 1.24 removed, so
    ``import mxnet`` would fail with a bare ``AttributeError``.

    Parameters
    ----------
    version : str, optional
        The NumPy version to check; defaults to the installed one.

    Raises
    ------
    ImportError
        If `version` is 1.24 or newer.

    Examples
    --------
    >>> check_numpy('1.23.5')
    >>> check_numpy('1.26.4')
    Traceback (most recent call last):
    ...
    ImportError: d2l_conv needs numpy<1.24 ...
    """
    version = numpy.__version__ if version is None else version
    if _numpy_version(version) >= NUMPY_LIMIT:
        raise ImportError(
            f'd2l_conv needs numpy<1.24 (found numpy {version}): '
            'MXNet 1.9.1 uses `np.bool`, which numpy 1.24 removed. '
            "Install the pinned working set: pip install 'numpy==1.23.5'")
