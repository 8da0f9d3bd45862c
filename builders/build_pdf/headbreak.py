"""Where a two-line heading breaks: after its comma, not inside a word.

Balancing a heading evens its lines, but by width alone: "3.构建更高质量的创新服务体" / "系，为区域协同
创新提供良好环境" cuts the word 体系.  A Chinese editor breaks such a heading after its comma or 顿号, where
the sense pauses, as long as both lines stay reasonably even.  :func:`break_at_mark` makes that break: by
narrowing the paragraph when the part before the mark is the longer one, else by a line break after the
mark.  The balancers (:mod:`.balance`, :func:`.grid.balance`) call it before their plain width search.
It is arithmetic over the paragraph's fragments, checked with one wrap.
"""
from __future__ import annotations

from typing import Optional

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from ..linebreak import pause_break


def break_at_mark(para, width: float, height: float) -> Optional[float]:
    """Set ``para`` (two lines at ``width``) to break after its comma (:func:`..linebreak.pause_break`)
    and return the paragraph width to wrap it at, checked with one wrap; ``None`` (``para`` untouched)
    when no pause serves, the fragments hold anything but text, or the wrap does not give two lines.

    Line 1 is set from leftIndent + firstLineIndent (negative for a hanging number), later lines from
    leftIndent: at a paragraph width W, line 1 holds W - li - fi - ri and line 2 holds W - li - ri."""
    chars: list[tuple[str, float]] = []
    for frag in getattr(para, "frags", ()):
        if getattr(frag, "lineBreak", False):
            return None
        if getattr(frag, "cbDefn", None) is not None:  # a callback (a contents entry's end): no width
            if getattr(frag, "text", ""):
                return None
            continue
        chars += [(ch, stringWidth(ch, frag.fontName, frag.fontSize)) for ch in getattr(frag, "text", "")]
    st = para.style
    first, sides = st.firstLineIndent, st.leftIndent + st.rightIndent
    at = pause_break(chars, first, width - sides)
    if at is None:
        return None
    head = sum(w for _, w in chars[:at])
    frags = para.frags
    if sum(w for _, w in chars[at:]) <= head + first:
        # Narrow enough that the character after the mark does not fit on line 1; line 2 still holds the rest.
        width = head + first + sides + min(0.5, chars[at][1] / 2)
    else:
        _force_break(para, at)  # line 2 is the longer: a narrower width would pull it up into line 1
    Paragraph.wrap(para, width, height)
    if len(para.blPara.lines) == 2:
        return width
    para.frags = frags
    return None


def _force_break(para, at: int) -> None:
    """Put a line break (reportlab's ``<br/>`` fragment) before character ``at`` of ``para``'s text."""
    out, seen = [], 0
    for frag in para.frags:
        text = frag.text
        if seen < at < seen + len(text):
            out += [frag.clone(text=text[: at - seen]), frag.clone(text="", lineBreak=True, __tag__="br"),
                    frag.clone(text=text[at - seen:])]
        elif at == seen + len(text) and text:
            out += [frag, frag.clone(text="", lineBreak=True, __tag__="br")]
        else:
            out.append(frag)
        seen += len(text)
    para.frags = out
