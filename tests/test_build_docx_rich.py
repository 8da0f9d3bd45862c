"""The report's rich text (issue 15): footnotes, links, tables, free sections, emphasis, nested lists, quotes,
call-outs, code; no Markdown syntax reaches a reader; every node type is handled.

Read back with python-docx and lxml from the rich fixture briefs in every theme; the
expectations come from the lowered Document."""
from __future__ import annotations

import dataclasses
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from builders.build_docx import build
from builders.build_docx.content import text_without_notes
from builders.diagnostics import Log
from builders.document import (Box, BulletList, Code, Emph, Link, OrderedList, Para, Quote, Str, Strong, Table,
                               block_inlines, blocks_text, iter_inlines)
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, RICH, THEMES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
HYPERLINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _document(key, theme):
    return lower(load_brief(BRIEFS[key])[0], load_theme(theme)[0], "docx")


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _xml(parts, name):
    return etree.fromstring(parts[name])


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{{{W}}}t"))


def _all_inlines(document):
    """Every inline sequence a reader sees: cover, headings, blocks, notes."""
    yield document.title
    if document.subtitle:
        yield document.subtitle
    for a in document.authors:
        yield a.name
        if a.role:
            yield a.role
    for s in document.walk():
        yield s.title
        for b in s.blocks:
            yield from block_inlines(b)
    for n in document.notes:
        for b in n.blocks:
            yield from block_inlines(b)


def _blocks(blocks):
    for b in blocks:
        yield b
        if isinstance(b, (BulletList, OrderedList)):
            for item in b.items:
                yield from _blocks(item)
        elif isinstance(b, (Quote, Box)):
            yield from _blocks(b.blocks)


CASES = [(k, t) for k in RICH for t in THEMES]


@pytest.mark.parametrize("key,theme", CASES)
def test_footnotes_are_real_word_footnotes_in_order(built, key, theme):
    document = _document(key, theme)
    assert document.notes, "the rich fixtures have notes"
    parts = _parts(built(key, theme, "docx"))
    types = parts["[Content_Types].xml"].decode()
    assert 'PartName="/word/footnotes.xml"' in types and "wordprocessingml.footnotes+xml" in types
    rels = parts["word/_rels/document.xml.rels"].decode()
    assert re.search(r'relationships/footnotes" Target="footnotes.xml"', rels)
    notes = _xml(parts, "word/footnotes.xml")
    found = notes.findall("w:footnote", NS)
    assert [(f.get(f"{{{W}}}type"), f.get(f"{{{W}}}id")) for f in found[:2]] == [("separator", "-1"),
                                                                                 ("continuationSeparator", "0")]
    real = found[2:]
    assert [int(f.get(f"{{{W}}}id")) for f in real] == [n.number for n in document.notes]
    for f, note in zip(real, document.notes):
        assert f.find(".//w:footnoteRef", NS) is not None  # the note's own number
        para = f.find("w:p", NS)
        assert para.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "FootnoteText"
        assert re.sub(r"\s", "", _text(f)) == re.sub(r"\s", "", blocks_text(note.blocks))
    body = _xml(parts, "word/document.xml")
    refs = [int(r.get(f"{{{W}}}id")) for r in body.iter(f"{{{W}}}footnoteReference")]
    assert refs == [n.number for n in document.notes]  # each once, in document order: Word's numbering
    for r in body.iter(f"{{{W}}}footnoteReference"):
        assert r.getparent().find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "FootnoteReference"
    styles = _xml(parts, "word/styles.xml")
    ref_style = styles.find("w:style[@w:styleId='FootnoteReference']", NS)
    assert ref_style.find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"
    settings = _xml(parts, "word/settings.xml")
    assert [e.get(f"{{{W}}}id") for e in settings.findall("w:footnotePr/w:footnote", NS)] == ["-1", "0"]


@pytest.mark.parametrize("key,theme", CASES)
def test_links_are_hyperlinks_with_external_relationships(built, key, theme):
    document = _document(key, theme)
    targets = {n.target for inl in _all_inlines(document) for n in iter_inlines(inl) if isinstance(n, Link)}
    assert any(t.startswith("mailto:") for t in targets) or key == "rich-zh"
    parts = _parts(built(key, theme, "docx"))
    seen = set()
    for story, rels_name in (("word/document.xml", "word/_rels/document.xml.rels"),
                             ("word/footnotes.xml", "word/_rels/footnotes.xml.rels")):
        if rels_name not in parts:
            continue
        rels = {r.get("Id"): r for r in etree.fromstring(parts[rels_name])}
        for h in _xml(parts, story).iter(f"{{{W}}}hyperlink"):
            rid = h.get(f"{{{R}}}id")
            if rid is None:
                continue
            rel = rels[rid]
            assert rel.get("Type") == HYPERLINK_RT and rel.get("TargetMode") == "External"
            assert h.find("w:r/w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "Hyperlink"
            seen.add(rel.get("Target"))
    assert targets == seen


@pytest.mark.parametrize("key,theme", CASES)
def test_tables_are_word_tables_with_a_repeating_header(built, key, theme):
    document = _document(key, theme)
    th = load_theme(theme)[0]
    doc = docx.Document(str(built(key, theme, "docx")))
    width = (th.page.width - th.page.margin_left - th.page.margin_right) * 20
    tables = [b for s in document.walk() for b in _blocks(s.blocks) if isinstance(b, Table)]
    assert tables
    for t in tables:
        want = [[text_without_notes(c) for c in row] for row in (t.header, *t.rows)]
        match = [w for w in doc.tables if [[c.text for c in r.cells] for r in w.rows] == want]
        assert match, want[0]
        tbl = match[0]._tbl
        first = tbl.findall(qn("w:tr"))[0]
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert all(r.bold for c in match[0].rows[0].cells for p in c.paragraphs for r in p.runs)
        grid = sum(int(c.get(qn("w:w"))) for c in tbl.tblGrid.findall(qn("w:gridCol")))
        assert abs(grid - width) <= 2  # fitted to the type area, fixed layout
        assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for c, align in enumerate(t.align):
            jc = match[0].rows[1].cells[c].paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
            assert align is None or (jc is not None and jc.get(qn("w:val")) == align)


@pytest.mark.parametrize("key,theme", CASES)
def test_free_sections_are_headings_in_reading_order(built, key, theme):
    brief = load_brief(BRIEFS[key])[0]
    document = _document(key, theme)
    doc = docx.Document(str(built(key, theme, "docx")))
    headings = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1",)]
    top = [text_without_notes(s.title) for s in document.sections]
    assert [h for h in headings if any(h.endswith(t) for t in top)] == headings
    free = {s.id: s.title.plain for s in brief.sections}
    order = [n for n in (brief.order or ()) if n in free] or list(free)
    positions = [next(i for i, h in enumerate(headings) if h.endswith(free[n])) for n in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize("key,theme", CASES)
def test_emphasis_strong_and_code_are_runs(built, key, theme):
    """Emphasis is italic on Latin text and bold on CJK (never a slanted Chinese face); strong is bold;
    code is in the Verbatim Char style with a monospace face and the East Asian face kept."""
    document = _document(key, theme)
    parts = _parts(built(key, theme, "docx"))
    runs = [r for name in ("word/document.xml", "word/footnotes.xml") for r in _xml(parts, name).iter(qn("w:r"))]

    def props(r):
        rpr = r.find(qn("w:rPr"))
        tags = {c.tag for c in rpr} if rpr is not None else set()
        style = rpr.find(qn("w:rStyle")) if rpr is not None else None
        return qn("w:b") in tags, qn("w:i") in tags, style.get(qn("w:val")) if style is not None else None

    def runs_of(text):
        return [r for r in runs if "".join(t.text for t in r.iter(qn("w:t"))) == text]

    cjk = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
    nodes = [n for inl in _all_inlines(document) for n in iter_inlines(inl)]
    emph = [n for n in nodes if isinstance(n, Emph) and len(n.children) == 1 and isinstance(n.children[0], Str)]
    strong = [n for n in nodes if isinstance(n, Strong) and len(n.children) == 1 and isinstance(n.children[0], Str)]
    code = [n for n in nodes if isinstance(n, Code)]
    assert emph and strong and code
    for n in emph:
        text = n.children[0].text
        found = runs_of(text)
        if cjk.search(text):
            assert any(b and not i for b, i, _ in map(props, found)), text
        else:
            assert any(i for _, i, _ in map(props, found)), text
    for n in strong:
        assert any(b for b, _, _ in map(props, runs_of(n.children[0].text))), n
    for n in code:
        found = runs_of(n.text)
        assert found and all(props(r)[2] == "VerbatimChar" for r in found)
        fonts = found[0].find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts.get(qn("w:ascii")) == "Consolas" and fonts.get(qn("w:eastAsia"))
    # no run anywhere is italic over Chinese characters
    for r in runs:
        if props(r)[1]:
            assert not cjk.search("".join(t.text for t in r.iter(qn("w:t"))))


@pytest.mark.parametrize("key,theme", CASES)
def test_nested_lists_use_word_levels(built, key, theme):
    doc = docx.Document(str(built(key, theme, "docx")))
    levels = {int(v) for v in doc.element.body.xpath("//w:numPr/w:ilvl/@w:val")}
    assert {1, 2} <= levels
    numbering = doc.part.numbering_part.element
    for num in doc.element.body.xpath("//w:numPr"):
        nid = num.find(qn("w:numId")).get(qn("w:val"))
        assert numbering.xpath(f"count(w:num[@w:numId='{nid}'])") == 1


@pytest.mark.parametrize("key,theme", CASES)
def test_no_markdown_syntax_reaches_a_reader(built, key, theme):
    parts = _parts(built(key, theme, "docx"))
    text = "".join(_text(_xml(parts, n)) for n in parts if re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", n))
    for syntax in ("**", "[^", "](", "|---", "|:--", "一是一是", "1. 1.", "二是二是"):
        assert syntax not in text, syntax
    assert not re.search(r"(?m)^\s*#{1,6} ", text)


@pytest.mark.parametrize("key,theme", CASES)
def test_quotes_and_call_outs(built, key, theme):
    """Block quotes take the Quote style (never italic); boxes are framed, shaded one-cell tables."""
    document = _document(key, theme)
    th = load_theme(theme)[0]
    doc = docx.Document(str(built(key, theme, "docx")))
    quotes = [b for s in document.walk() for b in _blocks(s.blocks) if isinstance(b, Quote)]
    styled = [p for p in doc.paragraphs if p.style.name == "Quote"]
    assert len(styled) >= len(quotes) > 0
    for q in quotes:
        want = text_without_notes(q.blocks[0].inlines)
        assert any(p.text == want for p in styled)
    if th.docx_template is None:
        assert doc.styles["Quote"].font.italic is False
    boxes = [b for s in document.walk() for b in s.blocks if isinstance(b, Box)]
    assert boxes
    for box in boxes:
        first = next(b for b in _blocks(box.blocks) if isinstance(b, Para))
        want = text_without_notes(first.inlines)
        cells = [t for t in doc.tables if len(t.rows) == 1 and len(t.columns) == 1
                 and any(p.text == want for p in t.rows[0].cells[0].paragraphs)]
        assert cells, want
        tc_pr = cells[0].rows[0].cells[0]._tc.tcPr
        assert tc_pr.find(qn("w:shd")).get(qn("w:fill")) == th.colours.surface.hex
        assert cells[0]._tbl.tblPr.find(f"{qn('w:tblBorders')}/{qn('w:left')}").get(qn("w:color")) == \
            th.colours.accent.hex


def test_case_key_points_are_a_box(built):
    document = _document("sample", "default")
    doc = docx.Document(str(built("sample", "default", "docx")))
    cases = [s for s in document.walk() if s.role == "case" and s.points]
    assert cases
    boxed = {p.text for t in doc.tables if len(t.columns) == 1 for c in t.rows[0].cells for p in c.paragraphs}
    for case in cases:
        assert all(text_without_notes(p) in boxed for p in case.points)


@pytest.mark.parametrize("theme", THEMES)
def test_a_short_box_section_does_not_split_across_pages(built, theme):
    """核心观点 (style: box) is one row that Word and LibreOffice move whole to the next page (w:cantSplit)."""
    doc = docx.Document(str(built("rich-zh", theme, "docx")))
    (box,) = [t for t in doc.tables if "协同比" in "".join(c.text for c in t.rows[0].cells)]
    assert box.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


@pytest.mark.parametrize("key", RICH)
def test_a_forgotten_node_type_fails_loudly(tmp_path, key):
    """A block or inline type the builder does not know raises (``assert_never``), never vanishes."""
    th = load_theme("default")[0]
    document = _document(key, "default")

    @dataclasses.dataclass(frozen=True)
    class Unknown:
        text: str = "x"

    first = document.sections[0]
    odd_block = dataclasses.replace(document, sections=(dataclasses.replace(first, blocks=first.blocks + (Unknown(),)),
                                                        *document.sections[1:]))
    with pytest.raises(AssertionError):
        build(odd_block, th, tmp_path / "a.docx", Log("x", "docx"))
    odd_inline = dataclasses.replace(document, sections=(
        dataclasses.replace(first, blocks=(Para((Str("a"), Unknown())),)), *document.sections[1:]))
    with pytest.raises(AssertionError):
        build(odd_inline, th, tmp_path / "b.docx", Log("x", "docx"))


@pytest.mark.parametrize("key", RICH)
def test_rich_briefs_build_without_warnings(built, key):
    for theme in THEMES:
        assert [w.message for w in built.warnings(key, theme, "docx")] == []


@pytest.mark.parametrize("theme", THEMES)
def test_no_style_slants_chinese(built, theme):
    """A Chinese report has no italic style, even where a corporate template italicises its Quote style."""
    styles = _xml(_parts(built("rich-zh", theme, "docx")), "word/styles.xml")
    for flag in styles.iterfind(".//w:style/w:rPr/w:i", NS):
        assert flag.get(f"{{{W}}}val") in ("0", "false", "off")


@pytest.mark.parametrize("emphasis", ["bold", "kai", "dots"])
def test_cjk_emphasis_follows_the_theme(tmp_path, emphasis):
    """*强调* in Chinese: bold, the Kai face or emphasis dots, as the theme says; never italic."""
    th = dataclasses.replace(load_theme("default")[0], cjk_emphasis=emphasis)
    out = tmp_path / "zh.docx"
    build(lower(load_brief(BRIEFS["rich-zh"])[0], th, "docx"), th, out, Log("x", "docx"))
    body = _xml(_parts(out), "word/document.xml")
    run = next(r for r in body.iter(f"{{{W}}}r") if _text(r) == "积极进展")
    rpr = run.find("w:rPr", NS)
    assert rpr.find("w:i", NS) is None
    assert (rpr.find("w:b", NS) is not None) == (emphasis == "bold")
    assert (rpr.find("w:em", NS) is not None) == (emphasis == "dots")
    fonts = rpr.find("w:rFonts", NS)
    assert (fonts.get(f"{{{W}}}eastAsia") == "KaiTi") == (emphasis == "kai")
    assert fonts.get(f"{{{W}}}ascii")  # the Latin face is still named


@pytest.mark.parametrize("key", RICH)
def test_endnotes_when_the_theme_asks(tmp_path, key):
    th = dataclasses.replace(load_theme("default")[0], notes="endnotes")
    document = lower(load_brief(BRIEFS[key])[0], th, "docx")
    out = tmp_path / "e.docx"
    build(document, th, out, Log("x", "docx"))
    parts = _parts(out)
    assert "word/footnotes.xml" not in parts
    notes = _xml(parts, "word/endnotes.xml").findall("w:endnote", NS)[2:]
    assert [int(n.get(f"{{{W}}}id")) for n in notes] == [n.number for n in document.notes]
    for el, note in zip(notes, document.notes):
        assert re.sub(r"\s", "", _text(el)) == re.sub(r"\s", "", blocks_text(note.blocks))
    body = _xml(parts, "word/document.xml")
    assert [int(r.get(f"{{{W}}}id")) for r in body.iter(f"{{{W}}}endnoteReference")] == \
        [n.number for n in document.notes]
    settings = _xml(parts, "word/settings.xml")
    assert settings.find("w:endnotePr/w:numFmt", NS).get(f"{{{W}}}val") == "decimal"
    assert body.find(".//w:sectPr/w:endnotePr/w:numFmt", NS).get(f"{{{W}}}val") == "decimal"
    last = [p for p in body.iter(f"{{{W}}}p") if _text(p)][-1]
    assert _text(last) == document.labels.notes  # the heading the endnotes follow


def test_a_note_cited_twice_is_one_footnote_and_a_noteref(tmp_path):
    """Word allows one reference per footnote: the second citation is a NOTEREF field to the first."""
    from builders.document import NoteRef

    th = load_theme("default")[0]
    document = _document("rich-en", "default")
    note = document.notes[-1]
    first = document.sections[-1]
    again = Para((Str("Again"), NoteRef(note.note_id, note.number)))
    document = dataclasses.replace(document, sections=(*document.sections[:-1],
                                                       dataclasses.replace(first, blocks=first.blocks + (again,))))
    out = tmp_path / "twice.docx"
    build(document, th, out, Log("x", "docx"))
    body = _xml(_parts(out), "word/document.xml")
    refs = [int(r.get(f"{{{W}}}id")) for r in body.iter(f"{{{W}}}footnoteReference")]
    assert refs.count(note.number) == 1
    marks = [b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")]
    assert f"_Note{note.number}" in marks
    instr = [t.text.strip() for t in body.iter(f"{{{W}}}instrText")]
    assert f"NOTEREF _Note{note.number} \\f \\h" in instr


def test_internal_links_point_at_bookmarks(tmp_path):
    th = load_theme("default")[0]
    document = _document("rich-en", "default")
    target = next(s for s in document.walk() if s.role == "free")
    first = document.sections[0]
    para = Para((Str("See "), Link(f"#{target.anchor}", (Str("the section"),)), Str(" and "),
                 Link("#nowhere", (Str("nothing"),))))
    document = dataclasses.replace(document, sections=(dataclasses.replace(first, blocks=first.blocks + (para,)),
                                                       *document.sections[1:]))
    out = tmp_path / "links.docx"
    log = Log("x", "docx")
    build(document, th, out, log)
    body = _xml(_parts(out), "word/document.xml")
    link = next(h for h in body.iter(f"{{{W}}}hyperlink") if _text(h) == "the section")
    marks = [b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")]
    assert link.get(f"{{{W}}}anchor") == target.bookmark and target.bookmark in marks
    assert any(_text(p) == "See the section and nothing" for p in body.iter(f"{{{W}}}p"))
    assert [w for w in log.warnings if "#nowhere" in w.message]


def test_list_markers_become_word_number_formats_or_text():
    from builders.build_docx.numbering import word_format

    assert word_format(("1.", "2.", "3.")) == ("decimal", "%1.")
    assert word_format(("a.", "b.")) == ("lowerLetter", "%1.")
    assert word_format(("i.", "ii.", "iii.", "iv.")) == ("lowerRoman", "%1.")
    assert word_format(("（1）", "（2）")) == ("decimal", "（%1）")
    assert word_format(("①", "②")) == ("decimalEnclosedCircle", "%1")
    assert word_format(("一是", "二是", "十一是")[:2]) == ("chineseCounting", "%1是")
    assert word_format(tuple(chr(0x2460 + i) for i in range(20)) + ("(21)",)) is None  # past ⑳: as text
    assert word_format(("1.", "3.")) is None


def test_markers_no_word_format_says_are_written_as_text(tmp_path):
    th = load_theme("default")[0]
    document = _document("rich-zh", "default")
    first = document.sections[0]
    odd = OrderedList(((Para((Str("甲项"),)),), (Para((Str("乙项"),)),)), ("甲、", "乙、"))
    document = dataclasses.replace(document, sections=(dataclasses.replace(first, blocks=first.blocks + (odd,)),
                                                       *document.sections[1:]))
    out = tmp_path / "odd.docx"
    build(document, th, out, Log("x", "docx"))
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "甲、\t甲项" in texts and "乙、\t乙项" in texts


# ---------------------------------------------------------------- references, citations, series (issue 17)

REFS = {"refs-en": BRIEFS["rich-en"].parent / "refs-en.yaml", "refs-zh": BRIEFS["rich-en"].parent / "refs-zh.yaml"}


@pytest.fixture(scope="module")
def refs_built(tmp_path_factory):
    out = {}
    for key, path in REFS.items():
        for theme in ("default", "corporate"):
            th = load_theme(theme)[0]
            document = lower(load_brief(path)[0], th, "docx")
            target = tmp_path_factory.mktemp(f"{key}-{theme}") / f"{key}.docx"
            log = Log("x", "docx")
            build(document, th, target, log)
            out[(key, theme)] = (document, target, log)
    return out


@pytest.mark.parametrize("key", REFS)
@pytest.mark.parametrize("theme", ["default", "corporate"])
def test_citations_link_to_bibliography_entries(refs_built, key, theme):
    from builders.document import Sup

    document, path, log = refs_built[(key, theme)]
    assert not log.warnings
    body = _xml(_parts(path), "word/document.xml")
    marks = {b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")}
    entries = [b for s in document.walk() for b in _blocks(s.blocks) if isinstance(b, Para) and b.role == "reference"]
    assert entries
    bib = [p for p in body.iter(f"{{{W}}}p")
           if p.find("w:pPr/w:pStyle", NS) is not None and p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Bibliography"]
    assert [re.sub(r"\s", "", _text(p)) for p in bib] == [re.sub(r"\s", "", text_without_notes(e.inlines)) for e in entries]
    from builders.build_docx.content import anchors

    names = anchors(document)
    for e in entries:
        assert names[e.anchor] in marks
    internal = [h.get(f"{{{W}}}anchor") for h in body.iter(f"{{{W}}}hyperlink") if h.get(f"{{{W}}}anchor")]
    assert all(a in marks for a in internal)
    sups = [n for inl in _all_inlines(document) for n in iter_inlines(inl) if isinstance(n, Sup)]
    if sups:  # numeric citation marks (GB/T 7714) are superscript
        raised = [r for r in body.iter(f"{{{W}}}r") if r.find("w:rPr/w:vertAlign", NS) is not None
                  and r.find("w:rPr/w:vertAlign", NS).get(f"{{{W}}}val") == "superscript"]
        assert {_text(r) for r in raised} >= {plain_text for plain_text in (n.children[0].text for n in sups
                                                                             if isinstance(n.children[0], Str))}


def test_a_chart_of_several_series_with_a_gap(refs_built):
    document, path, _ = refs_built[("refs-en", "default")]
    parts = _parts(path)
    charts = [n for n in parts if re.fullmatch(r"word/charts/chart\d+\.xml", n)]
    C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    growth = next(etree.fromstring(parts[n]) for n in charts if b"Tianjin" in parts[n])
    series = growth.findall(f".//{C}ser")
    assert [s.find(f"{C}tx//{C}v").text for s in series] == ["Beijing", "Tianjin", "Hebei"]
    tianjin = series[1].find(f"{C}val/{C}numRef/{C}numCache")
    assert tianjin.find(f"{C}ptCount").get("val") == "5"
    assert sorted(int(p.get("idx")) for p in tianjin.findall(f"{C}pt")) == [0, 1, 3, 4]  # 2018 is a gap
    assert growth.find(f".//{C}legend") is not None
    block = next(b for b in document.figures if b.figure.id == "growth")
    assert tianjin.find(f"{C}formatCode").text == block.number_format
    doc = docx.Document(str(path))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == list(block.header))
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [list(r) for r in block.rows]


@pytest.mark.parametrize("key", REFS)
def test_numbered_captions_count_like_their_seq_fields(refs_built, key):
    """Word and LibreOffice renumber SEQ fields on opening: every numbered caption of a kind has one, so the
    numbers they compute are the lowering's."""
    document, path, _ = refs_built[(key, "default")]
    doc = docx.Document(str(path))
    lab = document.labels
    for seq, pattern in (("Table", lab.table), ("Figure", lab.figure)):
        before = pattern.partition("{n}")[0]
        captions = [p for p in doc.paragraphs if p.style.name == "Caption" and p.text.startswith(before)
                    and re.match(re.escape(before) + r"\d", p.text)]
        numbered = [p for p in captions if any(t.text.strip().startswith(f"SEQ {seq} ")
                                               for t in p._p.iter(qn("w:instrText")))]
        assert numbered == captions
        assert [p.text[len(before):].split()[0].rstrip(pattern.partition("{n}")[2] or " ")
                for p in captions] == [str(i) for i in range(1, len(captions) + 1)]
