"""The lowering (issue 15): order, numbering, labels, dates, markers and note numbers decided once."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from builders import document as d
from builders.i18n import format_date
from builders.loader import load_brief
from builders.lower import lower, reading_order
from builders.theme import load_theme

from .conftest import MINIMAL, RICH_EN, RICH_ZH, SAMPLE


@pytest.fixture(scope="module")
def default():
    return load_theme("default")[0]


def test_explicit_order_is_the_reading_order(default):
    brief, _ = load_brief(RICH_EN)
    doc = lower(brief, default, "pdf")
    assert [s.anchor for s in doc.sections] == ["summary", "sec-key-messages", "sec-background", "status",
                                                "sec-method", "recommendations"]


def test_default_order_puts_free_sections_after_challenges(default):
    brief, _ = load_brief(RICH_ZH)
    assert reading_order(brief) == ("summary", "status", "hexin", "beijing", "fangfa", "recommendations")


def test_box_section_is_a_box(default):
    brief, _ = load_brief(RICH_EN)
    key = next(s for s in lower(brief, default, "docx").sections if s.anchor == "sec-key-messages")
    assert key.role == "free" and key.style == "box"
    (box,) = key.blocks
    assert isinstance(box, d.Box) and box.role == "box" and isinstance(box.blocks[0], d.BulletList)


def test_sub_headings_are_one_level_below_their_section(default):
    brief, _ = load_brief(RICH_EN)
    background = next(s for s in lower(brief, default, "pdf").sections if s.anchor == "sec-background")
    heading = next(b for b in background.blocks if isinstance(b, d.Heading))
    assert background.level == 1 and heading.level == 2 and d.plain(heading.inlines) == "Earlier policy"


def test_notes_numbered_in_order_of_first_reference(default):
    brief, _ = load_brief(RICH_EN)
    doc = lower(brief, default, "docx")
    # The subtitle's note comes first, then the summary's, the key messages', the background's, the table's.
    assert [n.note_id for n in doc.notes] == ["scope", "oecd", "platforms", "admin", "na"]
    assert [n.number for n in doc.notes] == [1, 2, 3, 4, 5]
    refs = [node for s in doc.walk() for b in s.blocks for seq in d.block_inlines(b) for node in d.iter_inlines(seq)
            if isinstance(node, d.NoteRef)]
    assert {r.note_id: r.number for r in refs} == {"oecd": 2, "platforms": 3, "admin": 4, "na": 5}
    assert d.plain(doc.subtitle).endswith("1")


def test_author_enumerators_are_not_doubled(default):
    brief, _ = load_brief(RICH_ZH)
    doc = lower(brief, load_theme("government")[0], "pdf")
    recs = [s for s in doc.walk() if s.role == "recommendation"]
    lines = [line for r in recs for line in d.block_text(r.actions)]
    assert lines == ["一是向三地企业开放实验室", "二是每年组织联合资助", "三是在门户网站公布结果", "一是发布统一的企业和人才名录"]
    assert not any("一是一是" in x or "二是二是" in x for x in lines)
    brief, _ = load_brief(RICH_EN)
    doc = lower(brief, default, "pdf")
    first = next(s for s in doc.walk() if s.role == "recommendation")
    assert d.block_text(first.actions)[:2] == ["1. Open the laboratories to firms from all three places",
                                              "2. Fund joint calls every year"]


def test_generated_words_come_from_the_language(default):
    when = dt.date(2025, 3, 1)
    assert format_date(when, "en-GB") == "1 March 2025"
    assert format_date(when, "en-US") == "March 1, 2025"
    assert format_date(when, "zh-CN") == "2025年3月1日"
    assert format_date(when, "ja-JP") == "2025年3月1日"
    assert format_date(when, "ko-KR") == "2025년 3월 1일"
    brief, _ = load_brief(SAMPLE)
    for lang, label in (("zh-CN", "关键词："), ("ja-JP", "キーワード："), ("ko-KR", "키워드: "), ("en-GB", "Keywords: ")):
        doc = lower(replace(brief, language=lang), default, "docx")
        assert d.plain(doc.keywords_line.inlines).startswith(label)


def test_every_format_gets_the_same_words(default):
    """The date and labels are decided once: the three documents of a brief agree."""
    brief, _ = load_brief(RICH_EN)
    docs = [lower(brief, default, fmt) for fmt in ("docx", "pptx", "pdf")]
    assert len({doc.date for doc in docs}) == 1 and docs[0].date == "1 March 2026"
    assert len({tuple(s.label for s in doc.walk()) for doc in docs}) == 1


def test_a_theme_may_leave_a_section_out_of_one_format():
    brief, _ = load_brief(SAMPLE)
    executive = load_theme("executive")[0]
    assert "lessons" not in [s.role for s in lower(brief, executive, "pptx").walk()]
    assert "lessons" in [s.role for s in lower(brief, executive, "pdf").walk()]


def test_percent_approximations_are_idiomatic_chinese(default):
    from builders.i18n import format_value
    from builders.model import Datum, Figure, line_of

    fig = Figure("f", line_of("T"), unit="%")
    assert format_value(Datum(50, "x", approx="more_than"), fig, "zh-CN") == "50%以上"
    assert format_value(Datum(9500, "x", unit="家", approx="more_than"), fig, "zh-CN") == "9500余家"


# ---------------------------------------------------------------- closed node sets


def test_plain_text_refuses_an_unknown_node():
    """A block type the code does not know is an error, never silently dropped."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Aside:
        text: str

    with pytest.raises(AssertionError):
        d.block_text(Aside("x"))  # type: ignore[arg-type]
    with pytest.raises(AssertionError):
        d.plain((Aside("x"),))  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["docx", "pptx", "pdf"])
def test_every_builder_refuses_an_unknown_block(fmt, tmp_path, default, monkeypatch):
    """A new block type needs the model, the lowering and one case per builder: a builder that lacks the case
    fails (``assert_never``) instead of dropping the content."""
    from dataclasses import dataclass

    from builders.diagnostics import Log
    from builders.registry import builder

    @dataclass(frozen=True)
    class Aside:
        blocks: tuple

    brief, _ = load_brief(RICH_EN)
    doc = lower(brief, default, fmt)
    summary = doc.sections[0]
    doc = replace(doc, sections=(replace(summary, blocks=summary.blocks + (Aside(()),),
                                         body=summary.body + (Aside(()),)),) + doc.sections[1:])
    with pytest.raises(AssertionError, match="Aside"):
        builder(fmt).build(doc, default, tmp_path / f"x.{fmt}", Log("x", fmt))


@pytest.mark.parametrize("fmt", ["docx", "pptx", "pdf"])
def test_adjacent_note_marks_are_kept_apart(default, tmp_path, fmt):
    """Notes 1 and 2 at one place read "¹,²", never "¹²" (which reads as note 12), in every format."""
    from .conftest import write

    text = MINIMAL.read_text(encoding="utf-8").replace(
        "summary: One paragraph of summary.",
        "summary: Two sources agree.[^a][^b] One does not.[^c]\nnotes:\n  a: First.\n  b: Second.\n  c: Third.")
    brief, _ = load_brief(write(tmp_path, text))
    (para,) = lower(brief, default, fmt).sections[0].blocks
    kinds = [type(n).__name__ for n in para.inlines]
    assert kinds == ["Str", "NoteRef", "Sup", "NoteRef", "Str", "NoteRef"]
    assert d.plain(para.inlines[2].children) == ","


# ---------------------------------------------------------------- a case's key figure, decided once


KEY_CASES = """\
title: 关键数字
language: zh-CN
authors: [{name: 甲}]
summary: 摘要。
cases:
  - {id: pct, title: 百分比, body: 正文。, points: ["承担了美国50%的互联网流量", "拥有3所大学"]}
  - {id: sum, title: 城市格局, points: ["形成“9+2”城市格局"], body: "规划面积5.6万平方公里。"}
  - {id: ver, title: 版本, body: 正文。, points: ["规划已迭代了3个版本"]}
  - {id: none, title: 没有数字, points: ["政府、企业、高校协同"], body: "2019年起步，没有可数的量。"}
  - {id: approx, title: 约数, body: "波士顿拥有超过50%的流量。其他内容。"}
  - {id: noted, title: 注释, body: 正文。, points: ["专利增长[^n]50%"]}
notes: {n: 一条注释。}
"""


def test_each_case_gets_its_key_figure_in_the_lowering(default, tmp_path):
    """The number a case shows large is the document's (every writer reads it), by kind: percentage, sum, unit."""
    from .conftest import write

    brief, _ = load_brief(write(tmp_path, KEY_CASES))
    cases = {s.anchor: s.key_figure for s in lower(brief, default, "docx").walk() if s.role == "case"}
    assert cases["case-pct"] == d.KeyFigure("50%", "承担了美国50%的互联网流量")  # a percentage before 3所
    assert cases["case-sum"].value == "9+2"  # the points before the body's 5.6万
    assert cases["case-ver"].value == "3个版本"
    assert cases["case-none"] is None  # a year is no key figure
    approx = cases["case-approx"]
    assert (approx.value, approx.approx, approx.label) == ("50%", "超过", "波士顿拥有超过50%的流量。")
    assert cases["case-noted"].value == "50%"  # the note mark (1) is no digit of the number (150%)
    pdf = {s.anchor: s.key_figure for s in lower(brief, default, "pdf").walk() if s.role == "case"}
    assert pdf == cases  # decided once: the same for every format


def test_key_figure_approximations_in_english():
    from builders.key_figure import key_figure

    got = key_figure(["Boston carries more than 50% of US internet traffic. It also hosts 1,200 firms."])
    assert (got.value, got.approx, got.label) == ("50%", "more than", "Boston carries more than 50% of US internet "
                                                  "traffic.")
    assert key_figure(["About 40 percent of patents"]).approx == "About"
    assert key_figure(["founded in 2019"]) is None
