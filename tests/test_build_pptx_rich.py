"""The rich fixtures' decks read back with python-pptx: footnotes, links, tables, free sections, styling.

Every construct of the document model (issue 15) in English and Chinese, in every theme.
"""
from __future__ import annotations

import re

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from builders import document as d
from builders.build_pptx.blocks import convert
from builders.build_pptx.faces import CODE_LATIN
from builders.build_pptx.runs import lines_of
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, RICH, THEMES


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def rich(built):
    cache = {}

    def get(key, theme_name):
        if (key, theme_name) not in cache:
            brief, _ = load_brief(BRIEFS[key])
            theme, _ = load_theme(theme_name)
            prs = Presentation(str(built(key, theme_name, "pptx")))
            cache[key, theme_name] = (brief, lower(brief, theme, "pptx"), prs)
        return cache[key, theme_name]

    return get


def _runs(shape):
    for p in shape.text_frame.paragraphs:
        yield from p.runs


def _shapes_text(slide) -> str:
    out = []
    for sh in slide.shapes:
        if sh.has_text_frame:
            out.append(sh.text_frame.text)
        elif getattr(sh, "has_table", False) and sh.has_table:
            out += [c.text for row in sh.table.rows for c in row.cells]
    return "\n".join(out)


def _superscripts(slide) -> set[int]:
    """Note numbers set superscript in what the slide shows (not in its foot)."""
    found = set()
    for sh in slide.shapes:
        frames = []
        if sh.has_text_frame and sh.name != "Footnotes":
            frames.append(sh.text_frame)
        elif getattr(sh, "has_table", False) and sh.has_table:
            frames += [c.text_frame for row in sh.table.rows for c in row.cells]
        for tf in frames:
            for p in tf.paragraphs:
                for r in p.runs:
                    if r._r.rPr is not None and r._r.rPr.get("baseline") == "30000":
                        assert r.text.isdigit(), r.text
                        found.add(int(r.text))
    return found


def _links(doc: d.Document) -> set[str]:
    seqs = [doc.title, doc.subtitle or ()] + [a.role for a in doc.authors if a.role]
    for s in doc.walk():
        seqs.append(s.title)
        seqs += [seq for b in s.blocks for seq in d.block_inlines(b)]
    for n in doc.notes:
        seqs += [seq for b in n.blocks for seq in d.block_inlines(b)]
    return {x.target for seq in seqs for x in d.iter_inlines(seq) if isinstance(x, d.Link) and not x.internal}


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_footnotes_are_superscript_with_their_text_at_the_foot_and_in_the_notes(rich, key, theme_name):
    _, doc, prs = rich(key, theme_name)
    seen = set()
    for slide in prs.slides:
        numbers = _superscripts(slide)
        seen |= numbers
        foot = next((sh for sh in slide.shapes if sh.name == "Footnotes"), None)
        notes = _squash(slide.notes_slide.notes_text_frame.text)
        if not numbers:
            continue
        assert foot is not None, slide.shapes.title.text_frame.text
        for n in numbers:
            text = _squash(d.blocks_text(doc.note(n).blocks))
            assert _squash(str(n) + d.blocks_text(doc.note(n).blocks)) in _squash(foot.text_frame.text)
            assert text in notes
            first = next(r for r in _runs(foot) if r.text.strip())
            assert first.text == str(n) or any(r.text == str(n) and r._r.rPr.get("baseline") == "30000"
                                               for r in _runs(foot))
        # The foot sits below everything else the slide shows, above the running footer.
        body = [sh for sh in slide.shapes if sh.name not in ("Footnotes", "Footer", "Slide Number")
                and (sh.has_text_frame and sh.text_frame.text.strip() or getattr(sh, "has_table", False))]
        assert all(sh.top + sh.height <= foot.top + 1 for sh in body if sh.top < foot.top)
    assert seen == {n.number for n in doc.notes}  # every note is cited on some slide


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_every_link_is_clickable(rich, key, theme_name):
    _, doc, prs = rich(key, theme_name)
    addresses = set()
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                addresses |= {r.hyperlink.address for r in _runs(sh) if r.hyperlink.address}
            elif getattr(sh, "has_table", False) and sh.has_table:
                addresses |= {r.hyperlink.address for row in sh.table.rows for c in row.cells
                              for p in c.text_frame.paragraphs for r in p.runs if r.hyperlink.address}
    expected = _links(doc)
    assert any(a.startswith("mailto:") for a in expected) or key == "rich-zh"
    assert expected <= addresses


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_tables_are_native_with_every_cell(rich, key, theme_name):
    _, doc, prs = rich(key, theme_name)
    tables = [sh.table for slide in prs.slides for sh in slide.shapes if getattr(sh, "has_table", False)
              and sh.has_table]
    cells = [_squash(c.text) for t in tables for row in t.rows for c in row.cells]
    written = [b for s in doc.walk() for b in s.blocks if isinstance(b, d.Table)]
    written += [b for s in doc.walk() for box in s.blocks if isinstance(box, d.Box) for b in box.blocks
                if isinstance(b, d.Table)]
    assert written and tables
    for table in written:
        for row in (table.header, *table.rows):
            for cell in row:
                assert _squash(d.plain(cell)) in cells
        header = [_squash(d.plain(c)) for c in table.header]
        # Every slide holding part of the table repeats its header row.
        for t in tables:
            if any(_squash(c.text) in {_squash(d.plain(x)) for x in table.rows[0]} for row in t.rows for c in row.cells):
                assert [_squash(c.text) for c in t.rows[0].cells] == header


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_free_sections_have_slides_in_order(rich, key, theme_name):
    brief, doc, prs = rich(key, theme_name)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    firsts = []
    for s in doc.sections:
        assert s.label in titles, s.label
        firsts.append(titles.index(s.label))
    assert firsts == sorted(firsts)  # the document's order (order: when the brief gives one)
    if brief.order:
        free = {f"sec-{x.id}": x.id for x in brief.sections}
        assert [free[s.anchor] for s in doc.sections if s.anchor in free] == [n for n in brief.order if n in free.values()]
    for s in doc.sections:
        if s.role == "free" and s.style == "box":
            slide = prs.slides[titles.index(s.label)]
            names = [sh.name for sh in slide.shapes]
            assert "Call-out" in names
            panel = slide.shapes[names.index("Call-out")]
            text = [sh for sh in slide.shapes if sh.has_text_frame and d.plain(s.body[0].items[0][0].inlines)[:10]
                    in sh.text_frame.text]
            assert text and all(names.index(sh.name) > names.index("Call-out") for sh in text)  # drawn behind
            assert all(panel.top <= sh.top and sh.top + sh.height <= panel.top + panel.height + 12700 * 16
                       for sh in text)


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", RICH)
def test_no_markdown_syntax_and_no_doubled_markers(rich, key, theme_name):
    _, doc, prs = rich(key, theme_name)
    for slide in prs.slides:
        for text in (_shapes_text(slide), slide.notes_slide.notes_text_frame.text):
            for syntax in ("**", "[^", "](", "|:--", "| -"):
                assert syntax not in text, (syntax, text[:200])
            assert "一是一是" not in text and "1. 1." not in text and "二是二是" not in text
    bottom = prs.slide_height
    for slide in prs.slides:
        for sh in slide.shapes:
            assert sh.top + sh.height <= bottom and sh.left + sh.width <= prs.slide_width


@pytest.mark.parametrize("key", RICH)
def test_runs_keep_their_style(rich, key):
    _, doc, prs = rich(key, THEMES[0])
    runs = [r for slide in prs.slides for sh in slide.shapes if sh.has_text_frame for r in _runs(sh)]
    runs += [r for slide in prs.slides for sh in slide.shapes if getattr(sh, "has_table", False) and sh.has_table
             for row in sh.table.rows for c in row.cells for p in c.text_frame.paragraphs for r in p.runs]
    rprs = {r.text: r._r.rPr for r in runs}
    if key == "rich-en":
        assert rprs["institutions"].get("i") == "1"  # Latin emphasis: italic
        assert rprs["money"].get("b") == "1"
    else:
        assert rprs["积极进展"].get("b") == "1" and rprs["积极进展"].get("i") is None  # CJK emphasis: bold
        assert rprs["制度性障碍"].get("b") == "1"
    codes = [r for r in runs if r._r.rPr.find(qn("a:latin")).get("typeface") == CODE_LATIN]
    assert codes and all(c.text.strip() for c in codes)
    # The title slide carries the date as the lowering wrote it.
    assert doc.date in _shapes_text(prs.slides[0])


def test_a_node_type_the_deck_does_not_know_fails():
    """``match`` closed with ``assert_never``: a new block or inline type fails here, not silently."""

    class Unknown:
        pass

    with pytest.raises(AssertionError):
        convert((Unknown(),))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        lines_of((Unknown(),))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        from builders.build_pptx.plan import _section

        brief, _ = load_brief(BRIEFS["rich-en"])
        theme, _ = load_theme(THEMES[0])
        doc = lower(brief, theme, "pptx")
        from dataclasses import replace

        _section(replace(doc.sections[0], role="unknown"), doc)  # type: ignore[arg-type]


def test_a_link_to_a_section_jumps_to_its_slide(tmp_path):
    """An internal link (``#anchor``; the loader admits none today, the model has them) jumps to the first slide
    of that section; a link to nowhere keeps its text, with a warning."""
    from dataclasses import replace

    from builders.build_pptx import build
    from builders.diagnostics import Log

    src = tmp_path / "b.yaml"
    src.write_text("title: Jumps\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: See below.\n"
                   "sections:\n  - id: method\n    title: Method\n    body: We counted.\n", encoding="utf-8")
    brief, _ = load_brief(src)
    theme, _ = load_theme(THEMES[0])
    doc = lower(brief, theme, "pptx")
    para = d.Para((d.Str("See "), d.Link("#method", (d.Str("the method"),)), d.Str(", "),
                   d.Link("#sec-method", (d.Str("the same"),)), d.Str(" and "),
                   d.Link("#nowhere", (d.Str("nothing"),)), d.Str(".")))
    summary = replace(doc.sections[0], body=(para,), blocks=(para,))
    doc = replace(doc, sections=(summary, *doc.sections[1:]))
    log = Log("x", "pptx")
    out = tmp_path / "b.pptx"
    build(doc, theme, out, log)
    prs = Presentation(str(out))
    method = next(s for s in prs.slides if s.shapes.title.text_frame.text.endswith("Method"))
    first = next(s for s in prs.slides if s.shapes.title.text_frame.text == "Summary")
    jumps = [el for el in first.part._element.iter(qn("a:hlinkClick"))]
    assert len(jumps) == 2 and all(el.get("action") == "ppaction://hlinksldjump" for el in jumps)
    assert all(first.part.related_part(el.get(qn("r:id"))) is method.part for el in jumps)
    assert "nothing" in _shapes_text(first)
    assert [w.message for w in log.warnings if "#nowhere" in w.message]


def _build_yaml(tmp_path, text: str):
    from builders.build_pptx import build
    from builders.diagnostics import Log

    src = tmp_path / "b.yaml"
    src.write_text(text, encoding="utf-8")
    brief, _ = load_brief(src)
    theme, _ = load_theme(THEMES[0])
    doc = lower(brief, theme, "pptx")
    out = tmp_path / "b.pptx"
    build(doc, theme, out, Log("x", "pptx"))
    return doc, Presentation(str(out))


def test_a_continued_table_repeats_its_header_row_in_the_deck(tmp_path):
    rows = "\n".join(f"      | Row {i} | {i * 7} | **bold** {i} |" for i in range(60))
    doc, prs = _build_yaml(tmp_path, "title: Tables\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: Short.\n"
                           "sections:\n  - id: t\n    title: Table\n    body: |\n"
                           "      | Name | Value | Comment |\n      |:--|--:|:--|\n" + rows + "\n")
    tables = [sh.table for s in prs.slides for sh in s.shapes if getattr(sh, "has_table", False) and sh.has_table]
    assert len(tables) > 1
    for t in tables:
        assert [c.text for c in t.rows[0].cells] == ["Name", "Value", "Comment"]
    body = [[c.text for c in row.cells] for t in tables for row in list(t.rows)[1:]]
    assert body == [[f"Row {i}", str(i * 7), f"bold {i}"] for i in range(60)]
    bold = [r for t in tables for row in list(t.rows)[1:] for p in row.cells[2].text_frame.paragraphs
            for r in p.runs if r.text == "bold"]
    assert len(bold) == 60 and all(r._r.rPr.get("b") == "1" for r in bold)
    assert len({tuple(c.width for c in t.columns) for t in tables}) == 1


def test_the_title_slide_dates_the_deck_as_the_lowering_wrote_it(tmp_path):
    """The builder formats no date itself (a Japanese deck once came out with an English date)."""
    doc, prs = _build_yaml(tmp_path, "title: 地域イノベーション\nlanguage: ja-JP\ndate: 2026-03-01\n"
                           "authors: [{name: 山田}]\nsummary: 短い。\n")
    assert doc.date and doc.date in _shapes_text(prs.slides[0])
    assert "March" not in _shapes_text(prs.slides[0])


REFS = ("refs-en", "refs-zh")


@pytest.fixture(scope="module")
def refs_deck(tmp_path_factory):
    """(doc, Presentation, warnings) of a refs fixture in a theme, built once."""
    from builders.build_pptx import build
    from builders.diagnostics import Log

    from .conftest import FIXTURES

    cache = {}

    def get(key, theme_name):
        if (key, theme_name) not in cache:
            brief, _ = load_brief(FIXTURES / f"{key}.yaml")
            theme, _ = load_theme(theme_name)
            doc = lower(brief, theme, "pptx")
            out = tmp_path_factory.mktemp(f"{key}-{theme_name}") / "deck.pptx"
            log = Log("x", "pptx")
            build(doc, theme, out, log)
            cache[key, theme_name] = (doc, Presentation(str(out)), log.warnings)
        return cache[key, theme_name]

    return get


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", REFS)
def test_citations_and_cross_references_jump_to_their_slides(refs_deck, key, theme_name):
    doc, prs, warnings = refs_deck(key, theme_name)
    assert not [w for w in warnings if "no slide for the link" in w.message]
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    jumps = 0
    for slide in prs.slides:
        for el in slide.part._element.iter(qn("a:hlinkClick")):
            if el.get("action") == "ppaction://hlinksldjump":
                target = slide.part.related_part(el.get(qn("r:id")))
                assert target in [s.part for s in prs.slides]
                jumps += 1
    assert jumps >= 3
    # Citation marks are superscript in a numeric style and the bibliography has its slide, every entry on it.
    refs = next(s for s in doc.sections if s.role == "references")
    slide = prs.slides[titles.index(refs.label)]
    for entry in refs.body:
        assert _squash(d.plain(entry.inlines))[:30] in _squash(_shapes_text(slide))
    if key == "refs-zh":
        sups = [r.text for s in prs.slides for sh in s.shapes if sh.has_text_frame for r in _runs(sh)
                if r._r.rPr.get("baseline") == "30000"]
        assert "[1]" in sups


@pytest.mark.parametrize("key", REFS)
def test_a_chart_of_several_series_keeps_them_all(refs_deck, key):
    doc, prs, _ = refs_deck(key, THEMES[0])
    charts = [sh.chart for s in prs.slides for sh in s.shapes if getattr(sh, "has_chart", False) and sh.has_chart]
    figures = [b.figure for b in doc.figures if b.figure.chart and b.figure.image is None]
    assert len(charts) == len(figures)
    for chart, fig in zip(charts, figures):
        plot = chart.plots[0]
        assert list(plot.categories) == list(fig.all_categories)
        assert [tuple(s.values) for s in plot.series] == [tuple(s.values) for s in fig.all_series]
        assert chart.has_legend == (len(fig.all_series) > 1)


@pytest.mark.parametrize("treatment", ("bold", "kai", "dots"))
def test_cjk_emphasis_follows_the_theme(tmp_path, treatment):
    """Emphasised Chinese is never slanted: bold, or the Kai face; PowerPoint has no emphasis dots (bold, warned)."""
    from dataclasses import replace

    from builders.build_pptx import build
    from builders.build_pptx.richtext import KAI
    from builders.diagnostics import Log

    brief, _ = load_brief(BRIEFS["rich-zh"])
    theme, _ = load_theme(THEMES[0])
    theme = replace(theme, cjk_emphasis=treatment)
    log = Log("x", "pptx")
    out = tmp_path / "deck.pptx"
    build(lower(brief, theme, "pptx"), theme, out, log)
    prs = Presentation(str(out))
    runs = {r.text: r._r.rPr for s in prs.slides for sh in s.shapes if sh.has_text_frame for r in _runs(sh)}
    rpr = runs["积极进展"]
    assert rpr.get("i") is None
    assert rpr.find(qn("a:ea")).get("typeface") == (KAI if treatment == "kai" else theme.fonts.body.east_asian)
    assert rpr.get("b") == ("0" if treatment == "kai" else "1")
    assert bool([w for w in log.warnings if "emphasis dots" in w.message]) == (treatment == "dots")


@pytest.mark.parametrize("key", RICH)
def test_a_theme_with_endnotes_gets_a_notes_slide_and_no_feet(tmp_path, key):
    from dataclasses import replace

    from builders.build_pptx import build
    from builders.diagnostics import Log

    brief, _ = load_brief(BRIEFS[key])
    theme, _ = load_theme(THEMES[0])
    theme = replace(theme, notes="endnotes")
    doc = lower(brief, theme, "pptx")
    out = tmp_path / "deck.pptx"
    build(doc, theme, out, Log("x", "pptx"))
    prs = Presentation(str(out))
    assert not [sh for s in prs.slides for sh in s.shapes if sh.name == "Footnotes"]
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    notes = [i for i, t in enumerate(titles) if t.removesuffix(doc.labels.continued) == doc.labels.notes]
    assert notes and notes[-1] == len(titles) - 2  # just before the closing slide
    text = _squash("".join(_shapes_text(prs.slides[i]) for i in notes))
    for n in doc.notes:
        assert _squash(str(n.number) + d.blocks_text(n.blocks)) in text
    assert _superscripts(prs.slides[titles.index(next(s.label for s in doc.sections if s.role == "summary"))])


@pytest.mark.parametrize("key", RICH)
def test_nested_list_items_are_indented_with_their_bullets(rich, key):
    """Levels 0..2: a deeper item's bullet hangs beside its own text, right of its parent's."""
    _, doc, prs = rich(key, THEMES[0])
    margins = {}
    for slide in prs.slides:
        for sh in slide.shapes:
            if not sh.has_text_frame:
                continue
            for p in sh.text_frame.paragraphs:
                ppr = p._p.pPr
                if ppr is not None and ppr.find(qn("a:buChar")) is not None:
                    mar, ind = int(ppr.get("marL")), int(ppr.get("indent"))
                    assert 0 < -ind <= mar  # the bullet hangs within the margin, never left of the frame
                    margins.setdefault(ppr.find(qn("a:buChar")).get("char"), set()).add(mar - (-ind))
    assert len({x for xs in margins.values() for x in xs}) >= 3  # three depths of bullets start at three places
