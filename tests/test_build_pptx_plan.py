"""The deck's plan and fitting, tested without python-pptx: order, one slide per item, continuations, no loss."""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from builders import document as d
from builders.build_pptx import slides as fitted_slides
from builders.build_pptx.blocks import TablePlan, sentences
from builders.build_pptx.design import merge_dividers, unique_titles
from builders.build_pptx.fit import split_para
from builders.build_pptx.measure import Fitter
from builders.build_pptx.notes import shown_lines
from builders.build_pptx.plan import plan
from builders.build_pptx.runs import Para, Run
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, FIXTURES, ROOT, THEMES

# The shared briefs, and the two with citations, cross-references, series, ranges and text tables.
PATHS = {**BRIEFS, "refs-en": FIXTURES / "refs-en.yaml", "refs-zh": FIXTURES / "refs-zh.yaml"}
KEYS = tuple(PATHS)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(items) -> str:
    return "".join(i.text for i in items)


@pytest.fixture(scope="module")
def decks():
    """(doc, theme, planned, fitted) per (brief key, theme), computed once."""
    cache = {}

    def get(key, theme_name):
        if (key, theme_name) not in cache:
            brief, _ = load_brief(PATHS[key])
            theme, _ = load_theme(theme_name)
            doc = lower(brief, theme, "pptx")
            # The plan as the deck designs it (dividers merged, titles unique), before budgets and fitting
            # split it into continuations.
            limit = theme.slides.body_limit(doc.language)
            planned = unique_titles(merge_dividers(plan(doc, theme.notes == "endnotes", limit)), doc)
            cache[key, theme_name] = (doc, theme, planned, fitted_slides(doc, theme))
        return cache[key, theme_name]

    return get


def _load(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "s.yaml"
        src.write_text(text, encoding="utf-8")
        brief, _ = load_brief(src)
    return brief


def test_plan_and_measure_do_not_import_python_pptx():
    code = ("import sys, builders.build_pptx.plan, builders.build_pptx.measure, builders.build_pptx.fit; "
            "sys.exit(1 if any(m == 'pptx' or m.startswith('pptx.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_order_follows_the_document(decks, key, theme_name):
    doc, theme, planned, _ = decks(key, theme_name)
    sections = list(doc.walk())
    assert planned[0].kind == "title" and planned[0].title == d.plain(doc.title)
    assert planned[1].kind == "agenda"
    assert planned[-1].kind == "closing"
    # The agenda lists the headings (not the individual items), in order, without note numbers.
    listed = [s for s in sections if s.role not in ("case", "lesson", "recommendation")]
    assert len(planned[1].paras) == len(listed)
    for p, s in zip(planned[1].paras, listed):
        assert p.text == s.label or (p.text != s.label and len(p.text) < len(s.label)), (p.text, s.label)
    # Content slides appear in reading order (a chart placed in a section's text follows its slides).
    # (A divider merged into the one before it is still a jump target there.)
    anchors = [a for s in planned[2:-1] for a in (s.anchor, *(s.anchors if s.kind == "section" else ()))
               if not a.startswith("fig-")]
    deduped = [a for i, a in enumerate(anchors) if i == 0 or anchors[i - 1] != a]
    assert deduped == [s.anchor for s in sections if s.anchor in anchors]
    assert set(anchors) == {s.anchor for s in sections} - ({"figures"} if not doc.figures else set())


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_one_slide_per_case_and_recommendation(decks, key, theme_name):
    doc, theme, _, fitted = decks(key, theme_name)
    mark = doc.labels.continued
    for s in doc.walk():
        if s.role not in ("case", "recommendation"):
            continue
        run = [f for f in fitted if f.anchor == s.anchor]
        assert [f.continued for f in run] == [False] + [True] * (len(run) - 1)
        assert run[0].title == s.label and run[0].kind == s.role
        assert all(f.title == s.label + mark for f in run[1:])


def _runs_of(planned, fitted):
    for s in planned:
        run = [f for f in fitted if f.anchor == s.anchor and f.base_title == s.base_title and f.chart is s.chart]
        yield s, run


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_fitting_never_drops_text_and_notes_are_linear(decks, key, theme_name):
    doc, theme, planned, fitted = decks(key, theme_name)
    for s, run in _runs_of(planned, fitted):
        assert run, s.title
        assert _squash(_text(i for f in run for i in f.paras)) == _squash(_text(s.paras))
        for i, f in enumerate(run):
            lines = f.notes.split("\n")
            assert lines[0] == s.base_title  # the heading first: the presenter knows where they are
            shown = [x for line in shown_lines(f.paras) for x in line.split("\n") if x.strip()]
            body = lines[1:]
            # What the slide shows, in order; the extra (what no slide shows) once, on the first slide.
            expected = (list(s.extra) if i == 0 else []) + shown + (list(s.after) if i == len(run) - 1 else [])
            expected += [p.text for p in f.foot]
            assert body == [x for e in expected for x in e.split("\n") if x.strip()], f.title


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_everything_fits_its_box(decks, key, theme_name):
    doc, theme, _, fitted = decks(key, theme_name)
    fitter = Fitter(theme)
    sizes = theme.sizes
    for s in fitted:
        left, top, width, height = s.boxes["title"]
        assert sizes.slide_min <= s.title_size
        assert fitter.text_height(s.title, width, s.title_size, fitter.title_faces) <= height
        assert top >= 0 and top + height <= theme.slides.height
        if s.paras:
            left, top, width, height = s.boxes["body"]
            assert sizes.slide_min <= s.body_size <= sizes.slide_body
            assert fitter.height(s.paras, width, s.body_size) <= height, s.title
            assert top + height <= s.boxes.get("footer", (0, theme.slides.height))[1]
        if s.foot:
            left, top, width, height = s.boxes["foot"]
            assert fitter.height(s.foot, width, sizes.slide_min) <= height, s.title
            assert top + height <= s.boxes.get("footer", (0, theme.slides.height))[1]
        for box in (v for k, v in s.boxes.items() if isinstance(v, tuple)):
            assert box[0] >= 0 and box[0] + box[2] <= theme.slides.width + 0.01


def test_long_brief_continues_with_the_mark(decks):
    doc, theme, planned, fitted = decks("long", THEMES[0])
    mark = doc.labels.continued
    continued = [s for s in fitted if s.continued]
    assert continued, "the long brief must produce continuation slides"
    assert all(s.title.endswith(mark) for s in continued)
    assert len(fitted) > len(planned)
    for s in continued:  # continued, not shrunk away
        assert s.body_size >= theme.sizes.slide_min


def _run_notes(run) -> str:
    """The notes of a run of slides without each slide's heading and footnote lines."""
    out = []
    for f in run:
        lines = f.notes.split("\n")[1:]
        out += lines[: len(lines) - len(f.foot)] if f.foot else lines
    return _squash("".join(out))


@pytest.mark.parametrize("key", KEYS)
def test_notes_hold_the_full_text(decks, key):
    """Across a section's slides the notes say all of the section: what the report prints under its heading."""
    doc, theme, planned, fitted = decks(key, THEMES[0])
    for s in doc.walk():
        if s.role in ("figures", "analysis", "cases", "lessons", "recommendations"):
            continue
        drawn = {b.anchor for b in s.body if isinstance(b, d.FigureBlock)}
        run = [f for f in fitted if f.anchor == s.anchor or f.anchor in drawn]
        notes = _run_notes(run)
        for block in s.blocks:
            for line in d.block_text(block):
                assert _squash(line) in notes, (s.where, line)


@pytest.mark.parametrize("key", KEYS)
def test_case_without_points_is_derived_from_its_body(decks, key):
    doc, _, planned, _ = decks(key, THEMES[0])
    by_anchor = {s.anchor: s for s in planned}
    for sec in doc.walk():
        if sec.role != "case":
            continue
        s = by_anchor[sec.anchor]
        bullets = [p.text for p in s.paras if isinstance(p, Para) and p.kind == "bullet"]
        if sec.points:
            assert bullets == [d.plain(p) for p in sec.points]
        else:
            assert _squash("".join(bullets)) == _squash(d.blocks_text(sec.body))
        if sec.region:
            assert s.paras[0].text == d.plain(sec.region)


@pytest.mark.parametrize("key", KEYS)
def test_recommendation_slide_has_lead_and_numbered_actions(decks, key):
    doc, _, planned, _ = decks(key, THEMES[0])
    by_anchor = {s.anchor: s for s in planned}
    for sec in doc.walk():
        if sec.role != "recommendation":
            continue
        s = by_anchor[sec.anchor]
        actions = sec.actions.items if sec.actions else ()
        numbered = [p for p in s.paras if isinstance(p, Para) and p.kind == "number" and not p.cont]
        assert [p.text for p in numbered] == [d.plain(item[0].inlines) for item in actions]
        assert [p.marker for p in numbered] == list(sec.actions.markers if sec.actions else ())
        leads = [d.plain(b.inlines) for b in sec.body if isinstance(b, d.Para)]
        shown = [p.text for p in s.paras if isinstance(p, Para) and p.kind == "lead"]
        # The lead is shown, or (lead and actions together past the slide's budget) said in the notes.
        assert shown == leads or (not shown and list(s.extra) == leads), s.title


@pytest.mark.parametrize("key", KEYS)
def test_charted_figures_get_chart_slides(decks, key):
    doc, _, planned, _ = decks(key, THEMES[0])
    charted = [f for f in doc.figures if f.figure.chart and f.figure.image is None]
    assert [s.chart for s in planned if s.chart is not None and s.chart.figure.image is None] == charted


def test_sentences_and_split_keep_every_character():
    assert sentences("甲。乙！丙") == ["甲。", "乙！", "丙"]
    assert sentences("One. Two; three") == ["One.", "Two; three"]
    para = Para((Run("Alpha beta "), Run("gamma", bold=True), Run(" delta epsilon zeta eta theta")), "bullet")
    lines = ["Alpha beta", "gamma delta", "epsilon zeta", "eta theta"]
    head, tail = split_para(para, lines, 2)
    assert head.text == "Alpha beta gamma delta" and tail.text == "epsilon zeta eta theta"
    assert tail.cont and not head.cont
    assert [r.bold for r in head.runs] == [False, True, False]  # the styles survive the split
    zh = Para((Run("推动协同创新，建立健全区域创新体系"),), "number", marker="一是", inline_marker=True)
    head, tail = split_para(zh, ["一是推动协同创", "新，建立健全区", "域创新体系"], 1)
    assert head.text + tail.text == zh.text and head.text == "推动协同创"


@pytest.mark.parametrize("key", ("sample", "long", "rich-en"))
def test_other_slide_sizes_fit_too(key):
    """The geometry follows theme.slides: a 4:3 deck fits as well as a 16:9 one."""
    from dataclasses import replace as dc_replace

    from builders.theme import Slides

    brief, _ = load_brief(BRIEFS[key])
    base, _ = load_theme(THEMES[0])
    theme = dc_replace(base, slides=Slides(720.0, 540.0))
    fitter = Fitter(theme)
    for s in fitted_slides(lower(brief, theme, "pptx"), theme):
        for box in (v for v in s.boxes.values() if isinstance(v, tuple)):
            assert 0 <= box[0] and box[0] + box[2] <= 720.01 and 0 <= box[1] and box[1] + box[3] <= 540.01
        if s.paras:
            assert fitter.height(s.paras, s.boxes["body"][2], s.body_size) <= s.boxes["body"][3]


def test_safe_wrap_never_returns_a_line_wider_than_asked():
    """linebreak.wrap can carry an opening quote onto a word that then overfills a narrow line."""
    from builders.build_pptx.faces import safe_wrap

    width = lambda s: 10.0 * len(s)  # noqa: E731 - every character 10 pt wide
    text = "ab “Boston” and “birthplace” 京津冀“协同”创新，。"
    for avail in (30, 50, 70, 90, 120):
        lines = safe_wrap(text, avail, width)
        assert all(width(line) <= avail for line in lines), (avail, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_long_overview_does_not_repeat_its_whole_list_in_every_slides_notes():
    """100 cases: the overview runs over several slides, each with notes for its own part of the list."""
    from tests import synthetic

    brief = _load(synthetic.dump(100))
    theme, _ = load_theme(THEMES[0])
    doc = lower(brief, theme, "pptx")
    fitted = fitted_slides(doc, theme)
    cases = next(s for s in doc.walk() if s.role == "cases")
    overview = [s for s in fitted if s.kind == "section" and s.anchor == cases.anchor]
    assert len(overview) > 1
    for s in overview:  # its heading and what it shows, nothing more
        assert s.notes == "\n".join([cases.label, *(p.text for p in s.paras)])
    listed = sum(len(p.text) for s in overview for p in s.paras)
    assert sum(len(s.notes) for s in overview) < listed + (len(cases.label) + 1) * len(overview) + 200


def test_notes_are_linear_in_the_brief():
    """Issue 16: one recommendation with 2,000 actions.  Each slide's notes say only what it shows, so the
    notes of the whole deck stay within a small multiple of the actions' text."""
    actions = "\n".join(f"      - 'Action number {i} of the plan: fund, staff and review the work each quarter'"
                        for i in range(2000))
    brief = _load("title: Many actions\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: Short.\n"
                  "recommendations:\n  - id: r\n    title: Do everything\n    body: Lead paragraph.\n"
                  f"    actions:\n{actions}\n")
    theme, _ = load_theme(THEMES[0])
    doc = lower(brief, theme, "pptx")
    fitted = fitted_slides(doc, theme)
    run = [s for s in fitted if s.anchor == "rec-r"]
    assert len(run) > 50
    text = sum(len(d.plain(item[0].inlines)) for item in doc.sections[-1].children[0].actions.items)
    total = sum(len(s.notes) for s in fitted)
    assert total < 3 * text, (total, text)
    # Every action is said exactly once across the notes.
    joined = "\n".join(s.notes for s in run)
    assert joined.count("Action number 1999 of") == 1 and joined.count("Action number 7 of") == 1


def test_a_long_table_continues_with_its_header_repeated():
    rows = "\n".join(f"| Row {i} | {i * 7} | a longer cell of text that wraps {i} |" for i in range(80))
    brief = _load("title: Tables\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: Short.\n"
                  "sections:\n  - id: t\n    title: Table\n    body: |\n      Intro.\n\n"
                  "      | Name | Value | Comment |\n      |:--|--:|:--|\n"
                  + "\n".join("      " + r for r in rows.split("\n")) + "\n")
    theme, _ = load_theme(THEMES[0])
    doc = lower(brief, theme, "pptx")
    fitted = fitted_slides(doc, theme)
    run = [s for s in fitted if s.anchor == "sec-t"]
    tables = [i for s in run for i in s.paras if isinstance(i, TablePlan)]
    assert len(run) > 1 and len(tables) == len(run)
    assert all("".join(r.text for c in t.header for r in c) == "NameValueComment" for t in tables)
    assert [t.cont for t in tables] == [False] + [True] * (len(tables) - 1)
    assert len({t.widths for t in tables}) == 1  # the columns keep their widths on every slide
    assert sum(len(t.rows) for t in tables) == 80
    assert [c[0].text for t in tables for row in t.rows for c in row[:1]] == [f"Row {i}" for i in range(80)]


def test_a_table_row_taller_than_a_slide_is_split_between_its_lines():
    words = " ".join(f"word{i}" for i in range(700))
    brief = _load("title: Tall row\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: Short.\n"
                  "sections:\n  - id: t\n    title: Table\n    body: |\n"
                  f"      | Name | Text |\n      |--|--|\n      | one | {words} |\n      | two | short |\n")
    theme, _ = load_theme(THEMES[0])
    fitter = Fitter(theme)
    fitted = fitted_slides(lower(brief, theme, "pptx"), theme, fitter)
    run = [s for s in fitted if s.anchor == "sec-t"]
    assert len(run) > 1
    for s in run:  # nothing past the body's foot
        assert fitter.height(s.paras, s.boxes["body"][2], s.body_size) <= s.boxes["body"][3]
    cells = [_text(c) for s in run for t in s.paras for row in t.rows for c in row]
    assert _squash("".join(cells)) == _squash("one" + words + "two" + "short")


def test_a_note_too_long_for_a_foot_is_shortened_there_and_said_whole():
    words = " ".join(f"word{i}" for i in range(600))
    brief = _load("title: Long note\nlanguage: en-GB\nauthors: [{name: A}]\nsummary: A claim.[^long]\n"
                  f"notes:\n  long: {words}\n")
    theme, _ = load_theme(THEMES[0])
    fitter = Fitter(theme)
    from builders.diagnostics import Log

    log = Log("x", "pptx")
    fitted = fitted_slides(lower(brief, theme, "pptx"), theme, fitter, log)
    (s,) = [f for f in fitted if f.anchor == "summary"]
    assert s.foot and s.foot[0].text.endswith("…")
    left, top, width, height = s.boxes["foot"]
    assert fitter.height(s.foot, width, theme.sizes.slide_min) <= height <= theme.slides.height * 0.25
    assert fitter.height(s.paras, s.boxes["body"][2], s.body_size) <= s.boxes["body"][3]
    assert words in s.notes  # the speaker notes say it whole
    assert [w for w in log.warnings if "notes[long]" in w.message]


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_no_slide_ends_with_a_line_that_heads_the_next(decks, key, theme_name):
    """A sub-heading, or a line ending in a colon, moves on to the slide with what it introduces."""
    _, _, _, fitted = decks(key, theme_name)
    for s, nxt in zip(fitted, fitted[1:]):
        if not nxt.continued or len(s.paras) < 2 or not isinstance(s.paras[-1], Para):
            continue
        last = s.paras[-1]
        if last.said is not None and nxt.paras and getattr(nxt.paras[0], "cont", False):
            continue  # a paragraph cut between the slides
        assert last.kind != "subhead" and not last.text.rstrip().endswith((":", "：")), (s.title, last.text)
        # A list item stays with the items nested under it (executive's rich-en once split them).
        first = nxt.paras[0] if nxt.paras else None
        assert not (isinstance(first, Para) and not first.cont and first.level > last.level), (s.title, last.text)


def test_a_slide_crowded_with_notes_keeps_its_foot_within_a_third_of_it():
    words = " ".join(f"word{i}" for i in range(45))
    notes = "".join(f"  n{i}: Note {i}, {words}\n" for i in range(8))
    brief = _load("title: Crowded\nlanguage: en-GB\nauthors: [{name: A}]\n"
                  "summary: A claim.[^n0][^n1][^n2][^n3][^n4][^n5][^n6][^n7]\n" f"notes:\n{notes}")
    theme, _ = load_theme(THEMES[0])
    fitter = Fitter(theme)
    from builders.diagnostics import Log

    log = Log("x", "pptx")
    fitted = fitted_slides(lower(brief, theme, "pptx"), theme, fitter, log)
    (s,) = [f for f in fitted if f.anchor == "summary"]
    left, top, width, height = s.boxes["foot"]
    assert fitter.height(s.foot, width, theme.sizes.slide_min) <= height
    # Within a third of the slide, or (large type: eight notes cannot) every note down to a line.
    assert height <= theme.slides.height / 3 or all(
        len(fitter.lines(p, width, theme.sizes.slide_min)) == 1 for p in s.foot)
    assert fitter.height(s.paras, s.boxes["body"][2], s.body_size) <= s.boxes["body"][3]
    assert [p.text.split(" ")[0] for p in s.foot] == [str(i) for i in range(1, 9)]  # every note, in order
    for i in range(8):
        assert f"Note {i}, {words}" in s.notes  # said whole
    assert any("notes[n7]" in w.message for w in log.warnings)
