"""Line breaking that knows Chinese has no spaces (kinsoku rules), shared by the deck and the PDF.

Rules: a line never starts with closing punctuation (，。、；：！？）》」”’…％ …) and
never ends with an opening bracket or quote (（“《「 …).  Latin words and numbers
are not split unless a single word is wider than the line.
"""
from __future__ import annotations

import re
from typing import Callable

# May not start a line (JIS X 4051 / GB/T 15834 closing and middle punctuation, plus small kana).
NO_LINE_START = frozenset(
    "，。、；：！？）》」』】〕〗〙〛｝〉”’…‥％‰℃°・·—～ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:!?)]}%'\"’”›»"
)
# May not end a line.
NO_LINE_END = frozenset("（《「『【〔〖〘〚｛〈“‘([{‹«$￥¥£€#")

_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF'’\-_./:@%+]+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Break opportunities: Latin words and numbers stay whole, CJK characters and spaces stand alone."""
    return _TOKEN.findall(text)


def wrap(text: str, max_width: float, width: Callable[[str], float]) -> list[str]:
    """Greedy wrap of ``text`` into lines no wider than ``max_width`` (by ``width``), with kinsoku rules.

    Never drops a character: a token wider than the line is split by character.
    """
    lines: list[str] = []
    line = ""
    for tok in tokens(text):
        if tok.isspace():
            if line:
                line += " "
            continue
        if width(tok) > max_width:  # an over-long word: split it by characters
            for ch in tok:
                line = _push(lines, line, ch, max_width, width)
            continue
        line = _push(lines, line, tok, max_width, width)
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _push(lines: list[str], line: str, tok: str, max_width: float, width: Callable[[str], float]) -> str:
    candidate = line + tok
    if width(candidate.rstrip()) <= max_width or not line.strip():
        return candidate
    # tok does not fit: break before it, but respect the rules by moving characters.
    head, carry = line.rstrip(), tok
    # A closing mark may not start the next line: pull the last character of head down with it.
    while carry and carry[0] in NO_LINE_START and len(head) > 1:
        head, carry = head[:-1], head[-1] + carry
    # An opening mark may not end a line: push it down too.
    while head and head[-1] in NO_LINE_END and len(head) > 1:
        head, carry = head[:-1], head[-1] + carry
    if not head.strip():  # nothing left to break at: accept the overflow-free fallback
        lines.append(line.rstrip())
        return tok
    lines.append(head.rstrip())
    carry = carry.lstrip()
    if width(carry) > max_width:  # a carried bracket made the next word too wide: split it by character
        line = ""
        for ch in carry:
            line = _push(lines, line, ch, max_width, width)
        return line
    return carry


# Marks after which a heading's sense pauses.  A full stop or a closing quote rarely stands mid-heading.
PAUSES = "，、；：,;:"
EVEN = 0.3  # the shorter line at least this share of the longer: "…城市，" / "支撑区域协同发展" passes


def pause_break(chars: list[tuple[str, float]], first: float, room: float) -> int | None:
    """Where a heading of two lines should break: the number of characters on line 1, which then ends
    with one of :data:`PAUSES` (its comma, not inside a word: "…服务体系，" / "为区域…", never "…服务体" /
    "系，为…"), the two lines as even as such a break allows; ``None`` when no pause gives two lines that
    fit and are even enough.  ``chars`` are (character, width); line 1 holds ``room - first`` (``first``,
    its indent, is negative for a hanging number) and line 2 holds ``room``.  Shared by the PDF (font
    widths) and the Word file (grid cells)."""
    total = sum(w for _, w in chars)
    best: tuple[float, int] | None = None
    head = 0.0
    for i, (ch, w) in enumerate(chars[:-1]):
        head += w
        tail = total - head
        if ch not in PAUSES or chars[i + 1][0] in PAUSES or head + first > room or tail > room:
            continue
        line1 = head + first  # line 1's extent from where line 2 starts
        if line1 <= 0:
            continue
        evenness = min(line1, tail) / max(line1, tail)
        if evenness >= EVEN and (best is None or evenness > best[0]):
            best = (evenness, i + 1)
    return None if best is None else best[1]
