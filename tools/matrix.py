"""``make test-matrix``: what can differ, on each Python and MXNet supported.

Each row (a Python and an MXNet release: every release supported on
Python 3.11, 1.9.1 on 3.12 and 3.13, and 1.9.1 on 3.12 with numpy 2)
gets its own venv, ``.venv-matrix/<python>-<version>[-numpy<numpy>]``
(its log beside it), holding the CPU build of that release and
everything else exactly as ``requirements.lock`` pins it for that Python,
hashes checked: the lock's MXNet pin is swapped for the version's own,
with its hashes, from ``tools/mxnet-matrix.lock`` (written by ``make
lock``), and in the numpy 2 row the lock's numpy pin for the lock's own
pin of that numpy (3.13's), as an environment that already holds numpy 2
(Colab's) runs d2l_conv. In each, the C engine must be built and be the
one `corr2d_fast` picks, ``python -m d2l_conv`` must reproduce the section
(the book's 6/6) and ``pytest`` must pass on `ROW_TESTS`, what can differ
between rows (the rest of the suite is the same code on the same numbers,
which ``make test`` runs once), and on `ONCE_PER_PYTHON` in the first row of
each Python. The releases refused (1.6.0) are installed too, and ``import
d2l_conv`` must refuse them with its `ImportError`. A full run rewrites
the table in docs/development.md, atomically.

Usage (stdlib only)::

    python tools/matrix.py lock UV                # tools/mxnet-matrix.lock
    python tools/matrix.py run UV PYTHON [ROW ...]

PYTHON is the 3.11 to run 3.11's rows with (the others are found as
``make PYTHON=python3.12`` finds them); a ROW is ``VERSION`` (on 3.11),
``PYTHON:VERSION`` or ``PYTHON:VERSION:NUMPY``, e.g. ``1.9.0``,
``3.13:1.9.1`` or ``3.12:1.9.1:2.4.6``.
"""

import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import lockfile  # noqa: E402

from _d2l_conv_tools import write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / 'requirements.lock'
MATRIX_LOCK = ROOT / 'tools' / 'mxnet-matrix.lock'
TABLE = ROOT / 'docs' / 'development.md'
VENVS = ROOT / '.venv-matrix'
#: The releases the suite must pass on: setup.cfg's range, 1.7 to 1.9.1.
SUPPORTED = ('1.7.0.post2', '1.8.0.post0', '1.9.0', '1.9.1')
#: Releases `import d2l_conv` must refuse (docs/install.md says why).
REFUSED = ('1.6.0',)
#: The numpy 2 the 3.12 row with numpy 2 runs on: the lock's pin for
#: 3.13, with its hashes.
NUMPY_2 = '2.4.6'
#: The rows, ``(python, version)``, or ``(python, version, numpy)`` where
#: numpy is not the lock's: every release on 3.11 (whose numpy, 1.23,
#: they were made for), the last on each newer Python, and the last on
#: 3.12 with numpy 2 (where numpy 2 is already installed, as on Colab).
ROWS = tuple(('3.11', v) for v in REFUSED + SUPPORTED) + (
    ('3.12', '1.9.1'), ('3.12', '1.9.1', NUMPY_2), ('3.13', '1.9.1'))
#: What each row's pytest runs: what can differ between MXNet, numpy and
#: Python releases. The one place that says so (docs/development.md names
#: them).
ROW_TESTS = (
    'tests/fast',                        # the engines, MXNet's C API
    'tests/install/test_mxnet_hook.py',  # the import hook
    'tests/install/test_versions.py',      # the version gate
    'tests/install/test_setup.py',       # the venv is the lock
    'notebooks',                         # nbval: the stored outputs
)
#: Run once per Python, in the first row of each but 3.11 (on 3.11
#: ``make test`` and ``make test-slow`` run them, in .venv): what depends
#: on the Python but not on MXNet's release or numpy. The real installs,
#: from the lock's pins whatever the row's MXNet, and the files of
#: tests/fast on the CPU count, the cost model, Python's threads, fork
#: and signals (the MXNet arrays they cross are those
#: ``tests/fast/test_fast.py`` checks in every row). The other rows
#: leave them out (``--ignore``).
ONCE_PER_PYTHON = (
    'tests/install/test_install.py',
    'tests/fast/test_fast_cpus.py',
    'tests/fast/test_fast_choose.py',
    'tests/fast/test_fast_threads.py',
    'tests/fast/test_fast_c_threads.py',
    'tests/fast/test_fast_concurrency.py',
)
#: The row that is .venv itself (the lock's Python, MXNet and numpy),
#: where ``make test`` and ``make test-slow`` run the whole suite: it
#: checks the 6/6 and the C engine, and runs no pytest of its own.
SUITE_ROW = ('3.11', '1.9.1')
#: What each row's venv says of its numpy and the C engine.
PROBE = ('import numpy, d2l_conv.fast._direct; '
         'from d2l_conv.fast import choose; '
         'print(numpy.__version__, choose.choose_engine((224, 224), '
         '(3, 3)))')
START = '<!-- mxnet-matrix:start -->'
END = '<!-- mxnet-matrix:end -->'
#: What `import d2l_conv` says when it refuses an MXNet.
REFUSAL = 'd2l_conv needs MXNet 1.7 to 1.9.1'


def write_lock(uv, path=MATRIX_LOCK):
    """Pin, with hashes, each release the matrix installs not in LOCK."""
    parts = ['# The MXNet releases `make test-matrix` installs beside the '
             'rest of', '# requirements.lock, with their hashes. Written by '
             '`make lock`.']
    for version in REFUSED + SUPPORTED:
        if lockfile.pin_block(LOCK, 'mxnet', version):
            continue
        done = subprocess.run(
            [str(uv), 'pip', 'compile', '-', '--quiet', '--no-deps',
             '--generate-hashes', '--universal', '--python-version', '3.11',
             '--no-header', '--no-annotate'],
            input=f'mxnet=={version}\n', capture_output=True, text=True,
            check=True)
        parts.append(done.stdout.rstrip('\n'))
    write_atomic(path, '\n'.join(parts) + '\n')


def _run(args, log, env=None):
    """Run `args` in ROOT, output appended to `log`; return the status."""
    with open(log, 'a', encoding='utf-8') as out:
        out.write(f'$ {" ".join(map(str, args))}\n')
        out.flush()
        return subprocess.run([str(arg) for arg in args], cwd=ROOT,
                              stdout=out, stderr=subprocess.STDOUT,
                              env=env).returncode


def counts(junit):
    """Return ``'N passed, M failed, ...'`` from a JUnit XML report."""
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == 'testsuite' else root.iter('testsuite')
    total = {'tests': 0, 'failures': 0, 'errors': 0, 'skipped': 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    passed = total['tests'] - total['failures'] - total['errors'] \
        - total['skipped']
    parts = [f'{passed} passed']
    for key, word in (('failures', 'failed'), ('errors', 'errors'),
                      ('skipped', 'skipped')):
        if total[key]:
            parts.append(f'{total[key]} {word}')
    return ', '.join(parts), total['failures'] + total['errors'] == 0


def find_python(uv, version):
    """Return the path of a Python `version` (``'3.12'``), found as make
    finds one, or None."""
    done = subprocess.run(['sh', str(ROOT / 'tools' / 'find-python.sh'),
                           str(uv), f'python{version}'],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def row_tests(rows, row):
    """Return the pytest arguments that say what `row` runs, of `rows`:
    none for `SUITE_ROW`; `ROW_TESTS` and `ONCE_PER_PYTHON` in the first
    of `rows` on a Python other than 3.11 that runs pytest (a supported
    release's); `ROW_TESTS` less `ONCE_PER_PYTHON` in the others."""
    if tuple(row) == SUITE_ROW:
        return ()
    first = next((r for r in rows if r[0] == row[0] and r[1] in SUPPORTED),
                 None)
    if row[0] != SUITE_ROW[0] and tuple(row) == first:
        return ROW_TESTS + tuple(
            path for path in ONCE_PER_PYTHON
            if not any(path.startswith(f'{run}/') for run in ROW_TESTS))
    return ROW_TESTS + tuple(f'--ignore={path}' for path in ONCE_PER_PYTHON)


def pytest_args(junit, tests):
    """Return a row's pytest arguments: `tests` on every core, the slow
    ones included (``-m`` replaces setup.cfg's, which leaves out only
    the docs' install blocks, `make test-docs`)."""
    return ['-m', 'pytest', '-q', '-n', 'auto', '--dist', 'loadfile',
            '-m', 'not docs_install', '--junitxml', junit, *tests]


def check_version(uv, python, version, python_version='3.11', numpy=None,
                  tests=ROW_TESTS):
    """Build the venv for `version` on `python` (with `numpy` instead of
    the lock's, if given) and check it, pytest running `tests`; return a
    result dict."""
    name = f'{python_version}-{version}' + (f'-numpy{numpy}' if numpy
                                             else '')
    venv = VENVS / name
    bin_python = venv / 'bin' / 'python'
    VENVS.mkdir(exist_ok=True)
    log = VENVS / f'{name}.log'
    log.write_text('', encoding='utf-8')
    result = {'python': python_version, 'version': version, 'ok': False,
              'log': log, 'numpy': 'n/a', 'c': 'n/a',
              'reproduce': 'not run', 'pytest': 'not run'}
    if python is None:
        result['reproduce'] = f'no Python {python_version} found'
        return result
    constraints = VENVS / f'{name}.constraints.txt'
    pins = lockfile.with_mxnet(LOCK, 'mxnet', version, MATRIX_LOCK)
    write_atomic(constraints, lockfile.with_numpy(pins, numpy, LOCK)
                 if numpy else pins)
    supported = version in SUPPORTED
    wanted = (['--editable', '.[cpu,test]'] if supported
              else ['--editable', '.', f'mxnet=={version}'])
    with _INSTALLING:  # an editable build writes into the tree
        works = bin_python.exists() and subprocess.run(
            [str(bin_python), '-c', ''], capture_output=True).returncode == 0
        if not works and _run([uv, 'venv', '--quiet', '--clear', '--python',
                               python, venv], log):
            result['reproduce'] = 'venv not created'
            return result
        if _run([uv, 'pip', 'install', '--quiet', '--python', bin_python,
                 '--verify-hashes', '--constraint', constraints, '--override',
                 lockfile.OVERRIDE, *wanted], log) \
                or _run([bin_python, 'tools/lockfile.py', 'verify',
                         constraints, f'mxnet=={version}'], log):
            result['reproduce'] = 'install failed'
            return result
    if not supported:
        done = subprocess.run([str(bin_python), '-c', 'import d2l_conv'],
                              cwd=ROOT, capture_output=True, text=True)
        with open(log, 'a', encoding='utf-8') as out:
            out.write(done.stderr)
        refused = done.returncode != 0 and REFUSAL in done.stderr \
            and done.stderr.rstrip().splitlines()[-1].startswith(
                'ImportError: ')
        result['reproduce'] = ('refused: `import d2l_conv` raises the '
                               'ImportError' if refused else
                               'NOT refused by `import d2l_conv`')
        result['ok'] = refused
        return result
    probe = subprocess.run([str(bin_python), '-c', PROBE], cwd=ROOT,
                           capture_output=True, text=True)
    with open(log, 'a', encoding='utf-8') as out:
        out.write(probe.stdout + probe.stderr)
    if probe.returncode == 0:
        result['numpy'], engine = probe.stdout.split()
        result['c'] = 'used' if engine == 'c' else f'not chosen ({engine})'
    elif "No module named 'd2l_conv.fast._direct'" in probe.stderr:
        result['c'] = 'NOT built'
    else:  # the probe itself failed: say how, not 'NOT built'
        result['c'] = 'probe failed: ' + (
            probe.stderr.strip().splitlines() or ['no output'])[-1]
    done = subprocess.run([str(bin_python), '-m', 'd2l_conv'], cwd=ROOT,
                          capture_output=True, text=True)
    with open(log, 'a', encoding='utf-8') as out:
        out.write(done.stdout + done.stderr)
    last = (done.stdout.strip().splitlines() or ['no output'])[-1]
    result['reproduce'] = last.split()[0] if done.returncode == 0 \
        else f'failed: {last}'
    if not tests:  # SUITE_ROW: make test's own venv
        result['pytest'] = 'the whole suite, in `make test`'
        result['ok'] = done.returncode == 0 and result['c'] == 'used'
        return result
    junit = VENVS / f'{name}.junit.xml'
    junit.unlink(missing_ok=True)
    env = {**os.environ, 'D2L_CONV_MXNET': f'mxnet=={version}',
           'D2L_CONV_NUMPY': numpy or ''}
    status = _run([bin_python, *pytest_args(junit, tests)], log, env=env)
    if junit.exists():
        result['pytest'], passed = counts(junit)
    else:
        result['pytest'], passed = f'pytest exited {status}', False
    result['ok'] = (done.returncode == 0 and status == 0 and passed
                    and result['c'] == 'used')
    return result


#: Rows checked at once: on 2 cores one row leaves about half of them
#: idle (its installs, fresh Pythons and kernels start one at a time).
LANES = 2

#: Held while a row installs: each editable build rewrites the tree's
#: ``d2l_conv.egg-info`` (and its Python's C engine, beside the source).
_INSTALLING = threading.Lock()


def in_lanes(rows, check, lanes=LANES):
    """Return ``[check(row) for row in rows]``, computed `lanes` rows at a
    time, never two rows of one Python at once (they would share the C
    engine built in the tree); each lane takes the first row left whose
    Python is free."""
    results, busy, left = {}, set(), list(range(len(rows)))
    turn = threading.Condition()

    def lane():
        while True:
            with turn:
                while left and all(rows[i][0] in busy for i in left):
                    turn.wait()
                if not left:
                    return
                i = next(i for i in left if rows[i][0] not in busy)
                left.remove(i)
                busy.add(rows[i][0])
            try:
                results[i] = check(rows[i])
            finally:
                with turn:
                    busy.discard(rows[i][0])
                    turn.notify_all()

    workers = [threading.Thread(target=lane) for _ in range(lanes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    missing = [':'.join(rows[i]) for i in range(len(rows))
               if i not in results]
    if missing:
        raise RuntimeError(f'test-matrix: no result for {missing}')
    return [results[i] for i in range(len(rows))]


def table(results, seconds):
    """Return the matrix block for `results`, markers included."""
    lines = [START,
             '| Python | MXNet (CPU build) | numpy | C engine '
             '| `python -m d2l_conv` | `pytest` |',
             '|---|---|---|---|---|---|']
    for r in results:
        lines.append(f'| {r["python"]} | {r["version"]} | {r["numpy"]} | '
                     f'{r["c"]} | {r["reproduce"]} | {r["pytest"]} |')
    lines += ['', 'Every other package as `requirements.lock` pins it for '
              'that Python; `pytest` ran `ROW_TESTS`, with '
              '`ONCE_PER_PYTHON` in the first row of 3.12 and 3.13 and '
              f'without it in the others; `make test-matrix` took '
              f'{seconds / 60:.1f} min on {os.cpu_count()} cores, '
              f'{LANES} rows at a time.', END]
    return '\n'.join(lines)


def replace_block(text, block):
    """Return `text` (docs/development.md) with the matrix block
    replaced by `block`."""
    if text.count(START) != 1 or text.count(END) != 1 \
            or text.index(START) > text.index(END):
        raise ValueError(f'replace_block: {TABLE.name} needs one {START} '
                         f'... {END} pair')
    head, rest = text.split(START)
    return head + block + rest.split(END, 1)[1]


def rows_asked(names):
    """Return the rows `names` (``VERSION``, ``PYTHON:VERSION`` or
    ``PYTHON:VERSION:NUMPY``) ask for, all of them when there are none;
    raise `ValueError` on one unknown."""
    if not names:
        return ROWS
    rows = [tuple(n.split(':', 2)) if ':' in n else ('3.11', n)
            for n in names]
    unknown = [':'.join(row) for row in rows if row not in ROWS]
    if unknown:
        raise ValueError(
            f'test-matrix knows no row {", ".join(unknown)} (it has '
            + ', '.join(':'.join(row) for row in ROWS) + ')')
    return rows


def run(uv, python, names=()):
    """Check each row; rewrite the table after a full run."""
    try:
        rows = rows_asked(names)
    except ValueError as err:
        print(f'make: {err}', file=sys.stderr)
        return 2
    start = time.monotonic()
    pythons = {'3.11': python}
    for python_version in dict.fromkeys(row[0] for row in rows):
        if python_version not in pythons:
            pythons[python_version] = find_python(uv, python_version)

    def check(row):
        python_version, version, *numpy = row
        began = time.monotonic()
        result = check_version(uv, pythons[python_version], version,
                               python_version, *numpy,
                               tests=row_tests(rows, row))
        print(f'test-matrix: Python {python_version}, MXNet {version}'
              + (f', numpy {numpy[0]}' if numpy else '') + ': '
              f'{result["reproduce"]}; C engine {result["c"]}; '
              f'pytest {result["pytest"]} '
              f'({time.monotonic() - began:.0f} s)'
              + ('' if result['ok'] else f'; FAILED, see {result["log"]}'),
              flush=True)
        return result

    results = in_lanes(rows, check)
    seconds = time.monotonic() - start
    block = table(results, seconds)
    print(block)
    if set(rows) == set(ROWS):
        write_atomic(TABLE, replace_block(
            TABLE.read_text(encoding='utf-8'), block))
    failed = [':'.join(row) for row, r in zip(rows, results, strict=True)
              if not r['ok']]
    if failed:
        print(f'make: test-matrix failed on {", ".join(failed)}',
              file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ['lock'] and len(argv) == 2:
        write_lock(argv[1])
        return 0
    if argv[:1] == ['run'] and len(argv) >= 3:
        return run(argv[1], argv[2], argv[3:])
    print(__doc__.split('Usage', 1)[1], file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
