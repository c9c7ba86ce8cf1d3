"""Fit the constants of `corr2d_fast`'s cost model and write them.

Run ``python benchmarks/fit_cost.py [ENGINE ...]`` (every engine of
this install if none is named: `fast.choose.ENGINES`). It times each
engine called directly (float32, the fastest of 3 to 7 runs) over a
grid of image and kernel sizes, every engine of a case in the same
shuffled rounds, on the threads the engine takes (for the C and FFT
engines, whose `features` depend on them, on each of 1, 2 and the cores
usable), fits each engine's constants by non-negative least
squares on relative error, prints how far the model is from the times
(worst factors), and writes them to ``d2l_conv/fast/_costs.py``, a file
of data that this script writes whole (atomically; the constants of
engines not fitted stay). ``--dry-run`` prints them only.

``--from benchmarks/results.json`` fits instead to the times that
``make bench`` saved there (on a machine otherwise idle, unlike one
shared while this script runs): `corr2d_fast` on the grid's cases from
224² up, which the engine it picked computed (on the threads
`fast.choose.plan` gives it). Only engines timed there on at least
three image sizes are fitted.
"""

import argparse
import functools
import random
import sys
import time
from pathlib import Path

import numpy as onp

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # last: an installed d2l_conv stays first
from _d2l_conv_tools import write_atomic  # noqa: E402

COSTS = ROOT / 'd2l_conv' / 'fast' / '_costs.py'
HEADER = '''\"\"\"The constants of `choose`'s cost model: written whole by
``python benchmarks/fit_cost.py``; edit that, not this.\"\"\"

#: Each engine's constants: seconds per unit of each of its `features`.
'''
SIDES = [28, 64, 128, 224, 256, 512, 1024, 2048, 4096]
KERNELS = [(1, 2), (3, 3), (5, 5), (7, 1), (7, 7), (9, 9), (15, 15),
           (21, 21), (31, 31), (63, 63)]
MOST_WORK = 4e9  # direct engines: skip the minute-long cases
#: Images of this many elements and more are timed on several threads
#: too: on smaller ones a helper wakes after the caller has done the
#: work, which a hand-over per thread would not model.
THREADS_FROM = 256 * 256


def calls_of(engines, X, K, cores):
    """Return ``{(name, threads): call}`` for the engines that take these
    shapes: the C and FFT engines' (whose `features` change with the
    threads) on 1, 2 and `cores` threads (from `THREADS_FROM` elements),
    the others' on `cores`; each into one output, reused."""
    calls = {}
    (H, W), (h, w) = X.shape, K.shape
    out = onp.empty((H - h + 1, W - w + 1), X.dtype)  # as corr2d_fast's:
    for name, engine in engines.items():  # memory already faulted in
        if engine.METHOD == 'direct' and X.size * K.size > MOST_WORK:
            continue
        if engine.features(X.shape, K.shape, cores) is None:
            continue  # shapes it does not take
        threaded = (engine.features((1024, 1024), (3, 3), 1)
                    != engine.features((1024, 1024), (3, 3), cores))
        counts = {1, 2, cores} if X.size >= THREADS_FROM else {1}
        for threads in sorted(counts) if threaded else [cores]:
            calls[name, threads] = functools.partial(
                engine.correlate_valid, X, K, out=out, threads=threads)
    return calls


def measure(engines, cores, rng, out=print):
    """Return ``{name: (features, seconds)}`` over the grid, each case's
    calls timed in interleaved rounds (shuffled anew each round), so
    that another program's load weighs on every engine alike."""
    rows = {name: ([], []) for name in engines}
    order = random.Random(0)
    for n in SIDES:
        X = rng.standard_normal((n, n)).astype('float32')
        for h, w in KERNELS:
            if h > n or w > n:
                continue
            K = rng.standard_normal((h, w)).astype('float32')
            calls = calls_of(engines, X, K, cores)
            times = {key: [] for key in calls}
            start = time.perf_counter()
            for call in calls.values():
                call()
            warm = time.perf_counter() - start
            keys = list(calls)
            for _ in range(3 if warm > 0.3 else 7):
                order.shuffle(keys)
                for key in keys:
                    start = time.perf_counter()
                    calls[key]()
                    times[key].append(time.perf_counter() - start)
            for (name, threads), t in times.items():
                features, seconds = rows[name]
                features.append(engines[name].features(X.shape, K.shape,
                                                       threads))
                seconds.append(min(t))
                out(f'{name} {n}² {h}x{w} on {threads}: '
                    f'{seconds[-1] * 1e3:.3f} ms')
    return {name: (onp.array(f, float), onp.array(t))
            for name, (f, t) in rows.items() if t}


def saved(path, engines, cores):
    """Return ``{name: (features, seconds)}`` from ``make bench``'s
    `path` (see the module's docstring)."""
    import json

    from d2l_conv.fast import choose
    data = json.loads(Path(path).read_text())
    cases = [(case['engine'], case['n'], tuple(case['kernel']),
              case['times']['corr2d_fast']) for case in data['grid']
             if case['n'] >= 224 and case['engine'] in engines]
    rows = {}
    for name, n, kernel, t in cases:
        threads = choose.plan(name, (n, n), kernel, cores)[0]
        features = engines[name].features((n, n), kernel, threads)
        rows.setdefault(name, []).append((features, t, n))
    return {name: (onp.array([f for f, _, _ in found], float),
                   onp.array([t for _, t, _ in found]))
            for name, found in rows.items()
            if len({n for _, _, n in found}) >= 3}


def fit(A, t):
    """Return non-negative constants minimising the relative error."""
    from scipy.optimize import nnls
    return nnls(A / t[:, None], onp.ones(len(t)))[0]


def text(costs):
    """Return the text of ``_costs.py`` for `costs`."""
    lines = [HEADER + 'COSTS = {']
    for name, coef in sorted(costs.items()):
        lines.append(f"    '{name}': ("
                     + ', '.join(f'{float(c):.2e}' for c in coef) + '),')
    return '\n'.join([*lines, '}']) + '\n'


def write(costs, path=COSTS):
    """Write `costs` to `path` (atomically; a link at `path` is replaced,
    never followed)."""
    write_atomic(path, text(costs), func='fit_cost')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('engines', nargs='*', help='engines to fit')
    parser.add_argument('--from', dest='source', metavar='JSON',
                        help="fit to the times make bench saved there")
    parser.add_argument('--dry-run', action='store_true',
                        help='print the constants; write nothing')
    args = parser.parse_args(argv)
    from d2l_conv.fast import choose, get_num_threads
    cores = get_num_threads()
    rng = onp.random.default_rng(0)
    costs = dict(choose.COSTS)
    engines = {name: choose.REGISTRY[name] for name in choose.ENGINES
               if not args.engines or name in args.engines}
    if args.source:
        found = saved(args.source, engines, cores)
    else:
        found = measure(engines, cores, rng,
                        out=lambda line: print(line, file=sys.stderr))
    for name, (A, t) in found.items():
        coef = fit(A, t)
        ratio = A @ coef / t
        costs[name] = tuple(coef)
        print(f'{name}: model/measured {ratio.min():.2f} .. '
              f'{ratio.max():.2f} over {len(t)} cases')
    print(text(costs), end='')
    if not args.dry_run:
        write(costs)
        print(f'written: {COSTS.relative_to(Path.cwd())}'
              if COSTS.is_relative_to(Path.cwd()) else 'written')
    return costs


if __name__ == '__main__':
    main()
