"""The one piece ``setup.cfg`` cannot say: `corr2d_fast`'s C engine.

``d2l_conv/fast/_direct.c`` is built with the package where a C compiler
and Python's headers are found. It is optional: where it does not build,
the install goes on without it and the other engines serve (see
``d2l_conv/fast/c_engine.py``).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    'd2l_conv.fast._direct', ['d2l_conv/fast/_direct.c'],
    extra_compile_args=['-O3', '-std=c11', '-ffp-contract=fast',
                        '-fno-fast-math', '-pthread'],
    extra_link_args=['-pthread'],
    optional=True)])
