"""Check, at import, that NumPy and MXNet are versions d2l_conv runs on.

d2l_conv does not install MXNet: its builds (``mxnet``, ``mxnet-cu112``,
``mxnet-cu117``, ``mxnet-mkl``, ...) all install the same ``mxnet/``
package, so requiring one would install it over the reader's own. The
import checks instead, and says what to install.
"""

import numpy

from _d2l_conv_tools import MXNET_BUILD, leading

#: The numpy releases tested on each Python, by ``(major, minor)``: from
#: the first minor (inclusive) to the last (exclusive), with the one
#: pinned in requirements.lock. setup.cfg requires these ranges; `make
#: test-matrix` runs the suite on the pins (and on 3.12 with numpy 2.4),
#: and every minor in them was measured with MXNet 1.9.1 (docs/install.md,
#: "Python and numpy"). On 1.24 and later MXNet 1.x imports thanks to
#: ``_d2l_conv_mxnet_hook``.
NUMPY_TESTED = {
    (3, 11): ((1, 23), (1, 24), '1.23.5'),
    (3, 12): ((1, 26), (2, 5), '1.26.4'),
    (3, 13): ((2, 1), (2, 5), '2.4.6'),
}
#: The MXNet releases supported, by ``(major, minor)``: 1.7 to 1.9, the
#: range ``make test-matrix`` runs the suite on (1.7.0.post2, 1.8.0.post0,
#: 1.9.0, 1.9.1, the last release).
MXNET_OLDEST = (1, 7)
MXNET_NEWEST = (1, 9)
SUPPORTED = 'MXNet 1.7 to 1.9.1'
#: Where the install recipes are, for a d2l_conv installed from its clone.
RECIPES = "docs/install.md in d2l_conv's repository"


def how_to_install(numpy_version=None):
    """Return what the error messages say to install MXNet with.

    Under numpy 1 (`numpy_version`, the installed one by default), pip
    installs MXNet with its requirements; under numpy 2, without them
    (``--no-deps``), since MXNet requires ``numpy<2.0.0`` and pip would
    replace the numpy 2 that this environment holds.

    Examples
    --------
    >>> print(how_to_install('1.26.4'))  # doctest: +ELLIPSIS
    Install the CPU build: pip install mxnet==1.9.1 (in the root of ...
    >>> 'pip install --no-deps mxnet==1.9.1' in how_to_install('2.0.2')
    True
    """
    version = numpy.__version__ if numpy_version is None else numpy_version
    if leading(version, 1) < (2,):
        return ('Install the CPU build: pip install mxnet==1.9.1 (in the '
                "root of d2l_conv's repository, pip install '.[cpu]' "
                'installs it with d2l_conv); with an NVIDIA GPU, the build '
                'for its CUDA instead, e.g. pip install mxnet-cu117==1.9.1 '
                '(CUDA 11.7) or mxnet-cu112==1.9.1 (CUDA 11.2).')
    return (f'MXNet requires numpy<2.0.0, and pip would replace this numpy '
            f'{version} to satisfy it; install it without its requirements '
            "(it runs on numpy 2 here): pip install 'requests>=2.20,<3', "
            'then pip install --no-deps mxnet==1.9.1 for the CPU build; '
            'with an NVIDIA GPU, the build for its CUDA instead, e.g. pip '
            'install --no-deps mxnet-cu117==1.9.1 (CUDA 11.7) or '
            f'mxnet-cu112==1.9.1 (CUDA 11.2). See {RECIPES}.')


def check_numpy(version=None, python=None):
    """Raise `ImportError` if NumPy is outside the range tested here.

    Each Python supported has its numpy range (`NUMPY_TESTED`): 1.23 on
    3.11, as MXNet 1.x was made for; 1.26 to 2.4 on 3.12; 2.1 (the first
    numpy for 3.13) to 2.4 on 3.13.

    Parameters
    ----------
    version : str, optional
        The NumPy version to check; defaults to the installed one.
    python : tuple of int, optional
        ``(major, minor)`` of the Python; defaults to the running one.

    Raises
    ------
    ImportError
        If `version` is outside the range tested on `python`, or `python`
        is not one d2l_conv supports.

    Examples
    --------
    >>> check_numpy('1.23.5', (3, 11))
    >>> check_numpy('2.4.6', (3, 13))
    >>> check_numpy('2.0.2', (3, 12))
    >>> check_numpy('1.26.4', (3, 11))
    Traceback (most recent call last):
    ...
    ImportError: d2l_conv on Python 3.11 needs numpy>=1.23,<1.24 ...
    """
    import sys
    version = numpy.__version__ if version is None else version
    python = tuple(sys.version_info[:2] if python is None else python)
    where = 'Python {}.{}'.format(*python)
    if python not in NUMPY_TESTED:
        tested = ', '.join('{}.{}'.format(*key) for key in NUMPY_TESTED)
        raise ImportError(f'd2l_conv supports Python {tested}; this is '
                          f'{where}')
    oldest, too_new, pinned = NUMPY_TESTED[python]
    if not oldest <= leading(version, 2) < too_new:
        low, high = ('{}.{}'.format(*v) for v in (oldest, too_new))
        raise ImportError(
            f'd2l_conv on {where} needs numpy>={low},<{high} (found numpy '
            f'{version}): the numpy releases MXNet 1.9.1 and d2l_conv were '
            f"tested with on {where}. Install one: pip install "
            f"'numpy>={low},<{high}' (requirements.lock pins {pinned})")


def mxnet_supported(version):
    """Return whether d2l_conv supports MXNet `version` (1.7 to 1.9.1).

    Examples
    --------
    >>> mxnet_supported('1.7.0.post2'), mxnet_supported('1.9.1')
    (True, True)
    >>> mxnet_supported('1.6.0'), mxnet_supported('2.0.0b1')
    (False, False)
    """
    return MXNET_OLDEST <= leading(version, 2) <= MXNET_NEWEST


def _builds():
    """Return ``'name version'`` of each installed MXNet distribution.

    Only the error messages call it: it reads every installed
    distribution's metadata, which a successful import does without.
    """
    import re
    from importlib import metadata
    found = set()
    for dist in metadata.distributions():
        name = re.sub(r'[-_.]+', '-', dist.metadata['Name'] or '').lower()
        if MXNET_BUILD.fullmatch(name):
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
            + how_to_install(), name='mxnet') from None
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
            'mxnet/ package). ' + how_to_install(), name='mxnet')
    return mxnet


def _broken(err):
    """Return the `ImportError` for an MXNet that is there but fails."""
    builds = _builds()
    found = ', '.join(builds) or 'no MXNet distribution'
    advice = 'Reinstall it, or a supported build. ' + how_to_install()
    if isinstance(err, OSError):
        gpu = [build.split()[0] for build in builds if '-cu' in build]
        name = gpu[0] if gpu else 'mxnet-cuXX'
        cuda = name.split('-cu')[1].replace('mkl', '')
        cuda = f'CUDA {cuda[:-1]}.{cuda[-1]}' if cuda.isdigit() else 'CUDA'
        no_deps = '' if leading(numpy.__version__, 1) < (2,) \
            else '--no-deps '
        advice = (
            f'A GPU build ({name}) needs an NVIDIA driver and the {cuda} '
            'libraries it was built for, and fails like this where they '
            'cannot be loaded. Install them, or replace it with the CPU '
            f'build: pip uninstall {name}, then pip install {no_deps}'
            'mxnet==1.9.1.')
    return ImportError(
        f'd2l_conv: `import mxnet` failed ({found} installed): '
        f'{type(err).__name__}: {err}. {advice}', name='mxnet')
