"""The constants of `choose`'s cost model: written whole by
``python benchmarks/fit_cost.py``; edit that, not this."""

#: Each engine's constants: seconds per unit of each of its `features`.
COSTS = {
    'c': (3.16e-06, 2.94e-05, 3.08e-11, 6.62e-11, 4.96e-12),
    'cv2': (1.11e-05, 0.00e+00, 5.94e-11, 1.13e-10),
    'fft': (5.80e-05, 0.00e+00, 3.26e-10, 6.22e-10),
    'numpy': (1.24e-05, 1.78e-06, 1.19e-10, 9.67e-11),
}
