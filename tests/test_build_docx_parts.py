"""The report builder's parts: a corporate template, defensive text handling, the chart picture,
and (marked render) the sample through LibreOffice."""
from __future__ import annotations

import dataclasses
import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from builders.build_docx import build
from builders.build_docx import chart
from builders.build_docx.text import clean
from builders.diagnostics import Log
from builders.loader import load_brief
from builders.model import Datum, Figure
from builders.outline import outline
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES, need


def _brief(key):
    return load_brief(BRIEFS[key])[0]


def test_clean_drops_only_xml_illegal_characters():
    assert clean("a\x00b\x0bc\x0cd\x1be\ufffef\ud800g") == "abcdefg"
    assert clean("<&> \"'\t\n 𠀀 😀") == "<&> \"'\t\n 𠀀 😀"


def test_control_characters_never_reach_python_docx(tmp_path):
    brief = _brief("minimal")
    brief = dataclasses.replace(brief, title="Bad\x0b title\x00", short_title="run\x1bning")
    th = load_theme(THEMES[0])[0]
    out = tmp_path / "r.docx"
    build(brief, th, out, Log("x", "docx"))
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "Bad title" in texts and doc.core_properties.title == "Bad title"
    assert doc.sections[0].header.paragraphs[0].text == "running"


@pytest.mark.parametrize("kind", ["column", "bar", "line", "pie"])
def test_chart_picture_is_drawn_in_theme_colours(kind):
    brief = _brief("sample")
    th = load_theme(THEMES[0])[0]
    fig = Figure("f", "测试", (Datum(83.1, "2014年"), Datum(356.9, "2022年"), Datum(120, "2023年")), unit="亿元",
                 chart=kind)
    log = Log("x", "docx")
    img = Image.open(io.BytesIO(chart.png(fig, brief, th, log))).convert("RGB")
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20)}
    want = tuple(int(th.colours.chart[0].hex[i:i + 2], 16) for i in (0, 2, 4))
    assert want in colours
    assert not log.warnings
    # Text was drawn: many distinct anti-aliased shades, not just flat fills.
    assert len(colours) > 50


def test_chart_reports_characters_no_face_has():
    brief = _brief("sample")
    th = load_theme(THEMES[0])[0]
    fig = Figure("odd", "t", (Datum(1, "a\U0010fffdb"),), chart="column")
    log = Log("x", "docx")
    chart.png(fig, brief, th, log)
    assert any("figures[odd]" in w.message and "U+10FFFD" in w.message for w in log.warnings)


def test_nice_ticks_cover_the_range():
    ticks = chart.nice_ticks(0, 356.9)
    assert ticks[0] == 0 and ticks[-1] >= 356.9 and len(ticks) <= 8
    assert chart.nice_ticks(-3, 7)[0] <= -3


def _template(path, with_header: bool):
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(13)
    normal.font.name = "Corporate Sans"
    caption = doc.styles["Caption"].element
    caption.getparent().remove(caption)  # a template without a Caption style
    if with_header:
        doc.sections[0].header.is_linked_to_previous = False
        doc.sections[0].header.paragraphs[0].text = "ACME CONFIDENTIAL"
    doc.sections[0].page_width = Pt(600)
    doc.add_paragraph("sample body text that must not survive")
    doc.save(str(path))
    return path


@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_corporate_template(tmp_path, suffix):
    src = _template(tmp_path / "corp.docx", with_header=True)
    tpl = tmp_path / f"corp{suffix}"
    if suffix == ".dotx":
        import zipfile
        with zipfile.ZipFile(src) as z, zipfile.ZipFile(tpl, "w") as out:
            for info in z.infolist():
                data = z.read(info)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(b"document.main+xml", b"template.main+xml")
                out.writestr(info, data)
    else:
        tpl = src
    brief = _brief("sample")
    th = dataclasses.replace(load_theme(THEMES[0])[0], docx_template=tpl)
    log = Log("x", "docx")
    out = tmp_path / "r.docx"
    build(brief, th, out, log)
    doc = docx.Document(str(out))
    assert doc.styles["Normal"].font.size == Pt(13)  # the template's style wins
    fonts = doc.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == "Corporate Sans" and fonts.get(qn("w:eastAsia"))
    assert doc.sections[0].header.paragraphs[0].text == "ACME CONFIDENTIAL"
    assert abs(doc.sections[0].page_width.pt - 600) < 0.1  # its page set-up too
    assert "sample body text that must not survive" not in [p.text for p in doc.paragraphs]
    assert any("Caption" in w.message for w in log.warnings)
    footer = doc.sections[0].footer.paragraphs[0]._p
    assert [t.text.strip() for t in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading ")]
    assert headings == [clean(n.label) for n in outline(brief, th, "docx")]


# ---------------------------------------------------------------- LibreOffice render


@pytest.fixture(scope="session")
def _pdfs():
    return {}


@pytest.fixture(params=THEMES)
def sample_pdf(request, built, tmp_path_factory, _pdfs):
    """The sample report in each theme, converted once per session."""
    need("soffice")
    from builders.office import convert_to_pdf

    theme = request.param
    if theme not in _pdfs:
        _pdfs[theme] = convert_to_pdf(built("sample", theme, "docx"), tmp_path_factory.mktemp(f"docx-render-{theme}"))
    return theme, _pdfs[theme]


@pytest.mark.render
def test_render_every_heading_has_text_after_it_on_its_page(sample_pdf):
    import pdfplumber

    brief = _brief("sample")
    theme, sample_pdf = sample_pdf
    th = load_theme(theme)[0]
    labels = [clean(n.label) for n in outline(brief, th, "docx")]
    with pdfplumber.open(str(sample_pdf)) as pdf:
        pages = [(p.extract_text() or "").splitlines() for p in pdf.pages]
    found = 0
    for label in labels:
        key = re.sub(r"\s", "", label)[:12]
        for lines in reversed(pages):  # the last occurrence is the heading, earlier ones the contents
            squashed = [re.sub(r"\s", "", ln) for ln in lines]
            idx = next((i for i, ln in enumerate(squashed) if ln.startswith(key)), None)
            if idx is None:
                continue
            found += 1
            # Lines after the heading other than the footer: the heading is not alone at the page foot.
            rest = [ln for ln in squashed[idx + 1:] if not re.fullmatch(r"第\d+页共\d+页|Page\d+of\d+", ln)]
            assert rest, f"heading {label!r} ends its page"
            break
    assert found == len(labels)


@pytest.mark.render
def test_render_cover_and_contents(sample_pdf):
    import pdfplumber

    _, sample_pdf = sample_pdf
    brief = _brief("sample")
    with pdfplumber.open(str(sample_pdf)) as pdf:
        contents = re.sub(r"\s", "", "".join(p.extract_text() or "" for p in pdf.pages[1:3]))
        first = re.sub(r"\s", "", pdf.pages[0].extract_text() or "")
    assert re.sub(r"\s", "", clean(brief.title)) in first
    for case in brief.cases:
        assert re.sub(r"\s", "", case.title)[:10] in contents


@pytest.mark.render
@pytest.mark.parametrize("theme", THEMES)
def test_render_long_cover_stays_on_one_page(built, theme, tmp_path):
    import pdfplumber

    need("soffice")
    from builders.office import convert_to_pdf

    brief = _brief("long")
    pdf = convert_to_pdf(built("long", theme, "docx"), tmp_path)
    with pdfplumber.open(str(pdf)) as doc:
        first = re.sub(r"\s", "", doc.pages[0].extract_text() or "")
        second = re.sub(r"\s", "", doc.pages[1].extract_text() or "")
    for author in brief.authors:
        assert re.sub(r"\s", "", author.name) in first
    assert re.sub(r"\s", "", clean(brief.title))[:20] in first
    from builders.i18n import labels
    assert labels(brief.language).contents in second


def test_chart_label_wrapping_keeps_closing_punctuation_off_line_starts():
    from builders.build_docx.glyphs import Faces

    th = load_theme(THEMES[0])[0]
    faces = Faces((th.fonts.caption.pdf, *th.fonts.fallback), 40, lambda ch: None)
    text = "京津冀国家级专精特新“小巨人”企业占全国比重，协同创新。"
    for width in range(60, 600, 20):
        lines = faces.wrap(text, width, max_lines=50)
        assert "".join(lines) == text
        assert not any(line[:1] in "，。”" for line in lines[1:])
