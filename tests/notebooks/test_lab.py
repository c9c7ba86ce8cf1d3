"""`tools/lab.py`, behind ``make lab``: the command it would run."""

import importlib.util
import sys

import pytest
from conftest import ROOT


@pytest.fixture(scope='module')
def lab():
    spec = importlib.util.spec_from_file_location('lab', ROOT / 'tools' /
                                                  'lab.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_headless_is_loopback_no_browser_and_exactly_the_port(lab):
    argv = lab.lab_command(ROOT / 'notebooks', port=8890, headless=True,
                           token='secret')
    assert argv[:3] == [sys.executable, '-m', 'jupyterlab']
    for flag in ('--ServerApp.ip=127.0.0.1', '--ServerApp.port=8890',
                 '--no-browser', '--ServerApp.port_retries=0',
                 '--IdentityProvider.token=secret',
                 f'--ServerApp.root_dir={ROOT / "notebooks"}'):
        assert flag in argv


def test_default_opens_a_browser_with_a_random_token(lab):
    argv = lab.lab_command()
    assert '--no-browser' not in argv
    assert not any(arg.startswith('--IdentityProvider.token') for arg in argv)
    assert '--ServerApp.ip=127.0.0.1' in argv


def test_the_venvs_kernels_come_first(lab):
    assert lab.lab_environment({'A': '1'}) == {
        'A': '1', 'JUPYTER_PREFER_ENV_PATH': '1'}


@pytest.mark.parametrize('argv, message', [
    (['--port', '0'], '--port must be 1..65535'),
    (['--notebook-dir', '/no/such/folder'], 'is not a folder'),
])
def test_bad_options_are_refused(lab, argv, message, capsys):
    with pytest.raises(SystemExit):
        lab.parse_args(argv)
    assert message in capsys.readouterr().err
