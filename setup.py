"""What ``setup.cfg`` cannot say: the C engine, and the hook's ``.pth``.

``d2l_conv/fast/_direct.c`` is built with the package where a C compiler
and Python's headers are found. It is optional: where it does not build,
the install goes on without it and the other engines serve (see
``d2l_conv/fast/c_engine.py``).

``d2l_conv_mxnet_hook.pth`` goes to site-packages itself, beside
``_d2l_conv_mxnet_hook.py`` and ``_d2l_conv_tools.py``, from a
wheel (``build_py``) and from an editable install (``editable_wheel``,
which ``pip install -e`` and ``uv pip install --editable`` build): Python
runs its line at start-up, which lets
``import mxnet`` run on numpy 1.24 and later (see the module).
"""

import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py
from setuptools.command.editable_wheel import editable_wheel

PTH = 'd2l_conv_mxnet_hook.pth'
HERE = Path(__file__).resolve().parent


class build_py_with_pth(build_py):
    """Copy the ``.pth`` to the wheel's root, beside the packages."""

    def run(self):
        super().run()
        if not self.editable_mode:
            self.copy_file(str(HERE / PTH), str(Path(self.build_lib, PTH)))

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        return [*outputs, str(Path(self.build_lib, PTH))]


class editable_wheel_with_pth(editable_wheel):
    """Put the ``.pth`` in the editable wheel too (it links nothing else)."""

    def _run_build_commands(self, dist_name, unpacked_wheel, build_lib,
                            tmp_dir):
        result = super()._run_build_commands(dist_name, unpacked_wheel,
                                             build_lib, tmp_dir)
        shutil.copy(HERE / PTH, Path(unpacked_wheel, PTH))
        return result


setup(
    cmdclass={'build_py': build_py_with_pth,
              'editable_wheel': editable_wheel_with_pth},
    ext_modules=[Extension(
        'd2l_conv.fast._direct', ['d2l_conv/fast/_direct.c'],
        extra_compile_args=['-O3', '-std=c11', '-ffp-contract=fast',
                            '-fno-fast-math'],
        optional=True)])
