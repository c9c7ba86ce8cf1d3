"""The set-up the README's two commands do: Python discovery and the lock."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import lockfile  # noqa: E402

LOCK = ROOT / 'requirements.lock'
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


def test_python_311_is_found_in_pyenv(tmp_path):
    version = tmp_path / 'pyenv' / 'versions' / '3.11.9' / 'bin'
    version.mkdir(parents=True)
    (version / 'python3.11').symlink_to(sys.executable)
    result = find_python(tmp_path, str(tmp_path / 'no-uv'),
                         PYENV_ROOT=str(tmp_path / 'pyenv'))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(version / 'python3.11')


def test_python_311_on_the_path_comes_first(tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'python3.11').symlink_to(sys.executable)
    result = find_python(tmp_path, str(tmp_path / 'no-uv'),
                         PATH=str(bin_dir))
    assert result.stdout.strip() == str(bin_dir / 'python3.11')


def test_a_given_python_that_is_not_311_is_refused(tmp_path):
    result = find_python(tmp_path, str(tmp_path / 'no-uv'), '/bin/sh')
    assert result.returncode == 1
    assert 'PYTHON=/bin/sh is not a Python 3.11' in result.stderr


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
    assert pins['numpy'] == [('1.23.5', '')]
    assert pins['numba'] == [('0.60.0', '')]
    lines = LOCK.read_text().splitlines()
    for i, line in enumerate(lines):
        if line[:1].isalnum():  # a pin; its hashes follow
            assert lines[i + 1].strip().startswith('--hash=sha256:'), line


def test_this_environment_equals_the_lock():
    assert lockfile.mismatches(LOCK) == []


def test_an_unlocked_version_is_reported(tmp_path):
    lock = tmp_path / 'requirements.lock'
    lock.write_text(LOCK.read_text().replace('numpy==1.23.5',
                                             'numpy==1.23.4'))
    assert ('numpy==1.23.5 is installed; the lock pins 1.23.4'
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
