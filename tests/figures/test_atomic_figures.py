"""Figure files appear whole or not at all, and links are never followed."""

import errno
import io
import os
import subprocess
import sys

import matplotlib.figure
import pytest

from d2l_conv import cli
from d2l_conv.figures import FIGURE_NAMES

NAMES = sorted(f'{name}.{suffix}' for name in FIGURE_NAMES
               for suffix in ('png', 'svg'))


def run(argv, out=None):
    out = io.StringIO() if out is None else out
    return cli.main(argv, out=out), out


@pytest.fixture(scope='module')
def good(tmp_path_factory):
    """A directory holding a good set of figures, and their bytes."""
    directory = tmp_path_factory.mktemp('good')
    code, _ = run(['--figures', str(directory)])
    assert code == 0
    return directory, {name: (directory / name).read_bytes()
                       for name in NAMES}


def copy_of(good, tmp_path):
    directory = tmp_path / 'figures'
    directory.mkdir()
    for name, data in good[1].items():
        (directory / name).write_bytes(data)
    return directory


def failing_savefig(fail_on, monkeypatch):
    """Make the `fail_on`-th ``savefig`` write a little, then hit ENOSPC."""
    real = matplotlib.figure.Figure.savefig
    calls = []

    def savefig(self, fname, *args, **kwargs):
        calls.append(fname)
        if len(calls) == fail_on:
            if isinstance(fname, (str, os.PathLike)):
                with open(fname, 'wb') as file:
                    file.write(b'truncated')
            else:
                fname.write(b'truncated')
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, fname, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, 'savefig', savefig)
    return calls


@pytest.mark.parametrize('fail_on', [1, 4])
def test_full_disk_keeps_every_earlier_figure_and_names_the_file(
        good, tmp_path, monkeypatch, capsys, fail_on):
    directory = copy_of(good, tmp_path)
    failing_savefig(fail_on, monkeypatch)
    code, out = run(['--figures', str(directory)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1, err
    failed = ['cross_correlation.png', 'edge_detection.svg'][fail_on > 1]
    assert failed in err and 'No space left on device' in err
    # No temporary file is left behind, and no figure was truncated.
    assert sorted(os.listdir(directory)) == NAMES
    for name, data in good[1].items():
        assert (directory / name).read_bytes() == data, name


def test_a_symlink_at_the_target_is_replaced_not_followed(good, tmp_path):
    directory = copy_of(good, tmp_path)
    victim = tmp_path / 'victim.txt'
    victim.write_text('keep me')
    target = directory / 'cross_correlation.png'
    target.unlink()
    target.symlink_to(victim)
    code, _ = run(['--figures', str(directory)])
    assert code == 0
    assert victim.read_text() == 'keep me'
    assert not target.is_symlink()
    assert target.read_bytes() == good[1]['cross_correlation.png']


def test_written_files_are_readable_like_any_other(good):
    directory = good[0]
    umask = os.umask(0)
    os.umask(umask)
    for name in NAMES:
        assert (directory / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_non_ascii_directory_on_an_ascii_terminal(tmp_path):
    directory = tmp_path / 'figures-ü'
    out = io.TextIOWrapper(io.BytesIO(), encoding='ascii')
    code, out = run(['--figures', str(directory)], out=out)
    assert code == 0
    out.flush()
    text = out.buffer.getvalue().decode('ascii')
    assert 'figures-\\xfc' in text
    assert sorted(os.listdir(directory)) == NAMES


@pytest.mark.slow  # a fresh Python: make test-slow
def test_non_ascii_error_on_an_ascii_terminal(tmp_path):
    file = tmp_path / 'figures-ü'
    file.write_text('not a directory')
    env = dict(os.environ, PYTHONIOENCODING='ascii:strict')
    done = subprocess.run(
        [sys.executable, '-m', 'd2l_conv', '--figures', str(file)],
        capture_output=True, env=env, timeout=300)
    assert done.returncode == 2
    assert b'Traceback' not in done.stderr
    lines = done.stderr.decode('ascii').splitlines()
    assert len(lines) == 1 and 'figures-\\xfc' in lines[0], lines
