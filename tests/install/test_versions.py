"""`import d2l_conv` checks the MXNet it finds, and says what to install.

Stand-in ``mxnet`` packages, put first on ``sys.path`` of a fresh Python,
play the MXNets this environment does not hold; a venv with no MXNet at
all is `tests/install/test_install.py`'s.
"""

import os
import re
import sys

import numpy
import pytest
from conftest import run_python

from d2l_conv import _versions


def install_ways(numpy_version):
    """What the messages must say to install, under `numpy_version`:
    with pip's usual resolution under numpy 1; under numpy 2, MXNet
    without its requirements (its numpy<2.0.0 would replace numpy 2)."""
    if numpy_version.startswith('1.'):
        return ('pip install mxnet==1.9.1', "pip install '.[cpu]'",
                "in the root of d2l_conv's repository",
                'pip install mxnet-cu117==1.9.1 (CUDA 11.7)',
                'mxnet-cu112==1.9.1 (CUDA 11.2)')
    return ("pip install 'requests>=2.20,<3'",
            'pip install --no-deps mxnet==1.9.1',
            'pip install --no-deps mxnet-cu117==1.9.1 (CUDA 11.7)',
            'mxnet-cu112==1.9.1 (CUDA 11.2)',
            "docs/install.md in d2l_conv's repository")


INSTALL_WAYS = install_ways(numpy.__version__)
#: This environment's MXNet build, as the messages name it.
INSTALLED = ', '.join(_versions._builds())


def import_beside(tmp_path, init, code='import d2l_conv'):
    """Run `code` with a stand-in ``mxnet/__init__.py`` holding `init`."""
    (tmp_path / 'mxnet').mkdir()
    (tmp_path / 'mxnet' / '__init__.py').write_text(init)
    env = {**os.environ,
           'PYTHONPATH': os.pathsep.join([str(tmp_path), *sys.path])}
    return run_python(code, env=env)


def last_line(done):
    assert done.returncode == 1, done.stdout
    assert 'During handling' not in done.stderr  # one error, not a chain
    return done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize('version, supported', [
    ('1.7.0.post2', True), ('1.8.0.post0', True), ('1.9.0', True),
    ('1.9.1', True), ('1.7.0', True), ('1.6.0', False), ('1.5.1.post0', False),
    ('2.0.0b1', False), ('2.0.0', False), ('1.10.0', False), ('', False),
    ('garbage', False)])
def test_supported_versions_are_the_matrixs(version, supported):
    assert _versions.mxnet_supported(version) is supported


@pytest.mark.parametrize('version', ['1.6.0', '2.0.0b1'])
def test_an_unsupported_mxnet_gets_one_import_error(tmp_path, version):
    done = import_beside(tmp_path, f'__version__ = {version!r}\n')
    line = last_line(done)
    assert line.startswith(f'ImportError: d2l_conv needs MXNet 1.7 to '
                           f'1.9.1; found MXNet {version} (imported from '
                           f'{tmp_path / "mxnet" / "__init__.py"};')
    assert 'pip uninstall' in line
    for way in INSTALL_WAYS:
        assert way in line


def test_an_mxnet_without_a_version_is_refused(tmp_path):
    line = last_line(import_beside(tmp_path, ''))
    assert 'found MXNet None' in line


def test_no_importable_mxnet_gets_one_import_error():
    done = run_python('''
        import sys
        sys.modules['mxnet'] = None  # what `import mxnet` cannot find
        import d2l_conv
        ''')
    line = last_line(done)
    assert line.startswith('ImportError: d2l_conv needs MXNet 1.7 to 1.9.1, '
                           'and no MXNet is installed')
    for way in INSTALL_WAYS:
        assert way in line


def test_a_gpu_build_without_cuda_is_explained(tmp_path):
    done = import_beside(tmp_path, "raise OSError('libcuda.so.1: cannot "
                         "open shared object file')\n")
    line = last_line(done)
    assert line.startswith(f'ImportError: d2l_conv: `import mxnet` failed ('
                           f'{INSTALLED} installed): OSError: libcuda.so.1: ')
    assert 'NVIDIA driver' in line
    assert INSTALL_WAYS[0 if numpy.__version__.startswith('1.') else 1] \
        in line


def test_an_mxnet_missing_a_dependency_names_it(tmp_path):
    done = import_beside(tmp_path, 'import no_such_dependency_d2l\n')
    line = last_line(done)
    assert (f"failed ({INSTALLED} installed): ModuleNotFoundError: No "
            "module named 'no_such_dependency_d2l'") in line


@pytest.mark.slow  # a fresh Python: make test-slow
def test_a_supported_mxnet_imports_without_reading_package_metadata():
    # the distributions are read only to explain a failure
    done = run_python('''
        import importlib.metadata
        def refuse(*args, **kwargs):
            raise AssertionError('metadata read')
        importlib.metadata.distributions = refuse
        import d2l_conv
        print(d2l_conv.corr2d([[1.0]], [[2.0]]).tolist())
        ''')
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == '[[2.0]]'



@pytest.mark.parametrize('numpy_version', ['1.23.5', '1.26.4', '2.0.2',
                                           '2.4.6'])
def test_the_install_advice_fits_the_numpy_installed(numpy_version):
    advice = _versions.how_to_install(numpy_version)
    for way in install_ways(numpy_version):
        assert way in advice
    assert ('--no-deps' in advice) is numpy_version.startswith('2.')


def test_the_install_advice_is_the_docs_tested_recipes():
    """Each command the advice gives is in docs/install.md's blocks,
    which tests/install/test_docs_blocks.py runs."""
    from conftest import ROOT
    docs = (ROOT / 'docs' / 'install.md').read_text(encoding='utf-8')
    blocks = '\n'.join(re.findall(r'```sh\n(.*?)```', docs, re.S))
    for command in ("pip install '.[cpu,lab]'", "'requests>=2.20,<3'",
                    'pip install --no-deps mxnet==1.9.1'):
        assert command in blocks
    assert "pip install '.[cpu]'" in _versions.how_to_install('1.26.4')
    assert 'pip install --no-deps mxnet==1.9.1' in \
        _versions.how_to_install('2.0.2')
