"""`make test-matrix`'s bookkeeping: counts, the table, its writes.

The matrix itself (a venv per row, what can differ between rows run in
each) is `make test-matrix`; these check what it runs, reports and
writes, in milliseconds.
"""

import sys
import threading

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / 'tools'))
import matrix  # noqa: E402

JUNIT = '''<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="{errors}" failures="{failures}"
 skipped="{skipped}" tests="{tests}" time="1.0"></testsuite></testsuites>
'''


@pytest.mark.parametrize('numbers, text, ok', [
    ((918, 0, 0, 0), '918 passed', True),
    ((918, 1, 0, 2), '915 passed, 1 failed, 2 skipped', False),
    ((10, 0, 3, 0), '7 passed, 3 errors', False)])
def test_counts_read_the_junit_report(tmp_path, numbers, text, ok):
    tests, failures, errors, skipped = numbers
    junit = tmp_path / 'junit.xml'
    junit.write_text(JUNIT.format(tests=tests, failures=failures,
                                  errors=errors, skipped=skipped))
    assert matrix.counts(junit) == (text, ok)


def test_the_table_has_a_row_per_python_and_version_between_the_markers():
    results = [{'python': '3.11', 'version': '1.6.0', 'numpy': 'n/a',
                'c': 'n/a', 'reproduce': 'refused', 'pytest': 'not run'},
               {'python': '3.13', 'version': '1.9.1', 'numpy': '2.4.6',
                'c': 'used', 'reproduce': '6/6', 'pytest': '918 passed'}]
    block = matrix.table(results, 125.0)
    lines = block.splitlines()
    assert lines[0] == matrix.START and lines[-1] == matrix.END
    assert lines[1].startswith('| Python | MXNet (CPU build) | numpy |')
    assert lines[3:5] == ['| 3.11 | 1.6.0 | n/a | n/a | refused | not run |',
                          '| 3.13 | 1.9.1 | 2.4.6 | used | 6/6 | 918 passed |']
    assert 'took 2.1 min' in block


def test_the_rows_are_each_release_on_311_and_the_last_on_312_and_313():
    assert matrix.rows_asked([]) == matrix.ROWS
    assert [v for p, v, *_ in matrix.ROWS if p == '3.11'] == [
        *matrix.REFUSED, *matrix.SUPPORTED]
    assert [row for row in matrix.ROWS if row[0] != '3.11'] == [
        ('3.12', '1.9.1'), ('3.12', '1.9.1', matrix.NUMPY_2),
        ('3.13', '1.9.1')]
    assert matrix.rows_asked(['1.9.0', '3.13:1.9.1', '3.12:1.9.1:2.4.6']) \
        == [('3.11', '1.9.0'), ('3.13', '1.9.1'), ('3.12', '1.9.1', '2.4.6')]
    with pytest.raises(ValueError, match='knows no row 3.12:1.8.0'):
        matrix.rows_asked(['3.12:1.8.0'])
    with pytest.raises(ValueError, match='knows no row 3.12:1.9.1:2.0.2'):
        matrix.rows_asked(['3.12:1.9.1:2.0.2'])


def test_each_row_runs_the_tests_that_can_differ_and_they_exist():
    for path in (*matrix.ROW_TESTS, *matrix.ONCE_PER_PYTHON):
        assert (ROOT / path).exists(), path
    assert 'tests/fast' in matrix.ROW_TESTS
    assert 'notebooks' in matrix.ROW_TESTS
    args = matrix.pytest_args('j.xml', matrix.ROW_TESTS)
    assert args[-len(matrix.ROW_TESTS):] == list(matrix.ROW_TESTS)
    # the last -m wins: setup.cfg's, the slow tests (the notebooks) kept
    marks = [args[i + 1] for i, arg in enumerate(args) if arg == '-m']
    assert marks[-1] == 'not docs_install'
    assert args[args.index('-n') + 1] == 'auto'


def test_what_depends_only_on_the_python_runs_once_per_newer_python():
    # in its first row; on 3.11 make test and make test-slow run it
    ignored = tuple(f'--ignore={path}' for path in matrix.ONCE_PER_PYTHON)
    rows = matrix.ROWS
    runs = {row: matrix.row_tests(rows, row) for row in rows
            if row[1] in matrix.SUPPORTED and row != matrix.SUITE_ROW}
    once = [row for row, tests in runs.items() if not tests[
        len(matrix.ROW_TESTS):] == ignored]
    assert once == [('3.12', '1.9.1'), ('3.13', '1.9.1')]
    assert all(tests[:len(matrix.ROW_TESTS)] == matrix.ROW_TESTS
               for tests in runs.values())
    # the installs are added; what is under tests/fast, run with it
    assert runs[once[0]] == (*matrix.ROW_TESTS,
                             'tests/install/test_install.py')
    asked = matrix.rows_asked(['1.9.0', '3.12:1.9.1:2.4.6'])
    assert matrix.row_tests(asked, asked[1]) == runs[once[0]]
    assert matrix.row_tests(asked, asked[0]) == (*matrix.ROW_TESTS,
                                                 *ignored)


def test_the_lock_row_leaves_its_pytest_to_make_test():
    # 3.11 with the lock's MXNet and numpy is .venv, where make test and
    # make test-slow run the whole suite: the row checks the 6/6 only
    assert matrix.SUITE_ROW in matrix.ROWS
    assert matrix.row_tests(matrix.ROWS, matrix.SUITE_ROW) == ()
    others = [row for row in matrix.ROWS if row != matrix.SUITE_ROW
              and row[1] in matrix.SUPPORTED]
    assert all(matrix.row_tests(matrix.ROWS, row) for row in others)


def test_the_numpy_2_row_is_a_numpy_the_range_on_312_admits():
    from d2l_conv import _versions
    low, high, pinned = _versions.NUMPY_TESTED[(3, 12)]
    assert int(pinned.split('.')[0]) == 1
    assert low <= tuple(map(int, matrix.NUMPY_2.split('.')[:2])) < high
    assert matrix.NUMPY_2.startswith('2.')


def test_the_block_replaces_only_what_is_between_the_markers():
    text = f'# a\n\nbefore\n{matrix.START}\nold\n{matrix.END}\nafter\n'
    new = matrix.replace_block(text, f'{matrix.START}\nnew\n{matrix.END}')
    assert new == f'# a\n\nbefore\n{matrix.START}\nnew\n{matrix.END}\nafter\n'


@pytest.mark.parametrize('text', [
    'no markers', f'{matrix.END}\n{matrix.START}',
    f'{matrix.START}\n{matrix.END}\n{matrix.START}\n{matrix.END}'])
def test_a_readme_without_one_marker_pair_is_refused(text):
    with pytest.raises(ValueError,
                       match='replace_block: development.md needs'):
        matrix.replace_block(text, 'x')


def test_the_development_page_holds_the_markers_once():
    assert matrix.TABLE == ROOT / 'docs' / 'development.md'
    text = matrix.TABLE.read_text()
    assert matrix.replace_block(text, 'x').count('x') >= 1


def test_writes_replace_a_link_and_never_follow_it(tmp_path):
    target = tmp_path / 'elsewhere.md'
    target.write_text('keep')
    link = tmp_path / 'README.md'
    link.symlink_to(target)
    matrix.write_atomic(link, 'new')
    assert target.read_text() == 'keep'
    assert not link.is_symlink() and link.read_text() == 'new'
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        'README.md', 'elsewhere.md']


def test_an_unknown_version_is_refused_in_one_line(capsys):
    assert matrix.run('uv', sys.executable, ['1.5.0']) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ['make: test-matrix knows no row 3.11:1.5.0 (it has '
                   '3.11:1.6.0, 3.11:1.7.0.post2, 3.11:1.8.0.post0, '
                   '3.11:1.9.0, 3.11:1.9.1, 3.12:1.9.1, 3.12:1.9.1:2.4.6, '
                   '3.13:1.9.1)']


def test_the_matrix_covers_setup_cfgs_range_and_the_import_check():
    from d2l_conv import _versions
    assert all(_versions.mxnet_supported(v) for v in matrix.SUPPORTED)
    assert not any(_versions.mxnet_supported(v) for v in matrix.REFUSED)
    assert matrix.SUPPORTED[-1] == '1.9.1'
    cfg = (ROOT / 'setup.cfg').read_text()
    assert 'mxnet>=1.7,<1.10' in cfg


@pytest.mark.slow  # a fresh Python: make test-slow
def test_the_probe_runs_against_this_package():
    """Each row's probe (numpy's version, the engine picked at 224²·3x3)
    runs here as in a row's venv: a probe broken by a change of
    `choose_engine` would mark every row's C engine 'NOT built'."""
    import subprocess

    import numpy

    from d2l_conv.fast import c_engine
    if not c_engine.available():
        pytest.skip('the C engine was not built here')
    done = subprocess.run([sys.executable, '-c', matrix.PROBE],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [numpy.__version__, 'c']


def test_rows_run_two_at_a_time_never_two_of_one_python():
    rows = [('3.11', '1.7'), ('3.11', '1.8'), ('3.12', '1.9.1')]
    both = threading.Barrier(2, timeout=30)  # breaks unless two run at once
    active, clashes, guard = set(), [], threading.Lock()

    def check(row):
        with guard:
            clashes.extend(r for r in active if r[0] == row[0])
            active.add(row)
        if row != rows[1]:  # the first of each Python: lanes side by side
            both.wait()
        with guard:
            active.discard(row)
        return row[1]

    assert matrix.in_lanes(rows, check) == ['1.7', '1.8', '1.9.1']
    assert clashes == []


def test_a_refused_release_asked_alone_has_its_tests_named():
    # make test-matrix MATRIX=1.6.0: no supported row of its Python
    rows = matrix.rows_asked(['1.6.0'])
    assert matrix.row_tests(rows, rows[0])[:len(matrix.ROW_TESTS)] == \
        matrix.ROW_TESTS
