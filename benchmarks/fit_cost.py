"""Fit the constants of `corr2d_fast`'s cost model (`fast.choose.COSTS`).

Run ``python benchmarks/fit_cost.py [ENGINE ...]`` (every engine of this
install if none is named: `fast.choose.ENGINES`). It times each engine
called directly (float32, median of a few runs) over a grid of image and
kernel sizes, fits the constants of `fast.choose.features` per engine by
non-negative least squares on relative error (for the C engine, its
fixed cost only: the median of the times less `c_engine.seconds`, its
own model of its threads), and prints the fit and, per engine, how far
the model is from the times (worst factor).
"""

import statistics
import sys
import time

import numpy as onp

SIDES = [28, 64, 128, 224, 256, 512, 1024, 2048]
KERNELS = [(1, 2), (3, 3), (5, 5), (7, 1), (7, 7), (9, 9), (15, 15),
           (31, 31), (63, 63)]


def timed(call, budget=0.3, most=7):
    """Return the median seconds of `call`, within about `budget` s."""
    call()
    times = []
    while len(times) < most and (len(times) < 2 or sum(times) < budget):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    from scipy.optimize import nnls

    from d2l_conv.fast import c_engine, choose, cv2_engine
    names = sys.argv[1:]
    engines = {name: choose.MODULES[name].correlate_valid
               for name in choose.ENGINES}
    rng = onp.random.default_rng(0)
    fits = {}
    for name, call in engines.items():
        if names and name not in names:
            continue
        rows, times, rest = [], [], []
        for n in SIDES:
            X = rng.standard_normal((n, n)).astype('float32')
            for h, w in KERNELS:
                if h > n or w > n or (name != 'fft'
                                      and n * n * h * w > 4e9):
                    continue  # direct engines: skip the minute-long cases
                if name == 'cv2' and h * w >= cv2_engine.DIRECT_TAPS:
                    continue  # OpenCV's DFT: never used
                K = rng.standard_normal((h, w)).astype('float32')
                t = timed(lambda c=call, X=X, K=K: c(X, K))
                rows.append(choose.features(name, X.shape, K.shape))
                # the C engine models its own threads
                rest.append(c_engine.seconds(X.shape, K.shape)
                            if name == 'c' else 0.0)
                times.append(t)
                print(f'{name} {n} {h}x{w} {t * 1e3:.3f} ms', file=sys.stderr)
        A, t, rest = onp.array(rows), onp.array(times), onp.array(rest)
        if name == 'c':  # its fixed cost only (`features`)
            coef = onp.array([max(0.0, float(onp.median(t - rest))), 0.0,
                              0.0, 0.0])
        else:
            coef = nnls(A / t[:, None], onp.ones(len(t)))[0]
        ratio = (A @ coef + rest) / t
        fits[name] = coef
        print(f"    '{name}': ({', '.join(f'{c:.2e}' for c in coef)}),"
              f'  # model/measured {ratio.min():.2f} .. {ratio.max():.2f}')
    return fits


if __name__ == '__main__':
    main()
