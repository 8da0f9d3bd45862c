"""The workbook embedded in each deck chart: the figure's data where the chart XML points, dated like the brief."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

import pytest

from builders.workbook import column, sheet_xml, xlsx
from builders.loader import load_brief
from builders.reproducible import document_datetime

from .conftest import BRIEFS

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
CHARTED = [k for k in BRIEFS if load_brief(BRIEFS[k])[0].charted_figures]


def _cells(blob: bytes) -> dict[str, str]:
    """Cell reference → text of the first sheet."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    out = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        t = c.find("m:is/m:t", NS)
        v = c.find("m:v", NS)
        out[c.get("r")] = t.text if t is not None else v.text
    return out


def test_there_are_charted_briefs():
    assert len(CHARTED) >= 2


@pytest.mark.parametrize("key", CHARTED)
def test_each_chart_embeds_its_figure_data_where_the_chart_points(built, key):
    brief, _ = load_brief(BRIEFS[key])
    path = built(key, "default", "pptx")
    with zipfile.ZipFile(path) as deck:
        charts = sorted(n for n in deck.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n))
        assert len(charts) == len(brief.charted_figures)
        for name, fig in zip(charts, brief.charted_figures):
            chart_xml = deck.read(name).decode()
            rels = deck.read(name.replace("charts/", "charts/_rels/") + ".rels").decode()
            target = re.search(r'Target="\.\./embeddings/([^"]+\.xlsx)"', rels).group(1)
            cells = _cells(deck.read(f"ppt/embeddings/{target}"))
            n = len(fig.data)
            assert f"Sheet1!$A$2:$A${n + 1}" in chart_xml and f"Sheet1!$B$2:$B${n + 1}" in chart_xml
            assert [cells[f"A{r}"] for r in range(2, n + 2)] == [d.name for d in fig.data]
            assert [float(cells[f"B{r}"]) for r in range(2, n + 2)] == [d.value for d in fig.data]
            assert cells["B1"] == (fig.unit or fig.title)


def test_workbook_is_dated_like_the_brief_and_reproducible():
    brief, _ = load_brief(BRIEFS["english"])
    when = document_datetime(brief)
    blob = xlsx(["a", "b"], [("s", [1, 2.5])], when)
    assert blob == xlsx(["a", "b"], [("s", [1, 2.5])], when)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        core = z.read("docProps/core.xml").decode()
        assert when.strftime("%Y-%m-%dT%H:%M:%SZ") in core
        assert {i.date_time for i in z.infolist()} == {when.timetuple()[:6]}
        assert z.testzip() is None


def test_workbook_escapes_text_and_leaves_missing_values_empty():
    cells = _cells(xlsx(["R&D <lab>", "空"], [("x & y", [float("nan"), 3])]))
    assert cells == {"B1": "x & y", "A2": "R&D <lab>", "A3": "空", "B3": "3"}


def test_column_letters():
    assert [column(n) for n in (1, 2, 26, 27, 52, 703)] == ["A", "B", "Z", "AA", "AZ", "AAA"]
    assert 'dimension ref="A1:C3"' in sheet_xml(["a", "b"], [("s", [1, 2]), ("t", [3, 4])])


def test_building_a_deck_imports_neither_xlsxwriter_nor_urllib_request():
    """The two import-time costs builders._imports avoids stay avoided (issue 10)."""
    code = (
        "import sys; from pathlib import Path\n"
        "from builders import speedups; speedups.install()  # as the brief command does\n"
        "\n"
        "from builders.loader import load_brief; from builders.theme import load_theme\n"
        "from builders.diagnostics import Log; from builders.build_pptx import build\n"
        f"b, _ = load_brief(Path({str(BRIEFS['sample'])!r})); t, _ = load_theme('default')\n"
        "from builders.lower import lower\n"
        "import tempfile, os; d = tempfile.mkdtemp(); build(lower(b, t, 'pptx'), t, Path(d) / 'x.pptx', Log('x', 'pptx'))\n"
        "print('xlsxwriter' in sys.modules, 'http.client' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
