"""The government PDF's pagination and grid (issue 19, GB/T 9704-2012), read back with pdfplumber.

Every page but the last is filled to its 22nd line unless a compositor's rule forbids it (two-line
widows and orphans, a heading that moves with two lines of its text, a figure or table taller than
the room left), and every body line on every page stands on the 28.9 pt line grid, after tables,
figures and boxes too, so lines back up with the other side of the sheet.  See :mod:`.grid_pages`.
"""
from __future__ import annotations

import pytest

pytest.importorskip("pdfplumber")

from .conftest import BRIEFS, FIXTURES  # noqa: E402
from .grid_pages import PITCH, off_grid, read, short_pages  # noqa: E402

KEYS = ("sample", "rich-zh", "refs-zh", "issued")  # issued: the sample under a 版头 (a theme with an issuer)


@pytest.fixture(scope="module")
def pages(built, tmp_path_factory):
    """``pages(key)``: the government PDF of a brief as grid slots, read once."""
    from builders.build import build_brief
    from builders.loader import load_brief
    from builders.theme import load_theme

    done: dict = {}

    def get(key: str):
        if key not in done:
            if key in ("refs-zh", "issued"):  # not among conftest's builds: built here
                out = tmp_path_factory.mktemp(f"{key}-government")
                theme = "government"
                if key == "issued":
                    theme = out / "issued.yaml"
                    theme.write_text("extends: government\ngovernment: {issuer: 京津冀协同创新研究院文件}\n",
                                     encoding="utf-8")
                brief, _ = load_brief(FIXTURES / "refs-zh.yaml" if key == "refs-zh" else BRIEFS["sample"])
                path = build_brief(brief, load_theme(str(theme))[0], out / "out", ["pdf"], parallel=False).outputs[0]
            else:
                path = built(key, "government", "pdf")
            done[key] = read(path)
        return done[key]

    return get


@pytest.mark.parametrize("key", KEYS)
def test_every_page_but_the_last_is_filled_to_its_last_line(pages, key):
    got = pages(key)
    assert len(got) > 1
    assert short_pages(got) == []


def test_section_one_follows_the_summary_on_page_one(pages):
    """The summary leaves five lines: heading 一 and its four-line paragraph fill them (issue 19)."""
    first = pages("sample")[0]
    assert first.free == 0
    assert sum(ln.heading for ln in first.lines) >= 2, "摘要 and 一、 are both on page 1"


@pytest.mark.parametrize("key", KEYS)
def test_every_body_line_stands_on_the_grid(pages, key):
    got = pages(key)
    assert sum(len(p.lines) for p in got) > 20
    assert off_grid(got) == []


def test_the_grid_check_sees_lines_after_blocks(pages):
    """The check above is not vacuous: on several pages of the sample a table, a chart or a box stands
    between two body lines (a gap of more than a line)."""
    gaps = [p.number for p in pages("sample") for a, b in zip(p.lines, p.lines[1:])
            if b.baseline - a.baseline > 1.5 * PITCH]
    assert len(set(gaps)) >= 3, gaps


def test_a_table_never_leaves_its_header_over_empty_cells():
    """refs-zh in government put 表1's header alone at page 1's foot: reportlab split the first row of
    one-line paragraphs 'inside' it, giving the page a row of empty cells.  The text table refuses
    that split (and still splits between rows)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from builders.build_pdf.blocks import TextTable

    st = ParagraphStyle("cell", fontSize=10, leading=12)
    rows = [[Paragraph(t, st) for t in row] for row in (("h1", "h2"), ("a", "b"), ("c", "d"))]
    table = TextTable(rows, colWidths=[100, 100], repeatRows=1, splitInRow=1)
    _, height = table.wrap(200, 1000)
    assert table.split(200, height / 3 + 2) == [], "header and no line of the first row: nothing here"
    parts = table.split(200, height * 2 / 3 + 2)
    assert len(parts) == 2 and len(parts[0]._cellvalues) == 2, "header and first row, the rest overleaf"
