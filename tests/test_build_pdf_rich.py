"""The PDF of the rich fixtures (issue 15): footnotes at the foot of the citing page, links, tables, boxes,
lists, emphasis, the reading order, no Markdown syntax; and every node type handled.

Expectations come from the lowered :class:`~builders.document.Document`, never from the fixtures' wording.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from builders.build import build_brief
from builders.build_pdf.story import text_without_notes
from builders.document import (Link, Table, block_inlines, blocks_text, iter_inlines, plain)
from builders.loader import load_brief
from builders.lower import lower, reading_order
from builders.theme import load_theme

from .conftest import BRIEFS, RICH, THEMES

MARKDOWN = ("**", "[^", "](", "|---", "|:--")


def _doc(key, theme):
    return lower(load_brief(BRIEFS[key])[0], load_theme(theme)[0], "pdf")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _all_inlines(doc):
    seqs = [doc.title, *(x for x in (doc.subtitle,) if x)]
    for a in doc.authors:
        seqs += [a.name, *((a.role,) if a.role else ())]
    for s in doc.walk():
        seqs.append(s.title)
        for b in s.blocks:
            seqs += list(block_inlines(b))
    for n in doc.notes:
        for b in n.blocks:
            seqs += list(block_inlines(b))
    return [node for seq in seqs for node in iter_inlines(seq)]


def _note_refs(path: Path) -> dict[int, int]:
    """Note number → the (1-based) page of its first reference: a link annotation around a superscript number."""
    import pdfplumber

    first: dict[int, int] = {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for a in page.annots:
                if a.get("uri"):
                    continue
                # digits only: justification moves a neighbouring full stop into the link's rectangle
                near = [c["size"] for c in page.chars if not c["text"].isdigit() and not c["text"].isspace()
                        and abs(c["bottom"] - a["bottom"]) < 12 and a["x0"] - 20 < c["x0"] < a["x1"] + 20]
                small = max(near, default=0) * 0.9  # a superscript is smaller than the text beside it
                text = "".join(c["text"] for c in page.chars if c["text"].isdigit() and c["size"] < small
                               and a["x0"] <= (c["x0"] + c["x1"]) / 2 <= a["x1"]
                               and a["top"] <= (c["top"] + c["bottom"]) / 2 <= a["bottom"])
                if text.isdigit():
                    first.setdefault(int(text), page.page_number)
    return first


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_each_footnote_is_at_the_foot_of_the_page_that_cites_it(built, key, theme):
    doc = _doc(key, theme)
    path = built(key, theme, "pdf")
    pages = [_squash(t) for t in _pages(path)]
    assert doc.notes
    if _pdf_x(theme):  # PDF/X-1a has no annotations on the page: the notes are in order, each on some page
        found = [next((i for i, p in enumerate(pages) if _squash(blocks_text(n.blocks))[:12] in p), None)
                 for n in doc.notes]
        assert None not in found and found == sorted(found)
        return
    refs = _note_refs(path)
    for note in doc.notes:
        assert note.number in refs, f"note {note.number}: no reference number links to it"
        page = refs[note.number]
        start = _squash(blocks_text(note.blocks))[:12]
        assert start in pages[page - 1], f"note {note.number} ({start}…) is not on page {page}, which cites it"


def _pdf_x(theme: str) -> bool:
    return load_theme(theme)[0].page.colour_mode == "cmyk"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_each_web_link_is_a_uri_annotation(built, key, theme):
    doc = _doc(key, theme)
    want = {n.target for n in _all_inlines(doc) if isinstance(n, Link) and not n.internal}
    assert want
    if _pdf_x(theme):
        want = set()  # PDF/X-1a allows no annotation on the page: a print file has no links to click
    got = set()
    for page in PdfReader(built(key, theme, "pdf")).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/S") == "/URI":
                got.add(str(action["/URI"]))
    assert want <= got, f"links without an annotation: {want - got}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_tables_order_and_no_markdown(built, key, theme):
    doc = _doc(key, theme)
    brief = load_brief(BRIEFS[key])[0]
    pages = _pages(built(key, theme, "pdf"))
    text = "\n".join(pages)
    for mark in MARKDOWN:
        assert mark not in text, f"Markdown syntax {mark!r} reached the reader"
    assert "一是一是" not in text
    flat = _squash(text)
    tables = [b for s in doc.walk() for b in s.blocks if isinstance(b, Table)]
    assert tables
    for t in tables:
        for row in (t.header, *t.rows):
            for cell in row:
                # (a note number is a superscript: text extraction sets it on a line of its own)
                assert _squash(text_without_notes(cell)) in flat, f"table cell missing: {plain(cell)!r}"
    # Sections in the brief's reading order (after the contents, which list them too; a theme without
    # cover and contents, GB/T 9704, starts the body on page 1).
    page = load_theme(theme)[0].page
    body = _squash("\n".join(pages[2 if page.cover or page.contents else 0:]))
    by_id = {s.anchor: s for s in doc.sections}
    labels = []
    for name in reading_order(brief):
        s = by_id.get(f"sec-{name}") or by_id.get(name)
        if s is not None:
            labels.append(_squash(s.label))
    positions = [body.find(label) for label in labels]
    assert -1 not in positions, f"a section heading is missing: {labels}"
    assert positions == sorted(positions), "sections are not in the order: order"


@pytest.mark.parametrize("theme", ["default", "government", "corporate"])
@pytest.mark.parametrize("key", RICH)
def test_emphasis_code_and_strong_faces(built, key, theme):
    """Latin emphasis italic, CJK emphasis never slanted (bold), code monospace."""
    import pdfplumber

    with pdfplumber.open(built(key, theme, "pdf")) as pdf:
        chars = [c for p in pdf.pages for c in p.chars]
    fonts = {c["fontname"] for c in chars}
    assert any("Mono" in f for f in fonts), "no monospace face for code"
    for c in chars:
        if ord(c["text"]) >= 0x2E80:
            assert not re.search("Italic|Oblique", c["fontname"]), f"slanted CJK {c['text']!r}"
    if key == "rich-en":
        assert any(re.search("Italic|Oblique", f) for f in fonts), "Latin emphasis is not italic"


def test_endnotes_when_a_theme_asks(tmp_path):
    import dataclasses

    brief = load_brief(BRIEFS["rich-en"])[0]
    th = dataclasses.replace(load_theme("default")[0], notes="endnotes")
    doc = lower(brief, th, "pdf")
    out = build_brief(brief, th, tmp_path, ["pdf"], parallel=False).outputs[0]
    pages = [_squash(t) for t in _pages(out)]
    text = "".join(pages)
    head = text.rfind(_squash(doc.labels.notes))
    assert head > 0
    for note in doc.notes:
        assert _squash(blocks_text(note.blocks))[:12] in text[head:]


LONG_NOTE = " ".join(f"word{i}" for i in range(900))


def _long_brief(tmp_path: Path) -> Path:
    rows = "\n".join(f"| row-{i} | {i * 3} | {'text ' * (i % 4)}|" for i in range(90))
    items = "\n".join(f"- box item number {i} with some words to fill the line" for i in range(70))
    src = tmp_path / "long-rich.yaml"
    src.write_text(f"""title: Long rich brief
language: en-GB
authors:
  - name: A. Author
summary: |
  A summary citing a very long note.[^long] And a short one.[^short]
sections:
  - id: table
    title: A long table
    body: |
      Rows follow.

      | Name | Value | Words |
      |:-----|------:|:------|
{chr(10).join('      ' + line for line in rows.splitlines())}
  - id: boxed
    title: A long box
    style: box
    body: |
{chr(10).join('      ' + line for line in items.splitlines())}
recommendations:
  - id: only-rec
    title: The only recommendation
    body: Why it matters.
    actions:
      - Do the one thing.
notes:
  long: {LONG_NOTE}
  short: A short note.
""", encoding="utf-8")
    return src


@pytest.mark.parametrize("theme", THEMES)
def test_a_short_box_section_is_never_split(built, theme):
    """核心观点 (style: box, two items) stands whole on one page, never one row at a page foot and one
    overleaf."""
    import pdfplumber

    with pdfplumber.open(built("rich-zh", theme, "pdf")) as pdf:
        pages = {i for i, p in enumerate(pdf.pages) for t in ("协同比", "资金应当")
                 if t in (p.extract_text() or "").replace(" ", "")}
    assert len(pages) == 1, pages


def test_long_tables_boxes_and_notes_continue_over_pages(tmp_path):
    brief, _ = load_brief(_long_brief(tmp_path))
    th = load_theme("default")[0]
    out = build_brief(brief, th, tmp_path / "out", ["pdf"], parallel=False).outputs[0]
    pages = _pages(out)
    table_pages = [i for i, t in enumerate(pages) if re.search(r"row-\d+", t)]
    assert len(table_pages) >= 2, "the test table should span pages"
    for i in table_pages:
        assert "Name" in pages[i] and "Words" in pages[i], f"page {i + 1}: the table header is not repeated"
    box_pages = [i for i, t in enumerate(pages) if "box item number" in t]
    assert len(box_pages) >= 2, "the long box should continue overleaf"
    flat = " ".join(pages)
    for i in range(70):
        assert f"box item number {i} " in flat
    words = set(re.findall(r"word\d+", flat))
    assert words == {f"word{i}" for i in range(900)}, "a note was cut short"
    assert "A short note." in flat
    refs = _note_refs(out)
    assert "word0" in pages[refs[1] - 1], "the long note does not start on the page that cites it"


def test_every_node_type_is_handled():
    """Every member of the document's node unions has a case in the PDF builder: a node added to the model
    fails here until the builder sets it, rather than vanishing from the PDF."""
    from typing import get_args

    from builders import document as d
    from builders.build_pdf.blocks import BlockMixin
    from builders.build_pdf.inline import Inliner
    from builders.build_pdf.story import Planner

    doc = lower(load_brief(BRIEFS["sample"])[0], load_theme("default")[0], "pdf")
    figure = doc.figures[0]
    s = (d.Str("x"),)
    inlines = {d.Str: d.Str("x"), d.Emph: d.Emph(s), d.Strong: d.Strong(s), d.Code: d.Code("x"),
               d.Link: d.Link("https://example.org", s), d.NoteRef: d.NoteRef("n", 1), d.LineBreak: d.LineBreak(),
               d.Sup: d.Sup(s)}
    blocks = {d.Para: d.Para(s), d.Heading: d.Heading(2, s), d.BulletList: d.BulletList(((d.Para(s),),)),
              d.OrderedList: d.OrderedList(((d.Para(s),),), ("1.",)), d.Quote: d.Quote((d.Para(s),)),
              d.Table: d.Table((s,), ((s,),)), d.Box: d.Box((d.Para(s),)), d.FigureBlock: figure}
    assert set(get_args(d.Inline)) == set(inlines), "a new inline node: teach the PDF builder (and this test)"
    assert set(get_args(d.Block)) == set(blocks), "a new block node: teach the PDF builder (and this test)"
    inliner = Inliner({}, lambda *a: None)
    planner = Planner(doc, inliner)
    for node in inlines.values():
        assert inliner.runs((node,), "body", "x")
    for block in blocks.values():
        assert planner.block(block, "x", None, None)
    with pytest.raises(AssertionError):
        planner.block(object(), "x", None, None)
    with pytest.raises(AssertionError):
        inliner.runs((object(),), "body", "x")
    with pytest.raises(AssertionError):
        BlockMixin.block(None, object(), 100.0, 0.0)


def test_internal_links_go_to_destinations_and_unknown_ones_are_reported():
    from builders.build_pdf.inline import Inliner, italic, wide
    from builders.document import Emph, Str

    warned = []
    inl = Inliner({"sec-method": "sec_method"}, lambda where, msg: warned.append((where, msg)))
    (run,) = inl.runs((Link("#sec-method", (Str("the method"),)),), "body", "x")
    assert run.link == "#sec_method"
    (run,) = inl.runs((Link("#nowhere", (Str("lost"),)),), "body", "sections[a]")
    assert run.link == "" and warned and warned[0][0] == "sections[a]" and "#nowhere" in warned[0][1]
    # Emphasis is decided per stretch of text: Latin italic, CJK bold, never a slanted hanzi.
    runs = inl.runs((Emph((Str("Beijing 北京 hub"),)),), "body", "x")
    assert [(r.face, r.text) for r in runs] == [(italic("body"), "Beijing "), ("body-bold", "北京"),
                                                (italic("body"), " hub")]
    assert wide("北") and not wide("B")


@pytest.mark.parametrize("mode", ["dots", "kai"])
def test_cjk_emphasis_as_the_theme_asks(tmp_path, mode):
    """``dots``: one dot under each emphasised CJK character (着重号); ``kai`` without the font: bold, and a warning."""
    import dataclasses

    import pdfplumber

    from builders.build_pdf import build
    from builders.build_pdf.coverage import KAI, installed
    from builders.diagnostics import Log
    from builders.document import Emph

    brief = load_brief(BRIEFS["rich-zh"])[0]
    th = dataclasses.replace(load_theme("default")[0], cjk_emphasis=mode)
    doc = lower(brief, th, "pdf")
    log = Log("x", "pdf")
    build(doc, th, tmp_path / "x.pdf", log)
    emphasised = [c for n in _all_inlines(doc) if isinstance(n, Emph) for c in plain(n.children) if ord(c) >= 0x2E80]
    with pdfplumber.open(tmp_path / "x.pdf") as pdf:
        dots = sum(len(p.curves) for p in pdf.pages)
        chars = [c for p in pdf.pages for c in p.chars if ord(c["text"]) >= 0x2E80]
    assert not any(re.search("Italic|Oblique", c["fontname"]) for c in chars)
    if mode == "dots":
        assert dots >= len(emphasised) > 0
    elif not installed(KAI):
        assert any("kai" in str(w) for w in log.warnings)


def test_notes_cited_in_titles_and_headings(tmp_path):
    """A note cited in the title is at the cover's foot, one cited in a heading under that page; the running
    head, the bookmarks and the contents show no note number."""
    src = tmp_path / "t.yaml"
    src.write_text("""title: Tidal power[^t]
language: en-GB
authors: [{name: A. Author}]
summary: Summary text.
sections:
  - id: a
    title: Alpha[^x]
    body: Body text.
recommendations:
  - id: r
    title: Recommendation
    body: Because.[^x]
    actions: [Do it.]
notes:
  x: A note about alpha.
  t: A note on the title.
""", encoding="utf-8")
    brief, _ = load_brief(src)
    out = build_brief(brief, load_theme("default")[0], tmp_path / "out", ["pdf"], parallel=False).outputs[0]
    pages = _pages(out)
    assert "A note on the title." in pages[0]
    page = next(i for i, t in enumerate(pages) if "Body text." in t)
    assert "A note about alpha." in pages[page]
    assert sum(t.count("A note about alpha.") for t in pages) == 1, "a note cited twice is set once"
    for t in pages[1:]:
        assert t.splitlines()[0].strip() == "Tidal power", "the running head shows a note number"
    reader = PdfReader(out)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "1. Alpha" in titles
    assert re.search(r"1\. Alpha[ .]+3", pages[1]), "contents entry with a note number"


@pytest.mark.parametrize("theme", ["default", "government", "corporate"])
@pytest.mark.parametrize("key", ["sample", "english", "markup", "rich-en", "rich-zh"])
def test_no_text_of_the_document_is_lost(built, key, theme):
    """Every inline sequence of every block (paragraphs, items, cells, captions, notes) is in the PDF's text."""
    from .test_build_pdf import pdftext, shown

    brief, th = load_brief(BRIEFS[key])[0], load_theme(theme)[0]
    doc = lower(brief, th, "pdf")
    text = _squash(pdftext(built(key, theme, "pdf"), brief))
    for note in doc.notes:  # a note at a page foot may sit inside a paragraph that runs over the page
        for b in note.blocks:
            for seq in block_inlines(b):
                text = text.replace(_squash(shown(text_without_notes(seq), th)), "", 1)
    text = re.sub(r"\d+", "", text)  # note numbers wherever extraction put them
    for s in doc.walk():
        for b in s.blocks:
            for seq in block_inlines(b):
                want = re.sub(r"\d+", "", _squash(shown(text_without_notes(seq), th)))
                assert want in text, f"{s.where or s.anchor}: missing {text_without_notes(seq)[:60]!r}"


@pytest.mark.parametrize("name", ["refs-en", "refs-zh"])
def test_citations_cross_references_and_series_figures(tmp_path, name):
    """The reference fixtures: every text of the document is set, citation marks and cross-references link
    to places in the PDF, and a figure with several series has a column per series."""
    from .conftest import FIXTURES
    from .test_build_pdf import pdftext, shown

    from builders.document import FigureBlock

    brief, _ = load_brief(FIXTURES / f"{name}.yaml")
    th = load_theme("default")[0]
    doc = lower(brief, th, "pdf")
    out = build_brief(brief, th, tmp_path, ["pdf"], parallel=False).outputs[0]
    text = re.sub(r"\d+", "", _squash(pdftext(out, brief)))
    for s in doc.walk():
        for b in s.blocks:
            for seq in block_inlines(b):
                want = re.sub(r"\d+", "", _squash(shown(text_without_notes(seq), th)))
                assert want in text, f"{s.where or s.anchor}: missing {text_without_notes(seq)[:60]!r}"
    internal = [n for n in _all_inlines(doc) if isinstance(n, Link) and n.internal]
    assert internal, "the fixture should cross-reference"
    goto = sum(1 for page in PdfReader(out).pages for a in page.get("/Annots") or []
               if a.get_object().get("/Dest") is not None)
    assert goto >= len(internal)
    for f in (b for s in doc.walk() for b in s.blocks if isinstance(b, FigureBlock) and len(b.header) > 2):
        for cell in f.header:
            assert _squash(cell) in _squash(pdftext(out))


def test_notes_with_lists_and_tables_continue_on_pages_of_their_own(tmp_path):
    """Notes longer than the text that cites them: every item and row is set, on decorated, counted pages."""
    items = "\n".join(f"    - note item {i} with a few words" for i in range(60))
    rows = "\n".join(f"    | r{i} | {i} |" for i in range(50))
    src = tmp_path / "t.yaml"
    src.write_text(f"""title: Notes with blocks
language: en-GB
authors: [{{name: A}}]
summary: |
  Text citing a list note.[^l] And a table note.[^t]
recommendations:
  - id: r
    title: R
    body: B.
    actions: [Do.]
notes:
  l: |
    A note with a list:

{items}
  t: |
    A note with a table:

    | Key | Value |
    |-----|------:|
{rows}
""", encoding="utf-8")
    brief, _ = load_brief(src)
    out = build_brief(brief, load_theme("default")[0], tmp_path / "out", ["pdf"], parallel=False).outputs[0]
    pages = _pages(out)
    flat = "\n".join(pages)
    assert all(f"note item {i} " in flat for i in range(60))
    assert sorted(set(re.findall(r"^r(\d+) ", flat, re.M)), key=int) == [str(i) for i in range(50)]
    for n, text in enumerate(pages[1:], 2):
        assert f"Page {n} of {len(pages)}" in text and text.startswith("Notes with blocks")
