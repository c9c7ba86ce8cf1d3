"""Fit the constants of `corr2d_fast`'s cost model and write them.

Run ``python benchmarks/fit_cost.py [ENGINE ...]`` (every engine of
this install if none is named: `fast.choose.ENGINES`). It times each
engine called directly (float32, median of a few runs) over a grid of
image and kernel sizes, on the threads the engine takes (for the C
engine, whose `features` depend on them, on each of 1, 2, 4, ... and
the cores usable), fits each engine's constants by non-negative least
squares on relative error, prints how far the model is from the times
(worst factors), and writes them into the ``COSTS`` block of
``d2l_conv/fast/choose.py`` (atomically; the constants of engines not
fitted stay). ``--dry-run`` prints them only.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as onp
from timing import thread_counts, timed  # beside this script

CHOOSE = Path(__file__).resolve().parent.parent / 'd2l_conv' / 'fast' / \
    'choose.py'
BEGIN, END = '# BEGIN COSTS', '# END COSTS'
SIDES = [28, 64, 128, 224, 256, 512, 1024, 2048]
KERNELS = [(1, 2), (3, 3), (5, 5), (7, 1), (7, 7), (9, 9), (15, 15),
           (21, 21), (31, 31), (63, 63)]
MOST_WORK = 4e9  # direct engines: skip the minute-long cases


def measure(name, engine, cores, rng, out=print):
    """Return the features and seconds of `engine` over the grid."""
    rows, times = [], []
    threaded = (engine.features((1024, 1024), (3, 3), 1)
                != engine.features((1024, 1024), (3, 3), cores))
    for n in SIDES:
        X = rng.standard_normal((n, n)).astype('float32')
        for h, w in KERNELS:
            if h > n or w > n or (engine.METHOD == 'direct'
                                  and n * n * h * w > MOST_WORK):
                continue
            if engine.features(X.shape, (h, w), cores) is None:
                continue  # shapes it does not take
            K = rng.standard_normal((h, w)).astype('float32')
            for threads in thread_counts(cores) if threaded else [cores]:
                t = timed(lambda X=X, K=K, threads=threads:
                          engine.correlate_valid(X, K, threads=threads))
                rows.append(engine.features(X.shape, K.shape, threads))
                times.append(t)
                out(f'{name} {n}² {h}x{w} on {threads}: {t * 1e3:.3f} ms')
    return onp.array(rows, float), onp.array(times)


def fit(A, t):
    """Return non-negative constants minimising the relative error."""
    from scipy.optimize import nnls
    return nnls(A / t[:, None], onp.ones(len(t)))[0]


def block(costs):
    """Return the ``COSTS`` block of choose.py for `costs`."""
    lines = [BEGIN + ': written by benchmarks/fit_cost.py',
             "#: Each engine's constants: seconds per unit of each of its "
             '`features`.', 'COSTS = {']
    for name, coef in costs.items():
        lines.append(f"    '{name}': ("
                     + ', '.join(f'{float(c):.2e}' for c in coef) + '),')
    return '\n'.join([*lines, '}', END])


def write(costs, path=CHOOSE):
    """Replace the ``COSTS`` block of `path` with `costs`' (atomically,
    never through a link)."""
    text = path.read_text()
    start, stop = text.index(BEGIN), text.index(END) + len(END)
    text = text[:start] + block(costs) + text[stop:]
    if path.is_symlink():
        raise SystemExit(f'fit_cost: {path} is a link; not written')
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix='.tmp')
    with os.fdopen(handle, 'w') as file:
        file.write(text)
    os.replace(temporary, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('engines', nargs='*', help='engines to fit')
    parser.add_argument('--dry-run', action='store_true',
                        help='print the constants; write nothing')
    args = parser.parse_args(argv)
    from d2l_conv.fast import choose, get_num_threads
    cores = get_num_threads()
    rng = onp.random.default_rng(0)
    costs = dict(choose.COSTS)
    for name in choose.ENGINES:
        if args.engines and name not in args.engines:
            continue
        engine = choose.modules()[name]
        A, t = measure(name, engine, cores, rng,
                       out=lambda line: print(line, file=sys.stderr))
        coef = fit(A, t)
        ratio = A @ coef / t
        costs[name] = tuple(coef)
        print(f'{name}: model/measured {ratio.min():.2f} .. '
              f'{ratio.max():.2f} over {len(t)} cases')
    print(block(costs))
    if not args.dry_run:
        write(costs)
        print(f'written: {CHOOSE.relative_to(Path.cwd())}'
              if CHOOSE.is_relative_to(Path.cwd()) else 'written')
    return costs


if __name__ == '__main__':
    main()
