"""The deck's plan and fitting, tested without python-pptx: order, one slide per item, continuations, no loss."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from builders.build_pptx import slides as fitted_slides
from builders.build_pptx.measure import Fitter, split_para
from builders.build_pptx.plan import Para, list_notes, plan, sentences
from builders.loader import load_brief
from builders.i18n import labels
from builders.outline import outline
from builders.theme import load_theme

from .conftest import BRIEFS, ROOT, THEMES

KEYS = tuple(BRIEFS)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def decks():
    """(brief, theme, planned, fitted) per (brief key, theme), computed once."""
    cache = {}

    def get(key, theme_name):
        if (key, theme_name) not in cache:
            brief, _ = load_brief(BRIEFS[key])
            theme, _ = load_theme(theme_name)
            cache[key, theme_name] = (brief, theme, plan(brief, theme), fitted_slides(brief, theme))
        return cache[key, theme_name]

    return get


def test_plan_and_measure_do_not_import_python_pptx():
    code = ("import sys, builders.build_pptx.plan, builders.build_pptx.measure; "
            "sys.exit(1 if any(m == 'pptx' or m.startswith('pptx.') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_order_follows_outline(decks, key, theme_name):
    brief, theme, planned, _ = decks(key, theme_name)
    nodes = outline(brief, theme, "pptx")
    assert planned[0].kind == "title" and planned[0].title == brief.title
    assert planned[1].kind == "agenda"
    assert planned[-1].kind == "closing"
    # The agenda lists the outline's headings (not the individual items), in order.
    assert [p.text for p in planned[1].paras] == [n.label for n in nodes
                                                 if n.kind not in ("case", "lesson", "recommendation")]
    # Content slides appear in outline order.
    anchors = [s.anchor for s in planned[2:-1]]
    expected = [n.anchor for n in nodes]
    deduped = [a for i, a in enumerate(anchors) if i == 0 or anchors[i - 1] != a]
    assert deduped == [a for a in expected if a in anchors]
    assert set(anchors) == set(expected) - ({"figures"} if not brief.figures else set())


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_one_slide_per_case_and_recommendation(decks, key, theme_name):
    brief, theme, _, fitted = decks(key, theme_name)
    mark = labels(brief.language).continued
    nodes = {n.anchor: n for n in outline(brief, theme, "pptx")}
    for kind, items, prefix in (("case", brief.cases, "case-"), ("recommendation", brief.recommendations, "rec-")):
        for item in items:
            node = nodes[prefix + item.id]
            run = [s for s in fitted if s.anchor == node.anchor]
            assert [s.continued for s in run] == [False] + [True] * (len(run) - 1)
            assert run[0].title == node.label and run[0].kind == kind
            assert all(s.title == node.label + mark for s in run[1:])


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_fitting_never_drops_text(decks, key, theme_name):
    brief, theme, planned, fitted = decks(key, theme_name)
    for s in planned:
        run = [f for f in fitted if f.anchor == s.anchor and f.base_title == s.base_title and f.chart is s.chart]
        assert run, s.title
        assert _squash("".join(p.text for f in run for p in f.paras)) == _squash("".join(p.text for p in s.paras))
        if s.list_notes:  # each slide's notes list what that slide shows, under the heading
            assert all(f.notes == list_notes(s.title, f.paras) for f in run)
            assert _squash("".join(f.notes for f in run)).count(_squash(s.title)) == len(run)
        else:  # the whole text on every slide of the run
            assert all(f.notes == s.notes for f in run)


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_everything_fits_its_box(decks, key, theme_name):
    brief, theme, _, fitted = decks(key, theme_name)
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
        for box in (v for k, v in s.boxes.items() if isinstance(v, tuple)):
            assert box[0] >= 0 and box[0] + box[2] <= theme.slides.width + 0.01


def test_long_brief_continues_with_the_mark(decks):
    brief, theme, planned, fitted = decks("long", THEMES[0])
    mark = labels(brief.language).continued
    continued = [s for s in fitted if s.continued]
    assert continued, "the long brief must produce continuation slides"
    assert all(s.title.endswith(mark) for s in continued)
    assert len(fitted) > len(planned)
    # Every case, every recommendation, the lesson without points: continued, not shrunk away.
    for s in continued:
        assert s.body_size >= theme.sizes.slide_min


@pytest.mark.parametrize("key", KEYS)
def test_notes_hold_the_full_text(decks, key):
    brief, theme, planned, _ = decks(key, THEMES[0])
    by_anchor = {s.anchor: s for s in planned}
    for case in brief.cases:
        notes = by_anchor[f"case-{case.id}"].notes
        assert case.body.plain in notes and all(p in notes for p in case.points)
    for rec in brief.recommendations:
        notes = by_anchor[f"rec-{rec.id}"].notes
        assert rec.body.plain in notes and all(a in notes for a in rec.actions)
        assert rec.closing.plain in notes
    for lesson in brief.lessons:
        assert lesson.body.plain in by_anchor[f"lesson-{lesson.id}"].notes
    assert brief.summary.plain in by_anchor["summary"].notes


@pytest.mark.parametrize("key", KEYS)
def test_case_without_points_is_derived_from_its_body(decks, key):
    brief, _, planned, _ = decks(key, THEMES[0])
    by_anchor = {s.anchor: s for s in planned}
    for case in brief.cases:
        s = by_anchor[f"case-{case.id}"]
        bullets = [p.text for p in s.paras if p.kind == "bullet"]
        if case.points:
            assert bullets == list(case.points)
        else:
            assert _squash("".join(bullets)) == _squash("".join(case.body.paragraphs))
        if case.region:
            assert s.paras[0].text == case.region


@pytest.mark.parametrize("key", KEYS)
def test_recommendation_slide_has_lead_and_numbered_actions(decks, key):
    brief, _, planned, _ = decks(key, THEMES[0])
    by_anchor = {s.anchor: s for s in planned}
    for rec in brief.recommendations:
        s = by_anchor[f"rec-{rec.id}"]
        assert [p.text for p in s.paras if p.kind == "number"] == list(rec.actions)
        assert [p.text for p in s.paras if p.kind == "lead"] == list(rec.body.paragraphs)
        assert len({p.marker for p in s.paras if p.kind == "number"}) == len(rec.actions)


@pytest.mark.parametrize("key", KEYS)
def test_charted_figures_get_chart_slides(decks, key):
    brief, _, planned, _ = decks(key, THEMES[0])
    assert [s.chart for s in planned if s.chart is not None] == list(brief.charted_figures)


def test_sentences_and_split_keep_every_character():
    assert sentences("甲。乙！丙") == ["甲。", "乙！", "丙"]
    assert sentences("One. Two; three") == ["One.", "Two; three"]
    para = Para("Alpha beta gamma delta epsilon zeta eta theta", "bullet")
    lines = ["Alpha beta", "gamma delta", "epsilon zeta", "eta theta"]
    head, tail = split_para(para, lines, 2)
    assert head.text == "Alpha beta gamma delta" and tail.text == "epsilon zeta eta theta"
    assert tail.cont and not head.cont
    zh = Para("推动协同创新，建立健全区域创新体系", "number", marker="一是")
    head, tail = split_para(zh, ["一是推动协同创", "新，建立健全区", "域创新体系"], 1)
    assert head.text + tail.text == zh.text and head.text == "推动协同创"


@pytest.mark.parametrize("key", ("sample", "long"))
def test_other_slide_sizes_fit_too(key):
    """The geometry follows theme.slides: a 4:3 deck fits as well as a 16:9 one."""
    from dataclasses import replace as dc_replace

    from builders.theme import Slides

    brief, _ = load_brief(BRIEFS[key])
    base, _ = load_theme(THEMES[0])
    theme = dc_replace(base, slides=Slides(720.0, 540.0))
    fitter = Fitter(theme)
    for s in fitted_slides(brief, theme):
        for box in (v for v in s.boxes.values() if isinstance(v, tuple)):
            assert 0 <= box[0] and box[0] + box[2] <= 720.01 and 0 <= box[1] and box[1] + box[3] <= 540.01
        if s.paras:
            assert fitter.height(s.paras, s.boxes["body"][2], s.body_size) <= s.boxes["body"][3]


def test_safe_wrap_never_returns_a_line_wider_than_asked():
    """linebreak.wrap can carry an opening quote onto a word that then overfills a narrow line."""
    from builders.build_pptx.measure import safe_wrap

    width = lambda s: 10.0 * len(s)  # noqa: E731 - every character 10 pt wide
    text = "ab “Boston” and “birthplace” 京津冀“协同”创新，。"
    for avail in (30, 50, 70, 90, 120):
        lines = safe_wrap(text, avail, width)
        assert all(width(line) <= avail for line in lines), (avail, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_long_overview_does_not_repeat_its_whole_list_in_every_slides_notes():
    """100 cases: the overview runs over several slides, each with notes for its own part of the list."""
    from tests import synthetic

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "s.yaml"
        src.write_text(synthetic.dump(100), encoding="utf-8")
        brief, _ = load_brief(src)
    theme, _ = load_theme(THEMES[0])
    fitted = fitted_slides(brief, theme)
    first = next(s for s in fitted if s.kind == "section" and len(s.paras) and brief.cases[0].title in s.paras[0].text)
    overview = [s for s in fitted if s.kind == "section" and s.anchor == first.anchor]
    assert len(overview) > 1
    for s in overview:  # its heading and what it shows, nothing more
        assert s.notes == list_notes(first.title, s.paras)
    listed = sum(len(p.text) for s in overview for p in s.paras)
    assert sum(len(s.notes) for s in overview) < listed + (len(first.title) + 1) * len(overview) + 200
