"""Issue 19, "The report and the PDF": the typographic rules, read back from the pages a reader gets.

The PDF is read with pdfplumber; the Word report is rendered through LibreOffice and read the same way
(see :mod:`tests.typography_pages` for what counts as a heading, a widow, a cut number).  Each rule was
seen failing on the outputs before the fix (stranded case headings and boxes in default, print and
executive; widows in accessible; one-character heading lines in government; a data table repeating its
chart).
"""
from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import pytest

from builders.document import FigureBlock, plain
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, need
from .typography_pages import (body_size, heading_orphans, lines, short_heading_lines, split_numbers,
                               stranded_headings, widows)

KEEP_THEMES = ("default", "print", "executive", "accessible", "government")
REAL = ("sample", "english")


@pytest.fixture(scope="session")
def _rendered():
    return {}


@pytest.fixture
def report_pdf(built, tmp_path_factory, _rendered):
    """``report_pdf(brief, theme)``: the Word report rendered by LibreOffice, once per session."""
    need("soffice")
    from builders.office import convert_to_pdf

    def get(key: str, theme: str) -> Path:
        if (key, theme) not in _rendered:
            _rendered[(key, theme)] = convert_to_pdf(built(key, theme, "docx"),
                                                     tmp_path_factory.mktemp(f"typo-{key}-{theme}"))
        return _rendered[(key, theme)]
    return get


def _outputs(built, report_pdf, key: str, theme: str, fmt: str) -> Path:
    return built(key, theme, "pdf") if fmt == "pdf" else report_pdf(key, theme)


# ---------------------------------------------------------------- keeping headings with their text

@pytest.mark.parametrize("theme", KEEP_THEMES)
@pytest.mark.parametrize("key", REAL)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_no_heading_or_case_box_is_left_at_a_page_foot(built, report_pdf, key, theme, fmt):
    pages = lines(_outputs(built, report_pdf, key, theme, fmt))
    body = body_size(pages)
    assert not heading_orphans(pages, body + 0.5)
    assert not stranded_headings(pages, body, body + 0.5), "a heading (and its region line and box) ends a page"


def test_case_boxes_keep_with_the_body_in_word(built):
    """keepNext on every paragraph of a key-points box, and on the spacer after it; the row never splits."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(built("sample", "default", "docx")))
    points = [t for t in doc.tables if len(t.rows) == 1 and len(t.columns) == 1
              and any(p.text.strip() for p in t.cell(0, 0).paragraphs)]
    assert points, "no key-points box in the report"
    for t in points:
        assert t.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        for p in t.cell(0, 0).paragraphs:
            assert p.paragraph_format.keep_with_next, f"box paragraph {p.text[:20]!r} does not keep with next"


# ---------------------------------------------------------------- widows and orphans

@pytest.mark.parametrize("theme", ["accessible", "default", "government"])
@pytest.mark.parametrize("key", REAL)
def test_no_widows_or_orphans_in_the_pdf(built, key, theme):
    pages = lines(built(key, theme, "pdf"))
    assert not widows(pages, body_size(pages))


def test_every_pdf_style_forbids_widows_and_orphans():
    from builders.build_pdf.coverage import FontSet
    from builders.build_pdf.styles import make_styles
    from builders.diagnostics import Log

    theme = load_theme("accessible")[0]
    doc = lower(load_brief(BRIEFS["sample"])[0], theme, "pdf")
    fonts = FontSet(theme, Log("test", "pdf"), cjk=True)
    fonts.use("body", "一", "x")
    fonts.register()
    for name, st in make_styles(doc, theme, fonts).items():
        assert st.allowWidows == 0 and st.allowOrphans == 0, name


@pytest.mark.parametrize("key", REAL)
def test_word_keeps_widow_control_on(built, key):
    import docx

    doc = docx.Document(str(built(key, "accessible", "docx")))
    assert doc.styles["Normal"].paragraph_format.widow_control
    for level in (1, 2, 3):
        pf = doc.styles[f"Heading {level}"].paragraph_format
        assert pf.keep_with_next and pf.keep_together


# ---------------------------------------------------------------- balanced headings

@pytest.mark.parametrize("theme", ["government", "default", "accessible"])
@pytest.mark.parametrize("key", ["sample", "long"])
def test_no_heading_line_of_one_character(built, key, theme):
    pages = lines(built(key, theme, "pdf"))
    assert not short_heading_lines(pages, body_size(pages) + 0.5)


@pytest.mark.parametrize("theme", ["government", "accessible"])  # the two with headings that wrap
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_two_line_headings_break_after_their_comma(built, report_pdf, theme, fmt):
    """"3.构建更高质量的创新服务体系，" / "为区域协同创新提供良好环境", never "…服务体" / "系，为…": a heading
    (and a contents entry) that takes two lines breaks where its sense pauses, not inside a word; in the
    Word file (as LibreOffice lays it out) too."""
    brief, _ = load_brief(BRIEFS["sample"])
    labels = [s.label.replace(" ", "") for s in lower(brief, load_theme(theme)[0], fmt).walk()]
    seen, bad = 0, []
    for page in lines(_outputs(built, report_pdf, "sample", theme, fmt)):
        for a, b in zip(page, page[1:]):
            first = a.text.replace(" ", "")
            for label in labels:
                if "，" in label and label.startswith(first) and first != label and len(first) >= 4:
                    seen += 1
                    if not first.endswith("，"):
                        bad.append(f"{first} / {b.text[:12]}")
    assert seen >= 3 and not bad, bad


def test_a_heading_breaks_after_its_comma_by_width_or_by_a_line_break():
    """The part before the comma the longer: the heading is narrowed; the part after it the longer: a line
    break after the comma (a narrower width would pull the second part up)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.pdfmetrics import registerFont

    from builders.build_pdf.balance import BalancedParagraph

    registerFont(UnicodeCIDFont("STSong-Light"))  # reportlab's own: every Han character one em wide
    style = ParagraphStyle("h", fontName="STSong-Light", fontSize=16, leading=20, wordWrap="CJK")
    for text, first in (("构建更高质量的创新服务体系，为区域协同创新提供良好环境", "构建更高质量的创新服务体系，"),
                        ("注重创新资源整合，逐步建立有效的市场化联动机制和长效机制", "注重创新资源整合，")):
        p = BalancedParagraph(text, style)
        p.wrap(16 * 20, 500)  # twenty characters a line: two lines either way
        got = ["".join(getattr(f, "text", "") for f in line.words) for line in p.blPara.lines]
        assert got[0] == first and "".join(got) == text, got


def test_contents_entries_are_balanced_too(built):
    """The contents page of the government sample: no entry's last line is one character before its leader."""
    pages = lines(built("sample", "government", "pdf"))
    bad = []
    for page in pages[:4]:
        for a, b in zip(page, page[1:]):
            if "..." in b.text and "..." not in a.text and a.size == b.size:
                text = re.sub(r"[.\s\d]+$", "", b.text)
                if len(text) <= 1:
                    bad.append(f"{a.text[-8:]} / {b.text[:12]}")
    assert not bad


def test_balanced_paragraph_keeps_its_line_count_and_evens_the_lines():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from builders.build_pdf.balance import BalancedParagraph

    style = ParagraphStyle("h", fontName="Helvetica", fontSize=12, leading=15)
    text = "A heading long enough to wrap onto a second line by a word"
    plain_p, balanced = Paragraph(text, style), BalancedParagraph(text, style)
    plain_p.wrap(300, 500)
    w, _ = balanced.wrap(300, 500)
    assert w == 300 and len(balanced.blPara.lines) == len(plain_p.blPara.lines) == 2
    words = [len(line[1]) if isinstance(line, tuple) else len(line.words) for line in balanced.blPara.lines]
    assert min(words) >= 4, words


# ---------------------------------------------------------------- numbers

@pytest.mark.parametrize("theme", ["default", "government", "accessible"])
@pytest.mark.parametrize("key", ["sample", "english", "rich-zh"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_no_number_is_cut_at_a_line_end(built, report_pdf, key, theme, fmt):
    assert not split_numbers(lines(_outputs(built, report_pdf, key, theme, fmt)))


@pytest.mark.parametrize("width", [5, 6, 7, 9, 11, 13])
def test_kinsoku_never_breaks_inside_a_number(width):
    """A narrow Chinese column full of numbers with points, signs and units: no line boundary inside one."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from builders.build_pdf import kinsoku
    from builders.build_pdf.coverage import FontSet
    from builders.build_pdf.styles import make_styles
    from builders.diagnostics import Log

    theme = load_theme("default")[0]
    doc = lower(load_brief(BRIEFS["sample"])[0], theme, "pdf")
    kinsoku.install()
    text = "技术合同成交额由83.1亿元增至356.9亿元，增长50.7%，形成“9+2”城市布局，共有1,234家企业和12.5万人。" * 3
    fonts = FontSet(theme, Log("test", "pdf"), cjk=True)
    fonts.use("body", text, "x")
    fonts.register()
    base = make_styles(doc, theme, fonts)["body"]
    style = ParagraphStyle("narrow", parent=base, firstLineIndent=0)
    p = Paragraph(fonts.markup("body", text), style)
    p.wrap(width * style.fontSize, 10_000)
    got = ["".join(w.text for w in line.words) for line in p.blPara.lines]
    assert "".join(got) == text
    for a, b in zip(got, got[1:]):
        joint = a[-2:] + "|" + b[:2]
        assert not re.search(r"\d\|[\d.,+%亿万]|[\d][.,+]\|\d", joint), f"number cut: {joint}"


# ---------------------------------------------------------------- approximations

@pytest.mark.parametrize("theme", ["default", "government"])
@pytest.mark.parametrize("key", ["sample", "rich-zh"])
def test_no_yu_before_a_percent_sign_anywhere(built, key, theme):
    """"50余%" is not Chinese: the lowering writes 50%以上; no output (PDF, report, deck) may carry 余% or 余％."""
    import pdfplumber

    with pdfplumber.open(built(key, theme, "pdf")) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    texts = [("pdf", text)]
    for fmt in ("docx", "pptx"):
        with zipfile.ZipFile(built(key, theme, fmt)) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        texts.append((fmt, re.sub(r"<[^>]+>", "", xml)))
    for where, t in texts:
        assert not re.search(r"余\s*[%％]", t), f"余% in the {where}"


# ---------------------------------------------------------------- English: hyphens and quotes

def test_justified_english_is_hyphenated_in_the_pdf(built):
    pages = lines(built("english", "default", "pdf"))
    body = body_size(pages)
    hyphenated = [ln.text for page in pages for ln in page if ln.size == body and re.search(r"[a-z]-$", ln.text)]
    assert hyphenated, "no hyphenated line in justified English"


def test_english_report_hyphenates_and_chinese_does_not(built):
    for key, want in (("english", True), ("sample", False)):
        with zipfile.ZipFile(built(key, "default", "docx")) as z:
            settings = z.read("word/settings.xml").decode("utf-8")
        assert ("<w:autoHyphenation" in settings) is want, key


def test_curly_quotes_in_serif_english_text_are_serif(built):
    """The body's quotes come from a serif face (DejaVu Serif), not DejaVu Sans, in serif body text."""
    import pdfplumber

    theme = load_theme("default")[0]
    assert "serif" in theme.fonts.body.pdf.lower()
    body_fonts = set()
    with pdfplumber.open(built("english", "default", "pdf")) as pdf:
        body = body_size(lines(built("english", "default", "pdf")))
        for page in pdf.pages:
            for c in page.chars:
                if c["text"] in "‘’“”" and round(c["size"], 1) == body:
                    body_fonts.add(c["fontname"].split("+")[-1])
    assert body_fonts and all("Serif" in f for f in body_fonts), body_fonts


# ---------------------------------------------------------------- charts and figures

def test_chart_value_labels_sit_on_the_background():
    from reportlab.graphics.charts.barcharts import BarChart

    from builders.build_pdf import chart
    from builders.build_pdf.coverage import FontSet
    from builders.diagnostics import Log

    theme = load_theme("default")[0]
    doc = lower(load_brief(BRIEFS["sample"])[0], theme, "pdf")
    fonts = FontSet(theme, Log("test", "pdf"), cjk=True)
    figure = next(f.figure for f in doc.figures if f.chart_no is not None)
    for text, where in chart.chart_strings(doc, figure):
        fonts.use_line("caption", text, where)
    fonts.register()
    drawing = chart.draw_chart(doc, theme, fonts, figure, 400)
    bars = [c for c in drawing.contents if isinstance(c, BarChart)]
    assert bars and bars[0].barLabels.boxFillColor is not None


@pytest.mark.parametrize("mode", ["chart", "table", "both"])
def test_the_theme_chooses_chart_table_or_both(mode):
    theme = dataclasses.replace(load_theme("default")[0], figures=mode)
    doc = lower(load_brief(BRIEFS["sample"])[0], theme, "pdf")
    charted = [b for s in doc.walk() for b in s.blocks if isinstance(b, FigureBlock) and b.figure.chart]
    assert charted
    for b in charted:
        assert (b.chart_no is not None) is (mode != "table")
        assert (b.table_no is not None) is (mode == "table")
    # Tables are numbered from 1 whatever the mode: a figure shown as "both" takes no table number.
    numbers = [b.table_no for s in doc.walk() for b in s.blocks if isinstance(b, FigureBlock) and b.table_no]
    assert numbers == list(range(1, len(numbers) + 1))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_chart_and_its_data_read_as_one_figure(built, report_pdf, fmt):
    """Default theme ("both"): the chart's title is captioned once (图1), never again as 表1."""
    import pdfplumber

    doc = lower(load_brief(BRIEFS["sample"])[0], load_theme("default")[0], fmt)
    with pdfplumber.open(_outputs(built, report_pdf, "sample", "default", fmt)) as pdf:
        text = re.sub(r"\s", "", "\n".join(p.extract_text() or "" for p in pdf.pages))
    for b in doc.figures:
        if b.chart_no is None:
            continue
        title = re.sub(r"\s", "", plain(b.figure.title.inlines))
        assert f"图{b.chart_no}{title}" in text
        assert not re.search(r"表\d+" + re.escape(title), text), f"{title} captioned as a table too"
        for row in b.rows:  # its data is still there, under the chart
            assert re.sub(r"\s", "", row[-1]) in text
