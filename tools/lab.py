"""Start JupyterLab on the project's notebooks, with the project's Python.

Usage (``make lab`` runs the first; pass options with ``LAB_ARGS``)::

    .venv/bin/python tools/lab.py                  # opens a browser
    .venv/bin/python tools/lab.py --headless --port 8890
    make lab LAB_ARGS='--headless --port 8890'

Options:

--headless      no browser; open the URL with the token that JupyterLab
                prints (``http://127.0.0.1:PORT/lab?token=...``)
--port N        the port (default 8888; JupyterLab tries the next ones
                if it is taken, unless --headless, which insists on N)
--token T       the access token (default: a random one, printed)
--notebook-dir  the folder to serve (default: ``notebooks/``)

The server listens on loopback (127.0.0.1) only; run as root (a
container, CI), it adds ``--allow-root``. Its kernel is the
Python that runs this script, the project's ``.venv``: ``python3`` in a
notebook's metadata resolves to ``sys.executable``, and
``JUPYTER_PREFER_ENV_PATH=1`` puts the venv's kernel before any kernel
of the same name registered for the user. JupyterLab comes from the
``lab`` extra (``pip install -e '.[lab]'``). The script replaces itself
with the server (``os.execve``), so Ctrl-C and signals reach JupyterLab.
"""

import argparse
import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / 'notebooks'


def lab_command(notebook_dir=NOTEBOOKS, *, port=8888, headless=False,
                token=None):
    """Return the argv that starts JupyterLab on `notebook_dir`.

    Examples
    --------
    >>> argv = lab_command('nb', port=9000, headless=True, token='t')
    >>> argv[1:3], argv[-1]
    (['-m', 'jupyterlab'], '--ServerApp.root_dir=nb')
    >>> '--no-browser' in argv, '--IdentityProvider.token=t' in argv
    (True, True)
    """
    argv = [sys.executable, '-m', 'jupyterlab', '--ServerApp.ip=127.0.0.1',
            f'--ServerApp.port={port}']
    if headless:
        argv += ['--no-browser', '--ServerApp.port_retries=0']
    if token is not None:
        argv.append(f'--IdentityProvider.token={token}')
    if hasattr(os, 'geteuid') and os.geteuid() == 0:
        argv.append('--allow-root')  # containers and CI run as root
    return argv + [f'--ServerApp.root_dir={notebook_dir}']


def lab_environment(env=None):
    """Return `env` (default: ours) with the venv's kernels first."""
    return {**(os.environ if env is None else env),
            'JUPYTER_PREFER_ENV_PATH': '1'}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Start JupyterLab on notebooks/ with this Python.')
    parser.add_argument('--headless', action='store_true',
                        help='no browser, and exactly the port asked for')
    parser.add_argument('--port', type=int, default=8888)
    parser.add_argument('--token', default=None,
                        help='access token (default: random, printed)')
    parser.add_argument('--notebook-dir', type=Path, default=NOTEBOOKS)
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error(f'--port must be 1..65535, got {args.port}')
    if not args.notebook_dir.is_dir():
        parser.error(f'--notebook-dir {args.notebook_dir} is not a folder')
    return args


def main(argv=None):
    args = parse_args(argv)
    if importlib.util.find_spec('jupyterlab') is None:
        sys.exit(f'lab: JupyterLab is not installed in {sys.prefix}; '
                 "install the lab extra: pip install -e '.[lab]'")
    command = lab_command(args.notebook_dir.resolve(), port=args.port,
                          headless=args.headless, token=args.token)
    print('lab:', ' '.join(command), flush=True)
    os.execve(sys.executable, command, lab_environment())


if __name__ == '__main__':
    main()
