"""The set-up the README's two commands do: Python discovery and the lock."""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, make_tree

sys.path.insert(0, str(ROOT / 'tools'))
import lockfile  # noqa: E402

LOCK = ROOT / 'requirements.lock'
MATRIX_LOCK = ROOT / 'tools' / 'mxnet-matrix.lock'
#: The MXNet build this environment should hold: `make test` sets it to
#: its MXNET (e.g. mxnet-cu117), `make test-matrix` to mxnet==VERSION.
EXPECTED_MXNET = os.environ.get('D2L_CONV_MXNET', 'mxnet')
#: The numpy this environment holds instead of the lock's, if any: `make
#: test-matrix` sets it in its row for Python 3.12 with numpy 2.
EXPECTED_NUMPY = os.environ.get('D2L_CONV_NUMPY', '')
FIND_PYTHON = ROOT / 'tools' / 'find-python.sh'
UV = ROOT / '.uv' / 'bin' / 'uv'


def find_python(tmp_path, *args, **env):
    """Run tools/find-python.sh with nothing on the PATH but `env`."""
    empty = tmp_path / 'empty-bin'
    empty.mkdir(exist_ok=True)
    base = {'PATH': str(empty), 'HOME': str(tmp_path / 'home'),
            'PYENV_ROOT': str(tmp_path / 'no-pyenv'),
            'UV_PYTHON_INSTALL_DIR': str(tmp_path / 'uv-pythons'),
            'UV_CACHE_DIR': str(tmp_path / 'uv-cache'),
            'UV_PYTHON_DOWNLOADS': 'never'}
    return subprocess.run(['/bin/sh', str(FIND_PYTHON), *args],
                          env={**base, **env}, capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)


def test_no_python_311_anywhere_gives_one_clear_line(tmp_path):
    uv = str(UV) if UV.exists() else str(tmp_path / 'no-uv')
    result = find_python(tmp_path, uv)
    assert result.returncode == 1
    assert result.stdout == ''
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert 'no Python 3.11 found' in lines[0]
    assert 'pyenv' in lines[0] and 'PYTHON=' in lines[0]


def fake_python(path, version):
    """Write at `path` a stand-in Python that prints `version` when asked
    to print it, and exits 0 (as a 3.11 does when asked if it is one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\ncase "$*" in *print*) echo {version};; '
                    'esac\n')
    path.chmod(0o755)


def test_python_311_is_found_in_pyenv(tmp_path):
    version = tmp_path / 'pyenv' / 'versions' / '3.11.9' / 'bin'
    fake_python(version / 'python3.11', '3.11')
    result = find_python(tmp_path, str(tmp_path / 'no-uv'),
                         PYENV_ROOT=str(tmp_path / 'pyenv'))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(version / 'python3.11')


def test_python_311_on_the_path_comes_first(tmp_path):
    bin_dir = tmp_path / 'bin'
    fake_python(bin_dir / 'python3.11', '3.11')
    result = find_python(tmp_path, str(tmp_path / 'no-uv'),
                         PATH=str(bin_dir))
    assert result.stdout.strip() == str(bin_dir / 'python3.11')


def test_a_given_python_that_is_not_one_supported_is_refused(tmp_path):
    result = find_python(tmp_path, str(tmp_path / 'no-uv'), '/bin/sh')
    assert result.returncode == 1
    assert result.stderr == (
        'make: PYTHON=/bin/sh is not a Python that runs here; d2l_conv '
        'supports Python 3.11, 3.12 and 3.13\n')


@pytest.mark.parametrize('version, ok', [
    ('3.10', False), ('3.11', True), ('3.12', True), ('3.13', True),
    ('3.14', False)])
def test_a_python_named_by_version_is_found_in_pyenv_or_refused(
        tmp_path, version, ok):
    fake = tmp_path / 'pyenv' / 'versions' / f'{version}.1' / 'bin'
    name = f'python{version}'
    fake_python(fake / name, version)
    result = find_python(tmp_path, str(tmp_path / 'no-uv'), name,
                         PYENV_ROOT=str(tmp_path / 'pyenv'))
    if ok:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(fake / name)
    else:
        assert result.returncode == 1
        assert result.stderr == (
            f'make: PYTHON={name} is Python {version}; d2l_conv supports '
            'Python 3.11, 3.12 and 3.13\n')


@pytest.mark.skipif(shutil.which('make') is None, reason='needs make')
def test_make_refuses_an_unsupported_python_in_one_line(tmp_path):
    done = subprocess.run(['make', '--no-print-directory', '-n',
                           'reproduce', 'PYTHON=/bin/sh'], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    [line] = (done.stdout + done.stderr).splitlines()
    assert 'd2l_conv supports Python 3.11, 3.12 and 3.13' in line


def test_the_override_is_setup_cfgs_numpy_lines(tmp_path):
    assert lockfile.check(LOCK) is None
    override = tmp_path / 'override.txt'
    override.write_text(lockfile.OVERRIDE.read_text().replace('2.5', '2.6'))
    error = lockfile.check(LOCK, override=override)
    assert error.startswith(f"{override} is stale: setup.cfg's numpy lines")


def test_the_lock_is_fresh():
    assert lockfile.check(LOCK) is None


def test_a_changed_requirement_makes_the_lock_stale(tmp_path):
    setup_cfg = tmp_path / 'setup.cfg'
    text = (ROOT / 'setup.cfg').read_text()
    setup_cfg.write_text(text.replace('matplotlib>=3.5,<3.8',
                                      'matplotlib>=3.6,<3.8'))
    assert 'stale' in lockfile.check(LOCK, setup_cfg)


def test_other_setup_cfg_edits_keep_the_lock_fresh(tmp_path):
    setup_cfg = tmp_path / 'setup.cfg'
    text = (ROOT / 'setup.cfg').read_text()
    setup_cfg.write_text(text.replace('[tool:pytest]',
                                      '# a note\n[tool:pytest]'))
    assert lockfile.check(LOCK, setup_cfg) is None


def test_the_lock_pins_the_working_set_with_hashes():
    pins = lockfile.locked_versions(LOCK)
    assert pins['mxnet'] == [('1.9.1', '')]
    assert pins['mxnet-cu112'] == [('1.9.1', '')]
    assert pins['mxnet-cu117'] == [('1.9.1', '')]
    assert pins['numpy'] == [
        ('1.23.5', "python_full_version < '3.12'"),
        ('1.26.4', "python_full_version == '3.12.*'"),
        ('2.4.6', "python_full_version >= '3.13'")]
    assert 'numba' not in pins and 'llvmlite' not in pins
    # distutils for MXNet, on the Pythons that removed it
    assert [m for _, m in pins['setuptools']] == [
        "python_full_version >= '3.12'"]
    lines = LOCK.read_text().splitlines()
    for i, line in enumerate(lines):
        if line[:1].isalnum():  # a pin; its hashes follow
            assert lines[i + 1].strip().startswith('--hash=sha256:'), line


def test_this_environment_equals_the_lock(tmp_path):
    """The lock, with the MXNet build `make` was asked for.

    Under `make test-matrix` (``D2L_CONV_MXNET=mxnet==1.7.0.post2``) the
    lock's MXNet pin is swapped for that release's, as the matrix
    installs it.
    """
    assert lockfile.mismatches(expected_lock(tmp_path),
                               EXPECTED_MXNET) == []


def expected_lock(tmp_path):
    """The lock this environment was installed from (see above)."""
    name, _, version = EXPECTED_MXNET.partition('==')
    if not version and not EXPECTED_NUMPY:
        return LOCK
    text = (lockfile.with_mxnet(LOCK, name, version, MATRIX_LOCK) if version
            else LOCK.read_text(encoding='utf-8'))
    if EXPECTED_NUMPY:
        text = lockfile.with_numpy(text, EXPECTED_NUMPY, LOCK)
    lock = tmp_path / 'requirements.lock'
    lock.write_text(text)
    return lock


def test_another_mxnet_build_than_the_one_asked_for_is_reported(tmp_path):
    installed = lockfile.installed_builds()
    assert list(installed) == [EXPECTED_MXNET.split('==')[0]]
    other = 'mxnet-cu112' if 'mxnet' in installed else 'mxnet'
    lock = expected_lock(tmp_path)
    assert lockfile.mismatches(lock, other) == [
        f'the MXNet build expected is {other}; installed: '
        + ', '.join(f'{n}=={v}' for n, v in installed.items())]
    version = next(iter(installed.values()))
    assert lockfile.mismatches(lock, f'{other}=={version}') != []
    assert lockfile.mismatches(lock, EXPECTED_MXNET.split('==')[0]
                               + '==0.1') != []


def test_two_mxnet_builds_are_reported(tmp_path):
    # a second build, as metadata only: what `pip install mxnet-cu117`
    # over the CPU build leaves behind
    site = tmp_path / 'site'
    info = site / 'mxnet_cu117-1.9.1.dist-info'
    info.mkdir(parents=True)
    (info / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: mxnet-cu117\nVersion: 1.9.1\n')
    done = subprocess.run(
        [sys.executable, str(ROOT / 'tools' / 'lockfile.py'), 'verify',
         str(LOCK)], env={**os.environ, 'PYTHONPATH': str(site)},
        capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert 'more than one MXNet build is installed (' in done.stderr
    assert 'mxnet-cu117==1.9.1' in done.stderr


def test_the_lock_with_another_mxnet_release_pins_only_that_one():
    text = lockfile.with_mxnet(LOCK, 'mxnet', '1.7.0.post2', MATRIX_LOCK)
    lock_lines = LOCK.read_text().splitlines()
    pins = [line for line in text.splitlines() if line.startswith('mxnet')]
    assert pins == ['mxnet==1.7.0.post2 \\']
    hashes = text.split('mxnet==1.7.0.post2 \\\n', 1)[1].splitlines()
    assert hashes[0].strip().startswith('--hash=sha256:')
    # every other pin, hashes and all, as the lock has it
    others = [line for line in lock_lines
              if line[:1].isalnum() and not line.startswith('mxnet')]
    assert others == [line for line in text.splitlines()
                      if line[:1].isalnum() and
                      not line.startswith('mxnet')]
    assert "numpy==1.23.5 ; python_full_version < '3.12' \\" in others


def test_the_lock_with_numpy_2_pins_it_on_every_python_with_its_hashes():
    """The matrix's 3.12 row with numpy 2: the lock's 3.13 pin, hashes
    and all, in place of every numpy pin, with no marker."""
    sys.path.insert(0, str(ROOT / 'tools'))
    import matrix
    text = lockfile.with_numpy(LOCK.read_text(), matrix.NUMPY_2, LOCK)
    pins = [line for line in text.splitlines() if line.startswith('numpy')]
    assert pins == [f'numpy=={matrix.NUMPY_2} \\']
    block = lockfile.pin_block(LOCK, 'numpy', matrix.NUMPY_2)
    assert text.splitlines()[-len(block) + 1:] == block[1:]
    others = [line for line in LOCK.read_text().splitlines()
              if line[:1].isalnum() and not line.startswith('numpy')]
    assert others == [line for line in text.splitlines()
                      if line[:1].isalnum() and not line.startswith('numpy')]


def test_a_numpy_the_lock_does_not_pin_is_refused():
    with pytest.raises(ValueError, match='with_numpy: .* does not pin '
                       'numpy==2.0.2'):
        lockfile.with_numpy(LOCK.read_text(), '2.0.2', LOCK)


def test_the_lock_with_a_gpu_build_takes_it_from_the_lock():
    text = lockfile.with_mxnet(LOCK, 'mxnet-cu117', '1.9.1')
    pins = [line for line in text.splitlines() if line.startswith('mxnet')]
    assert pins == ['mxnet-cu117==1.9.1 \\']


def test_an_mxnet_release_no_lock_pins_is_refused():
    with pytest.raises(ValueError, match='with_mxnet: .*pins mxnet==1.5.0'):
        lockfile.with_mxnet(LOCK, 'mxnet', '1.5.0', MATRIX_LOCK)


def test_the_matrix_lock_pins_each_release_it_runs_with_hashes():
    sys.path.insert(0, str(ROOT / 'tools'))
    import matrix
    for version in matrix.REFUSED + matrix.SUPPORTED:
        block = (lockfile.pin_block(LOCK, 'mxnet', version)
                 or lockfile.pin_block(MATRIX_LOCK, 'mxnet', version))
        assert block, version
        assert block[1].strip().startswith('--hash=sha256:')


def test_an_unlocked_version_is_reported(tmp_path):
    from importlib import metadata
    installed = metadata.version('numpy')
    text = expected_lock(tmp_path).read_text()
    lock = tmp_path / 'changed.lock'
    lock.write_text(text.replace(f'numpy=={installed} ', 'numpy==1.0.0 '))
    assert (f'numpy=={installed} is installed; the lock pins 1.0.0'
            in lockfile.mismatches(lock))


@pytest.mark.skipif(shutil.which('make') is None, reason='needs make')
def test_make_refuses_a_stale_lock(tmp_path):
    for name in ('Makefile', 'setup.cfg', 'setup.py', 'requirements.lock'):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / 'tools', tmp_path / 'tools')
    setup_cfg = tmp_path / 'setup.cfg'
    setup_cfg.write_text(setup_cfg.read_text().replace(
        'matplotlib>=3.5,<3.8', 'matplotlib>=3.6,<3.8'))
    # a stand-in uv, so make neither downloads nor installs anything
    (tmp_path / '.uv' / 'bin').mkdir(parents=True)
    uv = tmp_path / '.uv' / 'bin' / 'uv'
    uv.write_text('#!/bin/sh\nexit 1\n')
    uv.chmod(0o755)
    result = subprocess.run(
        ['make', '--no-print-directory', 'reproduce',
         f'PYTHON={sys.executable}'],
        cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert 'requirements.lock is stale' in result.stderr
    assert not (tmp_path / '.venv').exists()


#: A stand-in uv for make's set-up: it logs its arguments, and `uv venv`
#: makes a .venv whose python answers nothing and exits 0, so that make
#: runs its whole recipe quickly, installing nothing.
LOGGING_UV = '''#!/bin/sh
echo "$*" >> "$LOG"
if [ "$1" = venv ]; then
    mkdir -p .venv/bin
    printf '#!/bin/sh\\nexit 0\\n' > .venv/bin/python
    chmod +x .venv/bin/python
fi
'''


@pytest.mark.skipif(shutil.which('make') is None, reason='needs make')
def test_make_keeps_the_python_it_was_given_until_given_another(tmp_path):
    """`make reproduce PYTHON=python3.12` then `make lab`: the second
    keeps 3.12, where it used to rebuild .venv on the default 3.11."""
    make_tree(tmp_path, LOGGING_UV)
    log = tmp_path / 'uv.log'
    other = tmp_path / 'another-python'  # the same Python, named otherwise
    other.symlink_to(sys.executable)

    def make(*args):
        done = subprocess.run(
            ['make', '--no-print-directory', *args], cwd=tmp_path,
            env={**os.environ, 'LOG': str(log)}, capture_output=True,
            text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done

    def venvs():
        return [line.split('--python ')[1].split()[0]
                for line in log.read_text().splitlines()
                if line.startswith('venv ')]

    make('venv', f'PYTHON={sys.executable}')
    assert venvs() == [sys.executable]
    make('venv')  # not given again: kept, nothing rebuilt
    assert venvs() == [sys.executable]
    dry = make('-n', 'reproduce').stdout
    assert dry.splitlines() == ['.venv/bin/python -m d2l_conv']
    make('venv', f'PYTHON={other}')  # another: rebuilt with it, and kept
    make('venv')
    assert venvs() == [sys.executable, str(other)]
    # PYTHON= alone asks for the default again (find-python.sh's 3.11)
    dry = make('-n', 'venv', 'PYTHON=').stdout
    assert "find-python.sh .uv/bin/uv \"\")" in dry


@pytest.mark.skipif(shutil.which('make') is None, reason='needs make')
def test_a_kept_python_that_is_gone_is_refused_saying_where_it_came_from(
        tmp_path):
    for name in ('Makefile', 'setup.cfg', 'setup.py', 'requirements.lock'):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / 'tools', tmp_path / 'tools',
                    ignore=shutil.ignore_patterns('__pycache__'))
    (tmp_path / '.venv').mkdir()
    (tmp_path / '.venv' / '.python').write_text('/gone/python3.12\n')
    done = subprocess.run(['make', '--no-print-directory', '-n', 'lab'],
                          cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    [line] = (done.stdout + done.stderr).splitlines()
    assert 'PYTHON=/gone/python3.12 is not a Python that runs here' in line
    assert '(kept in .venv/.python from an earlier make; PYTHON= alone ' \
        'gives the default)' in line
