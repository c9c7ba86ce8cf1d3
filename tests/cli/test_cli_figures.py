"""`python -m d2l_conv --figures DIR`: five figures as PNG and SVG."""

import io
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT

from d2l_conv import cli
from d2l_conv.figures import FIGURE_NAMES

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def run(argv):
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue()


def png_size(path):
    """Return ``(width, height)`` from a PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b'IHDR'
    return struct.unpack('>II', data[16:24])


@pytest.fixture(scope='module')
def written(tmp_path_factory):
    # A directory that does not exist yet, two levels down.
    directory = tmp_path_factory.mktemp('out') / 'docs' / 'figures'
    code, text = run(['--figures', str(directory)])
    return directory, code, text


def test_writes_five_figures_as_png_and_svg(written):
    directory, code, text = written
    assert code == 0
    names = sorted(path.name for path in directory.iterdir())
    assert names == sorted(f'{name}.{suffix}' for name in FIGURE_NAMES
                           for suffix in ('png', 'svg'))


def test_says_where_and_skips_the_reproduction_check(written):
    directory, _, text = written
    lines = text.splitlines()
    assert lines[0] == f'wrote 5 figures as PNG and SVG to {directory}:'
    assert sorted(Path(line.strip()) for line in lines[1:]) == sorted(
        directory.iterdir())
    assert 'match the book' not in text


@pytest.mark.parametrize('name', FIGURE_NAMES)
def test_png_has_a_sensible_pixel_size(written, name):
    path = written[0] / f'{name}.png'
    width, height = png_size(path)
    assert 300 <= width <= 1200 and 150 <= height <= 600, (width, height)
    assert 2_000 < path.stat().st_size < 100_000  # drawn, yet small


@pytest.mark.parametrize('name', FIGURE_NAMES)
def test_svg_is_a_drawing_of_the_same_size(written, name):
    path = written[0] / f'{name}.svg'
    root = ET.parse(path).getroot()
    assert root.tag == '{http://www.w3.org/2000/svg}svg'
    # 72 points an inch in the SVG; the PNG has 100 pixels an inch.
    assert root.get('width').endswith('pt')
    width, height = (float(root.get(key)[:-2]) for key in ('width', 'height'))
    png_width, png_height = png_size(written[0] / f'{name}.png')
    assert abs(width / 72 * 100 - png_width) < 2  # pixels round down
    assert abs(height / 72 * 100 - png_height) < 2
    assert len(list(root.iter('{http://www.w3.org/2000/svg}path'))) > 10


@pytest.mark.slow  # make test-slow
def test_rerunning_rewrites_identical_files(written, tmp_path):
    code, _ = run(['--figures', str(tmp_path)])
    assert code == 0
    for path in written[0].iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), \
            path.name


def unwritable(tmp_path):
    """Directories --figures cannot write into, and why."""
    file = tmp_path / 'file.txt'
    file.write_text('not a directory')
    # The tests run as root, whom chmod does not stop; nobody, though,
    # can make a directory inside a regular file or under /proc.
    return {'a file': file, 'under a file': file / 'figures',
            'under /proc': Path('/proc/d2l_conv_figures')}


@pytest.mark.parametrize('case', ['a file', 'under a file', 'under /proc'])
def test_unwritable_dir_is_one_error_line_and_exit_2(case, tmp_path,
                                                     capsys):
    directory = unwritable(tmp_path)[case]
    if case == 'under /proc' and not Path('/proc').is_dir():
        pytest.skip('no /proc')
    code, text = run(['--figures', str(directory)])
    assert code == 2
    assert text == ''
    err = capsys.readouterr().err
    assert err.count('\n') == 1
    assert err.startswith('python -m d2l_conv: error: cannot write figures:')
    assert repr(str(directory)) in err


def test_figures_and_markdown_do_not_combine(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(['--figures', str(tmp_path), '--markdown'])
    assert exit_.value.code == 2
    assert 'not allowed with argument' in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # a fresh Python: make test-slow
def test_module_entry_point_exits_2_with_one_line(tmp_path):
    file = unwritable(tmp_path)['a file']
    done = subprocess.run(
        [sys.executable, '-m', 'd2l_conv', '--figures', str(file)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stdout == ''
    assert done.stderr.splitlines() == [
        f"python -m d2l_conv: error: cannot write figures: save_figures: "
        f"'{file}' exists and is not a directory"]




def test_the_docs_show_three_figures_as_committed_small_pngs(written):
    text = (ROOT / 'docs' / 'notebooks.md').read_text(encoding='utf-8')
    start = text.index('<!-- section:figures:start -->')
    section = text[start: text.index('<!-- section:figures:end -->')]
    linked = re.findall(r'!\[[^]]*\]\(([^)]+)\)', section)
    assert linked == ['figures/cross_correlation.png',
                      'figures/edge_detection.png',
                      'figures/receptive_field.png']
    for link in linked:
        committed = ROOT / 'docs' / link
        assert committed.stat().st_size < 60_000
        # Drawn at the size `--figures` draws today (the bytes may vary
        # with the matplotlib and FreeType versions, and the tight bounding
        # box by a pixel: matplotlib 3.11, on Python 3.12 and 3.13, draws
        # these 1 px smaller than 3.7 on 3.11, which drew the PNGs).
        drawn = png_size(written[0] / committed.name)
        assert all(abs(a - b) <= 1
                   for a, b in zip(png_size(committed), drawn, strict=True))
    # ... and regenerated by the command it names.
    assert '`make figures`' in section
    makefile = (ROOT / 'Makefile').read_text(encoding='utf-8')
    recipe = makefile.split('\nfigures:', 1)[1].split('\n\n', 1)[0]
    assert '-m d2l_conv --figures' in recipe
    for link in linked:
        assert Path(link).name in recipe and 'docs/figures' in recipe
