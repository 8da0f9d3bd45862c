"""builders._imports: cheaper imports that behave exactly like the real ones when used."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_deferred_module_loads_on_first_use():
    out = _run(
        "import sys\n"
        "from builders._imports import defer_modules\n"
        "defer_modules('urllib.request')\n"
        "import xml.sax.saxutils, urllib.request\n"
        "print('http.client' in sys.modules)\n"
        "print(urllib.request.Request('http://example.org').host)\n"
        "print(sys.modules['urllib.request'] is urllib.request, 'http.client' in sys.modules)\n"
    )
    assert out == ["False", "example.org", "True", "True"]


def test_pptx_chart_data_without_xlsxwriter_still_writes_workbooks():
    out = _run(
        "import sys\n"
        "from builders._imports import import_pptx_chart_data\n"
        "import_pptx_chart_data()\n"
        "print('xlsxwriter' in sys.modules)\n"
        "from pptx.chart.data import CategoryChartData\n"
        "d = CategoryChartData(); d.categories = ['a']; d.add_series('s', [1])\n"
        "print(d.xlsx_blob[:2] == b'PK', 'xlsxwriter' in sys.modules)\n"
    )
    assert out == ["False", "True", "True"]


def test_deferred_patterns_compile_on_first_use():
    out = _run(
        "import sys\n"
        "from builders._imports import YAML_NON_PRINTABLE, import_deferring\n"
        "import_deferring('yaml', YAML_NON_PRINTABLE)\n"
        "import yaml\n"
        "pattern = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(pattern).__name__, bool(pattern.search('a\\x07b')), yaml.safe_load('a: 1', ) == {'a': 1})\n"
        "print(bool(yaml.load('x: [1, 2]', Loader=yaml.SafeLoader)))\n"
    )
    assert out == ["_Deferred", "True", "True", "True"]


def test_deck_and_pdf_of_a_brief_without_pictures_never_load_pillow():
    """Pillow is deferred in the deck and PDF builders (issue 10); test_images covers briefs with pictures."""
    from .conftest import BRIEFS

    out = _run(
        "import sys, tempfile; from pathlib import Path\n"
        "from builders.loader import load_brief; from builders.theme import load_theme\n"
        "from builders.diagnostics import Log; from builders.registry import builder\n"
        "from builders.lower import lower\n"
        f"b, _ = load_brief(Path({str(BRIEFS['sample'])!r})); t, _ = load_theme('default')\n"
        "d = Path(tempfile.mkdtemp())\n"
        "for fmt in ('pptx', 'pdf'): builder(fmt).build(lower(b, t, fmt), t, d / ('x.' + fmt), Log('x', fmt))\n"
        "print('PIL.ExifTags' in sys.modules, (d / 'x.pdf').stat().st_size > 0)\n"
    )
    assert out == ["False", "True"]
