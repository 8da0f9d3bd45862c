"""Balanced heading lines: a heading that wraps is set at the narrowest width that keeps its number of
lines, so its last line is not one stray character ("…市场化联动机" / "制").

Only headings and contents entries are balanced (short, left-aligned, at most a few lines), and only
when the last line is under half full: a body paragraph keeps the full measure.  The search starts at
the text's width divided by its line count and widens an em at a time, a few wraps of a one- to
three-line paragraph, once per paragraph and width (1,000-case briefs have thousands of headings).

A grid theme's styles that ask for it (``balance``, GB/T 9704 headings and title) are first balanced
by :func:`.grid.balance` (a narrower right indent; it centres a centred title too); what is left short
after that is balanced here.  Emboldening comes with :class:`.grid.BalancedParagraph`.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph

from . import grid, headbreak

SHORT = 0.5  # a last line under this share of the measure is balanced
TRIES = 8  # widenings before giving up (the full measure is kept)


class BalancedParagraph(grid.BalancedParagraph):
    """A left-aligned paragraph whose lines are balanced when it wraps (see the module)."""

    def wrap(self, availWidth, availHeight):
        grid.balance(self, availWidth, availHeight)  # once per width
        # A paragraph is measured several times at the same width (a keep guard, a KeepTogether, the
        # frame): the balanced width is searched for once per width.
        known = self.__dict__.setdefault("_balanced", {})
        width = known.get(availWidth)
        if width is None:
            width = known[availWidth] = self._balanced_width(availWidth, availHeight)
        _, h = Paragraph.wrap(self, width, availHeight)
        self.width = availWidth  # lines drawn from the left edge; the frame sees the full width
        return availWidth, h

    def _balanced_width(self, availWidth: float, availHeight: float) -> float:
        st = self.style
        if getattr(st, "balance", 0):  # a grid style: grid.balance has evened its lines already
            return availWidth
        Paragraph.wrap(self, availWidth, availHeight)
        widths = _used(self, availWidth)
        lines = len(widths)
        if lines < 2 or getattr(self, "_splitpara", 0):
            return availWidth
        if lines == 2:  # after its comma, not inside a word, where that keeps the lines even enough
            at_mark = headbreak.break_at_mark(self, availWidth, availHeight)
            if at_mark is not None:
                return at_mark
        if widths[-1] >= availWidth * SHORT:
            return availWidth
        step = st.fontSize
        width = sum(widths) / lines + st.leftIndent + st.rightIndent + max(st.firstLineIndent, 0) + 0.01
        for _ in range(TRIES):
            if width >= availWidth:
                break
            Paragraph.wrap(self, width, availHeight)
            if len(_used(self, width)) <= lines:
                return width
            width += step
        return availWidth


def _used(p: Paragraph, width: float) -> list[float]:
    """The width each line of ``p``'s last wrap fills."""
    bl = getattr(p, "blPara", None)
    if bl is None:
        return []
    out = []
    for line in bl.lines:
        extra = line[0] if isinstance(line, tuple) else line.extraSpace
        out.append(width - p.style.leftIndent - p.style.rightIndent - extra)
    return out
