"""The constants of `choose`'s cost model: written whole by
``python benchmarks/fit_cost.py``; edit that, not this."""

#: Each engine's constants: seconds per unit of each of its `features`.
COSTS = {
    'c': (2.50e-06, 1.45e-05, 3.28e-11, 6.33e-11),
    'cv2': (9.63e-06, 0.00e+00, 5.36e-11, 7.14e-11),
    'fft': (7.87e-05, 0.00e+00, 8.05e-11, 1.74e-09),
    'numpy': (1.75e-05, 1.80e-06, 1.07e-10, 1.20e-10),
}
