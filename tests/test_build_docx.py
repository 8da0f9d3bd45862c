"""The Word report, read back with python-docx and its XML; expectations come from the lowered Document."""
from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from builders.build_docx.content import contents_label, text_without_notes
from builders.build_docx.text import clean
from builders.document import Box, BulletList, FigureBlock, Heading, OrderedList, Para, Quote, plain
from builders.loader import load_brief
from builders.i18n import labels
from builders.lower import lower
from builders.reproducible import document_datetime
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES

KEYS = tuple(BRIEFS)
# Themes whose own styles make the report. A theme with a corporate reference document takes the
# template's styles, header and page set-up instead (by design); tests/test_templates.py checks those.
STYLED = tuple(t for t in THEMES if load_theme(t)[0].docx_template is None)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _brief(key):
    return load_brief(BRIEFS[key])[0]


def _theme(name):
    return load_theme(name)[0]


def _document(key, theme):
    return lower(_brief(key), _theme(theme), "docx")


def _nested(blocks):
    """Every block, depth first, inside lists, quotes and boxes too."""
    for b in blocks:
        yield b
        if isinstance(b, (BulletList, OrderedList)):
            for item in b.items:
                yield from _nested(item)
        elif isinstance(b, (Quote, Box)):
            yield from _nested(b.blocks)


def _expected_headings(document):
    """(level, text) of every heading: each section's, then the sub-headings written in its blocks."""
    out = []
    for s in document.walk():
        out.append((min(s.level, 3), clean(contents_label(s))))
        out += [(min(b.level, 6), clean(text_without_notes(b.inlines))) for b in _nested(s.blocks)
                if isinstance(b, Heading)]
    return out


def _all_paragraph_texts(doc):
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, doc._body).text for p in doc.element.body.iter(qn("w:p"))]


def _open(built, key, theme):
    return docx.Document(str(built(key, theme, "docx")))


def _headings(doc):
    out = []
    for p in doc.paragraphs:
        name = p.style.name
        if name.startswith("Heading "):  # a line break placed after a long heading's comma is layout, not text
            out.append((int(name.split()[1]), p.text.replace("\n", "")))
    return out


def _package_text(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_headings_follow_the_document(built, key, theme):
    assert _headings(_open(built, key, theme)) == _expected_headings(_document(key, theme))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_every_paragraph_of_the_document_is_in_the_report(built, key, theme):
    """Each paragraph and list item of every section, with its marker where the marker is text (一是)."""
    from builders.build_docx.numbering import word_format

    document = _document(key, theme)
    # (a zero-width space is a line-break opportunity after CJK punctuation in the government theme)
    texts = {t.replace("\u200b", "") for t in _all_paragraph_texts(_open(built, key, theme))}
    wanted = []

    def visit(blocks):
        for b in blocks:
            if isinstance(b, Para):
                wanted.append(text_without_notes(b.inlines))
            elif isinstance(b, (BulletList, OrderedList)):
                markers = getattr(b, "markers", None)
                for n, item in enumerate(b.items):
                    rest = item
                    if item and isinstance(item[0], Para) and markers:
                        # the marker is text when it runs into the paragraph (一是) or no Word format says it
                        sep = "" if b.label_inline else "\t"
                        lead = markers[n] + sep if b.label_inline or word_format(markers) is None else ""
                        wanted.append(lead + text_without_notes(item[0].inlines))
                        rest = item[1:]
                    visit(rest)
            elif isinstance(b, (Quote, Box)):
                visit(b.blocks)

    for s in document.walk():
        visit(s.blocks)
    missing = [t for t in wanted if clean(t) not in texts]
    assert not missing, missing[:3]


def _numbering(doc):
    numbering = doc.part.numbering_part.element
    abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    return abstract, nums


def _num_id(p):
    ids = p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    return ids[0] if ids else None


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_actions_are_numbered_lists_restarting_at_one(built, key, theme):
    """Actions in English are a Word list (decimal, each list its own w:num starting at 1); Chinese
    official style (一是) puts the marker in bold at the start of the paragraph, never numbered twice."""
    document = _document(key, theme)
    doc = _open(built, key, theme)
    abstract, nums = _numbering(doc)
    groups = _list_groups(doc)
    paragraphs = doc.paragraphs
    seen_ids, at = set(), 0
    for rec in [s for s in document.walk() if s.role == "recommendation"]:
        actions = rec.actions
        texts = [clean(text_without_notes(item[0].inlines)) for item in actions.items]
        if actions.label_inline:
            for marker, text in zip(actions.markers, texts):
                p = next(p for p in paragraphs if p.text == marker + text)
                assert _num_id(p) is None
                first = p.runs[0]
                assert first.text == marker and first.bold
            continue
        while at < len(groups) and groups[at][1] != texts:  # lists are in document order
            at += 1
        assert at < len(groups), f"actions of {rec.where} are not one list"
        num_id = groups[at][0]
        at += 1
        assert num_id not in seen_ids, "each list has its own w:num"
        seen_ids.add(num_id)
        num = nums[num_id]
        assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
        lvl = abstract[num.find(qn("w:abstractNumId")).get(qn("w:val"))].find(qn("w:lvl"))
        fmt = lvl.find(qn("w:numFmt")).get(qn("w:val"))
        text = lvl.find(qn("w:lvlText")).get(qn("w:val"))
        assert (fmt, text) == ("decimal", "%1.") and actions.markers[0] == "1."


def _list_groups(doc):
    """Consecutive list paragraphs with one numId: [(numId, [texts])] in document order."""
    groups = []
    for p in doc.paragraphs:
        nid = _num_id(p)
        if nid is None:
            continue
        if groups and groups[-1][0] == nid:
            groups[-1][1].append(p.text)
        else:
            groups.append((nid, [p.text]))
    return groups


def _ilvl(p):
    levels = p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    return int(levels[0]) if levels else None


@pytest.mark.parametrize("key", KEYS)
def test_bulleted_lists_in_text_bodies_are_word_lists(built, key):
    """Every bulleted item is a numbered paragraph whose level (ilvl) is its nesting depth, in a bullet list."""
    document = _document(key, THEMES[0])
    doc = _open(built, key, THEMES[0])
    abstract, nums = _numbering(doc)
    by_text = {}
    for p in doc.element.body.iter(qn("w:p")):
        nid = p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if nid:
            from docx.text.paragraph import Paragraph

            by_text.setdefault(Paragraph(p, doc._body).text, (nid[0], _ilvl(p)))

    def visit(blocks, depth):
        for b in blocks:
            if isinstance(b, BulletList):
                for item in b.items:
                    if item and isinstance(item[0], Para):
                        nid, level = by_text[clean(text_without_notes(item[0].inlines))]
                        assert level == depth
                        definition = abstract[nums[nid].find(qn("w:abstractNumId")).get(qn("w:val"))]
                        lvl = next(x for x in definition.iter(qn("w:lvl")) if x.get(qn("w:ilvl")) == str(depth))
                        assert lvl.find(qn("w:numFmt")).get(qn("w:val")) == "bullet"
                    visit(item, depth + 1)
            elif isinstance(b, OrderedList):
                for item in b.items:
                    visit(item, depth + 1)
            elif isinstance(b, (Quote, Box)):
                visit(b.blocks, depth)

    for s in document.walk():
        visit(s.blocks, 0)


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_fonts_and_languages_come_from_theme_and_brief(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    path = built(key, theme, "docx")
    doc = docx.Document(str(path))
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            fonts = style.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:ascii")), \
                style.get(qn("w:styleId"))
    for fonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]
    body = doc.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
    assert (body.get(qn("w:ascii")), body.get(qn("w:eastAsia"))) == (th.fonts.body.latin, th.fonts.body.east_asian)
    h1 = doc.styles["Heading 1"].element.find(f"{W}rPr/{W}rFonts")
    assert (h1.get(qn("w:ascii")), h1.get(qn("w:eastAsia"))) == (th.fonts.heading.latin, th.fonts.heading.east_asian)
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if brief.is_cjk:
        assert lang.get(qn("w:eastAsia")) == brief.language
    else:
        assert lang.get(qn("w:val")) == brief.language
    package = _package_text(path)
    everything = "".join(package.values())
    assert "ＭＳ" not in everything and "ja-JP" not in everything and 'script="Jpan"' not in everything
    assert th.fonts.body.east_asian in package["word/theme/theme1.xml"]


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_every_run_names_both_faces_and_the_language(built, key, theme):
    """Runs carry fonts and languages themselves, not only through styles (WPS reads the run first)."""
    brief, th = _brief(key), _theme(theme)
    doc = docx.Document(str(built(key, theme, "docx")))
    from builders.build_docx.styles_text import code_fonts

    f = th.fonts
    roles = {(r.latin, r.east_asian) for r in (f.heading, f.body, f.caption, f.title_role, f.for_heading(2),
                                                  f.for_heading(3))}
    roles.add(code_fonts(th))  # code runs: a monospace Latin face, the body's East Asian one
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        lang = r.find(f"{W}rPr/{W}lang")
        assert fonts is not None and (fonts.get(qn("w:ascii")), fonts.get(qn("w:eastAsia"))) in roles
        assert lang is not None and brief.language in (lang.get(qn("w:val")), lang.get(qn("w:eastAsia")))


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_body_typography_follows_the_language(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    normal = _open(built, key, theme).styles["Normal"]
    ind = normal.element.find(f"{W}pPr/{W}ind")
    jc = normal.element.find(f"{W}pPr/{W}jc")
    if brief.is_cjk:
        assert ind.get(qn("w:firstLineChars")) == "200"
        assert jc.get(qn("w:val")) in ("both", "distribute")
    else:
        assert ind is None or int(ind.get(qn("w:firstLineChars"), "0")) == 0
        if th.page.grid is None:  # on a character grid (GB/T 9704) no paragraph gaps
            assert normal.paragraph_format.space_after.pt > 0
    assert normal.font.size.pt == th.sizes.body
    if th.page.grid is None:
        assert normal.paragraph_format.line_spacing == pytest.approx(th.sizes.line_spacing)
    else:  # one grid line exactly: the type area's depth over the lines
        assert normal.paragraph_format.line_spacing.pt == pytest.approx(th.page.depth / th.page.grid[1], abs=0.05)


@pytest.mark.parametrize("theme", STYLED)
def test_headings_keep_with_next_in_heading_colour(built, theme):
    th = _theme(theme)
    doc = _open(built, "sample", theme)
    for level in (1, 2, 3):
        st = doc.styles[f"Heading {level}"]
        assert st.paragraph_format.keep_with_next
        assert str(st.font.color.rgb) == th.colours.heading.hex
        assert st.element.find(f"{W}rPr/{W}color").get(qn("w:themeColor")) is None


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_header_footer_and_cover(built, key, theme):
    brief = _brief(key)
    doc = _open(built, key, theme)
    section = doc.sections[0]
    th = _theme(theme)
    if th.page.folio == "gbt9704":  # GB/T 9704: no running head; "— N —" on every page, odd and even footers
        assert not section.different_first_page_header_footer
        assert "".join(p.text for p in section.header.paragraphs) == ""
        for footer in (section.footer, section.even_page_footer):
            p = footer.paragraphs[0]._p
            assert [t.text.strip() for t in p.iter(qn("w:instrText"))] == ["PAGE"]
            assert "".join(t.text for t in p.iter(qn("w:t"))) == "— 1 —"
    else:
        assert section.different_first_page_header_footer
        assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
        assert "".join(p.text for p in section.first_page_footer.paragraphs) == ""
        head = section.header.paragraphs[0].text
        assert head == clean(brief.running_title) or (head.endswith("…")
                                                      and clean(brief.running_title).startswith(head[:-1]))
        footer = section.footer.paragraphs[0]._p
        instr = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
        assert instr == ["PAGE", "NUMPAGES"]
        before, between, after = labels(brief.language).page_x_of_y
        texts = "".join(t.text for t in footer.iter(qn("w:t")))
        assert texts == f"{before}1{between}1{after}"
    document = _document(key, theme)
    cover = [p.text for p in doc.paragraphs[:len(brief.authors) + 8]]
    assert clean(text_without_notes(document.title)) in cover
    for author in document.authors:
        name, role = plain(author.name), author.role and text_without_notes(author.role)
        assert any(clean(name) in t and (not role or clean(role) in t) for t in cover)
    if document.subtitle:
        assert clean(text_without_notes(document.subtitle)) in cover
    if document.date:
        assert document.date in cover


@pytest.mark.parametrize("key", KEYS)
def test_core_properties(built, key):
    brief = _brief(key)
    path = built(key, THEMES[0], "docx")
    cp = docx.Document(str(path)).core_properties
    assert cp.title == clean(brief.title.plain)
    assert cp.author == clean("; ".join(a.name for a in brief.authors))
    assert cp.keywords == clean("; ".join(brief.keywords))
    assert cp.language == brief.language
    when = document_datetime(brief)
    if when is None:
        assert cp.created is None and cp.modified is None
    else:
        assert cp.created.date() == when.date() and cp.modified.date() == when.date()
    core = _package_text(path)["docProps/core.xml"]
    assert "python-docx" not in core and "2013" not in core


@pytest.mark.parametrize("theme", THEMES)
def test_page_set_up(built, theme):
    page = _theme(theme).page
    s = _open(built, "sample", theme).sections[0]
    for got, want in ((s.page_width, page.width), (s.page_height, page.height), (s.left_margin, page.margin_left),
                      (s.right_margin, page.margin_right), (s.top_margin, page.margin_top),
                      (s.bottom_margin, page.margin_bottom)):
        assert abs(got.pt - want) < 0.1


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_figures_as_tables_and_charts(built, key, theme):
    document, th = _document(key, theme), _theme(theme)
    doc = _open(built, key, theme)
    figs = [s for s in document.walk() if s.role == "figures"]
    blocks = [b for s in figs for b in s.blocks if isinstance(b, FigureBlock)]
    tabled = [b for b in blocks if b.table_no]
    width = (th.page.width - th.page.margin_left - th.page.margin_right) * 20
    header = [document.labels.item, document.labels.value]
    tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == header]
    # A theme showing figures as "both" sets the data under the chart, without a table number (issue 19).
    shown = [b for b in blocks if b.table_no or (b.chart_no and b.figure.image is None and th.figures == "both")]
    assert len(tables) == len(shown)
    for table, block in zip(tables, shown):
        rows = [[c.text for c in r.cells] for r in table.rows]
        assert rows[1:] == [[clean(a), clean(b)] for a, b in block.rows]
        grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
        assert grid <= width + 1
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    charted = [b for b in blocks if b.chart_no and b.figure.image is None]
    assert len(doc.inline_shapes) == len(charted) + len([b for b in blocks if b.figure.image is not None])
    for shape, block in zip(doc.inline_shapes, charted):
        pr = shape._inline.docPr
        assert pr.get("descr") == clean(block.alt)
        assert all(clean(name) in pr.get("descr") for name, _ in block.rows)
        assert shape.width.pt <= width / 20 + 0.5
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    seqs = [t.text.strip() for p in captions for t in p._p.iter(qn("w:instrText"))]
    assert seqs.count("SEQ Table \\* ARABIC") == len(tabled)
    assert seqs.count("SEQ Figure \\* ARABIC") == len(charted)
    for block in tabled:
        assert any(p.text == clean(text_without_notes(block.table_caption)) for p in captions)
    for block in charted:
        assert any(p.text == clean(text_without_notes(block.chart_caption)) for p in captions)


@pytest.mark.parametrize("key", KEYS)
def test_contents_field_prefilled_and_refreshed_on_open(built, key):
    document = _document(key, THEMES[0])
    doc = _open(built, key, THEMES[0])
    upd = doc.settings.element.find(qn("w:updateFields"))
    assert upd is not None and upd.get(qn("w:val")) == "true"
    body = doc.element.body
    assert any(t.text.strip().startswith("TOC \\o") for t in body.iter(qn("w:instrText")))
    links = [(h.get(qn("w:anchor")), "".join(t.text for t in h.iter(qn("w:t")))) for h in body.iter(qn("w:hyperlink"))
             if h.get(qn("w:anchor"))]
    from builders.build_docx.content import anchors

    sections = list(document.walk())
    names = anchors(document)
    marks = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    section_marks = [m for m in marks if m in {names[s.anchor] for s in sections}]
    assert [text for _, text in links][: len(sections)] == [clean(contents_label(s)) for s in sections]
    assert [anchor for anchor, _ in links][: len(sections)] == section_marks == [names[s.anchor] for s in sections]
    toc_styles = [p.style.name for p in doc.paragraphs if p.style.name.startswith("TOC ")
                  and p.style.name != "TOC Heading"]
    assert toc_styles == [f"TOC {s.level}" for s in sections]


def test_markup_survives_verbatim(built):
    brief = _brief("markup")
    doc = _open(built, "markup", THEMES[0])
    texts = [p.text for p in doc.paragraphs]
    assert brief.title.plain in texts  # "<b>", "&nbsp;", quotes: as written, not interpreted
    assert any("😀" in t for t in texts) and any("𠀀" in t for t in texts)


def test_reproducible_bytes(tmp_path):
    from builders.build_docx import build
    from builders.diagnostics import Log

    th = _theme(THEMES[0])
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for key in ("english", "rich-zh"):
        document = _document(key, THEMES[0])
        build(document, th, a, Log("x", "docx"))
        build(document, th, b, Log("x", "docx"))
        assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "minimal"])
def test_clean_briefs_build_without_warnings(built, key, theme):
    assert [w.message for w in built.warnings(key, theme, "docx")] == []


@pytest.mark.parametrize("key", KEYS)
def test_no_leftovers_of_the_default_template(built, key):
    path = built(key, THEMES[0], "docx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    assert "Macintosh" not in app and "Normal.dotm" not in app
    package = _package_text(path)
    assert "python-docx" not in "".join(package.values())
