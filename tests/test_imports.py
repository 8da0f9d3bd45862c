"""builders._imports: cheaper imports that behave exactly like the real ones when used, and plain imports
unless the command line enabled them."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_deferred_module_loads_on_first_use():
    out = _run(
        "import sys\n"
        "from builders._imports import defer_modules, enable\n"
        "enable()\n"
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
        "from builders._imports import enable, import_pptx_chart_data\n"
        "enable()\n"
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
        "from builders._imports import YAML_NON_PRINTABLE, enable, import_deferring\n"
        "enable()\n"
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
        "from builders.lower import lower; from builders import speedups; speedups.install()\n"
        f"b, _ = load_brief(Path({str(BRIEFS['sample'])!r})); t, _ = load_theme('default')\n"
        "d = Path(tempfile.mkdtemp())\n"
        "for fmt in ('pptx', 'pdf'): builder(fmt).build(lower(b, t, fmt), t, d / ('x.' + fmt), Log('x', fmt))\n"
        "print('PIL.ExifTags' in sys.modules, (d / 'x.pdf').stat().st_size > 0)\n"
    )
    assert out == ["False", "True"]


def test_not_enabled_everything_is_imported_plainly():
    """What a program importing the package gets: real modules and real ``re.Pattern`` objects."""
    out = _run(
        "import re, sys\n"
        "from builders._imports import YAML_NON_PRINTABLE, defer_modules, import_deferring, import_pptx_chart_data\n"
        "import_deferring('yaml', YAML_NON_PRINTABLE); defer_modules('urllib.request'); import_pptx_chart_data()\n"
        "import yaml, urllib.request\n"
        "print(isinstance(yaml.reader.Reader.NON_PRINTABLE, re.Pattern), hasattr(urllib.request, '__file__'),\n"
        "      'xlsxwriter' in sys.modules and hasattr(sys.modules['xlsxwriter'], '__file__'))\n"
    )
    assert out == ["True", "True", "True"]


def test_other_threads_get_real_patterns_while_a_module_imports_with_deferred_ones():
    out = _run(
        "import re, sys, threading, importlib\n"
        "from builders import _imports\n"
        "_imports.enable()\n"
        "seen = []\n"
        "started, resume = threading.Event(), threading.Event()\n"
        "def other():\n"
        "    started.wait(); seen.append(re.compile('[^\\x09x]')); resume.set()\n"
        "t = threading.Thread(target=other); t.start()\n"
        "real = importlib.import_module\n"
        "def import_module(name):  # the other thread compiles while the import is under way\n"
        "    started.set(); resume.wait(); return real(name)\n"
        "importlib.import_module = import_module\n"
        "_imports.import_deferring('yaml', '[^')\n"
        "importlib.import_module = real; t.join()\n"
        "print(isinstance(seen[0], re.Pattern), type(sys.modules['yaml'].reader.Reader.NON_PRINTABLE).__name__,\n"
        "      re.compile.__module__)\n"
    )
    assert out == ["True", "_Deferred", "re"]  # the other thread's pattern is real; re.compile is restored
