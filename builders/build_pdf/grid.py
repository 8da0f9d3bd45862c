"""The character grid of a GB/T 9704 page (28 characters × 22 lines) and its other rules in the PDF.

A theme with ``page.grid`` sets every body paragraph, heading and list item at
one line pitch (the type area's depth over the lines, no paragraph gaps), so
each page holds exactly ``lines`` lines; and it sets full-width characters at
one character pitch (the measure over the characters), so a full line holds
exactly ``chars`` of them.  GB/T 9704's 16 pt characters are 15.79 pt apart in
its 156 mm measure: reportlab's paragraphs have no character spacing, so the
registered fonts carry the pitch in their advance widths (:func:`pitched`),
which keeps the embedded font and the PDF's width table in agreement (PDF/A).
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from ..theme import MM, Theme
from . import headbreak

# Styles of running text that stand on the grid: one pitch a line, no gaps.
ON_GRID = ("body", "item", "bullet", "label", "region", "point", "reference", "meta", "date", "author", "role", "h1",
           "h2", "h3", "h4", "subtitle", "accent")
HEADING_FACES = {1: "heading", 2: "heading2", 3: "heading3"}
FOLIO_SIZE = 14  # 4号
FOLIO_GAP = 7 * MM  # GB/T 9704 7.5: the folio's top 7 mm below the type area


def heading_face(theme: Theme, level: int) -> str:
    """The PDF face of a heading of ``level``: the theme's per-level role when it has one."""
    level = min(level, 3)
    if level == 2 and theme.fonts.heading2 is not None:
        return "heading2"
    if level == 3 and theme.fonts.heading3 is not None:
        return "heading3"
    return "heading"


def pitch(theme: Theme) -> float:
    """Advance of a full-width character as a fraction of the body size (0: no grid)."""
    if theme.page.grid is None:
        return 0.0
    return theme.page.measure / theme.page.grid[0] / theme.sizes.body


def line_pitch(theme: Theme) -> float:
    """The grid's line pitch in points (a hair under depth / lines, so that ``lines`` lines always fit)."""
    return (theme.page.depth - 0.01) / theme.page.grid[1]


def grid_styles(styles: dict[str, ParagraphStyle], theme: Theme, fonts) -> None:
    """Put the running-text styles of ``styles`` on the theme's grid, in place."""
    if theme.page.grid is None:
        return
    lead = line_pitch(theme)
    char = theme.page.measure / theme.page.grid[0]
    for name in ON_GRID:
        st = styles[name]
        st.leading = lead * max(1, round(st.fontSize * 1.2 / lead))
        st.spaceBefore = st.spaceAfter = 0
    for level in (1, 2, 3):
        st = styles[f"h{level}"]
        st.fontName = fonts.font_name(heading_face(theme, level))
        st.firstLineIndent = 2 * char  # GB/T 9704 headings stand in the body's indent
        st.alignment = TA_LEFT
    styles["h3"].embolden = 1  # 仿宋 bold: there is no free bold 仿宋, so its outlines are stroked too
    for name in ("body", "item"):
        styles[name].firstLineIndent = 2 * char
    for name in ("h1", "h2", "h3", "h4", "title"):
        styles[name].balance = 1
    title = styles["title"]
    title.fontName = fonts.font_name("title")
    title.alignment = TA_CENTER
    title.leading = 2 * lead if title.fontSize > lead * 0.8 else lead
    title.spaceBefore = 0
    title.spaceAfter = lead  # one empty line between the title and what follows
    for name in ("subtitle", "author", "date", "role"):
        styles[name].alignment = TA_CENTER
    for name in ("author", "date", "meta"):  # 署名, date and keywords at the body size, in the caption face (楷体)
        styles[name].fontSize = theme.sizes.body
        styles[name].fontName = fonts.font_name("caption")
        styles[name].textColor = styles["body"].textColor  # GB/T 9704: black text
    styles["meta"].firstLineIndent = 2 * char  # the keywords: a paragraph of the summary


FOLIO_FACE = "FandolSong"  # GB/T 9704 7.5: 宋体 digits (installed with the Fandol faces by `make`)


def folio_face(theme: Theme) -> str:
    """The font of GB/T 9704 folios: a 宋体 when installed, else the body's."""
    from ..errors import MissingDependency
    from ..fonts import resolve

    try:
        resolve(FOLIO_FACE)
        return FOLIO_FACE
    except MissingDependency:
        return theme.fonts.body.pdf


def folio_styles(theme: Theme, fonts, colour) -> tuple[ParagraphStyle, ParagraphStyle]:
    """GB/T 9704 folios (odd pages right, even pages left, one character in from the edge of the type area)."""
    base = dict(fontName=fonts.font_name("folio" if "folio" in fonts.faces else "body"), fontSize=FOLIO_SIZE, leading=FOLIO_SIZE * 1.2, textColor=colour)
    return (ParagraphStyle("folio-odd", alignment=TA_RIGHT, rightIndent=FOLIO_SIZE, **base),
            ParagraphStyle("folio-even", alignment=TA_LEFT, leftIndent=FOLIO_SIZE, **base))


def folio_text(page: int) -> str:
    """"— 4 —": the number between two em dashes (一字线), half-width digits."""
    return f"— {page} —"


def folio_y(theme: Theme, offset: float) -> float:
    """Where the folio box's lower left goes so that its top stands :data:`FOLIO_GAP` below the type area."""
    return offset + theme.page.margin_bottom - FOLIO_GAP - FOLIO_SIZE * 1.2


# ---------------------------------------------------------------- pitched fonts


def pitched(path: Path, scale: float) -> Path:
    """A copy of the TrueType subset ``path`` whose full-width glyphs advance ``scale`` em (cached beside it).

    Only advances of at least 0.95 em change (hanzi and full-width punctuation): Latin letters and
    digits keep theirs.  The outlines stay where they are (a 1.3 % narrower advance moves nothing
    visible)."""
    from .halfpunct import variant

    def widen(tt) -> None:
        upem = tt["head"].unitsPerEm
        advance = round(upem * scale)
        hmtx = tt["hmtx"].metrics
        for glyph, (width, lsb) in list(hmtx.items()):
            if width >= 0.95 * upem:
                hmtx[glyph] = (advance, lsb)

    return variant(path, f"g{round(scale * 10000)}", widen)


# ---------------------------------------------------------------- blocks on the grid


class GridSnap(Flowable):
    """Space that brings the frame's current position back onto the line grid (counted in ``pitch``
    from the frame's top), after a block whose height is no whole number of lines (a table, a
    figure, a box).  Without it every body line after the block sits off the lines before it, and
    the lines no longer back up with the other side of the sheet.  It never asks for more room than
    is left, so it never moves anything to the next page."""

    _ZEROSIZE = 1  # wrapped even when the frame is full (it then takes nothing)

    def __init__(self, pitch: float):
        super().__init__()
        self.pitch = pitch

    def wrap(self, availWidth, availHeight):
        frame = getattr(self, "_frame", None)
        if frame is None:  # measured outside a frame (a keep guard): see keep.guard
            return 0, 0
        used = frame._y2 - frame._topPadding - frame._y
        pad = -used % self.pitch
        if pad < 0.01 or self.pitch - pad < 0.01:
            pad = 0.0
        self.height = max(0.0, min(pad, availHeight))
        return 0, self.height

    def draw(self):
        pass


def _zero(f) -> bool:
    """Does ``f`` take no room (a destination, a conditional page break, a template switch)?"""
    from reportlab.platypus import CondPageBreak, NextPageTemplate

    from .notes import Destination

    return isinstance(f, (Destination, CondPageBreak, NextPageTemplate))


def on_grid(f, pitch: float) -> bool:
    """Does ``f`` take a whole number of lines: a paragraph whose leading and spaces are multiples of
    ``pitch`` (or something that takes no room)?"""
    if _zero(f):
        return True
    if not isinstance(f, Paragraph):
        return False
    st = f.style
    return all(abs(v / pitch - round(v / pitch)) < 1e-6 for v in (st.leading, st.spaceBefore, st.spaceAfter))


def _leads_on_grid(f, pitch: float) -> bool:
    """Does ``f`` start with a paragraph on the grid (itself, or a kept group whose first piece is one:
    a figure led by its heading)?"""
    for g in getattr(f, "_content", None) or (f,):
        if not _zero(g):
            return on_grid(g, pitch) if g is f else _leads_on_grid(g, pitch)
    return False


def snapped(flowables: list, pitch: float) -> list:
    """``flowables`` with a :class:`GridSnap` after each run of blocks that are off the grid, before
    the next thing that starts with a paragraph on it (or at the end)."""
    out: list = []
    off = False
    for f in flowables:
        if off and not _zero(f) and _leads_on_grid(f, pitch):
            out.append(GridSnap(pitch))
            off = False
        if not on_grid(f, pitch):
            off = True
        out.append(f)
    if off:
        out.append(GridSnap(pitch))
    return out


# ---------------------------------------------------------------- balanced headings


def _lines(para, width: float, height: float) -> int:
    Paragraph.wrap(para, width, height)
    return len(para.blPara.lines)


def balanced_width(para, width: float, height: float = 10000) -> Optional[float]:
    """The narrowest width at which ``para`` keeps the number of lines it has at ``width``, when that is
    more than one line (so the last line is never a lone character); ``None`` for a one-line paragraph."""
    lines = _lines(para, width, height)
    if lines < 2:
        return None
    lo, hi = width / lines, width
    for _ in range(12):  # 1/4096 of the width: finer than a character
        mid = (lo + hi) / 2
        if _lines(para, mid, height) > lines:
            lo = mid
        else:
            hi = mid
    return hi


def balance(para, width: float, height: float) -> None:
    """Give a paragraph whose style asks for it (``balance``) indents that make its lines even.

    Called from ``wrap``; a heading "…市场化联动机/制" becomes two lines of nearly equal length."""
    base = getattr(para, "_unbalanced", None) or para.style
    if not getattr(base, "balance", 0) or getattr(para, "_balanced_at", None) == width:
        return
    para._unbalanced, para._balanced_at = base, width
    para.style = base
    # Two lines break after their comma, not inside a word, where that keeps them even enough.
    narrow = headbreak.break_at_mark(para, width, height) if _lines(para, width, height) == 2 else None
    if narrow is None:
        narrow = balanced_width(para, width, height)
    if narrow is None or width - narrow < 1:
        return
    spare = width - narrow
    if base.alignment == TA_CENTER:
        para.style = ParagraphStyle(f"{base.name}-even", parent=base, leftIndent=base.leftIndent + spare / 2,
                                    rightIndent=base.rightIndent + spare / 2)
    else:
        para.style = ParagraphStyle(f"{base.name}-even", parent=base, rightIndent=base.rightIndent + spare)


class BalancedParagraph(Paragraph):
    """A paragraph (a title, a sub-heading) whose lines are balanced, and its text emboldened, when its
    style says so (``balance``, ``embolden``)."""

    def wrap(self, availWidth, availHeight):
        balance(self, availWidth, availHeight)
        return super().wrap(availWidth, availHeight)

    def draw(self):
        if getattr(self.style, "embolden", 0):
            embolden(self.canv, self.style)
        super().draw()


def embolden(canvas, style) -> None:
    """Stroke the text as well as fill it (text render mode 2), for a face that has no bold.

    The mode is graphics state, so it holds for the text objects the paragraph draws next; the
    canvas state is restored after the flowable is drawn."""
    canvas.setStrokeColor(style.textColor)
    canvas.setLineWidth(style.fontSize * 0.03)
    canvas._code.append("2 Tr")
