"""The FFT engine's error against float64, as its docstring states it.

Run ``python benchmarks/fft_accuracy.py``. float32 inputs go through
`fast.fft_engine.correlate_valid`; the reference is scipy's float64
direct sum (``scipy.signal.correlate`` with ``method='direct'``) of the
same float32 values. Prints, per case, the largest error relative to the
largest output, and the median and largest error relative to each output.
"""

import numpy as onp


def errors(X, K):
    """Return (max err / max |Y|, median and max of err / |Y|)."""
    from scipy.signal import correlate

    from d2l_conv.fast import fft_engine
    Y = fft_engine.correlate_valid(X, K).astype('float64')
    ref = correlate(X.astype('float64'), K.astype('float64'), 'valid',
                    method='direct')
    err = onp.abs(Y - ref)
    rel = err / onp.abs(ref)
    return err.max() / onp.abs(ref).max(), onp.median(rel), rel.max()


def main():
    rng = onp.random.default_rng(0)
    n, k = 1024, 31
    cases = {
        'standard normal image and kernel': (
            rng.standard_normal((n, n)), rng.standard_normal((k, k))),
        # brightness from 1e-3 (left) to 1e3 (right), 10% texture
        'high dynamic range (1e-3 to 1e3 across), box kernel': (
            10 ** onp.linspace(-3, 3, n)[None, :]
            * (1 + 0.1 * rng.standard_normal((n, n))), onp.ones((k, k))),
    }
    for name, (X, K) in cases.items():
        worst, median, most = errors(X.astype('float32'),
                                     K.astype('float32'))
        print(f'{name}, {n}x{n} with {k}x{k}: max error / max |Y| '
              f'{worst:.1e}; error / |Y| median {median:.1e}, '
              f'max {most:.1e}')


if __name__ == '__main__':
    main()
