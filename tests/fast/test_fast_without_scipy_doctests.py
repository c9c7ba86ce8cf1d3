"""The public examples run where the README's pip route installs them:
``.[cpu,lab]`` brings neither scipy nor OpenCV (issue 33)."""

import subprocess
import sys

import pytest
from conftest import ROOT

#: A fresh Python that cannot import scipy or cv2, running the doctests
#: of every name ``d2l_conv`` exports; prints ``failed attempted``.
SCRIPT = '''
import doctest, inspect, sys

sys.modules.update(scipy=None, cv2=None)  # as if not installed
import d2l_conv
finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(
    optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
seen = set()
for name in d2l_conv.__all__:
    obj = getattr(d2l_conv, name)
    module = obj if inspect.ismodule(obj) else inspect.getmodule(obj)
    if module is None or not module.__name__.startswith('d2l_conv'):
        continue  # data (PUBLISHED), or MXNet's own (d2l's aliases)
    for test in finder.find(obj, name, module=module):
        if test.name not in seen and test.examples:
            seen.add(test.name)
            runner.run(test)
print(*runner.summarize(verbose=False),
      sys.modules['scipy'] is not None)
'''


@pytest.mark.slow  # a fresh Python: make test-slow
def test_the_public_examples_pass_without_scipy_or_opencv():
    done = subprocess.run([sys.executable, '-c', SCRIPT], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    failed, attempted, scipy_loaded = done.stdout.split()[-3:]
    assert scipy_loaded == 'False'
    assert int(attempted) > 20, done.stdout
    assert failed == '0', done.stdout
