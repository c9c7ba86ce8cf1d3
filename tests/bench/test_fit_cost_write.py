"""fit_cost writes _costs.py as any file is written here."""

import os
import stat
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / 'benchmarks'))

import fit_cost  # noqa: E402

SOURCE = fit_cost.text({'c': (3.0, 4.0)})


def test_the_file_is_data_that_python_reads(tmp_path):
    path = tmp_path / '_costs.py'
    fit_cost.write({'numpy': (1.0, 2.0), 'c': (3.0, 4.5e-11)}, path)
    values = {}
    exec(path.read_text(), values)
    assert values['COSTS'] == {'c': (3.0, 4.5e-11), 'numpy': (1.0, 2.0)}


def test_the_new_file_gets_the_permissions_open_gives(tmp_path):
    path = tmp_path / '_costs.py'
    path.write_text(SOURCE)
    fit_cost.write({'numpy': (1.0, 2.0)}, path)
    assert "    'numpy': (1.00e+00, 2.00e+00)," in path.read_text()
    fresh = tmp_path / 'fresh.py'
    fresh.write_text('')
    assert stat.S_IMODE(path.stat().st_mode) == stat.S_IMODE(
        fresh.stat().st_mode)
    assert sorted(os.listdir(tmp_path)) == ['_costs.py', 'fresh.py']


def test_a_link_is_replaced_and_its_target_kept(tmp_path):
    target = tmp_path / 'elsewhere.py'
    target.write_text(SOURCE)
    link = tmp_path / '_costs.py'
    link.symlink_to(target)
    fit_cost.write({'numpy': (1.0, 2.0)}, link)
    assert target.read_text() == SOURCE
    assert not link.is_symlink() and 'numpy' in link.read_text()
