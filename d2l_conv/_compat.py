"""Check, at import, that NumPy and MXNet are versions d2l_conv runs on.

d2l_conv does not install MXNet: its builds (``mxnet``, ``mxnet-cu112``,
``mxnet-cu117``, ``mxnet-mkl``, ...) all install the same ``mxnet/``
package, so requiring one would install it over the reader's own. The
import checks instead, and says what to install.
"""

import numpy

#: The newest NumPy minor release that MXNet 1.x imports under.
NUMPY_LIMIT = (1, 24)
#: The MXNet releases supported, by ``(major, minor)``: 1.7 to 1.9, the
#: range ``make test-matrix`` runs the suite on (1.7.0.post2, 1.8.0.post0,
#: 1.9.0, 1.9.1, the last release).
MXNET_OLDEST = (1, 7)
MXNET_NEWEST = (1, 9)
SUPPORTED = 'MXNet 1.7 to 1.9.1'
#: Both ways to get a build, as the error messages give them.
HOW_TO_INSTALL = (
    'Install the CPU build: pip install mxnet==1.9.1 (or pip install '
    "'d2l_conv[cpu]'); with an NVIDIA GPU, the build for its CUDA "
    'instead, e.g. pip install mxnet-cu117==1.9.1 (CUDA 11.7) or '
    'mxnet-cu112==1.9.1 (CUDA 11.2).')


def _leading(text, count):
    """Return the first `count` numbers of a version string, as ints.

    ``'1.7.0.post2'`` gives ``(1, 7, 0)`` and ``'2.0.0b1'`` ``(2, 0, 0)``;
    a missing or non-numeric part counts as 0.
    """
    parts = []
    for piece in str(text).split('.')[:count]:
        digits = ''
        for char in piece:
            if not char.isdigit():
                break
            digits += char
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (count - len(parts)))


def _numpy_version(text):
    """Return the leading ``(major, minor)`` of a version string."""
    return _leading(text, 2)


def check_numpy(version=None):
    """Raise `ImportError` if NumPy is too new for MXNet 1.x.

    MXNet 1.x uses ``np.bool``, which NumPy 1.24 removed, so
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


def mxnet_supported(version):
    """Return whether d2l_conv supports MXNet `version` (1.7 to 1.9.1).

    Examples
    --------
    >>> mxnet_supported('1.7.0.post2'), mxnet_supported('1.9.1')
    (True, True)
    >>> mxnet_supported('1.6.0'), mxnet_supported('2.0.0b1')
    (False, False)
    """
    return MXNET_OLDEST <= _leading(version, 2) <= MXNET_NEWEST


def _builds():
    """Return ``'name version'`` of each installed MXNet distribution.

    Only the error messages call it: it reads every installed
    distribution's metadata, which a successful import does without.
    """
    import re
    from importlib import metadata
    build = re.compile(r'mxnet(-(cu\d+(mkl)?|mkl|native))?')
    found = set()
    for dist in metadata.distributions():
        name = re.sub(r'[-_.]+', '-', dist.metadata['Name'] or '').lower()
        if build.fullmatch(name):
            found.add(f'{name} {dist.version}')
    return sorted(found)


def import_mxnet():
    """Import MXNet and return it, or raise one `ImportError` that helps.

    The error names the supported versions and how to install a build,
    when MXNet is missing, older or newer than 1.7 to 1.9.1, or cannot
    load its libraries (a GPU build without the CUDA it was built for
    raises `OSError` on import).

    Returns
    -------
    module
        ``mxnet``, of a supported version.

    Raises
    ------
    ImportError
        If MXNet is missing, of an unsupported version, or fails to
        import.

    Examples
    --------
    >>> mxnet_supported(import_mxnet().__version__)
    True
    """
    try:
        import mxnet
    except ImportError as err:
        if err.name != 'mxnet':  # MXNet is there; something it needs not
            raise _broken(err) from None
        raise ImportError(
            f'd2l_conv needs {SUPPORTED}, and no MXNet is installed (nor '
            'does d2l_conv install one: it would replace a GPU build). '
            + HOW_TO_INSTALL, name='mxnet') from None
    except OSError as err:
        raise _broken(err) from None
    version = getattr(mxnet, '__version__', None)
    if version is None or not mxnet_supported(version):
        where = getattr(mxnet, '__file__', None) or '?'
        installed = ', '.join(_builds()) or 'none'
        raise ImportError(
            f'd2l_conv needs {SUPPORTED}; found MXNet {version} (imported '
            f'from {where}; MXNet distributions installed: {installed}). '
            'Replace it with a supported build of the same kind, after '
            '`pip uninstall` of the old one (every build installs the same '
            'mxnet/ package). ' + HOW_TO_INSTALL, name='mxnet')
    return mxnet


def _broken(err):
    """Return the `ImportError` for an MXNet that is there but fails."""
    builds = _builds()
    found = ', '.join(builds) or 'no MXNet distribution'
    advice = 'Reinstall it, or a supported build. ' + HOW_TO_INSTALL
    if isinstance(err, OSError):
        gpu = [build.split()[0] for build in builds if '-cu' in build]
        name = gpu[0] if gpu else 'mxnet-cuXX'
        cuda = name.split('-cu')[1].replace('mkl', '')
        cuda = f'CUDA {cuda[:-1]}.{cuda[-1]}' if cuda.isdigit() else 'CUDA'
        advice = (
            f'A GPU build ({name}) needs an NVIDIA driver and the {cuda} '
            'libraries it was built for, and fails like this where they '
            'cannot be loaded. Install them, or replace it with the CPU '
            f'build: pip uninstall {name}, then pip install mxnet==1.9.1.')
    return ImportError(
        f'd2l_conv: `import mxnet` failed ({found} installed): '
        f'{type(err).__name__}: {err}. {advice}', name='mxnet')
