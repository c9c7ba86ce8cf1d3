"""Installing d2l_conv beside the reader's MXNet, or where there is none.

Real installs, with the pinned uv, into fresh venvs under ``tmp_path``:
the d2l_conv wheel (built once, from a copy of the tree) beside a stand-in
``mxnet-cu117`` (a tiny wheel made here: a real GPU build is 500 MB and
cannot import without a driver), and where no MXNet is installed. Every
package comes from uv's cache after the first run, which fetches
setuptools (for the build) and index metadata: the module takes about
13 s on one core (``-n0``; measured with ``pytest
tests/install/test_install.py -n0 --durations=5``). Marked ``install``;
``-m 'not install'`` leaves it out.
"""

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, make_tree
from test_versions import install_ways

from d2l_conv._versions import NUMPY_TESTED

LOCK = ROOT / 'requirements.lock'
UV = ROOT / '.uv' / 'bin' / 'uv'
#: What uv installs with: the lock's pins and hashes, and numpy 2 past
#: MXNet's numpy<2.0.0 on Python 3.13 (see tools/lockfile.py).
LOCKED = ('--verify-hashes', '--constraint', LOCK, '--override',
          ROOT / 'tools' / 'numpy-override.txt')
#: The hook's files, at the wheel's root (see setup.py).
HOOK = ('_d2l_conv_mxnet_hook.py', 'd2l_conv_mxnet_hook.pth')
#: The helpers the package, the hook and the scripts share, beside them.
TOOLS = '_d2l_conv_tools.py'

pytestmark = [
    pytest.mark.install,
    pytest.mark.slow,
    pytest.mark.skipif(not UV.exists(), reason='needs make\'s uv (.uv/)'),
]

#: The stand-in GPU build's package: it says which build it is, and
#: fails as a GPU build without CUDA does when STAND_IN_NO_CUDA is set.
STAND_IN = '''"""Stand-in for the mxnet-cu117 build (d2l_conv's tests)."""
import os
__version__ = '1.9.1'
BUILD = 'stand-in mxnet-cu117'
if os.environ.get('STAND_IN_NO_CUDA'):
    raise OSError('libcudart.so.11.0: cannot open shared object file: '
                  'No such file or directory')
'''


def uv(*args, check=True):
    """Run the pinned uv; return the finished process."""
    done = subprocess.run([str(UV), *map(str, args)], capture_output=True,
                          text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def make_wheel(directory, dist, version, files):
    """Write a pure-Python wheel of `dist` holding `files` (path: bytes)."""
    name = f'{dist.replace("-", "_")}-{version}'
    info = f'{name}.dist-info'
    files = {**files,
             f'{info}/METADATA': (f'Metadata-Version: 2.1\nName: {dist}\n'
                                  f'Version: {version}\n').encode(),
             f'{info}/WHEEL': (b'Wheel-Version: 1.0\nGenerator: d2l_conv '
                               b'tests\nRoot-Is-Purelib: true\n'
                               b'Tag: py3-none-any\n')}
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(
            hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{path},sha256={digest},{len(data)}')
    record.append(f'{info}/RECORD,,')
    files[f'{info}/RECORD'] = ('\n'.join(record) + '\n').encode()
    directory.mkdir(parents=True, exist_ok=True)
    wheel = directory / f'{name}-py3-none-any.whl'
    with zipfile.ZipFile(wheel, 'w') as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def stand_in_wheel(directory, dist='mxnet-cu117'):
    """A stand-in MXNet build: ``mxnet/`` and a fake shared library."""
    source = STAND_IN.replace('mxnet-cu117', dist).encode()
    return make_wheel(directory, dist, '1.9.1', {
        'mxnet/__init__.py': source,
        'mxnet/libmxnet.so': f'not a library: {dist}\n'.encode() * 64})


def source_copy(tmp):
    """Copy what a clone holds to build d2l_conv from (no built files)
    to `tmp`/src; return it."""
    source = tmp / 'src'
    source.mkdir()
    for name in ('setup.py', 'setup.cfg', 'pyproject.toml', 'README.md',
                 'MANIFEST.in', *HOOK, TOOLS):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / 'd2l_conv', source / 'd2l_conv',
                    ignore=shutil.ignore_patterns('__pycache__', '*.so'))
    return source


def build_wheel(tmp, env=None):
    """Build the d2l_conv wheel with ``uv build`` from a copy of the tree
    (no built files), under `tmp`, in the environment `env`."""
    source = source_copy(tmp)
    done = subprocess.run(
        [str(UV), 'build', '--quiet', '--wheel', '--python', sys.executable,
         '--out-dir', str(tmp / 'dist'), str(source)], capture_output=True,
        text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    [built] = (tmp / 'dist').glob('d2l_conv-*.whl')
    return built


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    """The d2l_conv wheel, built with ``uv build`` from a copy of the tree."""
    return build_wheel(tmp_path_factory.mktemp('wheel'))


def c_engine_files(wheel):
    """Return the C engine's compiled files in `wheel`."""
    with zipfile.ZipFile(wheel) as archive:
        return [name for name in archive.namelist()
                if name.startswith('d2l_conv/fast/_direct')
                and not name.endswith('.c')]


def fresh_venv(path):
    """A venv with nothing installed; return its Python."""
    uv('venv', '--quiet', '--python', sys.executable, path)
    return path / 'bin' / 'python'


def installed(python):
    """Return ``{name: version}`` of what `python`'s venv holds."""
    done = uv('pip', 'list', '--format', 'json', '--python', python)
    return {dist['name']: dist['version'] for dist in json.loads(done.stdout)}


def tree(package):
    """Return ``{relative path: sha256}`` of the files under `package`."""
    return {str(path.relative_to(package)):
            hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(package.rglob('*')) if path.is_file()
            and '__pycache__' not in path.parts}


def run(python, code, **env):
    return subprocess.run([str(python), '-c', code], capture_output=True,
                          text=True, timeout=300, cwd='/',
                          env={**os.environ, **env})


@pytest.mark.parametrize('extra, build', [
    ('cpu', 'mxnet'), ('cu112', 'mxnet-cu112'), ('cu117', 'mxnet-cu117')])
def test_each_extra_installs_its_build_from_the_lock_and_no_other(
        tmp_path, wheel, extra, build):
    python = fresh_venv(tmp_path / 'venv')
    done = uv('pip', 'install', '--dry-run', '--python', python,
              *LOCKED, f'{wheel}[{extra}]')
    plan = [line.split()[1] for line in done.stderr.splitlines()
            if line.startswith(' + ')]
    mxnets = [line for line in plan if line.startswith('mxnet')]
    assert mxnets == [f'{build}==1.9.1'], done.stderr
    assert f'numpy=={NUMPY_TESTED[sys.version_info[:2]][2]}' in plan


def test_beside_a_gpu_build_it_installs_no_mxnet_and_leaves_it_alone(
        tmp_path, wheel):
    python = fresh_venv(tmp_path / 'venv')
    uv('pip', 'install', '--quiet', '--python', python,
       stand_in_wheel(tmp_path / 'wheels'))
    [site] = (tmp_path / 'venv' / 'lib').glob('python3*/site-packages')
    before = tree(site / 'mxnet')
    assert installed(python) == {'mxnet-cu117': '1.9.1'}

    uv('pip', 'install', '--quiet', '--python', python, *LOCKED,
       wheel)

    now = installed(python)
    assert [name for name in now if name.startswith('mxnet')] == [
        'mxnet-cu117']
    assert now['d2l-conv'] == '0.1.0'
    assert now['numpy'] == NUMPY_TESTED[sys.version_info[:2]][2]
    assert tree(site / 'mxnet') == before
    done = run(python, 'import mxnet; print(mxnet.BUILD, mxnet.__file__)')
    assert done.stdout.split() == [
        'stand-in', 'mxnet-cu117', str(site / 'mxnet' / '__init__.py')]


def test_a_gpu_build_that_cannot_load_cuda_gets_one_clear_import_error(
        tmp_path, wheel):
    python = fresh_venv(tmp_path / 'venv')
    uv('pip', 'install', '--quiet', '--python', python, '--constraint',
       LOCK, wheel, stand_in_wheel(tmp_path / 'wheels'))
    done = run(python, 'import d2l_conv', STAND_IN_NO_CUDA='1')
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith('ImportError: d2l_conv: `import mxnet` failed '
                           '(mxnet-cu117 1.9.1 installed): OSError: '
                           'libcudart.so.11.0')
    assert 'NVIDIA driver and the CUDA 11.7 libraries' in last
    no_deps = '--no-deps ' if NUMPY_TESTED[sys.version_info[:2]][2] \
        .startswith('2.') else ''
    assert ('pip uninstall mxnet-cu117, then pip install '
            f'{no_deps}mxnet==1.9.1') in last
    assert 'During handling' not in done.stderr  # one error, not a chain


def test_without_mxnet_the_import_says_what_to_install(tmp_path, wheel):
    python = fresh_venv(tmp_path / 'venv')
    uv('pip', 'install', '--quiet', '--python', python, *LOCKED,
       wheel)
    assert not [name for name in installed(python)
                if name.startswith('mxnet')]
    done = run(python, 'import d2l_conv')
    assert done.returncode == 1
    assert 'During handling' not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith('ImportError: d2l_conv needs MXNet 1.7 to '
                           '1.9.1, and no MXNet is installed')
    for way in install_ways(NUMPY_TESTED[sys.version_info[:2]][2]):
        assert way in last


def test_the_cpu_extra_gives_a_working_d2l_conv(tmp_path, wheel):
    python = fresh_venv(tmp_path / 'venv')
    uv('pip', 'install', '--quiet', '--python', python, *LOCKED,
       f'{wheel}[cpu]')
    assert installed(python)['mxnet'] == '1.9.1'
    done = run(python, 'import d2l_conv; '
               'print(d2l_conv.corr2d([[0, 1], [2, 3]], [[1]]).tolist())')
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '[[0.0, 1.0], [2.0, 3.0]]'
    assert c_engine_files(wheel)  # the C engine, compiled into the wheel
    assert corr2d_fast_in(python) == 'c [[19.0, 25.0], [37.0, 43.0]]'
    assert_the_books_first_cell_runs(python)


def assert_the_books_first_cell_runs(python):
    """``from mxnet import ...`` first, in a fresh process: the hook's
    ``.pth`` (installed at site-packages' root) lets MXNet import on the
    numpy of any Python supported, with nothing on stderr."""
    done = run(python, 'import sys, site; from pathlib import Path; '
               f'print(any(Path(d, {HOOK[1]!r}).is_file() '
               'for d in site.getsitepackages()))\n'
               'from mxnet import autograd, np, npx\nnpx.set_np()\n'
               'print(np.ones((2, 3)).sum())')
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr) == ('True\n6.0\n', '')


def test_the_wheel_holds_the_hook_and_its_helpers_at_its_root(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    # at its root, these and nothing else: two top-level modules
    assert {name for name in names if '/' not in name} == {*HOOK, TOOLS}


def corr2d_fast_in(python):
    """Return the engine `corr2d_fast` picks in `python`'s venv for a
    large call, and a small call's result."""
    done = run(python, 'import d2l_conv; from d2l_conv.fast import choose; '
               'print(choose.choose_engine((999, 999), (3, 3)), '
               'd2l_conv.corr2d_fast([[0, 1, 2], [3, 4, 5], [6, 7, 8]], '
               '[[0, 1], [2, 3]]).tolist())')
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_without_a_c_compiler_it_installs_and_works(tmp_path):
    """The C engine is optional: where it cannot be compiled, the wheel
    is built without it, and `corr2d_fast` runs on the other engines."""
    env = {**os.environ, 'CC': 'false'}  # a compiler that always fails
    built = build_wheel(tmp_path, env)
    assert c_engine_files(built) == []
    python = fresh_venv(tmp_path / 'venv')
    uv('pip', 'install', '--quiet', '--python', python, *LOCKED,
       f'{built}[cpu]')
    assert corr2d_fast_in(python) == 'numpy [[19.0, 25.0], [37.0, 43.0]]'


# make, choosing a build ---------------------------------------------------

FAKE_UV = '''#!/bin/sh
# uv, except that `pip install` installs the stand-in wheel of the extra
# asked for (cpu, cu117) instead of the real, large build.
echo "$*" >> "$LOG"
if [ "$1 $2" = "pip install" ]; then
    for arg; do
        case $arg in .\\[*\\]) extra=${arg#.[}; extra=${extra%%]*};
                           extra=${extra%%,*};; esac
    done
    exec "$REAL_UV" pip install --quiet --python "$VENV_PYTHON" \\
        "$WHEELS/$extra"/*.whl
fi
exec "$REAL_UV" "$@"
'''


@pytest.fixture
def make_copy(tmp_path):
    """A copy of the tree's make set-up, with FAKE_UV as its uv."""
    if shutil.which('make') is None:
        pytest.skip('needs make')
    make_tree(tmp_path, FAKE_UV)
    stand_in_wheel(tmp_path / 'wheels' / 'cpu', 'mxnet')
    stand_in_wheel(tmp_path / 'wheels' / 'cu117', 'mxnet-cu117')
    python = fresh_venv(tmp_path / '.venv')

    def make(*args):
        env = {**os.environ, 'LOG': str(tmp_path / 'uv.log'),
               'REAL_UV': str(UV), 'VENV_PYTHON': str(python),
               'WHEELS': str(tmp_path / 'wheels')}
        return subprocess.run(
            ['make', '--no-print-directory', *args,
             f'PYTHON={sys.executable}'], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=120)
    make.python = python
    make.log = tmp_path / 'uv.log'
    return make


def test_make_switches_builds_uninstalling_the_other_first(make_copy):
    make = make_copy
    done = make('venv')
    assert done.returncode == 0, done.stderr
    assert installed(make.python) == {'mxnet': '1.9.1'}

    make.log.write_text('')
    done = make('venv', 'MXNET=mxnet-cu117')
    assert done.returncode == 0, done.stderr
    assert 'make: uninstalling mxnet before installing mxnet-cu117' \
        in done.stdout
    calls = make.log.read_text().splitlines()
    assert [call.split()[:2] for call in calls] == [
        ['pip', 'uninstall'], ['pip', 'install']]
    assert calls[0].endswith(' mxnet') and ".[cu117]" in calls[1]
    assert installed(make.python) == {'mxnet-cu117': '1.9.1'}
    done = run(make.python, 'import mxnet; print(mxnet.BUILD)')
    assert done.stdout.strip() == 'stand-in mxnet-cu117'

    done = make('venv')  # and back: the CPU build's stamp was dropped
    assert done.returncode == 0, done.stderr
    assert installed(make.python) == {'mxnet': '1.9.1'}
    assert run(make.python, 'import mxnet; print(mxnet.BUILD)').stdout \
        .strip() == 'stand-in mxnet'


def test_make_installs_the_chosen_builds_extra_and_verifies_it(make_copy):
    done = make_copy('-n', 'test', 'MXNET=mxnet-cu117')
    assert done.returncode == 0, done.stderr
    assert "--editable '.[cu117]'" in done.stdout
    assert "--editable '.[cu117,test]'" in done.stdout
    assert 'lockfile.py verify requirements.lock mxnet-cu117' in done.stdout
    assert 'D2L_CONV_MXNET=mxnet-cu117 ' in done.stdout
    assert "'.[cpu" not in done.stdout


@pytest.mark.parametrize('value', ['mxnet-cu101', 'cu117', '',
                                   'mxnet mxnet-cu117'])
def test_make_refuses_an_unknown_build_in_one_line(make_copy, value):
    done = make_copy('reproduce', f'MXNET={value}')
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f'MXNET={value} is not a build the lock holds' in lines[0]
    assert 'mxnet-cu117 (CUDA 11.7)' in lines[0]
    assert not make_copy.log.exists()  # nothing ran


@pytest.mark.parametrize('version', ['3.10'])
def test_an_older_python_is_refused_by_python_requires(tmp_path, version):
    """The metadata's ``Requires-Python`` (setup.cfg's ``python_requires =
    >=3.11, <3.14``), as uv reads it, and pip: 3.14, which this machine
    may not have, is refused by the same line."""
    pyenv = Path(os.environ.get('PYENV_ROOT',
                                Path.home() / '.pyenv')) / 'versions'
    found = sorted(pyenv.glob(f'{version}.*/bin/python{version}')) or [
        uv('python', 'find', '--system', version, check=False)
        .stdout.strip()]
    venv = tmp_path / 'old'
    made = subprocess.run([str(UV), 'venv', '--quiet', '--python',
                           str(found[0]), str(venv)], capture_output=True,
                          text=True, timeout=300)
    if not found[0] or made.returncode:
        pytest.skip(f'no Python {version} here')
    done = uv('pip', 'install', '--dry-run', '--python', venv / 'bin' /
              'python', source_copy(tmp_path), check=False)
    assert done.returncode != 0
    assert f'current Python version ({version}.' in done.stderr
    assert 'Python>=3.11,<3.14' in done.stderr, done.stderr
