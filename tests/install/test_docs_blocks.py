"""Every install block of the README and docs/, run as it is written.

The fenced shell blocks of ``README.md`` and ``docs/*.md`` that install
(a venv, pip or uv) are read from the pages and run verbatim with bash,
in the root of a fresh copy of the repository (the files ``git`` tracks
or would add: what a clone of this tree holds), once for each Python
the block names (``python3.12``); then the book's nine code blocks run,
verbatim, in a fresh process of the environment the block made, which
imports ``mxnet`` first: they print the book's six outputs. Where the
block installs the ``lab`` extra, the section notebook runs there too,
on the ``python3`` kernel that JupyterLab (``tools/lab.py``) would give
it, with a decoy ``python3`` kernel registered for the user.

The Colab recipe names no Python: it runs with the ``pip`` of a venv of
Python 3.12 that pip first gave what Colab ships (numpy 2.0.2,
``opencv-python-headless`` 4.12, matplotlib), and numpy must stay 2.0.2.

Real pip installs, from pip's cache after the first run, minutes each:
marked ``docs_install``, which setup.cfg's ``-m "not docs_install"``
leaves out of a plain ``pytest`` (and of `make test`); `make test-docs`
runs them (``-m docs_install``). The pages' links to files of the
repository, and their headings, are checked in every run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_mxnet_hook import assert_the_books_blocks_print_its_outputs

PAGES = [ROOT / 'README.md', *sorted((ROOT / 'docs').glob('*.md'))]
UV = ROOT / '.uv' / 'bin' / 'uv'
FENCE = re.compile(r'^```(sh|bash|shell)\n(.*?)^```$', re.M | re.S)
#: A block installs when it makes a venv or runs pip or uv.
INSTALLS = re.compile(r'(-m venv|\bpip install\b|\buv\b)')
PYTHON = re.compile(r'\bpython(3\.1\d)\b')
#: What Colab has installed before the recipe runs (pip, from PyPI).
COLAB = ('numpy==2.0.2', 'opencv-python-headless==4.12.0.88', 'matplotlib')

def heading_before(text, offset):
    """Return the last Markdown heading of `text` before `offset`."""
    headings = re.findall(r'^#+ (.+)$', text[:offset], re.M)
    return headings[-1] if headings else ''


def install_blocks(pages=PAGES, root=ROOT):
    """Return ``(page, heading, block)`` for each install block of
    `pages`, each page named relative to `root`."""
    found = []
    for page in pages:
        text = page.read_text(encoding='utf-8')
        for match in FENCE.finditer(text):
            if INSTALLS.search(match.group(2)):
                found.append((page.relative_to(root).as_posix(),
                              heading_before(text, match.start()),
                              match.group(2)))
    return found


#: Under `make test-matrix` (``D2L_CONV_MXNET=mxnet==VERSION``) each
#: Python's row runs the blocks of its own Python; `make test` runs all.
IN_MATRIX = '==' in os.environ.get('D2L_CONV_MXNET', '')


def cases():
    """Each block naming a Python, once per Python it names (a block
    shown on two pages runs once)."""
    found = {}
    for page, heading, block in install_blocks():
        for python in sorted(set(PYTHON.findall(block))):
            found.setdefault((block, python), f'{page}:{heading}:{python}')
    return [pytest.param(block, python, id=name)
            for (block, python), name in found.items()]


def skip_other_pythons_in_the_matrix(version):
    if IN_MATRIX and '{}.{}'.format(*sys.version_info[:2]) != version:
        pytest.skip(f"the matrix runs this on Python {version}'s rows")


def fresh_copy(tmp_path):
    """Copy what a clone of this tree holds into `tmp_path`/clone."""
    listed = subprocess.run(
        ['git', 'ls-files', '-z', '--cached', '--others',
         '--exclude-standard'], cwd=ROOT, capture_output=True, check=True,
        timeout=60).stdout.decode().split('\0')
    clone = tmp_path / 'clone'
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


def python_on_path(version, tmp_path):
    """Return a PATH on which ``python<version>`` runs that Python,
    found as make finds it (pyenv, uv's Pythons); skip where none is."""
    runs = subprocess.run(
        f'python{version} -c "import sys; print(sys.version[:4])"',
        shell=True, capture_output=True, text=True, timeout=60)
    if runs.stdout.strip() == version:
        return os.environ['PATH']
    done = subprocess.run(['sh', str(ROOT / 'tools' / 'find-python.sh'),
                           str(UV), f'python{version}'],
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        pytest.skip(f'no Python {version} here')
    shims = tmp_path / 'bin'
    shims.mkdir(exist_ok=True)
    (shims / f'python{version}').symlink_to(done.stdout.strip())
    return f'{shims}{os.pathsep}{os.environ["PATH"]}'


def run_block(block, clone, path):
    """Run `block` with bash in `clone`, stopping at the first failure."""
    done = subprocess.run(
        ['bash', '-e', '-c', block], cwd=clone, capture_output=True,
        text=True, timeout=900,
        env={**os.environ, 'PATH': path, 'PIP_DISABLE_PIP_VERSION_CHECK': '1'})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def versions(python, *names):
    """Return ``{name: __version__}`` of modules in `python`'s venv."""
    done = subprocess.run(
        [str(python), '-c', 'import importlib, json, sys; print(json.dumps('
         '{n: importlib.import_module(n).__version__ for n in sys.argv[1:]}))',
         *names], capture_output=True, text=True, timeout=300, cwd='/')
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_install_block_names_its_python_or_is_colabs():
    blocks = install_blocks()
    assert len(blocks) >= 4  # README's pip, 3.11, numpy 2, Colab
    for page, heading, block in blocks:
        assert PYTHON.search(block) or heading == 'Colab', (page, heading)
    assert [heading for _, heading, _ in blocks].count('Colab') == 1


def test_blocks_are_read_from_fences_of_sh_only(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text('# A\n\n```sh\npython3.12 -m venv v\n```\n\n'
                    '## B\n\n```python\nimport pip\n```\n\n'
                    '```sh\nmake test\n```\n\n## C\n\n'
                    '```bash\nv/bin/pip install .\n```\n')
    assert [(heading, block) for _, heading, block in
            install_blocks([page], tmp_path)] == [
        ('A', 'python3.12 -m venv v\n'), ('C', 'v/bin/pip install .\n')]


@pytest.mark.install
@pytest.mark.docs_install
@pytest.mark.parametrize('block, python', cases())
def test_the_block_installs_a_d2l_conv_that_prints_the_books_outputs(
        tmp_path, block, python):
    skip_other_pythons_in_the_matrix(python)
    clone = fresh_copy(tmp_path)
    done = run_block(block, clone, python_on_path(python, tmp_path))
    if 'python -m d2l_conv' in block:
        assert done.stdout.splitlines()[-1] == '6/6 outputs match the book'
    [venv] = set(re.findall(r'python3\.1\d -m venv (\S+)', block))
    bin_python = clone / venv / 'bin' / 'python'
    assert versions(bin_python, 'mxnet')['mxnet'] == '1.9.1'
    assert_the_books_blocks_print_its_outputs(bin_python)
    if '[lab]' in block or ',lab]' in block:
        assert_the_notebook_runs_on_the_venvs_kernel(clone, bin_python,
                                                     tmp_path)


def assert_the_notebook_runs_on_the_venvs_kernel(clone, python, tmp_path):
    """The section notebook, on the ``python3`` kernel the venv's Jupyter
    gives it in `tools/lab.py`'s environment: `python` itself, even with
    a ``python3`` kernel of another Python registered for the user."""
    user = tmp_path / 'home' / '.local' / 'share' / 'jupyter'
    decoy = user / 'kernels' / 'python3'
    decoy.mkdir(parents=True)
    (decoy / 'kernel.json').write_text(json.dumps({
        'argv': ['/bin/false', '{connection_file}'],
        'display_name': 'decoy', 'language': 'python'}))
    notebook = json.loads((clone / 'notebooks' /
                           'convolutions_for_images.ipynb').read_text())
    assert notebook['metadata']['kernelspec']['name'] == 'python3'
    notebook['cells'].append({
        'cell_type': 'code', 'execution_count': None, 'metadata': {},
        'outputs': [], 'source': 'import sys; print(sys.executable)'})
    copy = clone / 'notebooks' / 'run.ipynb'
    copy.write_text(json.dumps(notebook))
    env = subprocess.run(
        [str(python), '-c', 'import json, runpy; print(json.dumps('
         "runpy.run_path('tools/lab.py')['lab_environment']({})))"],
        cwd=clone, capture_output=True, text=True, timeout=120)
    assert env.returncode == 0, env.stderr
    done = subprocess.run(
        [str(python.parent / 'jupyter'), 'execute', '--inplace',
         str(copy)], cwd=clone / 'notebooks', capture_output=True,
        text=True, timeout=600,
        env={**os.environ, **json.loads(env.stdout),
             'HOME': str(tmp_path / 'home'), 'JUPYTER_DATA_DIR': str(user)})
    assert done.returncode == 0, done.stderr[-3000:]
    cells = json.loads(copy.read_text())['cells']
    printed = ''.join(''.join(out.get('text', ''))
                      for cell in cells if cell['cell_type'] == 'code'
                      for out in cell['outputs'])
    assert '6/6 outputs match the book' in printed
    assert Path(printed.rstrip().splitlines()[-1]).parent == python.parent


@pytest.mark.install
@pytest.mark.docs_install
def test_the_colab_recipe_keeps_colabs_numpy_2(tmp_path):
    [(_, _, block)] = [found for found in install_blocks()
                       if found[1] == 'Colab']
    skip_other_pythons_in_the_matrix('3.12')
    path = python_on_path('3.12', tmp_path)
    venv = tmp_path / 'colab'
    subprocess.run([shutil.which('python3.12', path=path), '-m', 'venv',
                    str(venv)], check=True, timeout=300)
    pip = [str(venv / 'bin' / 'pip'), 'install', '--quiet',
           '--disable-pip-version-check']
    done = subprocess.run([*pip, *COLAB], capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    before = versions(venv / 'bin' / 'python', 'numpy', 'cv2')
    assert before['numpy'] == '2.0.2' and before['cv2'].startswith('4.12.')

    clone = fresh_copy(tmp_path)
    run_block(block, clone, f'{venv / "bin"}{os.pathsep}{path}')

    after = versions(venv / 'bin' / 'python', 'numpy', 'cv2', 'mxnet',
                     'matplotlib')
    assert (after['numpy'], after['cv2'], after['mxnet']) == (
        '2.0.2', before['cv2'], '1.9.1')
    assert_the_books_blocks_print_its_outputs(venv / 'bin' / 'python')


def test_every_link_to_a_file_or_heading_of_the_pages_resolves():
    """Each relative link of README.md and docs/*.md names a file that
    exists, and each ``#anchor`` a heading of its page (GitHub's slugs)."""
    def slugs(page):
        text = re.sub(r'```.*?```', '', page.read_text(encoding='utf-8'),
                      flags=re.S)
        return {re.sub(r'[^\w\- ]', '', heading.lower()).replace(' ', '-')
                for heading in re.findall(r'^#+ (.+)$', text, re.M)}
    broken = []
    for page in PAGES:
        text = re.sub(r'```.*?```', '', page.read_text(encoding='utf-8'),
                      flags=re.S)
        for link in re.findall(r'\]\(([^)\s]+)\)', text):
            if re.match(r'[a-z]+:', link):
                continue  # https:, mailto:
            path, _, anchor = link.partition('#')
            target = (page.parent / path).resolve() if path else page
            if not target.exists():
                broken.append(f'{page.name}: {link}')
            elif anchor and target.suffix == '.md' and \
                    anchor not in slugs(target):
                broken.append(f'{page.name}: {link} (no such heading)')
    assert broken == []


def test_make_bench_and_make_test_matrix_write_into_the_docs():
    """render_bench splices its section into docs/speed.md, and the
    matrix its table into docs/development.md, each between one pair of
    markers there."""
    import importlib.util
    for script, name, start in (
            ('benchmarks/render_bench.py', 'README',
             '<!-- section:bench:start -->'),
            ('tools/matrix.py', 'TABLE', '<!-- mxnet-matrix:start -->')):
        spec = importlib.util.spec_from_file_location(
            Path(script).stem, ROOT / script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        page = getattr(module, name)
        assert page.parent == ROOT / 'docs'
        text = page.read_text(encoding='utf-8')
        assert text.count(start) == 1
        assert text.count(start.replace(':start', ':end')) == 1
