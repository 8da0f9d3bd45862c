"""The deck's body budget (issue 19): short actions share a slide, a long one has its own; a sentence longer
than the budget stays whole where it fits legibly, else is cut after a clause, never inside a word."""
from __future__ import annotations

import re

import pytest

from builders.build_pptx import slides as fitted_slides
from builders.build_pptx.plan import body_chars
from builders.build_pptx.runs import Para
from builders.lower import lower
from builders.theme import load_theme

from .conftest import write

SHORT_EN = ["Open the laboratories to firms", "Fund joint calls every year", "Publish the results at the portal",
            "Train the staff of the three places together"]
LONG_EN = ("Build a flexible factor-sharing mechanism that allocates talent, technology, information and other "
           "factors across regions according to their characteristics, and establish a mechanism for sharing "
           "the benefits of collaboration between innovation factors, so that the three places gain alike and "
           "no place is left out of the benefits of working together.")
SHORT_ZH = ["加强供需对接，促进成果落地。", "共建联合实验室。", "每年发布联合课题指南。", "共享科研仪器设备。"]
LONG_ZH = ("建立更加健全的要素引流机制，充分发挥北京国际科技创新中心资源优势，联合津冀创建创新经济圈，协同打造京津冀各类园区"
           "协同创新方阵，提高对国际优质创新要素的吸引能力，推动形成区域创新共同体，并在重点产业领域开展区域人才培养计划，"
           "实现成果共享、成本共担，同时稳步提供制度创新供给。")


def _brief(tmp_path, language: str, actions: list[str], title: str = "Act"):
    from builders.loader import load_brief

    items = "".join(f"      - \"{a}\"\n" for a in actions)
    text = (f"title: Budget\nlanguage: {language}\nauthors: [{{name: A}}]\nsummary: Short.\n"
            f"recommendations:\n  - id: r\n    title: {title}\n    body: Lead.\n    actions:\n{items}")
    return load_brief(write(tmp_path, text))[0]


def _slides(tmp_path, language, actions, theme="default"):
    th, _ = load_theme(theme)
    doc = lower(_brief(tmp_path, language, actions), th, "pptx")
    return [s for s in fitted_slides(doc, th) if s.kind == "recommendation"], doc, th


@pytest.mark.parametrize("language,short,long", [("en-GB", SHORT_EN, LONG_EN), ("zh-CN", SHORT_ZH, LONG_ZH)])
def test_short_actions_share_a_slide_and_a_long_one_has_its_own(tmp_path, language, short, long):
    run, doc, th = _slides(tmp_path, language, short[:2] + [long] + short[2:])
    limit = th.slides.body_limit(language)
    assert len(long) > limit * 1.05 and sum(map(len, short)) < limit / 2  # (the fixture is what it says)
    shown = [[p.text for p in s.paras if isinstance(p, Para) and p.kind == "number"] for s in run]
    assert [len(x) for x in shown] == [2, 1, 2], shown  # not one action to a slide
    assert shown[1] == [long]
    titles = [s.title for s in run]
    assert not titles[0].endswith(doc.labels.continued)  # continuations are told apart by the language's mark
    assert all(t == titles[0] + doc.labels.continued for t in titles[1:])
    assert all(body_chars(s.paras) <= limit * 1.1 for s in run if len(s.paras) > 1)  # (the long one: its own)


def test_a_long_sentence_stays_whole_on_one_slide_at_a_legible_size(tmp_path):
    sentence = LONG_EN + " " + LONG_EN.replace("Build", "and build").rstrip(".")[:-1] + "."
    sentence = sentence.replace(". and", ", and")  # one sentence of about 560 characters
    assert len(sentence) > 400 and not re.search(r"\. ", sentence)
    for theme in ("default", "executive"):
        run, doc, th = _slides(tmp_path, "en-GB", [sentence], theme)
        paras = [p for s in run for p in s.paras if isinstance(p, Para) and p.kind == "number"]
        assert len(paras) == 1 and paras[0].text == sentence  # whole: no "(cont.)" slide cuts it
        assert run[-1].body_size >= th.sizes.slide_min


@pytest.mark.parametrize("language,clause,sep", [("en-GB", "the region counts 1,200 firms and 3,400 labs in all", "; "),
                                                 ("zh-CN", "三地共同建立人才数据库并搭建高层次人才交流平台", "，")])
def test_a_sentence_too_long_for_any_slide_is_cut_after_a_clause_never_in_a_word(tmp_path, language, clause, sep):
    """At the theme's smallest size it would not fit: it is cut where a clause ends, each part a slide."""
    sentence = sep.join(f"{clause} {i}" if language == "en-GB" else f"{clause}{i}" for i in range(40)) + "."
    run, doc, th = _slides(tmp_path, language, [sentence], "accessible")
    parts = [p.text for s in run for p in s.paras if isinstance(p, Para) and p.kind == "number"]
    assert len(parts) > 1
    assert (" " if language == "en-GB" else "").join(parts) == sentence  # nothing lost, nothing doubled
    for part in parts[:-1]:
        assert part.endswith(sep.strip()), part[-20:]  # after a clause: never inside "1,200" or a word
    assert all(s.body_size >= th.sizes.slide_min for s in run)
