"""Chinese line breaking for reportlab paragraphs with ``wordWrap='CJK'``.

reportlab's own CJK splitter knows too few characters that may not start a
line (it lacks ，；：！？》”’…％ among others; measured: 11 of 331 lines on a
narrow column began with one), lets one such character hang past the margin
while the next may still start the line (``”。``), and ignores opening
brackets at a line end.  :func:`install` replaces the splitter with one that
moves the break point back instead: a line never starts with a
:data:`~builders.linebreak.NO_LINE_START` character, never ends with a
:data:`~builders.linebreak.NO_LINE_END` one, and never leaves the frame.
"""
from __future__ import annotations

from unicodedata import category

from reportlab.platypus import paragraph as _rl
from reportlab.rl_config import _FUZZ

from ..linebreak import NO_LINE_END, NO_LINE_START

_installed = False


def install() -> None:
    """Route reportlab's CJK line splitting through :func:`cjk_frag_split` (idempotent)."""
    global _installed
    if not _installed:
        _rl.cjkFragSplit = cjk_frag_split
        _rl._justifyDrawParaLineX = _justify_line
        _rl.Paragraph.breakLinesCJK = _break_lines_cjk
        _rl.ALL_CANNOT_START = "".join(sorted(set(_rl.ALL_CANNOT_START) | NO_LINE_START))
        _installed = True


_plain_justify = _rl._justifyDrawParaLineX
_plain_break = _rl.Paragraph.breakLinesCJK


def _break_lines_cjk(self, maxWidths):
    """Paragraph.breakLinesCJK without its single-fragment shortcut, which goes through
    reportlab.lib.textsplit (the short rule list again, and no justification)."""
    frags = self.frags
    if not frags or getattr(self.style, "endDots", None) or any(hasattr(f, "cbDefn") for f in frags):
        return _plain_break(self, maxWidths)
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    self.height = 0
    _rl._handleBulletWidth(self.bulletText, self.style, maxWidths)
    if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
        return self.blPara
    auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
    return cjk_frag_split(frags, maxWidths, auto not in ("", "off"))


def _justify_line(tx, offset, line, last=0):
    """Justify a CJK line by character spacing (Tc): reportlab only stretches word spaces, which
    Chinese text does not have, so its "justified" Chinese was ragged-right."""
    gaps = getattr(line, "cjk_gaps", 0)
    if gaps <= 0 or last or line.lineBreak or line.extraSpace <= 1e-8:
        return _plain_justify(tx, offset, line, last)
    tx._x_offset = offset
    _rl.setXPos(tx, offset)
    tx.setCharSpace(line.extraSpace / gaps)
    _rl._putFragLine(offset, tx, line, last, "justify")
    tx.setCharSpace(0)
    _rl.setXPos(tx, -offset)


def _starts_badly(U, k: int) -> bool:
    """Would the line starting at ``k`` begin (after the spaces dropped at a break) with a closing mark?"""
    while k < len(U) and category(U[k]) == "Zs":
        k += 1
    return k < len(U) and U[k] in NO_LINE_START


def _break_back(U, start: int, i: int) -> int:
    """Move a break before index ``i`` back until neither side breaks a rule (keeping progress)."""
    k = i
    while k > start + 1 and (_starts_badly(U, k) or U[k - 1] in NO_LINE_END):
        k -= 1
    return k if k > start else i


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab's ``cjkFragSplit`` with the kinsoku rules above (same inputs, same result type)."""
    U = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            U.extend([_rl.cjkU(t, f, encoding) for t in text])
        else:
            U.append(_rl.cjkU(text, f, encoding))
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nU = len(U)
    while i < nU:
        u = U[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidth
            w = w.normalizedValue(maxWidth)
        widthUsed += w
        lineBreak = hasattr(u.frag, "lineBreak")
        endLine = (widthUsed > maxWidth + _FUZZ and widthUsed > 0) or lineBreak
        if endLine:
            if not lineBreak and i > lineStartPos + 1:
                brk = i - 1  # the character that overflowed starts the next line...
                if ord(u) < 0x3000:
                    # ...unless it is inside a Latin word: break at the last space or CJK
                    # character in the second half of the line, as reportlab does.
                    for j in range(i - 2, (lineStartPos + i) >> 1, -1):
                        if category(U[j]) == "Zs" or ord(U[j]) >= 0x3000:
                            brk = j + 1
                            break
                brk = _break_back(U, lineStartPos, brk)
                i = brk
                # Trailing spaces do not count (nor show) at a line end.
                end = i
                while end > lineStartPos + 1 and category(U[end - 1]) == "Zs":
                    end -= 1
                used = sum(x.width for x in U[lineStartPos:end])
                line = _rl.makeCJKParaLine(U[lineStartPos:end], maxWidth, used, maxWidth - used, False, calcBounds)
                line.cjk_gaps = end - lineStartPos - 1  # justify by spacing characters, not words
                lines.append(line)
            else:
                lines.append(_rl.makeCJKParaLine(U[lineStartPos:i], maxWidth, widthUsed, maxWidth - widthUsed,
                                                 lineBreak, calcBounds))
            try:
                maxWidth = maxWidths[len(lines)]
            except IndexError:
                maxWidth = maxWidths[-1]
            lineStartPos = i
            widthUsed = 0
            # Spaces carried to the start of the next line are dropped from its width too.
            while i < nU and category(U[i]) == "Zs" and not hasattr(U[i].frag, "lineBreak"):
                i += 1
                lineStartPos = i
    if widthUsed > 0 or lineStartPos < nU:
        used = sum(x.width for x in U[lineStartPos:])
        lines.append(_rl.makeCJKParaLine(U[lineStartPos:], maxWidth, used, maxWidth - used, False, calcBounds))
    return _rl.ParaLines(kind=1, lines=lines)
