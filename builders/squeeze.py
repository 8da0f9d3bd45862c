"""标点挤压 (punctuation squeezing): which full-width marks of a line to set at half width.

Chinese typesetting keeps a mark that may not start a line on the line before by
squeezing punctuation, rather than pushing the last character down and stretching
the line (clreq 3.1.6; JIS X 4051 for the pair rules).  A full-width mark's ink
sits in one half of its em box, so half of it can go: the right half of a closing
mark (，。、；：”’）》」), the left half of an opening one (“‘（《「).  This module
decides which marks lose their blank half; the PDF builder draws them (see
:mod:`builders.build_pdf.halfpunct`).  Plain Python: no fonts, no PDF.
"""
from __future__ import annotations

from typing import Optional, Sequence

# Marks whose ink is in the left half of the em box (their right half can go) ...
CLOSING = frozenset("，。、；：！？”’）》」』】〕〗〙〛｝〉")
# ... and in the right half (their left half can go).
OPENING = frozenset("“‘（《「『【〔〖〘〚｛〈")
SQUEEZABLE = CLOSING | OPENING

# Two half-width savings must pay for one full advance even when each was rounded to a font unit.
_EPS = 1e-6


def in_pair(text: Sequence[str], i: int) -> bool:
    """Is ``text[i]`` the mark that gives up its blank half in a pair of adjacent marks?

    A closing mark before another mark ("。”", "”，", "），", "）（") and an opening mark after one
    ("（“", "，“", "）（"): the pair then takes one and a half cells, or one when both blanks face
    each other."""
    ch = text[i]
    if ch in CLOSING:
        return i + 1 < len(text) and text[i + 1] in SQUEEZABLE
    if ch in OPENING:
        return i > 0 and text[i - 1] in SQUEEZABLE
    return False


def priority(text: Sequence[str], marks: Sequence[int]) -> list[int]:
    """``marks`` (indices into ``text``) in the order they are squeezed: a closing mark at the line's
    end first (it faces the margin), then the marks of adjacent pairs, then the others, each group
    from the line's end backwards (the squeeze stays near the break that needs it)."""
    last = len(text) - 1
    end = [i for i in marks if i == last and text[i] in CLOSING]
    backwards = sorted((i for i in marks if i not in end), reverse=True)
    pairs = [i for i in backwards if in_pair(text, i)]
    return end + pairs + [i for i in backwards if i not in pairs]


def choose(text: Sequence[str], savings: Sequence[float], overflow: float) -> Optional[list[int]]:
    """The indices of the marks of ``text`` to set at half width so that the line loses at least
    ``overflow`` (points), fewest first by :func:`priority`; ``[]`` when nothing overflows and
    ``None`` when squeezing every mark would not be enough (the line must break earlier).

    ``savings[i]`` is what setting ``text[i]`` at half width saves (0: it cannot be squeezed, being no
    full-width mark or having ink in both halves in its font)."""
    if overflow <= _EPS:
        return []
    marks = [i for i, s in enumerate(savings) if s > 0 and text[i] in SQUEEZABLE]
    if sum(savings[i] for i in marks) < overflow - _EPS:
        return None
    chosen: list[int] = []
    saved = 0.0
    for i in priority(text, marks):
        if saved >= overflow - _EPS:
            break
        chosen.append(i)
        saved += savings[i]
    return sorted(chosen)
