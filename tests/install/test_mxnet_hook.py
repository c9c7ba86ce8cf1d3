"""``_d2l_conv_mxnet_hook``: ``import mxnet`` on numpy 1.24 and later.

Fake numpy modules for the rules (only missing names, never a replaced
one, nothing before 1.24, no warning); numpy 1.23 itself, where it runs
(Python 3.11), for the values; and fresh processes of this environment,
where the ``.pth`` is installed, for what a learner's first cell does.
"""

import ast
import json
import math
import os
import site
import sys
import types
import warnings
from pathlib import Path

import numpy
import pytest
from conftest import ROOT, run_python

import _d2l_conv_mxnet_hook as hook
from d2l_conv.published import BLOCKS, PUBLISHED, matches

PTH = 'd2l_conv_mxnet_hook.pth'


def fake_numpy(version, **names):
    module = types.ModuleType('numpy')
    module.__version__ = version
    module.all, module.any, module.prod = numpy.all, numpy.any, numpy.prod
    vars(module).update(names)
    return module


def test_before_numpy_124_nothing_is_set():
    module = fake_numpy('1.23.5')
    before = dict(vars(module))
    assert hook.restore(module) == []
    assert vars(module) == before


def test_every_missing_name_is_set_and_no_other():
    module = fake_numpy('2.4.6', bool=numpy.bool_, PINF='mine')
    done = hook.restore(module)
    assert set(done) == set(hook.NAMES) - {'bool', 'PINF'}
    assert module.bool is numpy.bool_ and module.PINF == 'mine'
    assert module.int is int and module.NINF == -math.inf
    assert math.copysign(1, module.NZERO) == -1 and math.isnan(module.NaN)


def test_what_numpys_getattr_gives_is_kept_and_asked_silently():
    """numpy 1.26 warns (FutureWarning) as it refuses ``numpy.bool``, and
    gives the NEP 32 names from its ``__getattr__`` with a warning."""
    given = object()

    def __getattr__(name):
        warnings.warn(f'asked for {name}', FutureWarning, stacklevel=2)
        if name == 'npv':
            return given
        raise AttributeError(name)

    module = fake_numpy('1.26.4', __getattr__=__getattr__)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        done = hook.restore(module)
    assert caught == []
    assert 'npv' not in done and vars(module).get('npv') is None
    assert module.bool is bool and 'bool' in done


def test_the_nep_32_names_raise_as_in_numpy_123():
    module = fake_numpy('2.4.6')
    hook.restore(module)
    with pytest.raises(RuntimeError, match='NEP 32, the function pv'):
        module.pv(0.05, 10, -100)


@pytest.mark.skipif(not numpy.__version__.startswith('1.23.'),
                    reason='compares with numpy 1.23 itself (Python 3.11)')
def test_the_values_are_numpy_123s():
    module = fake_numpy('2.4.6', isin=numpy.isin, array=numpy.array,
                        asarray=numpy.asarray, cumprod=numpy.cumprod,
                        round=numpy.round, trapezoid=numpy.trapz)
    hook.restore(module)
    x = numpy.array([[3.25, -1.5, 0.0], [2.0, 7.75, -4.5]])
    calls = {'alltrue': (x,), 'sometrue': (x > 5,), 'product': (x,),
             'cumproduct': (x,), 'round_': (x, 1), 'msort': (x,),
             'in1d': (x, [2.0, 0.0]), 'trapz': (x,)}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for name in hook.NAMES:
            theirs, ours = getattr(numpy, name), getattr(module, name)
            if name in calls:
                numpy.testing.assert_array_equal(ours(*calls[name]),
                                                 theirs(*calls[name]))
            elif callable(theirs) and name not in ('bool', 'int'):
                with pytest.raises(RuntimeError) as want:
                    theirs()
                with pytest.raises(RuntimeError, match=str(want.value)):
                    ours()
            elif isinstance(theirs, float):
                assert (math.isnan(ours) and math.isnan(theirs)
                        or (ours, math.copysign(1, ours))
                        == (theirs, math.copysign(1, theirs))), name
            else:
                assert ours is theirs, name


def test_the_module_imports_nothing_at_start_but_sys():
    tree = ast.parse(Path(hook.__file__).read_text(encoding='utf-8'))
    top = [node for node in tree.body
           if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert [alias.name for node in top for alias in node.names] == \
        ['sys']
    assert not any(isinstance(node, ast.ClassDef) and node.bases
                   for node in tree.body)


def test_the_pth_is_installed_here():
    """``make`` installs editable (``uv pip install --editable``); the
    wheel tests (test_install.py) check pip's and uv's regular installs."""
    dirs = site.getsitepackages() + [site.getusersitepackages()]
    found = [Path(d, PTH) for d in dirs if Path(d, PTH).is_file()]
    assert found, f'{PTH} is in none of {dirs}'
    assert found[0].read_text() == (ROOT / PTH).read_text()


START = '''
import json, sys
print(json.dumps({
    'finder': [type(f).__name__ for f in sys.meta_path].count('_Finder'),
    'loaded': sorted({'numpy', 'mxnet', '_d2l_conv_tools'}
                     & set(sys.modules))}))
'''


def test_at_start_it_waits_for_mxnet_and_loads_nothing():
    done = run_python(START + '''
import mxnet
print([type(f).__name__ for f in sys.meta_path].count('_Finder'))
''')
    assert done.returncode == 0, done.stderr
    first, after = done.stdout.splitlines()
    assert json.loads(first) == {'finder': 1, 'loaded': []}
    assert after == '0'


def test_the_switch_turns_it_off_before_it_is_imported():
    done = run_python(START + "print('_d2l_conv_mxnet_hook' in sys.modules)",
                      env={**os.environ, hook.SWITCH: '0'})
    assert done.returncode == 0, done.stderr
    first, imported = done.stdout.splitlines()
    assert json.loads(first)['finder'] == 0 and imported == 'False'


def test_install_puts_one_finder_first_and_none_after_mxnet(monkeypatch):
    def finders():
        return [type(f).__name__ for f in sys.meta_path].count('_Finder')
    before = finders()
    hook.install()  # mxnet is imported in this process: too late
    assert finders() == before == 0
    monkeypatch.delitem(sys.modules, 'mxnet')
    try:
        hook.install()
        hook.install()
        assert isinstance(sys.meta_path[0], hook._Finder)
        assert finders() == 1
    finally:
        hook._uninstall()
    assert finders() == 0


def run_blocks_as_a_script(python=sys.executable):
    """The book's nine blocks in a fresh process, each block's last
    expression printed as a notebook shows it; ``mxnet`` imported first
    (the first block), before anything of d2l_conv's."""
    runner = '''
import ast, json, sys
for code in json.loads(sys.argv[1]):
    tree = ast.parse(code)
    last = tree.body[-1] if isinstance(tree.body[-1], ast.Expr) else None
    if last:
        tree.body.pop()
    exec(compile(tree, '<book>', 'exec'), globals())
    if last:
        value = eval(compile(ast.Expression(last.value), '<book>', 'eval'),
                     globals())
        if value is not None:
            print(repr(value))
    print('--- block end')
'''
    import subprocess
    return subprocess.run(
        [str(python), '-c', runner,
         json.dumps([block.code for block in BLOCKS])],
        capture_output=True, text=True, timeout=300, cwd=ROOT.parent)


def test_the_books_blocks_print_its_outputs_with_nothing_on_stderr():
    assert BLOCKS[0].code.startswith('from mxnet import')
    assert_the_books_blocks_print_its_outputs(sys.executable)


def assert_the_books_blocks_print_its_outputs(python):
    done = run_blocks_as_a_script(python)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ''
    printed = [out.strip() for out in done.stdout.split('--- block end')]
    for record in PUBLISHED:
        assert any(matches(record.key, out) for out in printed), \
            (record.key, printed)
