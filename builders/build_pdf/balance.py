"""Balanced heading lines: a heading that wraps is set at the narrowest width that keeps its number of
lines, so its last line is not one stray character ("…市场化联动机" / "制").

Only headings and contents entries are balanced (short, left-aligned, at most a few lines): a body
paragraph keeps the full measure.  The search is a bisection on the width, about a dozen wraps of a
one- to three-line paragraph: negligible next to the page layout.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph

STEPS = 12  # bisection steps: the width is found to within availWidth / 2**13


class BalancedParagraph(Paragraph):
    """A left-aligned paragraph whose lines are balanced when it wraps (see the module)."""

    def wrap(self, availWidth, availHeight):
        w, h = super().wrap(availWidth, availHeight)
        lines = _count(self)
        if lines < 2 or getattr(self, "_splitpara", 0):
            return w, h
        lo, hi = availWidth / 2, availWidth
        for _ in range(STEPS):
            mid = (lo + hi) / 2
            super().wrap(mid, availHeight)
            if _count(self) <= lines:
                hi = mid
            else:
                lo = mid
        # A hair wider than the narrowest fit: the frame measures again at the full width, and rounding
        # must not cost a line.
        w, h = super().wrap(min(availWidth, hi + 0.01), availHeight)
        if _count(self) != lines:  # not monotone after all (a hanging mark): the full measure
            w, h = super().wrap(availWidth, availHeight)
        self.width = availWidth  # lines drawn from the left edge; the frame sees the full width
        return availWidth, h


def _count(p: Paragraph) -> int:
    bl = getattr(p, "blPara", None)
    return len(bl.lines) if bl is not None else 0
