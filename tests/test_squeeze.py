"""标点挤压: which full-width marks a line squeezes, by how much, and when it must break earlier instead."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders.squeeze import CLOSING, OPENING, choose, in_pair

HALF = 0.5  # a cell is 1.0: a squeezable mark saves half of it


def _savings(text: str, blocked: str = "") -> list[float]:
    return [HALF if ch in CLOSING | OPENING and ch not in blocked else 0.0 for ch in text]


def test_a_line_that_fits_squeezes_nothing():
    text = "京津冀，协同创新。"
    assert choose(text, _savings(text), 0.0) == []


def test_a_closing_mark_past_the_grid_stays_by_squeezing_itself_and_one_more():
    """28 cells and a 29th "，": the comma at the end and the line's other comma take half a cell each."""
    text = "京津冀协同发展，" + "创" * 20 + "，"
    assert len(text) == 29
    assert choose(text, _savings(text), 1.0) == [7, 28]


def test_adjacent_marks_go_before_lone_ones():
    """A pair ("。”", "），") takes one and a half cells before a lone mark nearer the end is touched."""
    text = "甲。”乙丙丁，戊己庚辛，"
    assert choose(text, _savings(text), 1.0) == [1, 11]
    text = "甲（乙），丙丁，戊己，"
    assert choose(text, _savings(text), 1.0) == [3, 10]


@pytest.mark.parametrize("text, squeezed", [
    ("。”", [0]), ("”，", [0]), ("），", [0]),  # closing then closing: the first loses its right half
    ("（“", [1]), ("，“", [0, 1]),              # an opening mark after a mark loses its left half
    ("）（", [0, 1]),                            # both blanks face each other: one cell for the two
    ("甲，乙", []), ("“甲”", []),                # lone marks are no pair
])
def test_pair_rules(text, squeezed):
    assert [i for i in range(len(text)) if in_pair(text, i)] == squeezed


def test_only_as_much_as_needed():
    text = "甲，乙，丙，丁，"
    assert choose(text, _savings(text), 0.3) == [7]
    assert choose(text, _savings(text), 0.5) == [7]
    assert choose(text, _savings(text), 0.6) == [5, 7]


def test_marks_with_ink_in_both_halves_are_not_squeezed():
    """FandolFang centres "？": its font gives it no saving, so another mark is squeezed instead."""
    text = "甲，乙？丙？"
    assert choose(text, _savings(text, blocked="？"), 0.5) == [1]
    assert choose(text, _savings(text, blocked="？，"), 0.5) is None


def test_an_overflow_too_big_to_squeeze_is_refused():
    text = "甲乙丙丁，戊己庚辛。"
    assert choose(text, _savings(text), 1.0) == [4, 9]
    assert choose(text, _savings(text), 1.5) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("京津冀创新，。、；：”’）》“‘（《abc")), min_size=1, max_size=40),
       st.floats(0, 6))
def test_squeezes_enough_and_no_more(text, overflow):
    savings = _savings(text)
    chosen = choose(text, savings, overflow)
    if chosen is None:
        assert sum(savings) < overflow
        return
    saved = sum(savings[i] for i in chosen)
    assert saved >= overflow - 1e-6
    assert all(text[i] in CLOSING | OPENING for i in chosen)
    assert not chosen or saved - HALF < overflow - 1e-6, "one mark fewer would have been enough"


# ---------------------------------------------------------------- in the PDF's line breaker


@pytest.fixture(scope="module")
def fang():
    """FandolFang registered with its half-width companion, as a build does (no PDF is written)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from builders.build_pdf import halfpunct, kinsoku
    from builders.build_pdf.fontcache import truetype_subset
    from builders.errors import MissingDependency
    from builders.fonts import resolve

    try:
        font = resolve("FandolFang")
    except MissingDependency:
        pytest.skip("FandolFang is not installed")
    chars = "京津冀协同发展创新甲乙，。”？"
    path = truetype_subset(font, chars)
    name = "Brief-test-squeeze"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    halfpunct.register(name, path, chars)
    kinsoku.install()
    return name


def _split(name: str, text: str, cells: float):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from builders.build_pdf import kinsoku

    para = Paragraph(text, ParagraphStyle("t", fontName=name, fontSize=10, wordWrap="CJK"))
    lines = kinsoku.cjk_frag_split(para.frags, [cells * 10 + 0.001], False).lines
    return ["".join(w.text for w in line.words) for line in lines], lines


def test_the_breaker_keeps_the_comma_by_squeezing(fang):
    text = "京津冀，协同发展创新，" + "甲" * 10
    out, lines = _split(fang, text, 10)
    assert out[0] == "京津冀，协同发展创新，"  # 11 characters in 10 cells: two commas at half width
    assert [w.fontName for w in lines[0].words] == [fang, fang + "-h", fang, fang + "-h"]
    assert lines[0].currentWidth <= 100.001


def test_the_breaker_still_pushes_down_what_cannot_be_squeezed(fang):
    """One comma saves half a cell, the overflow is a whole one: the last character goes down with it."""
    text = "京津冀协同发展创新甲，" + "乙" * 10
    out, _ = _split(fang, text, 10)
    assert out[0] == "京津冀协同发展创新" and out[1].startswith("甲，")
    text = "京津冀协同发展创新甲？" + "乙" * 10  # FandolFang's centred ？ cannot be squeezed at all
    out, _ = _split(fang, text, 10)
    assert out[0] == "京津冀协同发展创新" and out[1].startswith("甲？")
