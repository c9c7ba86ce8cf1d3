"""`python -m d2l_conv`: the reproduction report and its exit code."""

import io
import subprocess
import sys

import pytest
from conftest import ROOT

from d2l_conv import cli
from d2l_conv.published import PUBLISHED


def run(argv):
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue()


def test_all_outputs_match_and_exit_zero():
    code, text = run([])
    assert code == 0
    assert text.splitlines()[-1] == '6/6 outputs match the book'
    assert text.count('✓') == 6 and '✗' not in text
    for record in PUBLISHED:
        assert record.code in text
        assert record.section in text


def test_shows_reproduced_beside_published():
    code, text = run([])
    assert 'reproduced' in text and 'published' in text
    # The learned kernel, reproduced and published, on one line.
    assert any(line.count('0.9895') == 2 for line in text.splitlines())


def test_a_mismatch_is_marked_and_exits_one(monkeypatch):
    from d2l_conv import reproduce as reproduce_module
    real_run_section = reproduce_module.run_section

    def one_wrong():
        printed = real_run_section()
        printed['corr2d'] = 'array([[19., 25.], [37., 44.]])'
        return printed

    monkeypatch.setattr(reproduce_module, 'run_section', one_wrong)
    code, text = run([])
    assert code == 1
    assert text.splitlines()[-1] == '5/6 outputs match the book'
    assert text.count('✗') == 1
    assert '44.' in text


def test_markdown_table():
    code, text = run(['--markdown'])
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith('| output | section | reproduced |')
    rows = [line for line in lines if line.startswith('| `')]
    assert len(rows) == len(PUBLISHED)
    assert all(row.endswith('✓ |') for row in rows)


def test_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(['--help'])
    assert exit_info.value.code == 0
    assert 'Reproduce section 6.2' in capsys.readouterr().out


def test_unknown_option_exits_two(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(['--no-such-option'])
    assert exit_info.value.code == 2


def test_python_dash_m_runs_in_a_fresh_process():
    done = subprocess.run([sys.executable, '-m', 'd2l_conv'],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == '6/6 outputs match the book'


def test_readme_table_is_the_commands_output():
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    start, end = '<!-- reproduce:start -->\n', '<!-- reproduce:end -->'
    table = readme[readme.index(start) + len(start):readme.index(end)]
    code, text = run(['--markdown'])
    assert table == text


@pytest.mark.slow  # a fresh Python: make test-slow
def test_installed_d2l_conv_script_runs_the_same_command():
    import pathlib
    script = pathlib.Path(sys.executable).parent / 'd2l-conv'
    assert script.exists(), 'the console script is not installed'
    done = subprocess.run([str(script), '--help'], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert 'Reproduce section 6.2' in done.stdout


@pytest.mark.slow  # a fresh Python: make test-slow
@pytest.mark.parametrize('flag', [[], ['--markdown']])
def test_a_terminal_without_unicode_gets_ascii_marks(flag):
    env = {**__import__('os').environ, 'PYTHONIOENCODING': 'ascii'}
    done = subprocess.run([sys.executable, '-m', 'd2l_conv', *flag],
                          capture_output=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode('ascii')  # nothing else was written
    assert text.splitlines()[-1] == '6/6 outputs match the book'
    assert 'ok' in text and '\\u2713' not in text
