"""`_cpus`: how many threads `corr2d_fast` may use."""

import os
import subprocess
import sys

import pytest

from d2l_conv import fast
from d2l_conv.fast import _cpus


class Environment:
    """`monkeypatch`'s environment, read anew after each change (as in
    a fresh process: `_cpus` reads it once)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def setenv(self, name, value):
        self.monkeypatch.setenv(name, value)
        _cpus._from_environment.cache_clear()

    def delenv(self, name, raising=True):
        self.monkeypatch.delenv(name, raising=raising)
        _cpus._from_environment.cache_clear()


@pytest.fixture
def clean(monkeypatch):
    """No setting, no variable: the count is the CPUs usable."""
    env = Environment(monkeypatch)
    env.delenv(_cpus.VARIABLE, raising=False)
    env.delenv('OMP_NUM_THREADS', raising=False)
    fast.set_num_threads(None)
    yield env
    fast.set_num_threads(None)
    _cpus._from_environment.cache_clear()


def test_the_environment_is_read_once(clean):
    clean.setenv(_cpus.VARIABLE, '3')
    assert fast.get_num_threads() == 3
    clean.monkeypatch.setenv(_cpus.VARIABLE, '5')  # not read again
    assert fast.get_num_threads() == 3


def cgroup(tmp_path, membership, files):
    """Write a fake cgroup tree; return `cgroup_quota`'s arguments."""
    for name, text in files.items():
        path = tmp_path / 'fs' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + '\n')
    (tmp_path / 'cgroup').write_text(membership)
    return str(tmp_path / 'fs'), str(tmp_path / 'cgroup')


@pytest.mark.parametrize('membership, files, quota', [
    ('0::/box\n', {'box/cpu.max': '100000 100000'}, 1.0),
    ('0::/box\n', {'box/cpu.max': '150000 100000'}, 1.5),
    ('0::/box\n', {'box/cpu.max': 'max 100000'}, None),
    ('0::/a/b\n', {'a/cpu.max': '200000 100000',
                   'a/b/cpu.max': 'max 100000'}, 2.0),  # the parent's
    ('0::/gone\n', {'cpu.max': '300000 100000'}, 3.0),  # a container's
    ('4:cpu,cpuacct:/box\n', {'cpu,cpuacct/box/cpu.cfs_quota_us': '50000',
                             'cpu,cpuacct/box/cpu.cfs_period_us': '100000'},
     0.5),
    ('1:cpu:/\n', {'cpu/cpu.cfs_quota_us': '-1',
                   'cpu/cpu.cfs_period_us': '100000'}, None),
    ('', {}, None),
])
def test_cgroup_quota(tmp_path, membership, files, quota):
    assert _cpus.cgroup_quota(*cgroup(tmp_path, membership, files)) == quota


@pytest.mark.parametrize('text', ['100000 100000', '50000 100000'])
def test_a_quota_of_one_cpu_or_less_gives_one_thread(tmp_path, text):
    paths = cgroup(tmp_path, '0::/box\n', {'box/cpu.max': text})
    assert _cpus.usable_cpus(*paths) == 1


def test_a_quota_above_the_affinity_changes_nothing(tmp_path):
    paths = cgroup(tmp_path, '0::/\n', {'cpu.max': '6400000 100000'})
    assert _cpus.usable_cpus(*paths) == _cpus.affinity_cpus()


def run_child(code, **env):
    """Run `code` in a fresh Python with `env` set; return its stdout."""
    environ = {k: v for k, v in os.environ.items()
               if k not in (_cpus.VARIABLE, 'OMP_NUM_THREADS')}
    done = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, timeout=120, env={**environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(not hasattr(os, 'sched_setaffinity'),
                    reason='affinity is Linux only')
def test_an_affinity_of_one_cpu_gives_one_thread():
    pytest.importorskip('d2l_conv.fast._direct')
    code = ('import os; os.sched_setaffinity(0, [min(os.sched_getaffinity'
            '(0))]); from d2l_conv.fast import _cpus, choose; '
            'print(_cpus.get_num_threads(), '
            "choose.plan('c', (4096, 4096), (15, 15))[0])")
    assert run_child(code) == '1 1'


def test_the_setting_comes_first(clean):
    clean.setenv(_cpus.VARIABLE, '3')
    clean.setenv('OMP_NUM_THREADS', '2')
    fast.set_num_threads(5)
    assert fast.get_num_threads() == 5
    fast.set_num_threads(None)
    assert fast.get_num_threads() == 3  # then the variable
    clean.delenv(_cpus.VARIABLE)
    assert fast.get_num_threads() == 2  # then OpenMP's
    clean.setenv('OMP_NUM_THREADS', '4,2')  # MXNet aborts on it at import
    assert fast.get_num_threads() == _cpus.usable_cpus()
    clean.delenv('OMP_NUM_THREADS')
    assert fast.get_num_threads() == _cpus.usable_cpus()


@pytest.mark.parametrize('value', ['0', '-2', 'two', '1.5'])
def test_a_bad_variable(clean, value):
    clean.setenv(_cpus.VARIABLE, value)
    with pytest.raises(ValueError, match=_cpus.VARIABLE):
        fast.get_num_threads()
    clean.delenv(_cpus.VARIABLE)
    clean.setenv('OMP_NUM_THREADS', value)  # others' too: ignored
    assert fast.get_num_threads() == _cpus.usable_cpus()


@pytest.mark.parametrize('count, error', [
    (0, ValueError), (-1, ValueError), ('2', TypeError), (2.0, TypeError),
    (True, TypeError)])
def test_a_bad_setting(clean, count, error):
    with pytest.raises(error, match='set_num_threads'):
        fast.set_num_threads(count)
    assert fast.get_num_threads() == _cpus.usable_cpus()


def test_the_variable_reaches_the_engine_in_a_fresh_process():
    pytest.importorskip('d2l_conv.fast._direct')
    code = ('from d2l_conv.fast import choose; '
            "print(choose.plan('c', (4096, 4096), (15, 15))[0])")
    assert run_child(code, D2L_CONV_NUM_THREADS='1') == '1'
    assert run_child(code, OMP_NUM_THREADS='1') == '1'
