"""Keep ``requirements.lock`` honest: fresh against setup.cfg, and obeyed.

The lock is written by ``make lock`` (``uv pip compile setup.cfg
--all-extras --universal --generate-hashes``). Its header records a digest
of the requirements it was compiled from, so the Makefile can refuse a lock
that no longer matches ``setup.cfg``; after each install it checks that
every package in the environment is one the lock pins, at its version.

Usage (stdlib only, so any Python 3 runs ``stamp`` and ``check``)::

    python tools/lockfile.py stamp LOCK    # record setup.cfg's digest
    python tools/lockfile.py check LOCK    # exit 1 if LOCK is stale
    python tools/lockfile.py verify LOCK [MXNET]
        # exit 1 unless this Python's environment equals LOCK, with exactly
        # one MXNet build installed: MXNET (a name, e.g. mxnet-cu117, or
        # name==version) when given
    python tools/lockfile.py builds        # print the MXNet builds installed
    python tools/lockfile.py override FILE # write setup.cfg's numpy lines
    python tools/lockfile.py pins PYTHON   # pin what pip would, on PYTHON

Python 3.13 takes numpy 2, past MXNet's own ``numpy<2.0.0``: uv locks and
installs with ``--override tools/numpy-override.txt``, setup.cfg's numpy
lines. An override replaces every package's numpy requirement, so the lock
is compiled with 3.11's and 3.12's own resolutions (MXNet's metadata
obeyed; ``pins``) as constraints: only 3.13 needs the override.

The lock pins every MXNet build ``make`` can install (``mxnet``,
``mxnet-cu112``, ``mxnet-cu117``); an environment holds one of them, the
one ``make MXNET=...`` chose, and ``verify`` demands no other.
"""

import configparser
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _d2l_conv_tools import MXNET_BUILD, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SETUP_CFG = ROOT / 'setup.cfg'
OVERRIDE = ROOT / 'tools' / 'numpy-override.txt'
OVERRIDE_HEADER = '''\
# Overrides every numpy requirement, MXNet's numpy<2.0.0 included, with
# the numpy tested on each Python: setup.cfg's own lines, copied by
# `make lock` (tools/lockfile.py override). uv reads it (--override) when
# it locks and installs; pip has no such option (docs/install.md).
'''
DIGEST_PREFIX = '# setup.cfg requirements digest: '
#: Installed, but not from the lock: the project itself (editable).
PROJECT = 'd2l-conv'
#: The distributions that install the `mxnet` package.
BUILD = MXNET_BUILD


def _lines(text):
    """Return the requirement lines of a setup.cfg value, comments dropped."""
    lines = (line.split('#', 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def _config(setup_cfg):
    config = configparser.ConfigParser(interpolation=None)
    config.read(setup_cfg, encoding='utf-8')
    return config


def override_text(setup_cfg=SETUP_CFG):
    """Return tools/numpy-override.txt as setup.cfg's numpy lines give it."""
    lines = _lines(_config(setup_cfg)['options'].get('install_requires', ''))
    numpy = [line for line in lines
             if _normalise(re.split(r'[=<>!~; ]', line, maxsplit=1)[0])
             == 'numpy']
    return OVERRIDE_HEADER + '\n'.join(numpy) + '\n'


def requirements_digest(setup_cfg=SETUP_CFG):
    """Return a digest of what ``setup.cfg`` requires, and nothing else.

    ``python_requires``, ``install_requires`` and every extra count;
    comments, order of extras and the rest of the file do not, so editing
    pytest's options does not make the lock stale.
    """
    config = _config(setup_cfg)
    options = config['options']
    parts = [
        'python_requires=' + options.get('python_requires', '').strip(),
        'install_requires=' + ';'.join(
            _lines(options.get('install_requires', ''))),
    ]
    if config.has_section('options.extras_require'):
        extras = config['options.extras_require']
        for name in sorted(extras):
            parts.append(f'extra {name}=' + ';'.join(_lines(extras[name])))
    return hashlib.sha256('\n'.join(parts).encode()).hexdigest()


def recorded_digest(lock):
    """Return the digest recorded in `lock`'s header, or None."""
    for line in Path(lock).read_text(encoding='utf-8').splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line[len(DIGEST_PREFIX):].strip()
        if line and not line.startswith('#'):
            return None
    return None


def stamp(lock):
    """Record the current digest in `lock`'s header, atomically."""
    path = Path(lock)
    lines = [line for line in path.read_text(encoding='utf-8').splitlines()
             if not line.startswith(DIGEST_PREFIX)]
    header = next((i for i, line in enumerate(lines)
                   if not line.startswith('#')), len(lines))
    lines.insert(header, DIGEST_PREFIX + requirements_digest())
    write_atomic(path, '\n'.join(lines) + '\n')


def check(lock, setup_cfg=SETUP_CFG, override=OVERRIDE):
    """Return an error message if `lock` is missing or stale, else None.

    The override file (setup.cfg's numpy lines) must be current too.
    """
    if not Path(lock).is_file():
        return f'{lock} is missing; run `make lock` to write it'
    if not Path(override).is_file() or Path(override).read_text(
            encoding='utf-8') != override_text(setup_cfg):
        return (f"{override} is stale: setup.cfg's numpy lines changed; "
                'run `make lock` and commit it with the new lock')
    if recorded_digest(lock) != requirements_digest(setup_cfg):
        return (f"{lock} is stale: setup.cfg's requirements changed since "
                'it was locked; run `make lock` and commit the new lock')
    return None


def _normalise(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def locked_versions(lock):
    """Return ``{name: [(version, marker), ...]}`` pinned by `lock`."""
    pins = {}
    pattern = re.compile(r'^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)'
                         r'\s*(?:;\s*([^\\]*?))?\s*\\?$')
    for line in Path(lock).read_text(encoding='utf-8').splitlines():
        match = pattern.match(line)
        if match:
            name, version, marker = match.groups()
            pins.setdefault(_normalise(name), []).append(
                (version, (marker or '').strip()))
    return pins


def _marker_holds(marker):
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # cannot tell: accept any of the pinned versions
        return True
    return Marker(marker).evaluate()


def installed_builds():
    """Return the MXNet builds installed here, ``{name: version}``."""
    from importlib import metadata
    builds = {}
    for dist in metadata.distributions():
        name = _normalise(dist.metadata['Name'] or '')
        if BUILD.fullmatch(name):
            builds[name] = dist.version
    return dict(sorted(builds.items()))


def _vendored(dist):
    """Return whether `dist` is a copy another package carries (found
    once setuptools, imported for MXNet's distutils on Python 3.12+, puts
    its ``_vendor`` folder on ``sys.path``), not an installed one."""
    return Path(str(dist.locate_file(''))).name == '_vendor'


def mismatches(lock, mxnet=None):
    """Return how this environment differs from `lock`, one line each.

    Every installed distribution must be pinned by `lock`, at a version it
    pins, and at most one MXNet build may be installed: `mxnet` (a name
    such as ``'mxnet-cu117'``, or ``'name==version'``) when given. The
    builds `lock` pins but this environment lacks are not demanded.
    """
    from importlib import metadata
    pins = locked_versions(lock)
    problems = []
    for dist in metadata.distributions():
        name = _normalise(dist.metadata['Name'])
        if name == PROJECT or _vendored(dist):
            continue
        allowed = [version for version, marker in pins.get(name, [])
                   if _marker_holds(marker)]
        if not allowed:
            problems.append(f'{name}=={dist.version} is installed but not '
                            'in the lock')
        elif dist.version not in allowed:
            problems.append(f'{name}=={dist.version} is installed; the lock '
                            f'pins {" or ".join(allowed)}')
    builds = installed_builds()
    found = ', '.join(f'{n}=={v}' for n, v in builds.items()) or 'none'
    if len(builds) > 1:
        problems.append(f'more than one MXNet build is installed ({found}); '
                        'each installs the same mxnet/ package')
    if mxnet:
        name, _, version = mxnet.partition('==')
        name = _normalise(name)
        if builds.get(name) is None or (version and
                                        builds[name] != version):
            problems.append(f'the MXNet build expected is {mxnet}; '
                            f'installed: {found}')
    return sorted(set(problems))


def _blocks(text):
    """Split lock text into ``(name, lines)`` blocks, one per pin.

    A block is a pin line and the hash and comment lines that follow it;
    the header comes first, with the name None.
    """
    blocks = [(None, [])]
    for line in text.splitlines():
        if line[:1].isalnum():
            name = re.split(r'[=<>!~; \\]', line, maxsplit=1)[0]
            blocks.append((_normalise(name), []))
        blocks[-1][1].append(line)
    return blocks


def pin_block(lock, name, version):
    """Return the lines pinning `name` at `version` in `lock`, or None."""
    for block, lines in _blocks(Path(lock).read_text(encoding='utf-8')):
        if block == _normalise(name) and lines[0].startswith(
                f'{lines[0].split("==")[0]}=={version} '):
            return lines
    return None


def with_mxnet(lock, name, version, *sources):
    """Return the text of `lock` with one MXNet build, `name`==`version`.

    Every MXNet build's pin is dropped and the one asked for put in its
    place, with its hashes, taken from `lock` or from the first of
    `sources` (more lock files) that pins it: what ``make test-matrix``
    installs a version with. Raises `ValueError` if none pins it.
    """
    for source in (lock, *sources):
        wanted = pin_block(source, name, version)
        if wanted:
            break
    else:
        names = ', '.join(map(str, (lock, *sources)))
        raise ValueError(f'with_mxnet: none of {names} pins '
                         f'{name}=={version}; run `make lock`')
    lines = []
    for block, block_lines in _blocks(Path(lock).read_text(
            encoding='utf-8')):
        if block is None or not BUILD.fullmatch(block):
            lines += block_lines
    return '\n'.join(lines + wanted) + '\n'


def with_numpy(text, version, lock):
    """Return lock `text` with numpy pinned at `version` on every Python.

    Every numpy pin in `text` is dropped and `lock`'s pin of `version`
    put in its place, with its hashes and without its marker: how
    ``make test-matrix`` runs a Python on another numpy than the one the
    lock pins for it (3.12 on the numpy 2 of 3.13's pin). Raises
    `ValueError` if `lock` does not pin `version`.
    """
    wanted = pin_block(lock, 'numpy', version)
    if not wanted:
        raise ValueError(f'with_numpy: {lock} does not pin numpy=={version}')
    first = re.sub(r' ;[^\\]*', ' ', wanted[0], count=1)
    lines = []
    for block, block_lines in _blocks(text):
        if block != 'numpy':
            lines += block_lines
    return '\n'.join(lines + [first, *wanted[1:]]) + '\n'


def pins(compiled, python_version):
    """Return `compiled` (``uv pip compile`` output for one Python) as
    constraints that hold on that Python only."""
    marker = f"python_version == '{python_version}'"
    return ''.join(f'{line.split(";")[0].strip()} ; {marker}\n'
                   for line in compiled.splitlines()
                   if line[:1].isalnum())


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ['builds']:
        for name in installed_builds():
            print(name)
        return 0
    if len(argv) == 2 and argv[0] == 'override':
        write_atomic(argv[1], override_text())
        return 0
    if len(argv) == 2 and argv[0] == 'pins':
        sys.stdout.write(pins(sys.stdin.read(), argv[1]))
        return 0
    if not (len(argv) == 2 and argv[0] in ('stamp', 'check', 'verify')
            or len(argv) == 3 and argv[0] == 'verify'):
        print(__doc__.split('Usage', 1)[1], file=sys.stderr)
        return 2
    command, lock = argv[:2]
    if command == 'stamp':
        stamp(lock)
        return 0
    if command == 'check':
        error = check(lock)
    else:
        problems = mismatches(lock, *argv[2:])
        error = (f'the environment of {sys.executable} differs from {lock}: '
                 + '; '.join(problems)) if problems else None
    if error:
        print(f'make: {error}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
