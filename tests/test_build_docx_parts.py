"""The report builder's parts: a corporate template, defensive text handling, the native charts,
and (marked render) the sample through LibreOffice."""
from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from builders.build_docx import build
from builders.build_docx import chart
from builders.build_docx.text import clean
from builders.diagnostics import Log
from builders.build_docx.content import contents_label
from builders.document import FigureBlock
from builders.i18n import format_value
from builders.loader import load_brief
from builders.lower import lower
from builders.model import Datum, Figure, line_of
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES, need


def _brief(key):
    return load_brief(BRIEFS[key])[0]


def test_clean_drops_only_xml_illegal_characters():
    assert clean("a\x00b\x0bc\x0cd\x1be\ufffef\ud800g") == "abcdefg"
    assert clean("<&> \"'\t\n 𠀀 😀") == "<&> \"'\t\n 𠀀 😀"


def test_control_characters_never_reach_python_docx(tmp_path):
    from builders.document import Str

    th = load_theme(THEMES[0])[0]
    document = lower(_brief("minimal"), th, "docx")
    document = dataclasses.replace(document, title=(Str("Bad\x0b title\x00"),), running_title="run\x1bning")
    out = tmp_path / "r.docx"
    build(document, th, out, Log("x", "docx"))
    doc = docx.Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "Bad title" in texts and doc.core_properties.title == "Bad title"
    assert doc.sections[0].header.paragraphs[0].text == "running"


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PLOT = {"column": "barChart", "bar": "barChart", "line": "lineChart", "pie": "pieChart"}


def _kinds_figure(kind: str, zh: bool = True) -> Figure:
    data = (Datum(83.1, "2014年"), Datum(356.9, "2022年", approx="more_than"), Datum(120, "2023年"))
    return Figure("f", line_of("测试" if zh else "Test"), data, unit="亿元", chart=kind)


def _block(figure: Figure, language: str = "zh-CN") -> FigureBlock:
    """The figure as the lowering would give it (formatted values as its table rows)."""
    rows = tuple((d.name, format_value(d, figure, language)) for d in figure.data)
    return FigureBlock(figure, "fig-f", 1, 1, None, None, ("指标", "数值"), rows, (), "")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", ["column", "bar", "line", "pie"])
def test_native_chart_xml_says_what_the_figure_says(kind, theme):
    brief = _brief("sample")
    th = load_theme(theme)[0]
    fig = _kinds_figure(kind)
    warnings = []
    plan = chart.plan(_block(fig, brief.language), brief.language, th, warnings.append)
    root = ET.fromstring(chart.chart_xml(plan).encode())
    assert not warnings
    assert root.find(f"{C}chart/{C}plotArea/{C}{PLOT[kind]}") is not None
    if kind in ("column", "bar"):
        assert root.find(f".//{C}barDir").get("val") == ("col" if kind == "column" else "bar")
    # every category, every value and every label the brief writes (更多: 356.9余亿元)
    assert [v.text for v in root.findall(f".//{C}cat//{C}v")] == [d.name for d in fig.data]
    assert [float(v.text) for v in root.findall(f".//{C}val//{C}v")] == [d.value for d in fig.data]
    labels = ["".join(t.text for t in lbl.iter(f"{A}t")) for lbl in root.iter(f"{C}dLbl")]
    assert labels == [format_value(d, fig, brief.language) for d in fig.data]
    assert "356.9余亿元" in labels
    # theme colours, fonts (Latin and East Asian) and the brief's language on every run
    colours = {e.get("val") for e in root.iter(f"{A}srgbClr")}
    assert th.colours.chart[0].hex in colours and th.colours.heading.hex in colours
    for rpr in [*root.iter(f"{A}rPr"), *root.iter(f"{A}defRPr")]:
        assert rpr.get("lang") == brief.language
        assert rpr.find(f"{A}latin").get("typeface") == th.fonts.caption.latin
        assert rpr.find(f"{A}ea").get("typeface") == th.fonts.caption.east_asian
    assert "".join(t.text for t in root.find(f"{C}chart/{C}title").iter(f"{A}t")) == fig.title.plain
    assert root.find(f"{C}externalData").get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id") == "rId1"


def test_chart_xml_is_well_ordered_for_word():
    """Word refuses a chart part whose children are out of schema order; check the orders we rely on."""
    brief = _brief("sample")
    th = load_theme(THEMES[0])[0]
    root = ET.fromstring(chart.chart_xml(chart.plan(_block(_kinds_figure("column")), brief.language, th, print)).encode())
    tags = lambda el: [c.tag.split("}")[1] for c in el]  # noqa: E731
    assert tags(root) == ["date1904", "lang", "roundedCorners", "chart", "spPr", "txPr", "externalData"]
    assert tags(root.find(f"{C}chart")) == ["title", "autoTitleDeleted", "plotArea", "plotVisOnly", "dispBlanksAs"]
    ser = root.find(f".//{C}ser")
    assert tags(ser) == ["idx", "order", "tx", "spPr", "invertIfNegative", "dLbls", "cat", "val"]
    assert tags(root.find(f".//{C}barChart")) == ["barDir", "grouping", "varyColors", "ser", "gapWidth", "axId", "axId"]


def test_a_pie_of_negative_values_becomes_columns_with_a_warning():
    brief = _brief("sample")
    th = load_theme(THEMES[0])[0]
    fig = Figure("neg", line_of("t"), (Datum(-1, "a"), Datum(2, "b")), chart="pie")
    warnings = []
    assert chart.plan(_block(fig), brief.language, th, warnings.append).kind == "column"
    assert warnings and "pie" in warnings[0]


@pytest.mark.parametrize("key", ["sample", "english"])
def test_report_charts_are_native_with_their_workbook(built, key):
    """Each charted figure is a chart part (not a picture) whose embedded workbook holds its data."""
    brief = _brief(key)
    path = built(key, "default", "docx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        charts = sorted(n for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n))
        assert len(charts) == len(brief.charted_figures)
        assert not [n for n in names if n.startswith("word/media/")], "a chart must not be a picture"
        types = z.read("[Content_Types].xml").decode()
        doc_rels = z.read("word/_rels/document.xml.rels").decode()
        for name, fig in zip(charts, brief.charted_figures):
            assert f'PartName="/{name}"' in types and f'Target="{name[5:]}"' in doc_rels
            rels = z.read(name.replace("charts/", "charts/_rels/") + ".rels").decode()
            target = re.search(r'Id="rId1"[^>]*Target="\.\./embeddings/([^"]+)"|Target="\.\./embeddings/([^"]+)"[^>]*Id="rId1"', rels)
            book = zipfile.ZipFile(io.BytesIO(z.read(f"word/embeddings/{target.group(1) or target.group(2)}")))
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            assert all(d.name in sheet for d in fig.data)


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
    document = lower(brief, th, "docx")
    build(document, th, out, log)
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
    headings = [p.text.replace("\n", "") for p in doc.paragraphs if p.style.name.startswith("Heading ")]  # w:br: layout
    assert headings == [clean(contents_label(s)) for s in document.walk()]


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
    labels = [clean(contents_label(s)) for s in lower(brief, th, "docx").walk()]
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
            rest = [ln for ln in squashed[idx + 1:] if not re.fullmatch(r"第\d+页共\d+页|Page\d+of\d+|—\d+—", ln)]
            assert rest, f"heading {label!r} ends its page"
            break
    assert found == len(labels)


@pytest.mark.render
def test_render_cover_and_contents(sample_pdf):
    import pdfplumber

    theme, sample_pdf = sample_pdf
    brief = _brief("sample")
    with pdfplumber.open(str(sample_pdf)) as pdf:
        contents = re.sub(r"\s", "", "".join(p.extract_text() or "" for p in pdf.pages[1:3]))
        first = re.sub(r"\s", "", pdf.pages[0].extract_text() or "")
    assert re.sub(r"\s", "", clean(brief.title.plain)) in first
    if not load_theme(theme)[0].page.contents:  # GB/T 9704: the body follows the title on page 1
        assert "目录" not in first + contents
        return
    for case in brief.cases:
        assert re.sub(r"\s", "", case.title.plain)[:10] in contents


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
    assert re.sub(r"\s", "", clean(brief.title.plain))[:20] in first
    from builders.i18n import labels
    if load_theme(theme)[0].page.contents:
        assert labels(brief.language).contents in second


def test_characters_no_font_has_are_named_with_their_place(tmp_path):
    """Never a silent empty box in the report: each such character is named once, with where it first occurs."""
    from dataclasses import replace

    from builders.model import line_of

    th = load_theme(THEMES[0])[0]
    log = Log("x", "docx")
    # Private-use code points: no font has them, whatever fallback faces (Hanazono, Symbola) are installed.
    brief = _brief("markup")
    brief = replace(brief, title=line_of(brief.title.source + " \U000F0001"),
                    subtitle=line_of("sub \U000F0002"))
    build(lower(brief, th, "docx"), th, tmp_path / "m.docx", log)
    (warning,) = [w for w in log.warnings if "] fonts:" in w.message]
    assert "U+F0001" in warning.message and "(in title)" in warning.message
    assert "U+F0002" in warning.message and "(in subtitle)" in warning.message
    log = Log("x", "docx")
    build(lower(_brief("sample"), th, "docx"), th, tmp_path / "s.docx", log)
    assert not [w for w in log.warnings if "] fonts:" in w.message]


@pytest.mark.parametrize("key", ["sample", "english"])
def test_a_western_template_still_gives_chinese_body_text_its_indent(built, key):
    """The corporate template's Normal style states no first-line indent: Chinese body paragraphs get a
    two-character one (and justification) as direct formatting, headings do not, English text is untouched."""
    brief = _brief(key)
    doc = docx.Document(str(built(key, "corporate", "docx")))
    body = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text.strip()]
    assert body
    for p in body:
        ind = p._p.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        if brief.is_cjk:
            assert ind is not None and ind.get(qn("w:firstLineChars")) == "200"
            assert list(ind.attrib)[0] == qn("w:firstLine")  # LibreOffice needs this order
        else:
            assert ind is None
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading"):
            assert p._p.find(f"{qn('w:pPr')}/{qn('w:ind')}") is None
