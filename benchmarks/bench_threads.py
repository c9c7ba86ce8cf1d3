"""How the C engine of `corr2d_fast` scales with threads, alone.

Run ``python benchmarks/bench_threads.py`` (Python 3.10+, NumPy, and for
the comparison ``opencv-python-headless``; no MXNet, no d2l_conv
install). It loads this checkout's ``d2l_conv/fast`` engine modules
without the package's ``__init__`` (which imports MXNet), with the
installed ``_direct`` extension where there is one, else with
``d2l_conv/fast/_direct.c`` built by the C compiler that built Python,
into a temporary folder (``--build`` always builds).

For each case (float32, 512² to 8192² with a 3x3 kernel, and 4096² with
15x15) and each thread count T (1, 2, 4, ... and the CPUs usable), with
the process's affinity cut to T of its CPUs where Linux allows it:

* ``C auto``: the engine as `corr2d_fast` calls it, on the threads the
  cost model's `choose.plan` gives it, at most T;
* ``C forced``: on exactly T threads;
* ``cv2``: ``cv2.filter2D`` after ``cv2.setNumThreads(T)``;

and once, with every CPU usable, ``cv2.filter2D`` at OpenCV's default
thread count. Median milliseconds; each call reuses one image and one
output (so the small cases run from the caches, for both). The table
ends with the memory bound at 8192², 3x3: the bytes a call must move
(read the image, write the output) over the copy bandwidth measured
(the best of NumPy copies on 1 to T threads). ``make bench`` calls
`scaling_table`.
"""

import argparse
import functools
import importlib
import importlib.machinery
import importlib.util
import os
import platform
import subprocess
import sys
import sysconfig
import tempfile
import types
from pathlib import Path

import numpy as onp
from timing import copy_bandwidth, thread_counts, timed  # beside this

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / 'd2l_conv' / 'fast'

#: `timed`'s budget (s) and most calls per measurement.
SAMPLES = {'budget': 0.5, 'most': 21}

#: (image side, kernel side), float32.
CASES = [(512, 3), (1024, 3), (2048, 3), (4096, 3), (8192, 3), (4096, 15)]


def installed_direct():
    """Return the path of the installed ``_direct`` extension, or None."""
    spec = importlib.util.find_spec('d2l_conv')  # imports nothing
    if spec is None or not spec.submodule_search_locations:
        return None
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for place in spec.submodule_search_locations:
        path = Path(place) / 'fast' / f'_direct{suffix}'
        if path.exists():
            return path
    return None


def build_direct(folder):
    """Compile ``_direct.c`` into `folder` as setup.py does; its path."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    target = Path(folder) / f'_direct{suffix}'
    compiler = (sysconfig.get_config_var('CC') or 'cc').split()
    command = [*compiler, '-O3', '-std=c11', '-ffp-contract=fast',
               '-fno-fast-math', '-pthread', '-shared', '-fPIC',
               '-I', sysconfig.get_paths()['include'],
               str(SOURCE / '_direct.c'), '-o', str(target)]
    if sys.platform == 'darwin':
        command[1:1] = ['-undefined', 'dynamic_lookup']
    subprocess.run(command, check=True)
    return target


def engine(build=False):
    """Return ``(choose, c_engine, _cpus)`` of this checkout, loaded
    without ``d2l_conv/__init__.py``, and where ``_direct`` came from."""
    path = None if build else installed_direct()
    if path is None:
        path = build_direct(tempfile.mkdtemp(prefix='bench_threads_'))
    for name, folder in (('d2l_conv', ROOT / 'd2l_conv'),
                         ('d2l_conv.fast', SOURCE)):
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    name = 'd2l_conv.fast._direct'
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    direct = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(direct)
    sys.modules[name] = direct
    return tuple(importlib.import_module(f'd2l_conv.fast.{module}')
                 for module in ('choose', 'c_engine', '_cpus'))


class Affinity:
    """Cut the CPUs of every thread of this process (the engines' helpers
    included: each thread has its own mask, and a new one inherits its
    creator's) to the first `count` of its mask, on Linux (elsewhere,
    nothing changes); restored on leaving."""

    def __init__(self, count):
        self.count = count
        self.saved = None

    def __enter__(self):
        try:
            saved = os.sched_getaffinity(0)
            _set_affinity(sorted(saved)[:self.count])
        except (AttributeError, OSError):  # not Linux, or not allowed
            return self
        self.saved = saved
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            _set_affinity(self.saved)


def _set_affinity(cpus):
    """Set the CPUs of every thread of this process (Linux)."""
    for task in os.listdir('/proc/self/task'):
        try:
            os.sched_setaffinity(int(task), cpus)
        except ProcessLookupError:  # the thread ended meanwhile
            pass


def scaling_table(cases=CASES, most=None, build=False, out=print):
    """Measure the table described in the module's docstring; print it
    with `out`, line by line, and return its rows as dicts. In a process
    that imported d2l_conv, its own engine modules are used."""
    if 'd2l_conv.fast.choose' in sys.modules:
        from d2l_conv.fast import _cpus, c_engine, choose
    else:
        choose, c_engine, _cpus = engine(build)
    most = most or _cpus.usable_cpus()
    try:
        import cv2
    except ImportError:
        cv2 = None
    else:
        default = cv2.getNumThreads()  # before any setNumThreads
    rng = onp.random.default_rng(0)
    out(f'{platform.processor() or platform.machine()}, '
        f'{_cpus.usable_cpus()} CPUs usable, Python '
        f'{platform.python_version()}, NumPy {onp.__version__}'
        + (f', OpenCV {cv2.__version__}' if cv2 else ''))
    out('')
    out('| case | T | C auto (T used) | C forced | cv2 | C auto / cv2 |'
        ' auto / auto on 1 |')
    out('|---|--:|--:|--:|--:|--:|--:|')
    rows = []
    for n, k in cases:
        X = rng.standard_normal((n, n)).astype('float32')
        K = rng.standard_normal((k, k)).astype('float32')
        Y = onp.empty((n - k + 1, n - k + 1), 'float32')
        alone = None
        for count in thread_counts(most):
            with Affinity(count):
                used = choose.plan('c', X.shape, K.shape, count)[0]
                row = {'case': f'{n}², {k}x{k}', 'threads': count,
                       'used': used}
                row['auto'] = timed(functools.partial(
                    c_engine.correlate_valid, X, K, out=Y, threads=used),
                    **SAMPLES)
                row['forced'] = timed(functools.partial(
                    c_engine.correlate_valid, X, K, out=Y, threads=count),
                    **SAMPLES)
                if cv2 is not None:
                    cv2.setNumThreads(count)
                    row['cv2'] = timed(filter2d(cv2, X, K), **SAMPLES)
            alone = alone or row['auto']
            row['scaling'] = row['auto'] / alone
            rows.append(row)
            out(_line(row))
        if cv2 is not None:
            cv2.setNumThreads(default)
            row = {'case': f'{n}², {k}x{k}', 'threads': 'cv2 default',
                   'cv2': timed(filter2d(cv2, X, K), **SAMPLES)}
            rows.append(row)
            out(f'| {row["case"]} | OpenCV default '
                f'({cv2.getNumThreads()}) | | | {1e3 * row["cv2"]:.3f} | |'
                ' |')
    bandwidth = copy_bandwidth(most)
    moved = 4 * (8192 ** 2 + 8190 ** 2)
    out('')
    out(f'Copy bandwidth {bandwidth / 1e9:.1f} GB/s (best of 1 to {most} '
        f'threads); memory bound at 8192², 3x3: '
        f'{1e3 * moved / bandwidth:.2f} ms.')
    rows.append({'case': 'memory bound 8192², 3x3',
                 'seconds': moved / bandwidth, 'bandwidth': bandwidth})
    return rows


def filter2d(cv2, X, K):
    """Return a call of ``cv2.filter2D`` on `X` and `K` (zero padding,
    as `corr2d_fast`'s OpenCV engine calls it)."""
    return functools.partial(cv2.filter2D, X, -1, K,
                             borderType=cv2.BORDER_CONSTANT)


def _line(row):
    """Return `row` as a line of the Markdown table."""
    cv2 = row.get('cv2')
    return (f'| {row["case"]} | {row["threads"]} | '
            f'{1e3 * row["auto"]:.3f} ({row["used"]}) | '
            f'{1e3 * row["forced"]:.3f} | '
            + (f'{1e3 * cv2:.3f} | {row["auto"] / cv2:.2f} | ' if cv2
               else '| | ')
            + f'{row["scaling"]:.2f} |')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--build', action='store_true',
                        help="build _direct.c even if it is installed")
    parser.add_argument('--threads', type=int, default=None,
                        help='the most threads to time (default: the '
                        'CPUs usable)')
    args = parser.parse_args(argv)
    scaling_table(most=args.threads, build=args.build)


if __name__ == '__main__':
    main()
