"""``_d2l_conv_tools``: the helpers the package and the scripts share."""

import doctest
import errno
import json
import os
import stat
import subprocess
import sys

import pytest
from conftest import ROOT

import _d2l_conv_tools as tools
from _d2l_conv_tools import MXNET_BUILD, leading, write_atomic

#: The scripts that import it from a checkout, by their path.
SCRIPTS = ('tools/lockfile.py', 'tools/matrix.py', 'e2e/run.py',
           'benchmarks/render_bench.py')


def test_its_examples_run():
    result = doctest.testmod(tools, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0


@pytest.mark.parametrize('text, count, numbers', [
    ('1.9.1', 2, (1, 9)), ('1.7.0.post2', 3, (1, 7, 0)),
    ('2.0.0rc1', 3, (2, 0, 0)), ('1.24rc1', 2, (1, 24)),
    ('2', 3, (2, 0, 0)), ('', 2, (0, 0)), ('x.1', 2, (0, 1)),
    ('1.26.4', 1, (1,))])
def test_leading_reads_the_leading_digits_of_each_part(text, count, numbers):
    assert leading(text, count) == numbers


@pytest.mark.parametrize('name, build', [
    ('mxnet', True), ('mxnet-cu117', True), ('mxnet-cu112mkl', True),
    ('mxnet-mkl', True), ('mxnet-native', True), ('mxnet-tensorrt', False),
    ('mxnet_cu117', False), ('d2l-conv', False), ('mxnet-cu', False)])
def test_mxnet_build_names_the_builds_of_the_mxnet_package(name, build):
    assert bool(MXNET_BUILD.fullmatch(name)) is build


@pytest.mark.parametrize('content', ['text\n', b'text\n',
                                     lambda file: file.write(b'text\n')])
def test_each_kind_of_content_is_written_whole(tmp_path, content):
    path = tmp_path / 'a' / 'b' / 'note.txt'
    write_atomic(path, content)
    assert path.read_bytes() == b'text\n'
    fresh = tmp_path / 'fresh.txt'
    fresh.write_text('')  # what open gives a new file
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(
        fresh.stat().st_mode)
    assert os.listdir(path.parent) == ['note.txt']


def test_a_link_is_replaced_never_followed(tmp_path):
    target = tmp_path / 'elsewhere.txt'
    target.write_text('keep')
    link = tmp_path / 'note.txt'
    link.symlink_to(target)
    write_atomic(str(link), 'new')
    assert target.read_text() == 'keep'
    assert not link.is_symlink() and link.read_text() == 'new'


def test_a_failed_write_leaves_the_old_file_and_names_the_writer(tmp_path):
    path = tmp_path / 'note.txt'
    path.write_text('old')

    def full(file):
        file.write(b'part')
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError) as caught:
        write_atomic(path, full, func='figures')
    assert str(caught.value) == (f'figures: cannot write {str(path)!r}: '
                                 'No space left on device')
    assert path.read_text() == 'old' and os.listdir(tmp_path) == [
        'note.txt']


def test_an_error_of_the_writer_passes_through_and_cleans_up(tmp_path):
    def broken(file):
        raise KeyError('no such figure')

    with pytest.raises(KeyError, match='no such figure'):
        write_atomic(tmp_path / 'note.txt', broken)
    assert os.listdir(tmp_path) == []


def test_a_folder_in_the_way_gets_the_same_one_line_error(tmp_path):
    (tmp_path / 'file').write_text('')
    with pytest.raises(FileExistsError,
                       match=r"^lockfile: cannot write '.*note.txt': "):
        write_atomic(tmp_path / 'file' / 'note.txt', 'x', func='lockfile')


@pytest.mark.parametrize('content', [None, 3, ['text']])
def test_content_of_another_type_is_refused_by_name(tmp_path, content):
    with pytest.raises(TypeError, match='^render_bench: content must be '
                       'str, bytes or a function that writes, not '):
        write_atomic(tmp_path / 'note.txt', content, func='render_bench')
    assert os.listdir(tmp_path) == []


def python(code, *flags, cwd=ROOT):
    done = subprocess.run([sys.executable, *flags, '-c', code], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_install_ships_it_and_it_imports_nothing_heavy(tmp_path):
    """Installed (editable here), from outside the checkout: found, and
    neither numpy, MXNet nor d2l_conv comes with it; at start-up the
    hook's ``.pth`` does not load it."""
    out = python(
        'import sys; before = "_d2l_conv_tools" in sys.modules\n'
        'import _d2l_conv_tools, json\n'
        'print(json.dumps([before, _d2l_conv_tools.__file__, sorted('
        '{"numpy", "mxnet", "d2l_conv"} '
        '& set(sys.modules))]))', cwd=tmp_path)
    assert json.loads(out) == [False, str(ROOT / '_d2l_conv_tools.py'), []]


@pytest.mark.parametrize('script', SCRIPTS)
def test_the_scripts_take_it_from_their_checkout(script):
    """With no site-packages at all (``-S``), each script's imports find
    the checkout's copy, and import neither numpy nor MXNet."""
    out = python(
        'import importlib.util, json, sys\n'
        f'spec = importlib.util.spec_from_file_location("s", {script!r})\n'
        'module = importlib.util.module_from_spec(spec)\n'
        'spec.loader.exec_module(module)\n'
        'tools = sys.modules["_d2l_conv_tools"]\n'
        'print(json.dumps([module.write_atomic is tools.write_atomic, '
        'tools.__file__, sorted({"numpy", "mxnet", "d2l_conv"} '
        '& set(sys.modules))]))', '-S', '-I')
    assert json.loads(out) == [True, str(ROOT / '_d2l_conv_tools.py'), []]


def test_the_package_and_the_hook_use_this_copy(monkeypatch):
    import types

    import _d2l_conv_mxnet_hook as hook
    from d2l_conv import _versions, figures
    assert _versions.leading is leading
    assert _versions.MXNET_BUILD is MXNET_BUILD
    assert figures.write_atomic is write_atomic
    # the hook imports it as it restores, and not before: a stand-in
    # numpy 2 whose version only this copy's `leading` reads
    asked = []
    monkeypatch.setattr(tools, 'leading',
                        lambda text, count: asked.append(text) or (1, 23))
    assert hook.restore(types.SimpleNamespace(__version__='2.4')) == []
    assert asked == ['2.4']
