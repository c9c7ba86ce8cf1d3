"""Browser test of the learner's path: each notebook, run in JupyterLab.

Usage (``make e2e`` runs it)::

    .venv/bin/python e2e/run.py --out e2e-out

1. Installs Debian's ``chromium`` with ``apt-get`` where
   ``/usr/bin/chromium`` is missing (needs root and the package mirror).
2. Copies ``notebooks/`` to a temporary folder, so the notebooks in the
   repository are never touched, and starts JupyterLab there with
   ``tools/lab.py --headless`` on a free loopback port with a random
   token, in its own process group and with fresh Jupyter settings.
3. In headless Chromium, driven by Playwright (``playwright`` from the
   ``e2e`` extra; no browser of Playwright's own is downloaded), opens
   each notebook, runs all cells from the Run menu, waits until every
   code cell has an execution count and the kernel is idle, and saves
   the notebook (in the copy).
4. Checks, in the page and in the saved copy: no cell has an error
   output; every cell whose stored output in the repository is a figure
   shows an image in the browser; the section notebook shows ``6/6``.
5. Saves a full-page screenshot of each notebook, ``<name>.png``, into
   the output folder, and prints a summary.

The server and the browser are always stopped, whatever fails. Exits 1
with a message naming each failed check, 2 if the setup fails.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / 'notebooks'
LAB = ROOT / 'tools' / 'lab.py'
CHROMIUM = Path('/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu',
                 '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--no-first-run', '--disable-quic']
SECTION = 'convolutions_for_images.ipynb'
SECTION_TEXT = '6/6 outputs match the book'
RUN_TIMEOUT_S = 300  # one notebook's cells, all together
SERVER_TIMEOUT_S = 90

#: JupyterLab settings for the test: every cell in the page (no
#: virtual scrolling, no blank space after the last cell), so that the
#: checks and the screenshot see all and only the notebook;
#: no news or update checks (there is no network).
SETTINGS = {
    '@jupyterlab/notebook-extension/tracker.jupyterlab-settings':
        {'windowingMode': 'none', 'scrollPastEnd': False},
    '@jupyterlab/apputils-extension/notification.jupyterlab-settings':
        {'fetchNews': 'false', 'checkForUpdates': False},
}


class SetupError(Exception):
    """The test could not start: no browser, no server."""


def ensure_chromium(path=CHROMIUM):
    """Install Debian's chromium with apt-get unless `path` exists."""
    if path.exists():
        return path
    print(f'e2e: {path} is missing; installing chromium with apt-get',
          flush=True)
    env = {**os.environ, 'DEBIAN_FRONTEND': 'noninteractive'}
    for command in (['apt-get', 'update'],
                    ['apt-get', 'install', '-y', '--no-install-recommends',
                     'chromium']):
        try:
            done = subprocess.run(command, env=env, capture_output=True,
                                  text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise SetupError(f'cannot run {" ".join(command)}: {err}; '
                             'install chromium by hand (as root: apt-get '
                             'install chromium)') from err
        if done.returncode != 0:
            raise SetupError(
                f'{" ".join(command)} failed ({done.returncode}); install '
                'chromium by hand (as root: apt-get install chromium):\n'
                + done.stderr[-2000:])
    if not path.exists():
        raise SetupError(f'apt-get installed chromium, but {path} is '
                         'still missing')
    return path


def free_port():
    """Return a TCP port on loopback that is free now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_atomic(path, text):
    """Write `text` to `path` via a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        raise SetupError(f'refusing to write through the link {path}')
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.')
    try:
        with os.fdopen(fd, 'w') as file:
            file.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def start_server(work, port, token, log):
    """Start JupyterLab on `work`/notebooks; return the process."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(('JUPYTER', 'JUPYTERLAB'))}
    for name in ('config', 'data', 'runtime'):
        env[f'JUPYTER_{name.upper()}_DIR'] = str(work / 'jupyter' / name)
    env['JUPYTERLAB_SETTINGS_DIR'] = str(work / 'jupyter' / 'settings')
    env['JUPYTERLAB_WORKSPACES_DIR'] = str(work / 'jupyter' / 'workspaces')
    for name, settings in SETTINGS.items():
        write_atomic(work / 'jupyter' / 'settings' / name,
                     json.dumps(settings))
    command = [sys.executable, str(LAB), '--headless', '--port', str(port),
               '--token', token, '--notebook-dir', str(work / 'notebooks')]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)


def wait_for_server(server, base, token):
    """Return once the server answers its status API, or raise."""
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f'JupyterLab exited with {server.returncode}')
        try:
            with urllib.request.urlopen(
                    f'{base}/api/status?token={token}', timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SetupError(f'JupyterLab did not answer in {SERVER_TIMEOUT_S} s')


def stop(server):
    """Stop the server's whole process group: TERM, then KILL."""
    if server is None or server.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def figure_cells(path):
    """Indices (among all cells) whose stored outputs show a figure."""
    cells = json.loads(path.read_text())['cells']
    return [i for i, cell in enumerate(cells)
            if any('image/png' in output.get('data', {})
                   for output in cell.get('outputs', []))]


def api(base, token, path, method='GET'):
    """Call the server's REST API; return the decoded JSON, if any."""
    request = urllib.request.Request(
        f'{base}/api/{path}', method=method,
        headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(request, timeout=10) as answer:
        body = answer.read()
    return json.loads(body) if body else None


def kernel_idle(base, token):
    """Tell whether every running kernel is idle."""
    kernels = api(base, token, 'kernels')
    return bool(kernels) and all(kernel['execution_state'] == 'idle'
                                 for kernel in kernels)


def shut_down_kernels(base, token):
    """Shut down every kernel, so the next notebook starts alone."""
    for kernel in api(base, token, 'kernels'):
        api(base, token, f'kernels/{kernel["id"]}', method='DELETE')


#: In the page: per cell, its kind, prompt, and what its outputs show.
CELLS_JS = '''() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(
  cell => ({
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    images: [...cell.querySelectorAll('.jp-OutputArea-output img')]
      .filter(img => img.complete && img.naturalWidth > 0).length,
    errors: [...cell.querySelectorAll('.jp-OutputArea-output[' +
      'data-mime-type="application/vnd.jupyter.stderr"]')]
      .filter(output => /Traceback|Error\b/.test(output.textContent))
      .length,
    text: cell.querySelector('.jp-OutputArea') ?
      cell.querySelector('.jp-OutputArea').textContent : '',
  }))'''


#: In the page: no cell shows an output or an execution count.
CLEARED_JS = '''() => ![...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell')]
  .some(cell => cell.querySelector('.jp-OutputArea-output') ||
    /\\d/.test(cell.querySelector('.jp-InputPrompt').textContent))'''


def run_all(page, base, token, name, out):
    """Run all cells from the Run menu; wait until none is running.

    Returns the cells as `CELLS_JS` sees them once every code cell has
    an execution count, or once the kernel has stayed idle for 5 s with
    none running (JupyterLab stops at an error: the checks report it).
    """
    # Clear the stored outputs first: what is checked is then this run's.
    page.get_by_role('menuitem', name='Edit', exact=True).click()
    page.get_by_role('menuitem', name='Clear Outputs of All Cells',
                     exact=True).click()
    page.wait_for_function(CLEARED_JS, timeout=10_000)
    page.get_by_role('menuitem', name='Run', exact=True).click()
    page.get_by_role('menuitem', name='Run All Cells', exact=True).click()
    deadline = time.monotonic() + RUN_TIMEOUT_S
    quiet = 0
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        cells = page.evaluate(CELLS_JS)
        prompts = [cell['prompt'].strip('[]: ') for cell in cells
                   if cell['code']]
        idle = kernel_idle(base, token)
        if prompts and all(p.isdigit() for p in prompts) and idle:
            return cells
        quiet = quiet + 1 if idle and '*' not in prompts else 0
        if quiet >= 5:
            return cells
    page.screenshot(path=str(out / f'{Path(name).stem}-timeout.png'))
    raise TimeoutError(f'{name}: cells still running after '
                       f'{RUN_TIMEOUT_S} s; prompts {prompts}')


def screenshot(page, path):
    """Save the whole notebook, however long, as one PNG."""
    height = page.evaluate('''() => {
        const panel = document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
        const top = panel.getBoundingClientRect().top;
        return Math.ceil(top + panel.scrollHeight + 40);
    }''')
    width = page.viewport_size['width']
    page.set_viewport_size({'width': width, 'height': max(height, 800)})
    page.evaluate('''() => document.querySelector(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')
        .scrollTop = 0''')
    page.wait_for_timeout(1500)  # relayout, images decoded
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({'width': width, 'height': 1000})


def check_notebook(page, base, token, work, name, out):
    """Open, run, save and check one notebook; return its failures."""
    page.goto(f'{base}/doc/tree/{name}?token={token}')
    page.locator('.jp-NotebookPanel .jp-Cell').first.wait_for(
        timeout=60_000)
    # The kernel has started when its status says idle.
    deadline = time.monotonic() + 60
    while not kernel_idle(base, token):
        if time.monotonic() > deadline:
            raise TimeoutError(f'{name}: no idle kernel after 60 s')
        page.wait_for_timeout(500)
    started = time.monotonic()
    cells = run_all(page, base, token, name, out)
    seconds = time.monotonic() - started
    failures = []
    for i, cell in enumerate(cells):
        if cell['errors']:
            failures.append(f'{name}: cell {i} shows an error:\n'
                            f'{cell["text"][-1500:]}')
    for i in figure_cells(NOTEBOOKS / name):
        if i >= len(cells) or not cells[i]['images']:
            failures.append(f'{name}: cell {i} should show a figure, but '
                            'shows no image')
    if name == SECTION and not any(SECTION_TEXT in cell['text']
                                   for cell in cells):
        failures.append(f'{name}: no cell shows {SECTION_TEXT!r}')
    screenshot(page, out / f'{Path(name).stem}.png')
    saved = save_and_read(page, work / 'notebooks' / name)
    shut_down_kernels(base, token)
    counts = []
    for i, cell in enumerate(saved['cells']):
        if cell['cell_type'] != 'code':
            continue
        counts.append(cell.get('execution_count'))
        if counts[-1] is None:
            failures.append(f'{name}: cell {i} was not run')
        for output in cell.get('outputs', []):
            if output['output_type'] == 'error':
                failures.append(f'{name}: cell {i} raised '
                                f'{output["ename"]}: {output["evalue"]}')
    if counts != list(range(1, len(counts) + 1)):
        failures.append(f'{name}: execution counts {counts} are not 1, '
                        '2, ...: not one fresh run, top to bottom')
    shown = sum(1 for cell in cells if cell['images'])
    print(f'e2e: {name}: {len(cells)} cells run in {seconds:.1f} s, '
          f'{shown} figures shown, '
          f'{"ok" if not failures else f"{len(failures)} failed"}',
          flush=True)
    return failures


def save_and_read(page, path):
    """Save the open notebook (a copy) and return it as JSON."""
    before = path.stat().st_mtime_ns
    page.keyboard.press('Control+s')
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f'{path.name}: not saved after 30 s')
        page.wait_for_timeout(250)
    page.wait_for_timeout(500)  # the write is whole
    return json.loads(path.read_text())


def run(out):
    """Run every notebook in the browser; return the list of failures."""
    from playwright.sync_api import sync_playwright
    chromium = ensure_chromium()
    names = sorted(path.name for path in NOTEBOOKS.glob('*.ipynb'))
    server = None
    with tempfile.TemporaryDirectory(prefix='d2l-e2e-') as tmp:
        work = Path(tmp)
        shutil.copytree(NOTEBOOKS, work / 'notebooks')
        port, token = free_port(), secrets.token_hex(24)
        base = f'http://127.0.0.1:{port}'
        log_path = work / 'jupyterlab.log'
        try:
            with open(log_path, 'w') as log:
                server = start_server(work, port, token, log)
                wait_for_server(server, base, token)
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch_persistent_context(
                        str(work / 'chromium-profile'), headless=True,
                        executable_path=str(chromium), args=CHROMIUM_ARGS,
                        viewport={'width': 1280, 'height': 1000})
                    try:
                        page = browser.new_page()
                        failures = []
                        for name in names:
                            failures += check_notebook(page, base, token,
                                                       work, name, out)
                    finally:
                        browser.close()
        except BaseException:
            if log_path.exists():
                print('e2e: JupyterLab log (end):\n'
                      + log_path.read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            stop(server)
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', type=Path, default=ROOT / 'e2e-out',
                        help='folder for the screenshots')
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        failures = run(args.out.resolve())
    except (SetupError, TimeoutError) as err:
        print(f'e2e: FAILED: {err}', file=sys.stderr)
        return 2 if isinstance(err, SetupError) else 1
    except Exception as err:  # e.g. Playwright's: a menu never appeared
        traceback.print_exc()
        print(f'e2e: FAILED: {type(err).__name__}: {err}', file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    if failures:
        print('e2e: FAILED:\n' + '\n'.join(failures), file=sys.stderr)
        return 1
    print(f'e2e: all notebooks ran in JupyterLab in {seconds:.0f} s; '
          f'screenshots in {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
