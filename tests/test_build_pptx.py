"""The deck read back with python-pptx, and rendered through LibreOffice: nothing outside its box."""
from __future__ import annotations

import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from builders import document as d
from builders.build_pptx import build, document_when, slides as fitted_slides
from builders.build_pptx.faces import CODE_LATIN
from builders.build_pptx.runs import without_notes
from builders.diagnostics import Log
from builders.loader import load_brief
from builders.lower import lower
from builders.office import convert_many, convert_to_pdf
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES, need

KEYS = tuple(BRIEFS)


def _pt(emu) -> float:
    return Emu(emu).pt


@pytest.fixture(scope="module")
def deck(built):
    """(doc, theme, Presentation, fitted plans, path) per (brief key, theme)."""
    cache = {}

    def get(key, theme_name):
        if (key, theme_name) not in cache:
            brief, _ = load_brief(BRIEFS[key])
            theme, _ = load_theme(theme_name)
            doc = lower(brief, theme, "pptx")
            path = built(key, theme_name, "pptx")
            cache[key, theme_name] = (doc, theme, Presentation(str(path)), fitted_slides(doc, theme), path)
        return cache[key, theme_name]

    return get


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_slides_titles_and_notes(deck, key, theme_name):
    doc, theme, prs, fitted, _ = deck(key, theme_name)
    assert len(prs.slides) == len(fitted)
    assert (_pt(prs.slide_width), _pt(prs.slide_height)) == pytest.approx((theme.slides.width, theme.slides.height),
                                                                            abs=0.05)
    # A two-line Chinese title's break after its comma (an a:br, "\v" here) is layout, not text.
    titles = [s.shapes.title.text_frame.text.replace("\v", "") if s.shapes.title is not None else None
              for s in prs.slides]
    assert titles == [f.title for f in fitted]
    mark = doc.labels.continued
    assert titles[0] == d.plain(doc.title) and titles[-1].removesuffix(mark) == doc.labels.thank_you
    items = [s for s in doc.walk() if s.role in ("case", "recommendation")]
    for item in items:  # one slide each (continuations are marked)
        run = [t for t in titles if t and t.removesuffix(mark) == item.label]
        assert run and not run[0].endswith(mark) and all(t.endswith(mark) for t in run[1:])
    for slide, f in zip(prs.slides, fitted):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == f.notes
    notes = _squash("\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides))
    for item in items:
        for block in item.body:
            for line in d.block_text(block):
                assert _squash(line)[:40] in notes


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_every_run_has_fonts_and_language(deck, key, theme_name):
    doc, theme, prs, _, _ = deck(key, theme_name)
    parts = [s.part for s in prs.slides] + [s.notes_slide.part for s in prs.slides]
    parts += [gf.chart.part for s in prs.slides for gf in s.shapes if gf.has_chart]
    latins = {theme.fonts.heading.latin, theme.fonts.body.latin, theme.fonts.caption.latin, CODE_LATIN}
    eas = {theme.fonts.heading.east_asian, theme.fonts.body.east_asian, theme.fonts.caption.east_asian}
    checked = 0
    for part in parts:
        root = part._element
        for rpr in root.iter(qn("a:rPr"), qn("a:endParaRPr"), qn("a:defRPr")):
            kids = [c.tag for c in rpr]
            if rpr.tag == qn("a:defRPr") and qn("a:latin") not in kids:
                continue  # list-style defaults python-pptx leaves empty; they hold no text
            assert qn("a:latin") in kids and qn("a:ea") in kids, (part.partname, kids)
            assert kids.index(qn("a:ea")) == kids.index(qn("a:latin")) + 1  # schema order
            assert rpr.find(qn("a:latin")).get("typeface") in latins
            assert rpr.find(qn("a:ea")).get("typeface") in eas
            assert rpr.get("lang") == doc.language
            checked += 1
    assert checked > len(prs.slides)


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_chart_is_native_with_the_figures_data(deck, key, theme_name):
    doc, theme, prs, _, _ = deck(key, theme_name)
    frames = [gf for s in prs.slides for gf in s.shapes if gf.has_chart]
    charted = [b.figure for b in doc.figures if b.figure.chart and b.figure.image is None]
    assert len(frames) == len(charted)
    for gf, fig in zip(frames, charted):
        chart = gf.chart
        plot = chart.plots[0]
        assert list(plot.categories) == [x.name for x in fig.data]
        assert list(plot.series[0].values) == pytest.approx([x.value for x in fig.data])
        assert _squash(fig.title.plain) in _squash(chart.chart_title.text_frame.text)
        assert gf._element.nvGraphicFramePr.cNvPr.get("descr")
        xml = chart.part.blob.decode()
        assert theme.colours.chart[0].hex in xml
        assert not re.search(r'<c:(axId|crossAx) val="-', xml)
    for s in prs.slides:
        for shape in s.shapes:
            if shape.shape_type == 13:  # a picture: alt text too
                assert shape._element.nvPicPr.cNvPr.get("descr")


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_footer_number_frames_and_properties(deck, key, theme_name):
    doc, theme, prs, fitted, path = deck(key, theme_name)
    for i, (slide, f) in enumerate(zip(prs.slides, fitted)):
        names = {sh.name: sh for sh in slide.shapes}
        if f.kind != "title":
            assert names["Footer"].text_frame.text == doc.running_title
            assert slide.shapes._spTree.xpath('.//a:fld[@type="slidenum"]')
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                body_pr = shape.text_frame._txBody.bodyPr
                assert body_pr.find(qn("a:noAutofit")) is not None and body_pr.get("wrap") == "square"
    cp = prs.core_properties
    assert cp.title == without_notes(doc.title) and cp.language == doc.language
    assert cp.author == "; ".join(d.plain(a.name) for a in doc.authors)
    when = document_when(doc)
    assert cp.created == (when.replace(tzinfo=None) if when else None)
    import zipfile
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                assert b"python-pptx" not in z.read(name), name


def test_build_is_reproducible(tmp_path):
    theme, _ = load_theme(THEMES[0])
    for key in ("sample", "rich-zh"):
        brief, _ = load_brief(BRIEFS[key])
        a, b = tmp_path / f"{key}-a.pptx", tmp_path / f"{key}-b.pptx"
        build(lower(brief, theme, "pptx"), theme, a, Log("x", "pptx"))
        build(lower(brief, theme, "pptx"), theme, b, Log("x", "pptx"))
        assert a.read_bytes() == b.read_bytes()


# ------------------------------------------------------------------ rendered through LibreOffice


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# The sample, the second example and the very long brief in every theme; the markup brief (emoji, &, <)
# in the first.
RENDERED = ([(k, t) for k in ("sample", "english", "long") for t in THEMES] + [("markup", THEMES[0])]
            + [(k, t) for k in ("rich-en", "rich-zh") for t in ("default", "government", "corporate")])


@pytest.fixture(scope="session")
def rendered(built, tmp_path_factory):
    import shutil

    cache = {}

    def convert_all():
        need("soffice")
        src_dir, out_dir = tmp_path_factory.mktemp("decks"), tmp_path_factory.mktemp("rendered")
        sources = {}
        for key, theme_name in RENDERED:  # distinct names: one output directory
            sources[key, theme_name] = src_dir / f"{key}-{theme_name}.pptx"
            shutil.copyfile(built(key, theme_name, "pptx"), sources[key, theme_name])
        try:  # one LibreOffice start for every deck (start-up is most of a conversion's cost)
            convert_many(list(sources.values()), out_dir)
        except RuntimeError:
            pass  # a deck the batch missed is converted on its own below, so its failure names it
        for kt, src in sources.items():
            pdf = out_dir / (src.stem + ".pdf")
            # A deck the batch missed is converted on its own, so a failure names its deck.
            cache[kt] = pdf if pdf.exists() else convert_to_pdf(src, out_dir)

    def get(key, theme_name):
        if not cache:
            convert_all()
        return cache[key, theme_name]

    return get


@pytest.mark.render
@pytest.mark.parametrize("key,theme_name", RENDERED)
def test_no_text_outside_its_box_when_rendered(deck, rendered, key, theme_name):
    import pdfplumber

    doc, theme, prs, _, _ = deck(key, theme_name)
    pdf = rendered(key, theme_name)
    tol = 2.0
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == len(prs.slides)
        for n, (page, slide) in enumerate(zip(doc.pages, prs.slides), 1):
            boxes = []
            # The master's and layout's own drawings (a template's wordmark) are part of the slide too.
            inherited = [sh for sh in (*slide.slide_layout.shapes, *slide.slide_layout.slide_master.shapes)
                         if not sh.is_placeholder]
            for shape in (*slide.shapes, *inherited):
                text = _squash(shape.text_frame.text) if shape.has_text_frame else None
                if shape.has_text_frame and not text:
                    continue
                boxes.append((_pt(shape.left), _pt(shape.top), _pt(shape.left + shape.width),
                              _pt(shape.top + shape.height), text))
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            assert words or n == 1 or boxes
            for w in words:
                where = f"{pdf.name} slide {n}: {w['text']!r} at {w['x0']:.0f},{w['top']:.0f}"
                assert -tol <= w["x0"] and w["x1"] <= page.width + tol, where
                assert -tol <= w["top"] and w["bottom"] <= page.height + tol, where
                token = _squash(w["text"])
                # A word belongs to the shapes whose text contains it (auto numbers and chart
                # labels are not in any text frame: they may lie in any box on the slide).
                owners = [b for b in boxes if b[4] and len(token) > 3 and token in b[4]]
                owners = owners + [b for b in boxes if b[4] is None] if owners else boxes
                assert any(b[0] - tol <= w["x0"] and w["x1"] <= b[2] + tol and b[1] - tol <= w["top"]
                           and w["bottom"] <= b[3] + tol for b in owners), where
    # The same question as `brief verify` asks it: pdftotext's line boxes (font bounding boxes, taller
    # than the type size) inside some text-bearing shape.
    # (Not on the markup brief: verify's pdftotext reader decodes strictly and trips over the surrogate
    # bytes pdftotext writes for astral-plane characters; reported to the lead.)
    from builders.verify.overflow import overflowing

    if key != "markup":
        assert overflowing(deck(key, theme_name)[4], pdf) == []


@pytest.mark.render
def test_rendered_text_is_all_there(deck, rendered):
    """The sample's content slides reach the PDF: every case title and action is on some page."""
    import pdfplumber

    doc, _, prs, _, _ = deck("sample", THEMES[0])
    with pdfplumber.open(rendered("sample", THEMES[0])) as pdf:
        text = _squash("".join(p.extract_text() or "" for p in pdf.pages))
    for s in doc.walk():
        if s.role == "recommendation" and s.actions:
            for item in s.actions.items:
                assert _squash(d.plain(item[0].inlines))[:12] in text
        if s.role == "case":
            first = d.plain(s.points[0]) if s.points else d.blocks_text(s.body)
            assert _squash(first)[:8] in text


def test_template_layouts_by_name_with_fallback_and_warning(tmp_path):
    """A corporate template is used by layout name; a layout it lacks falls back, with a warning."""
    from dataclasses import replace

    template = Presentation()
    for layout in template.slide_layouts:
        if layout.name == "Section Header":
            layout.name = "Abschnitt"  # a localized name: "Section Header" is missing
    template.slides.add_slide(template.slide_layouts[0])  # an example slide the deck must not keep
    tpl = tmp_path / "corporate.pptx"
    template.save(str(tpl))
    brief, _ = load_brief(BRIEFS["sample"])
    theme, _ = load_theme(THEMES[0])
    log = Log("x", "pptx")
    out = tmp_path / "deck.pptx"
    build(lower(brief, theme, "pptx"), replace(theme, pptx_template=tpl), out, log)
    fitted = fitted_slides(lower(brief, theme, "pptx"), theme)
    prs = Presentation(str(out))
    assert [s.shapes.title.text_frame.text.replace("\v", "") for s in prs.slides] == [f.title for f in fitted]
    assert any("Section Header" in w.message for w in log.warnings)
    used = {s.slide_layout.name for s in prs.slides}
    assert {"Title Slide", "Title and Content", "Title Only"} <= used and "Abschnitt" not in used


@pytest.mark.parametrize("kind", ("column", "bar", "line", "pie"))
def test_every_chart_type_is_native_and_coloured(tmp_path, kind):
    from dataclasses import replace

    from pptx.enum.chart import XL_CHART_TYPE

    brief, _ = load_brief(BRIEFS["english"])
    theme, _ = load_theme(THEMES[0])
    fig = replace(brief.charted_figures[0], chart=kind)
    brief = replace(brief, figures=(fig,))
    out = tmp_path / "deck.pptx"
    build(lower(brief, theme, "pptx"), theme, out, Log("x", "pptx"))
    prs = Presentation(str(out))
    (gf,) = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    expected = {"column": XL_CHART_TYPE.COLUMN_CLUSTERED, "bar": XL_CHART_TYPE.BAR_CLUSTERED,
                "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE}[kind]
    assert gf.chart.chart_type == expected
    assert list(gf.chart.plots[0].categories) == [d.name for d in fig.data]
    xml = gf.chart.part.blob.decode()
    assert theme.colours.chart[0].hex in xml
    if kind == "pie":
        assert all(c.hex in xml for c in theme.colours.chart[: len(fig.data)])
