"""Chinese line breaking for reportlab paragraphs with ``wordWrap='CJK'``.

reportlab's own CJK splitter knows too few characters that may not start a
line (it lacks ，；：！？》”’…％ among others; measured: 11 of 331 lines on a
narrow column began with one), lets one such character hang past the margin
while the next may still start the line (``”。``), and ignores opening
brackets at a line end.  :func:`install` replaces the splitter with one that
moves the break point back instead: a line never starts with a
:data:`~builders.linebreak.NO_LINE_START` character, never ends with a
:data:`~builders.linebreak.NO_LINE_END` one, and never leaves the frame; a number stays whole
with its decimal point, "+" and unit ("50.7%", "9+2", "356亿元").
"""
from __future__ import annotations

from unicodedata import category

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph as _rl
from reportlab.rl_config import _FUZZ

from ..linebreak import NO_LINE_END, NO_LINE_START
from ..squeeze import choose
from . import halfpunct

_installed = False


def install() -> None:
    """Route reportlab's CJK line splitting through :func:`cjk_frag_split` (idempotent)."""
    global _installed
    if not _installed:
        _rl.cjkFragSplit = cjk_frag_split
        _rl._justifyDrawParaLineX = _justify_line
        _rl.Paragraph.breakLinesCJK = _break_lines_cjk
        _rl._split_blParaHard = _split_hard
        _rl.ALL_CANNOT_START = "".join(sorted(set(_rl.ALL_CANNOT_START) | NO_LINE_START))
        _fix_percent_copy()
        _installed = True


def _fix_percent_copy() -> None:
    """reportlab's percentage value (``<super size="66%">``) cannot be copied: its ``__copy__`` names an
    undefined variable, and a KeepTogether copies its paragraphs' fragments."""
    from reportlab.platypus import paraparser

    def copy(self):
        r = paraparser._PCT(float(self) * 100)
        r._value, r._normalizer = self._value, self._normalizer
        return r

    paraparser._PCT.__copy__ = copy


_plain_justify = _rl._justifyDrawParaLineX
_plain_break = _rl.Paragraph.breakLinesCJK
_plain_split_hard = _rl._split_blParaHard

# A paragraph is wrapped more than once at the same width (a KeepTogether or a table measures it,
# then the frame places it): its lines are kept here, keyed on the paragraph's fragment list
# (held too, so its id is not reused).
_lines: dict[tuple, tuple] = {}


def reset() -> None:
    """Forget the lines of the previous document (call before and after a build)."""
    _lines.clear()


def _split_hard(blPara, start, stop):
    """reportlab's split helper appends spaces to the words of ``blPara``'s lines: lines that
    have been split are never handed out again."""
    blPara._brief_split = True
    return _plain_split_hard(blPara, start, stop)


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
    calc = auto not in ("", "off")
    key = (id(frags), tuple(maxWidths), calc)
    hit = _lines.get(key)
    if hit is not None and hit[0] is frags and not getattr(hit[1], "_brief_split", False):
        return hit[1]
    lines = cjk_frag_split(frags, maxWidths, calc)
    _lines[key] = (frags, lines)
    return lines


def _justify_line(tx, offset, line, last=0):
    """Justify a CJK line by character spacing (Tc): reportlab only stretches word spaces, which
    Chinese text does not have, so its "justified" Chinese was ragged-right."""
    gaps = getattr(line, "cjk_gaps", 0)
    if gaps <= 0 or last or line.lineBreak or line.extraSpace <= 1e-8:
        return _plain_justify(tx, offset, line, last)
    tx._x_offset = offset
    _rl.setXPos(tx, offset)
    space = line.extraSpace / gaps
    tx.setCharSpace(space)
    # reportlab places link rectangles and underlines by the text's width: with the spacing in it,
    # a link's hot spot stays on its words.
    canvas = tx._canvas
    width = canvas.stringWidth
    canvas.stringWidth = lambda text, font, size: width(text, font, size) + space * max(len(text) - 1, 0)
    try:
        _rl._putFragLine(offset, tx, line, last, "justify")
    finally:
        del canvas.stringWidth
    tx.setCharSpace(0)
    _rl.setXPos(tx, -offset)


def _can_break(U, k: int) -> bool:
    """May a line end before ``U[k]`` (the end of the text always may)?"""
    return k >= len(U) or not (_starts_badly(U, k) or U[k - 1] in NO_LINE_END or _inside_word(U, k))


def _squeezed(U, start: int, brk: int, maxWidth: float):
    """标点挤压: the end of a line from ``start`` that keeps the characters a break before ``brk`` would
    push down (a closing mark may not start the next line), with enough of the line's full-width marks
    drawn at half width to fit ``maxWidth``; ``None`` when that is not enough.  The squeezed units get
    their half-width fragment and width in place."""
    if not halfpunct.HALF:
        return None  # no font has squeezable marks (a Latin-only brief): nothing to decide
    for end in range(brk + 1, min(brk + 4, len(U) + 1)):
        if hasattr(U[end - 1]._frag, "lineBreak"):
            return None
        if not _can_break(U, end):
            continue
        line = U[start:end]
        savings = [halfpunct.saving(u, u._frag, u._width) for u in line]
        chosen = choose(line, savings, sum([u._width for u in line]) - maxWidth - _FUZZ)
        if chosen is None:
            return None
        for k in chosen:
            u = line[k]
            u._frag = halfpunct.half_frag(u._frag)
            u._width -= savings[k]
        return end
    return None


def _starts_badly(U, k: int) -> bool:
    """Would the line starting at ``k`` begin (after the spaces dropped at a break) with a closing mark,
    or with a raised note number (it belongs to the character before it)?"""
    while k < len(U) and (category(U[k]) == "Zs" or hasattr(U[k]._frag, "cbDefn")):  # spaces, marks
        k += 1
    return k < len(U) and (U[k] in NO_LINE_START or getattr(U[k]._frag, "rise", 0) > 0)


def _break_back(U, start: int, i: int) -> int:
    """Move a break before index ``i`` back until neither side breaks a rule (keeping progress).

    Moving back never stops inside a Latin word or number (``entitie|s``) unless the line has no
    other place to break (a word longer than the line)."""
    for whole_words in (True, False):
        k = i
        while k > start + 1 and (_starts_badly(U, k) or U[k - 1] in NO_LINE_END
                                 or whole_words and _inside_word(U, k)):
            k -= 1
        if k > start + 1:
            return k
        if whole_words and not _inside_word(U, i):
            return i  # a mark at a line start is the lesser evil than a word cut in two
    return k if k > start else i


# A number is one unit with its decimal point, thousands separator, "+" ("9+2") and the unit that
# follows it: "50." / "7%" or "356" / "亿元" is a cut number to a reader.
_NUMBER_INNER = frozenset(".,+:/")
_UNITS = frozenset("%％‰亿万千百元倍个项家人次年月日号")


def _inside_word(U, k: int) -> bool:
    """Is the point before ``U[k]`` inside a Latin word or a number (with its unit)?"""
    a, b = U[k - 1], U[k]
    if ord(a) < 0x3000 and ord(b) < 0x3000 and category(a)[0] in "LN" and category(b)[0] in "LN":
        return True
    if a.isdigit():
        return b in _NUMBER_INNER and k + 1 < len(U) and U[k + 1].isdigit() or b in _UNITS
    return a in _NUMBER_INNER and b.isdigit() and k >= 2 and U[k - 2].isdigit()


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """reportlab's ``cjkFragSplit`` with the kinsoku rules above (same inputs, same result type)."""
    U = _units(frags, encoding)
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nU = len(U)
    while i < nU:
        u = U[i]
        i += 1
        w = u._width
        if w.__class__ is not float and hasattr(w, "normalizedValue"):
            w._normalizer = maxWidth
            w = w.normalizedValue(maxWidth)
        widthUsed += w
        lineBreak = hasattr(u._frag, "lineBreak")
        endLine = (widthUsed > maxWidth + _FUZZ and widthUsed > 0) or lineBreak
        if endLine:
            if not lineBreak and i > lineStartPos + 1:
                brk = i - 1  # the character that overflowed starts the next line...
                if ord(u) < 0x3000:
                    # ...unless it is inside a Latin word: break at the last space or CJK
                    # character (reportlab looks in the second half of the line only, and
                    # cuts the word when there is none: a short line is the lesser evil).
                    for j in range(i - 2, lineStartPos, -1):
                        if category(U[j]) == "Zs" or ord(U[j]) >= 0x3000:
                            brk = j + 1
                            break
                back = _break_back(U, lineStartPos, brk)
                # A break moved back would stretch the line: squeeze punctuation first.
                i = back if back == brk else _squeezed(U, lineStartPos, brk, maxWidth) or back
                # Trailing spaces do not count (nor show) at a line end.
                end = i
                while end > lineStartPos + 1 and category(U[end - 1]) == "Zs":
                    end -= 1
                used = sum([x._width for x in U[lineStartPos:end]])
                line = _make_line(U[lineStartPos:end], maxWidth, used, maxWidth - used, False, calcBounds)
                line.cjk_gaps = end - lineStartPos - 1  # justify by spacing characters, not words
                lines.append(line)
            else:
                lines.append(_make_line(U[lineStartPos:i], maxWidth, widthUsed, maxWidth - widthUsed,
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
        used = sum([x._width for x in U[lineStartPos:]])
        lines.append(_make_line(U[lineStartPos:], maxWidth, used, maxWidth - used, False, calcBounds))
    return _rl.ParaLines(kind=1, lines=lines)


# (font name, size) → character → advance width.  Registered font names are unique per subset
# (see :mod:`.fontcache`), so a name always means the same widths.
_widths: dict[tuple, dict[str, float]] = {}
_bounds: dict[tuple, tuple[float, float]] = {}


def _units(frags, encoding):
    """reportlab's list of one ``cjkU`` per character, with widths from a per-font cache instead
    of one ``stringWidth`` call per character (the same numbers, a fifth of the time)."""
    cjkU = _rl.cjkU
    new = str.__new__
    U = []
    append = U.append
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if not text or hasattr(f, "cbDefn"):
            if text:
                U.extend([cjkU(t, f, encoding) for t in text])
            else:
                append(cjkU(text, f, encoding))
            continue
        name, size = f.fontName, f.fontSize
        table = _widths.get((name, size))
        if table is None:
            table = _widths[(name, size)] = {}
        for t in text:
            w = table.get(t)
            if w is None:
                w = table[t] = stringWidth(t, name, size)
            u = new(cjkU, t)
            u._frag = f
            u._width = w
            append(u)
    return U


def _ascent_descent(name, size):
    key = (name, size)
    v = _bounds.get(key)
    if v is None:
        v = _bounds[key] = getAscentDescent(name, size)
    return v


def _make_line(U, maxWidth, widthUsed, extraSpace, lineBreak, calcBounds):
    """reportlab's ``makeCJKParaLine`` (same result): bounds and fragment comparison are done once
    per fragment rather than once per character."""
    FragLine, sameFrag = _rl.FragLine, _rl.sameFrag
    words = []
    CW = []
    f0 = FragLine()
    maxSize = maxAscent = minDescent = 0
    prev = None
    plain = False
    for u in U:
        f = u._frag
        if f is not prev:
            prev = f
            fontSize = f.fontSize
            cbDefn = getattr(f, "cbDefn", None) if calcBounds else None
            if calcBounds and getattr(cbDefn, "width", 0):
                descent, ascent = _rl.imgVRange(_rl.imgNormV(cbDefn.height, fontSize), cbDefn.valign, fontSize)
            else:
                ascent, descent = _ascent_descent(f.fontName, fontSize)
            maxSize = max(maxSize, fontSize)
            maxAscent = max(maxAscent, ascent)
            minDescent = min(minDescent, descent)
            d = f.__dict__
            plain = "cbDefn" not in d and "lineBreak" not in d
        elif f is f0 and plain:  # sameFrag(f, f) holds for a plain fragment
            CW.append(u)
            continue
        if not sameFrag(f0, f):
            f0 = f0.clone()
            f0.text = "".join(CW)
            words.append(f0)
            CW = []
            f0 = f
        CW.append(u)
    if CW:
        f0 = f0.clone()
        f0.text = "".join(CW)
        words.append(f0)
    return FragLine(kind=1, extraSpace=extraSpace, wordCount=1, words=words[1:], fontSize=maxSize, ascent=maxAscent,
                    descent=minDescent, maxWidth=maxWidth, currentWidth=widthUsed, lineBreak=lineBreak)
