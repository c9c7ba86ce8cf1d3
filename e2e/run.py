"""Browser test of the learner's path: each notebook, run in JupyterLab.

Usage (``make e2e`` runs it)::

    .venv/bin/python e2e/run.py --out e2e-out

1. Needs Debian's ``chromium`` at ``/usr/bin/chromium``, which ``make
   e2e`` installs first where it is missing (``tools/install-chromium.sh``).
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
   the output folder.
6. Moves each widget of ``d2l_conv.widgets`` that the notebook shows,
   found by the CSS class each adds (``d2l-window-slider``,
   ``d2l-kernel-explorer``, ``d2l-training-stepper``,
   ``d2l-receptive-field``): drags a slider and presses arrow keys on
   it, types a kernel (a good one, then a bad one), toggles
   convolution, picks a kernel or a learning rate, types into an
   entry, clicks output cells. After each move it checks that the
   picture's PNG changed (or, after a bad kernel, did not) and that
   the numbers shown are right (the book's last window sums to 43, the
   output shape follows the kernel, the stepper prints the book's
   losses and says a rate above 1/30 diverges, ``Z[0, 0]`` sees 9
   inputs), and saves a screenshot of the cell,
   ``<name>-<widget>-<n>-<move>.png``. It also checks that each
   widget the stored notebook holds is shown live, not as its stored
   picture. Then it prints a summary.

The server and the browser are always stopped, whatever fails. Exits 1
with a message naming each failed check, 2 if the setup fails.
"""

import argparse
import json
import os
import re
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
sys.path.insert(0, str(ROOT))
from _d2l_conv_tools import write_atomic  # noqa: E402

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


#: The visible notebook, in the page.
PANEL = '.jp-NotebookPanel:not(.lm-mod-hidden)'
WIDGET_TIMEOUT_S = 30  # one widget's answer to one move

#: The widgets of `d2l_conv.widgets`: their functions, by CSS class.
WIDGETS = {'d2l-window-slider': 'window_slider',
           'd2l-kernel-explorer': 'kernel_explorer',
           'd2l-training-stepper': 'training_stepper',
           'd2l-receptive-field': 'receptive_field'}


class SetupError(Exception):
    """The test could not start: no browser, no server."""


def ensure_chromium(path=CHROMIUM):
    """Return `path`, Debian's chromium (tools/install-chromium.sh)."""
    if not path.exists():
        raise SetupError(f'{path} is missing: install it with sh '
                         'tools/install-chromium.sh (as root), as make e2e '
                         'does')
    return path


def free_port():
    """Return a TCP port on loopback that is free now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


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
    widget_failures, moved = check_widgets(page, name, out)
    failures += widget_failures
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
          f'{shown} figures shown, {moved} widgets moved, '
          f'{"ok" if not failures else f"{len(failures)} failed"}',
          flush=True)
    return failures


#: In the page, for one widget: its picture's PNG (a SHA-256 of the
#: bytes the browser holds), its text, and its slider's position.
WIDGET_JS = '''async (root) => {
  const img = root.querySelector('img.widget-image');
  let png = null;
  if (img && img.src) {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    png = [...new Uint8Array(digest)].map(
      b => b.toString(16).padStart(2, '0')).join('');
  }
  const handle = root.querySelector('.noUi-handle');
  return {
    png: png,
    shown: !!(img && img.complete && img.naturalWidth > 0),
    text: [...root.querySelectorAll('.widget-html-content')]
      .map(html => html.textContent).join(' | '),
    value: handle ? handle.getAttribute('aria-valuenow') : null,
    max: handle ? handle.getAttribute('aria-valuemax') : null,
  };
}'''

#: In the page: per cell, the widgets its outputs show and the images
#: that are not a widget's (a stored picture shown instead of the view).
WIDGET_CELLS_JS = '''(classes) => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(
  cell => ({
    widgets: classes.filter(name => cell.querySelector('.' + name)),
    other_images: [...cell.querySelectorAll(
      '.jp-OutputArea-output img:not(.widget-image)')].length,
  }))'''


def stored_widgets(path):
    """Per cell of the stored notebook, the widget functions it shows."""
    cells = json.loads(path.read_text())['cells']
    shown = []
    for cell in cells:
        summaries = [output.get('data', {}).get('text/plain', '')
                     for output in cell.get('outputs', [])]
        shown.append(sorted(
            func for func in WIDGETS.values()
            if any(''.join(text).startswith(f'{func}:')
                   for text in summaries)))
    return shown


def products_add_up(text):
    """Tell whether ``a×b + c×d = s`` in `text` adds up (to 1e-3)."""
    match = re.search(r'((?:\S+×\S+ \+ )*\S+×\S+) = (\S+)', text)
    if not match:
        return False

    def value(written):  # 3, (−1), 0.5
        return float(written.strip('()').replace('−', '-'))

    pairs = [term.split('×') for term in match.group(1).split(' + ')]
    total = sum(value(x) * value(k) for x, k in pairs)
    return abs(total - value(match.group(2))) <= 1e-3 * max(1, abs(total))


class Mover:
    """Moves one widget in the page and checks what it shows after."""

    def __init__(self, page, root, stem, out):
        self.page, self.root, self.stem, self.out = page, root, stem, out
        self.state = self.read()
        self.moves, self.failures = 0, []

    def read(self):
        return self.root.evaluate(WIDGET_JS)

    def expect(self, move, *texts, new_picture=True):
        """Wait until the text holds `texts` and the PNG changed (or,
        with `new_picture` false, did not).

        Each widget sends its new picture before its new text, so once
        the text is there, the picture is the one that goes with it.
        """
        before = self.state['png']
        deadline = time.monotonic() + WIDGET_TIMEOUT_S
        while True:
            state = self.read()
            changed = state['png'] not in (None, before)
            if changed == new_picture and state['shown'] and all(
                    text in state['text'] for text in texts):
                break
            if time.monotonic() > deadline:
                picture = ('changed' if state['png'] != before else
                           'unchanged')
                wanted = 'a new' if new_picture else 'the same'
                self.failures.append(
                    f'{self.stem}: after {move}, expected '
                    f'{" and ".join(map(repr, texts))} and {wanted} '
                    'picture; '
                    f'the widget shows {state["text"]!r} (picture '
                    f'{picture})')
                break
            self.page.wait_for_timeout(200)
        self.state = state
        self.moves += 1
        slug = re.sub(r'[^a-z0-9]+', '-', move.lower()).strip('-')
        cell = self.root.locator('xpath=ancestor::div[contains('
                                 'concat(" ", @class, " "), " jp-Cell ")]')
        cell.screenshot(path=str(
            self.out / f'{self.stem}-{self.moves}-{slug}.png'))
        return state

    def keys(self, *keys):
        """Focus the slider's handle and press `keys`."""
        self.root.locator('.noUi-handle').focus()
        for key in keys:
            self.page.keyboard.press(key)

    def drag(self, fraction):
        """Drag the slider's handle to `fraction` of its track."""
        # The notebook scrolls in a panel: bring the slider into view
        self.root.locator('.noUi-base').scroll_into_view_if_needed()
        handle = self.root.locator('.noUi-handle').bounding_box()
        track = self.root.locator('.noUi-base').bounding_box()
        y = handle['y'] + handle['height'] / 2
        mouse = self.page.mouse
        mouse.move(handle['x'] + handle['width'] / 2, y)
        mouse.down()
        mouse.move(track['x'] + fraction * track['width'], y, steps=8)
        mouse.up()


def move_window_slider(mover):
    """Drag to the last window, then step back with the keyboard."""
    first, last = mover.state, mover.state['max']
    book = last == '4.0' and '0×0 + 1×1 + 3×2 + 4×3 = 19' in first['text']
    mover.drag(1.0)
    state = mover.expect('drag to the last window',
                         '4×0 + 5×1 + 7×2 + 8×3 = 43' if book else '')
    if state['value'] != last:
        mover.failures.append(f'{mover.stem}: dragged to the end, the '
                              f'slider is at {state["value"]}, not {last}')
    mover.keys('ArrowLeft')
    mover.expect('arrow left', '3×0 + 4×1 + 6×2 + 7×3 = 37' if book else '')
    mover.keys('Home')
    mover.expect('home key', first['text'])
    for state in (first, mover.state):
        if not products_add_up(state['text']):
            mover.failures.append(f'{mover.stem}: the products shown do '
                                  f'not add up: {state["text"]!r}')
    move_window_kernel(mover, book)


def type_kernel(mover, text):
    """Type `text` into the kernel's box and press Enter."""
    box = mover.root.locator('input[type="text"]')
    box.fill(text)
    box.press('Enter')


def move_window_kernel(mover, book):
    """Type a kernel, then a bad one; toggle convolution and back."""
    type_kernel(mover, '[[1, -1]]')
    H, W = (3, 3) if book else (None, None)
    shape = (f'= ({H} − 1 + 1) × ({W} − 2 + 1) = {H} × {W - 1}' if book
             else '(W − w + 1) = ')
    mover.expect('type the kernel [[1, -1]]', shape,
                 '0×1 + 1×(−1) = −1' if book else '')
    type_kernel(mover, '[[1, 2], [3]]')
    mover.expect('type a ragged kernel', 'window_slider: every row of the '
                 'kernel must have the same length',
                 'the picture still shows K = [[1, −1]]', new_picture=False)
    type_kernel(mover, '[[0, 1], [2, 3]]')
    mover.expect('type the book kernel again',
                 '0×0 + 1×1 + 3×2 + 4×3 = 19' if book else '')
    mover.root.get_by_role('button', name='convolution',
                           exact=True).click()
    mover.expect('toggle convolution', 'K[::-1, ::-1] = [[3, 2], [1, 0]]',
                 '0×3 + 1×2 + 3×1 + 4×0 = 5' if book else '')
    if not products_add_up(mover.state['text']):
        mover.failures.append(f'{mover.stem}: the products shown do not '
                              f'add up: {mover.state["text"]!r}')
    mover.root.get_by_role('button', name='cross-correlation',
                           exact=True).click()
    mover.expect('toggle cross-correlation', 'the book\'s operator',
                 '0×0 + 1×1 + 3×2 + 4×3 = 19' if book else '')


def move_kernel_explorer(mover):
    """Pick Sobel's kernel, then type a 4 into the centre entry."""
    mover.root.locator('select').select_option('Sobel, vertical edges')
    mover.expect('pick Sobel', 'Sobel, vertical edges', 'corr2d_fast',
                 "the book's loop would take about")
    entry = mover.root.locator('input[type="number"]').nth(4)  # centre
    entry.fill('4')
    entry.press('Enter')
    mover.expect('type 4 in the centre entry',
                 'K = [[1, 0, −1], [2, 4, −2], [1, 0, −1]]')


def move_training_stepper(mover):
    """Two arrow keys to iteration 2, then drag to iteration 10."""
    from d2l_conv.published import BY_KEY
    lines = BY_KEY['losses'].text.splitlines()
    mover.keys('ArrowRight', 'ArrowRight')
    mover.expect('two arrow keys', lines[0])  # batch 2, loss 4.949
    mover.drag(1.0)
    mover.expect('drag to the last iteration', lines[-1],
                 '[[0.9895, -0.9874]]')
    rate = mover.root.locator('select')
    rate.select_option(label='0.04')
    mover.expect('pick lr 0.04', 'diverges', 'lr = 0.04 is above 2/λ_max',
                 '1 − lr·λ_max = −1.4', 'batch 10, loss 2.519')
    rate.select_option(label='0.05')
    mover.expect('pick lr 0.05', 'diverges', '1 − lr·λ_max = −2',
                 'eigenvalues 60 and 12', 'lr 0.05; the book uses 0.03')
    rate.select_option(label='1/30')
    mover.expect('pick lr 1 30', 'on the edge', '1 − lr·λ_max = −1;')
    rate.select_option(label="0.03 (the book's)")
    mover.expect('pick the book lr', 'converges', lines[-1])


def move_receptive_field(mover):
    """Click the first element of Z, then the last of Y."""
    book = 'Y[0, 0] = 19 sees 4 of the 9 inputs' in mover.state['text']
    click_element(mover, mover.root.locator('button[title^="Z["]').first,
                  '4 of Y and 9 of the 9 inputs, X[0:3, 0:3]' if book
                  else ' of Y and ')
    click_element(mover, mover.root.locator('button[title^="Y["]').last,
                  'Y[1, 1] = 43 sees 4 of the 9 inputs, X[1:3, 1:3]' if book
                  else ' inputs, X[')


def click_element(mover, button, said):
    """Click an output element's `button`; expect its name and `said`."""
    name = button.get_attribute('title')
    button.click()
    mover.expect(f'click {name}', f'{name} = ', said)


MOVES = {'d2l-window-slider': move_window_slider,
         'd2l-kernel-explorer': move_kernel_explorer,
         'd2l-training-stepper': move_training_stepper,
         'd2l-receptive-field': move_receptive_field}


def check_widgets(page, name, out):
    """Move every widget the notebook shows; return the failures."""
    failures = []
    stored = stored_widgets(NOTEBOOKS / name)
    shown = page.evaluate(WIDGET_CELLS_JS, list(WIDGETS))
    for i, funcs in enumerate(stored):
        live = sorted(WIDGETS[css] for css in shown[i]['widgets']) if \
            i < len(shown) else []
        if funcs != live:
            failures.append(f'{name}: cell {i} should show {funcs} live, '
                            f'but shows {live}')
        if funcs and shown[i]['other_images']:
            failures.append(f'{name}: cell {i} shows its stored picture '
                            'beside (or instead of) the widget')
    moved = 0
    # Tall enough for the tallest widget's cell in one screenshot.
    width = page.viewport_size['width']
    page.set_viewport_size({'width': width, 'height': 1500})
    for css, move in MOVES.items():
        found = page.locator(f'{PANEL} .{css}')
        for n in range(found.count()):
            stem = f'{Path(name).stem}-{css[4:]}' + (f'{n}' if n else '')
            mover = Mover(page, found.nth(n), stem, out)
            if not mover.state['shown']:
                failures.append(f'{stem}: the widget shows no picture')
                continue
            move(mover)
            failures += mover.failures
            moved += 1
    page.set_viewport_size({'width': width, 'height': 1000})
    # A widget's input keeps the keys from JupyterLab (Ctrl+S): give
    # the focus back to the notebook, in command mode.
    page.evaluate('() => document.activeElement.blur()')
    page.locator(f'{PANEL} .jp-Cell .jp-InputPrompt').first.click()
    return failures, moved


def save_and_read(page, path):
    """Save the open notebook (a copy) and return it as JSON."""
    before = path.stat().st_mtime_ns
    page.keyboard.press('Control+s')
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f'{path.name}: not saved after 30 s')
        page.wait_for_timeout(250)
    # The server writes the file in place: read it until it is whole.
    while True:
        page.wait_for_timeout(500)
        try:
            return json.loads(path.read_text())
        except ValueError:
            if time.monotonic() > deadline:
                raise TimeoutError(f'{path.name}: saved, but not whole JSON '
                                   'after 30 s') from None


def run(out, only=()):
    """Run every notebook in the browser (or those named in `only`);
    return the list of failures."""
    from playwright.sync_api import sync_playwright
    chromium = ensure_chromium()
    names = sorted(path.name for path in NOTEBOOKS.glob('*.ipynb')
                   if not only or path.name in only)
    if only and len(names) != len(set(only)):
        raise SetupError(f'no such notebook in {NOTEBOOKS}: '
                         f'{sorted(set(only) - set(names))}')
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
    parser.add_argument('--notebook', action='append', default=[],
                        metavar='NAME', help='run only this notebook '
                        '(e.g. receptive_field.ipynb); may be repeated')
    parser.add_argument('--out', type=Path, default=ROOT / 'e2e-out',
                        help='folder for the screenshots')
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        failures = run(args.out.resolve(), args.notebook)
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
