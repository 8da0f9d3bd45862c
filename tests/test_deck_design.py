"""The deck's design rules (issue 19), read back from the built .pptx with python-pptx, every theme.

No two dividers in a row; unique titles; one title size per slide type; content
blocks standing in the middle of the slide, not top-heavy; a case's key number as a
callout of 40 pt or more; title and closing slides never continued (authors
condensed); body text within the theme's budget; the date on the title slide;
decoration flagged decorative.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from builders import document as d
from builders.build import build_brief
from builders.key_figure import key_number
from builders.build_pptx.blocks import sentences
from builders.build_pptx.design import BUDGETED, SLACK, balanced, merge_dividers
from builders.build_pptx.plan import SlidePlan
from builders.build_pptx.runs import Para, Run
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, FIXTURES, THEMES

KEYS = ("sample", "english", "rich-en", "rich-zh", "refs-en", "refs-zh")
PATHS = {**BRIEFS, "refs-en": FIXTURES / "refs-en.yaml", "refs-zh": FIXTURES / "refs-zh.yaml"}
_BUILT: dict = {}
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
_TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_FURNITURE = ("Footer", "Slide Number", "Footnotes")


def _title(slide):
    for sh in slide.placeholders:
        if sh.placeholder_format.type in _TITLES:
            return sh
    return None


def _kind(slide) -> str:
    return {"Title Slide": "title", "Section Header": "section"}.get(slide.slide_layout.name, "content")


def _body_shapes(slide):
    title = _title(slide)
    for sh in slide.shapes:
        if sh.shape_id == title.shape_id or sh.name in _FURNITURE or sh.name == "Key number":
            continue
        if (sh.has_text_frame and sh.text_frame.text.strip()) or sh.has_table:
            yield sh


def _deck(built, key, theme):
    if key in BRIEFS:
        return Presentation(str(built(key, theme, "pptx")))
    if (key, theme) not in _BUILT:  # the briefs with references: built here, once per session
        import tempfile

        brief, _ = load_brief(PATHS[key])
        th, _ = load_theme(theme)
        out = Path(tempfile.mkdtemp(prefix=f"deck-{key}-{theme}-"))
        _BUILT[key, theme] = build_brief(brief, th, out, ["pptx"], parallel=False).outputs[0]
    return Presentation(str(_BUILT[key, theme]))


def _doc(key, theme):
    brief, _ = load_brief(PATHS[key])
    th, _ = load_theme(theme)
    return lower(brief, th, "pptx"), th


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_no_dividers_in_a_row_and_unique_titles(built, key, theme):
    deck = _deck(built, key, theme)
    doc, _ = _doc(key, theme)
    mark = doc.labels.continued.strip()
    layouts = [s.slide_layout.name for s in deck.slides]
    assert not any(a == b == "Section Header" for a, b in zip(layouts, layouts[1:])), layouts
    titles = [_title(s).text_frame.text.replace("\n", " ") for s in deck.slides]
    first = [t for t in titles if not t.rstrip().endswith(mark)]  # continuations are told apart by their mark
    assert len(first) == len(set(first)), [t for t in first if first.count(t) > 1]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_one_title_size_per_slide_type(built, key, theme):
    sizes = defaultdict(set)
    for slide in _deck(built, key, theme).slides:
        sizes[_kind(slide)] |= {r.font.size.pt for p in _title(slide).text_frame.paragraphs for r in p.runs
                                if r.font.size}
    assert all(len(v) == 1 for v in sizes.values()), dict(sizes)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_content_is_not_top_heavy(built, key, theme):
    deck = _deck(built, key, theme)
    half = deck.slide_height / 2
    for n, slide in enumerate(deck.slides, 1):
        if _kind(slide) != "content":
            continue
        shapes = list(_body_shapes(slide))
        if not shapes:  # a chart slide: the chart fills the body
            continue
        lowest = max(sh.top + sh.height for sh in shapes)  # frames are as tall as their text
        assert lowest > half, (n, _title(slide).text_frame.text)


def _has_callout(slide) -> bool:
    return any(r.font.size is not None and r.font.size.pt >= 40 and re.search(r"\d", r.text)
               for sh in slide.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ("sample", "english"))
def test_each_case_with_a_number_shows_it_large(built, key, theme):
    deck = _deck(built, key, theme)
    doc, _ = _doc(key, theme)
    by_title = {re.sub(r"[\n\v]", "", _title(s).text_frame.text): s for s in deck.slides}  # a:br: layout
    cases = [s for s in doc.walk() if s.role == "case"]
    numbered = 0
    for case in cases:
        texts = [d.plain(p) for p in case.points] + [line for b in case.body for line in d.block_text(b)]
        if key_number(texts) is None:
            continue
        numbered += 1
        slide = by_title[case.label]
        assert _has_callout(slide), case.label
        assert key_number(texts) in "".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert numbered >= {"sample": 3, "english": 1}[key]  # the sample's 50%, 9+2, 3个版本; Boston's 50%


def test_key_numbers():
    assert key_number(["承担了美国超过50%的互联网流量"]) == "50%"
    assert key_number(["形成“9+2”城市格局"]) == "9+2"
    assert key_number(["规划已迭代了3个版本"]) == "3个版本"
    assert key_number(["累计培育1100多家企业"]) == "1100多家"
    assert key_number(["到2035年建成", "投入356.9亿元"]) == "356.9亿元"
    assert key_number(["Boston hosts 1,200 firms and 40% of patents"]) == "40%"
    assert key_number(["founded in 2019", "no figure here"]) is None


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_body_text_within_the_budget_and_date_on_title(built, key, theme):
    deck = _deck(built, key, theme)
    doc, th = _doc(key, theme)
    limit = th.slides.body_limit(doc.language)
    slides = list(deck.slides)
    kinds = {s.anchor: s.role for s in doc.walk()}
    assert kinds  # (the roles whose slides are budgeted)
    for slide in slides[2:-1]:
        if _kind(slide) != "content" or any(sh.has_table or sh.has_chart for sh in slide.shapes):
            continue
        if _title(slide).text_frame.text.startswith(doc.labels.references):  # looked up, not presented
            continue
        paras = [p.text.strip() for sh in _body_shapes(slide) for p in sh.text_frame.paragraphs if p.text.strip()]
        shown = sum(map(len, paras))
        if len(paras) == 1 and len(sentences(paras[0])) == 1:  # one sentence, whole where it fits legibly
            continue
        assert shown <= limit * SLACK, (_title(slide).text_frame.text, shown, limit)
    if doc.date:
        assert doc.date in "".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)


@pytest.mark.parametrize("theme", ("default", "government", "corporate"))
def test_decoration_is_flagged(built, theme):
    deck = _deck(built, "sample", theme)
    flagged = 0
    for slide in deck.slides:
        for sh in slide.shapes:
            flags = sh._element.xpath(".//p:cNvPr//*[local-name()='decorative']")
            if sh.name in ("Accent band", "Title rule", "Call-out"):
                assert flags and flags[0].get("val") == "1", sh.name
                flagged += 1
            elif sh.has_text_frame and sh.text_frame.text.strip():
                assert not flags, sh.name  # text is never decoration
    assert flagged


def _many_authors(tmp_path: Path, source: Path, names: list[str]) -> Path:
    text = source.read_text(encoding="utf-8")
    block = "authors:\n" + "".join(f"  - name: {n}\n    role: A rather long role title at an institute\n"
                                   for n in names)
    text = re.sub(r"^authors:\n(?:  .*\n)+", block, text, count=1, flags=re.M)
    out = tmp_path / source.name
    out.write_text(text, encoding="utf-8")
    return out


@pytest.mark.parametrize("theme", ("default", "government", "executive"))
@pytest.mark.parametrize("source,names,expect", [
    (FIXTURES / "rich-zh.yaml", ["张三", "李四", "王五", "赵六", "钱七", "孙八"], "张三、李四、王五等"),
    (FIXTURES / "rich-en.yaml", ["Ann Lee", "Bo Chen", "Cy Wu", "Di Xu", "Ed Ma"], "Ann Lee, Bo Chen, Cy Wu and 2 others"),
])
def test_title_and_closing_never_continue(tmp_path, theme, source, names, expect):
    brief, _ = load_brief(_many_authors(tmp_path, source, names))
    th, _ = load_theme(theme)
    result = build_brief(brief, th, tmp_path / "out", ["pptx"], parallel=False)
    deck = Presentation(str(result.outputs[0]))
    slides = list(deck.slides)
    doc = lower(brief, th, "pptx")
    mark = doc.labels.continued.strip()
    assert _kind(slides[0]) == "title" and _kind(slides[-1]) == "title"
    assert not _title(slides[1]).text_frame.text.endswith(mark)
    assert not _title(slides[-2]).text_frame.text.startswith(_title(slides[-1]).text_frame.text)
    for s in (slides[0], slides[-1]):
        text = "".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        assert expect in text
        notes = s.notes_slide.notes_text_frame.text
        assert all(n in notes for n in names) and "A rather long role" in notes  # the notes name everyone


def test_two_dividers_merge_into_one():
    def divider(title, *items, anchor=""):
        return SlidePlan("section", "Section Header", title, tuple(Para((Run(i),), "agenda") for i in items),
                         anchor=anchor or title)

    merged = merge_dividers([divider("四", "（一）", "（二）"), divider("（一）", "1.", "2."),
                             SlidePlan("case", "Title and Content", "1.")])
    assert [s.kind for s in merged] == ["section", "case"]
    assert [(p.text, p.level) for p in merged[0].paras] == [("（一）", 0), ("1.", 1), ("2.", 1), ("（二）", 0)]
    assert "（一）" in merged[0].anchors  # links to the dropped divider land on the merged one
    assert merge_dividers([divider("a"), divider("b", "x")])[0].title == "b"


def test_parts_are_balanced():
    assert balanced([50, 50, 50], 200) == (3,)
    assert balanced([100, 100, 100, 10], 200) == (2, 4)  # not 200 + 110... nor a 10-character tail
    assert balanced([50, 173, 29], 200) == (1, 3)  # 202 characters: a few over, rather than a tail alone
    assert balanced([300, 20], 200) == (1, 2)  # a sentence longer than the budget is a part of its own
    # The sample's key data: two parts either way as even, the cut before the second lead line.
    assert balanced([15, 30, 30, 26, 9, 23, 10, 17, 16], 120, frozenset({4})) == (4, 9)
    assert balanced([15, 30, 30, 26, 9, 23, 10, 17, 16], 120) == (3, 9)


def test_budgeted_kinds_are_content():
    assert "summary" in BUDGETED and "recommendation" in BUDGETED and "section" not in BUDGETED


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_no_paragraph_ends_on_a_lone_character(key, theme):
    """The summary slide once ended on a line of one character: a slide is set a point or so smaller instead."""
    from builders.build_pptx import slides
    from builders.build_pptx.measure import Fitter

    doc, th = _doc(key, theme)
    fitter = Fitter(th)
    for s in slides(doc, th, fitter):
        if s.chart is not None or s.kind in ("title", "closing"):
            continue
        for item in s.paras:
            if isinstance(item, Para) and item.text:
                lines = fitter.lines(item, s.boxes["body"][2], s.body_size)
                assert len(lines) == 1 or len(lines[-1].strip()) > 1, (s.title, lines[-1])


@pytest.mark.parametrize("theme", ("default", "government"))
def test_a_callout_column_is_as_wide_as_its_number_needs(theme):
    """The points beside a key number keep the width it can spare (a bullet's last 字 once wrapped alone)."""
    from builders.build_pptx.geometry import CALLOUT_MIN_SHARE, CALLOUT_SHARE, INSET_X, Geometry
    from builders.build_pptx.measure import Fitter

    th, _ = load_theme(theme)
    fitter = Fitter(th)
    geo = Geometry(th, "x", fitter)
    body = (48.0, 100.0, 800.0, 380.0)
    for text in ("50%", "9+2", "3个版本"):
        points, column, size = geo.callout(text, body)
        need = fitter.title_faces.width(text, size) + 2 * INSET_X
        assert need <= column[2] <= max(need + 24, 800 * CALLOUT_MIN_SHARE) and column[2] <= 800 * CALLOUT_SHARE
        assert points[2] + column[2] + 12 == pytest.approx(800) and size >= 40
    assert geo.callout("50%", body)[1][2] < 800 * CALLOUT_SHARE  # narrower than the old fixed third


@pytest.mark.parametrize("theme", ("default", "accessible", "executive"))
def test_two_line_titles_break_after_their_comma(built, theme):
    """"2.日本东京都市圈建立了完善的创新生态系统，" / "为区域协同发展奠定了良好基础", never "…发展奠" / "定了…":
    a Chinese slide title the fitter sets on two lines ends its first line after its comma."""
    deck = _deck(built, "sample", theme)
    broken = [_title(s).text_frame.text for s in deck.slides if _title(s) is not None
              and "\v" in _title(s).text_frame.text]
    assert len(broken) >= 3 and all(t.split("\v")[0].endswith("，") for t in broken), broken
