"""The constants of `choose`'s cost model: written whole by
``python benchmarks/fit_cost.py``; edit that, not this."""

#: Each engine's constants: seconds per unit of each of its `features`.
COSTS = {
    'c': (3.25e-06, 3.67e-05, 3.19e-11, 7.43e-11, 1.30e-11),
    'cv2': (1.05e-05, 0.00e+00, 6.40e-11, 1.24e-10),
    'fft': (3.27e-05, 2.49e-05, 3.64e-10, 6.32e-10),
    'numpy': (1.23e-05, 1.64e-06, 1.41e-10, 1.16e-10),
}
