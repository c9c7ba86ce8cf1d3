"""The constants of `choose`'s cost model: written whole by
``python benchmarks/fit_cost.py``; edit that, not this."""

#: Each engine's constants: seconds per unit of each of its `features`.
COSTS = {
    'c': (2.27e-06, 1.28e-05, 3.09e-11, 5.30e-11, 1.62e-12),
    'cv2': (9.70e-06, 0.00e+00, 5.70e-11, 9.32e-11),
    'fft': (6.27e-06, 2.92e-05, 3.13e-10, 1.75e-10),
    'numpy': (1.13e-05, 1.97e-06, 1.15e-10, 4.56e-11),
}
