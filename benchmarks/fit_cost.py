"""Fit the constants of `corr2d_fast`'s cost model and write them.

``python benchmarks/fit_cost.py [ENGINE ...]`` (default: `choose.ENGINES`)
times each engine called directly on a grid of float32 cases, every
engine of a case in the same interleaved rounds (on 1, 2 and all threads
where its `features` change with them), fits its constants by
non-negative least squares on relative error, prints how far the model
is from the times, and writes ``d2l_conv/fast/_costs.py`` whole (engines
not fitted keep theirs; ``--dry-run`` only prints). ``--from
benchmarks/results.json`` fits to the times ``make bench`` saved: the
grid from 224², each by the engine `corr2d_fast` picked, on the threads
`choose.plan` gives it (engines timed on three sides or more).
"""

import argparse
import json
import sys
from functools import partial
from pathlib import Path

import numpy as onp

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent))  # last: an installed d2l_conv stays first
from _d2l_conv_tools import write_atomic  # noqa: E402

COSTS = HERE.parent / 'd2l_conv' / 'fast' / '_costs.py'
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
    shapes, each into one output reused (its memory faulted in, as
    `corr2d_fast`'s)."""
    calls = {}
    (H, W), (h, w) = X.shape, K.shape
    out = onp.empty((H - h + 1, W - w + 1), X.dtype)
    for name, engine in engines.items():
        if engine.features(X.shape, K.shape, cores) is None or (
                engine.METHOD == 'direct' and X.size * K.size > MOST_WORK):
            continue
        threaded = (engine.features((1024, 1024), (3, 3), 1)
                    != engine.features((1024, 1024), (3, 3), cores))
        counts = {1, 2, cores} if X.size >= THREADS_FROM else {1}
        for threads in sorted(counts) if threaded else [cores]:
            calls[name, threads] = partial(engine.correlate_valid, X, K,
                                           out=out, threads=threads)
    return calls


def measure(engines, cores):
    """Return ``{name: (features, seconds)}`` over the grid."""
    from bench_corr2d import cases, time_calls
    rows = {name: ([], []) for name in engines}
    for n, kernel, X, K in cases(SIDES, KERNELS):
        times = time_calls(calls_of(engines, X, K, cores), f'{n}², {kernel}')
        for (name, threads), seconds in times.items():
            rows[name][0].append(engines[name].features(X.shape, K.shape,
                                                        threads))
            rows[name][1].append(seconds)
    return {name: (onp.array(f, float), onp.array(t))
            for name, (f, t) in rows.items() if t}


def saved(path, engines, cores):
    """Return ``{name: (features, seconds)}`` from ``make bench``'s
    `path` (see the module's docstring)."""
    from d2l_conv.fast import choose
    rows = {}
    for case in json.loads(Path(path).read_text())['grid']:
        name, n, kernel = case['engine'], case['n'], tuple(case['kernel'])
        if n >= 224 and name in engines:
            threads = choose.plan(name, (n, n), kernel, cores)[0]
            rows.setdefault(name, []).append((engines[name].features(
                (n, n), kernel, threads), case['times']['corr2d_fast'], n))
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
    return HEADER + 'COSTS = {\n' + ''.join(
        f"    '{name}': (" + ', '.join(f'{float(c):.2e}' for c in coef)
        + '),\n' for name, coef in sorted(costs.items())) + '}\n'


def write(costs, path=COSTS):
    """Write `costs` to `path` (atomically; a link at `path` is replaced,
    never followed)."""
    write_atomic(path, text(costs), func='fit_cost')


def main(argv=None):
    """Fit, print and (unless ``--dry-run``) write; return the costs."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('engines', nargs='*', help='engines to fit')
    parser.add_argument('--from', dest='source', metavar='JSON',
                        help="fit to the times make bench saved there")
    parser.add_argument('--dry-run', action='store_true',
                        help='print the constants; write nothing')
    args = parser.parse_args(argv)
    from d2l_conv.fast import choose, get_num_threads
    cores, costs = get_num_threads(), dict(choose.COSTS)
    engines = {name: choose.REGISTRY[name] for name in choose.ENGINES
               if not args.engines or name in args.engines}
    found = (saved(args.source, engines, cores) if args.source
             else measure(engines, cores))
    for name, (A, t) in found.items():
        costs[name] = tuple(fit(A, t))
        ratio = A @ costs[name] / t
        print(f'{name}: model/measured {ratio.min():.2f} .. '
              f'{ratio.max():.2f} over {len(t)} cases')
    print(text(costs), end='')
    if not args.dry_run:
        write(costs)
        print(f'written: {COSTS}')
    return costs


if __name__ == '__main__':
    main()
