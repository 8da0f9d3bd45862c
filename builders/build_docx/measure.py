"""Rough text measurement for layout decisions Word will make later (cover fit, running-head length).

Uses the advance widths of the theme's PDF face for the role (the nearest thing
to the reader's face we can read); unknown characters count 1 em (hanzi) or
0.55 em (anything else) when the face is missing."""
from __future__ import annotations

import math

from ..fonts import metrics
from ..theme import FontRole


def width(text: str, role: FontRole, size: float) -> float:
    """Width of ``text`` in points at ``size``."""
    try:
        return metrics(role.pdf).width(text, size)
    except Exception:  # a missing face must not stop the report; estimate instead
        return sum(size if ord(c) >= 0x2E80 else size * 0.55 for c in text)


def lines(text: str, role: FontRole, size: float, line_width: float) -> int:
    """How many lines ``text`` needs in a column ``line_width`` points wide (at least 1)."""
    return max(1, math.ceil(width(text, role, size) / max(line_width, 1) * 1.05))


def fit(text: str, role: FontRole, size: float, available: float) -> str:
    """``text`` cut with an ellipsis so that it fits on one line of ``available`` points."""
    if width(text, role, size) <= available:
        return text
    while text and width(text + "…", role, size) > available:
        text = text[:-1]
    return text.rstrip() + "…"
