"""Line breaking shared by the deck and the PDF: never too wide, never drops text, kinsoku rules."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builders.linebreak import NO_LINE_END, NO_LINE_START, wrap


def width(s: str) -> float:
    return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in s)


def test_chinese_wraps_without_closing_punctuation_at_line_start():
    text = "京津冀协同发展根本要靠创新驱动，要形成京津冀协同创新共同体，建立健全区域创新体系。" * 5
    for w in range(5, 30):
        lines = wrap(text, w, width)
        assert "".join(lines) == text
        assert all(width(ln) <= w for ln in lines)
        assert not any(ln[0] in NO_LINE_START for ln in lines[1:])
        assert not any(ln[-1] in NO_LINE_END for ln in lines[:-1])


def test_opening_quote_carried_onto_a_long_word_stays_within_width():
    """Regression: carrying “ onto a word that fills the line used to return a line wider than asked."""
    lines = wrap("Go to “Bostonianisms now", 8.0, width)
    assert all(width(ln) <= 8.0 for ln in lines), lines


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("京津冀创新，。、“”（）《》abc defXYZ 12.%")), max_size=200),
       st.floats(2, 40))
def test_never_too_wide_never_loses_text(text, w):
    lines = wrap(text, w, width)
    assert all(width(ln) <= w for ln in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_pause_break_prefers_the_comma_when_the_lines_stay_even():
    from builders.linebreak import pause_break

    cells = lambda text: [(c, 1.0) for c in text]  # noqa: E731
    heading = "构建更高质量的创新服务体系，为区域协同创新提供良好环境"
    assert pause_break(cells(heading), 2, 20) == heading.index("，") + 1
    assert pause_break(cells("一二三四五六七八九十一二三四五六七八，九十"), 2, 20) is None  # a stub of two
    assert pause_break(cells("没有停顿的标题" * 4), 2, 20) is None
    assert pause_break(cells("短，" + "长" * 30), 2, 20) is None  # the second line would not fit
