"""Page geometry and decoration: trim, bleed, crop marks, boxes, running head and folio.

The MediaBox is the trimmed page plus the bleed (plus room for crop marks when
the theme asks for them); TrimBox and BleedBox then tell the printer where to
cut.  Without bleed or marks the MediaBox is the page and no boxes are written.
Backgrounds (the cover's colour band) run into the bleed so no white sliver
shows after trimming.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from reportlab.platypus import BaseDocTemplate, KeepTogether, PageTemplate, Paragraph

from ..theme import MM, Theme
from .later import Later
from .notes import FootNotes, NoteFrame
from .styles import colour, registration

COVER_BAND = 0.18  # of the page height: the cover's top band, above its frame
MARK_LENGTH = 6 * MM
MARK_GAP = 3 * MM  # marks start at least this far from the trim, and never inside the bleed


@dataclass(frozen=True)
class Geometry:
    width: float  # trimmed page
    height: float
    bleed: float
    offset: float  # trim origin inside the media box

    @classmethod
    def of(cls, theme: Theme) -> "Geometry":
        p = theme.page
        offset = p.bleed
        if p.crop_marks:
            offset = max(p.bleed, MARK_GAP) + MARK_LENGTH + 2
        return cls(p.width, p.height, p.bleed, offset)

    @property
    def media(self) -> tuple[float, float]:
        return (self.width + 2 * self.offset, self.height + 2 * self.offset)

    @property
    def trim_box(self) -> Optional[tuple[float, float, float, float]]:
        o = self.offset
        return (o, o, o + self.width, o + self.height) if o else None

    @property
    def bleed_box(self) -> Optional[tuple[float, float, float, float]]:
        o, b = self.offset, self.bleed
        return (o - b, o - b, o + self.width + b, o + self.height + b) if o else None


class KeepWithFirstPiece(KeepTogether):
    """What keepWithNext groups (headings and the block after them): kept with the *start* of that block.

    reportlab moves the whole group to the next page when it does not fit, leaving most of a page
    empty above a long table, box or paragraph.  When the headings and a first piece of the block
    fit, the group is handed back to the frame, which sets the headings and splits the block."""

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._H > aH and len(self._content) > 1:
            *lead, last = self._content
            used = sum(f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in lead)
            room = aH - used - last.getSpaceBefore()
            if room > 0 and len(last.splitOn(self.canv, aW, room)) >= 2:
                return list(self._content)
        return super().split(aW, aH)


class BriefDoc(BaseDocTemplate):
    """The document template: cover, contents and body page templates over one geometry."""

    def __init__(self, filename, theme: Theme, decorate: Callable, on_flowable: Callable,
                 folio: Callable[[int, int], Paragraph], **kw):
        self.geometry = g = Geometry.of(theme)
        self.theme = theme
        self.later = Later()  # contents page numbers and folios, defined when the last page is done
        self.pages_done = 0
        self._folio = folio
        self._on_flowable = on_flowable
        p = theme.page
        super().__init__(filename, pagesize=g.media, leftMargin=g.offset + p.margin_left,
                         rightMargin=g.offset + p.margin_right, topMargin=g.offset + p.margin_top,
                         bottomMargin=g.offset + p.margin_bottom, trimBox=g.trim_box, bleedBox=g.bleed_box,
                         keepTogetherClass=KeepWithFirstPiece, **kw)
        self.notes: Optional[FootNotes] = None  # footnotes at the page foot (None: endnotes)
        frame = lambda top_extra=0.0: NoteFrame(  # noqa: E731
            self.leftMargin, self.bottomMargin, self.width, self.height - top_extra,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = PageTemplate("cover", [frame(p.height * COVER_BAND)], onPage=lambda c, d: decorate(c, d, "cover"))
        body = PageTemplate("body", [frame()], onPage=lambda c, d: decorate(c, d, "body"))
        # The first template is the first page's: without a cover, the body starts on page 1.
        self.addPageTemplates([cover, body] if p.cover else [body])

    def afterFlowable(self, flowable):
        self._on_flowable(self, flowable)

    def use_footnotes(self, notes: FootNotes) -> None:
        """Set the notes cited on a page at its foot (see :mod:`.notes`)."""
        self.notes = notes
        for template in self.pageTemplates:
            for frame in template.frames:
                frame.notes = notes

    def afterPage(self):
        if self.notes is not None:
            f = self.frame
            self.notes.end_page(self.canv, f._x1 + f._leftPadding, f._base(), f._y, empty=bool(f._atTop))
        self.pages_done = self.page

    def _endBuild(self):
        """Finish the last page (and pages for notes still waiting), then define the forms that wait for the
        page numbers, then save."""
        self._doSave = 0
        super()._endBuild()
        while self.notes is not None and self.notes.pending():  # notes left over: pages of their own
            self.handle_pageBegin()
            self._curPageFlowableCount = 1  # not an empty page to reportlab: it has notes
            self.handle_pageEnd()
        self.later.finish(self.canv, self.pages_done, self._folio)
        self.canv.save()


def paint_page(canvas, doc: BriefDoc, kind: str, running: Optional[Paragraph]):
    """Everything on a page that is not the story: background, cover band, running head, folio, marks."""
    theme, g = doc.theme, doc.geometry
    c = theme.colours
    canvas.saveState()
    o, b = g.offset, g.bleed
    if c.background.rgb != "#FFFFFF":  # a tinted page is printed to the bleed edge
        canvas.setFillColor(colour(theme, c.background))
        canvas.rect(o - b, o - b, g.width + 2 * b, g.height + 2 * b, stroke=0, fill=1)
    p = theme.page
    if kind == "cover":
        band = p.height * COVER_BAND - 4 * MM
        canvas.setFillColor(colour(theme, c.surface))
        canvas.rect(o - b, o + g.height - band, g.width + 2 * b, band + b, stroke=0, fill=1)
        canvas.setFillColor(colour(theme, c.accent))
        canvas.rect(o - b, o - b, p.margin_left * 0.45 + b, g.height + 2 * b, stroke=0, fill=1)
        canvas.rect(o + p.margin_left, o + g.height - band - 2.5, g.width - p.margin_left - p.margin_right, 2.5,
                    stroke=0, fill=1)
    else:
        x0, x1 = o + p.margin_left, o + g.width - p.margin_right
        if running is not None:
            w, h = running.wrap(x1 - x0, p.margin_top)
            y = o + g.height - p.margin_top + 5 * MM
            running.drawOn(canvas, x0, y)
            canvas.setStrokeColor(colour(theme, c.rule))
            canvas.setLineWidth(0.5)
            canvas.line(x0, y - 2, x1, y - 2)
        if p.folio == "gbt9704":  # GB/T 9704 7.5: 7 mm below the type area
            from .grid import folio_y

            doc.later.folio(canvas, doc.page, x0, folio_y(theme, o), x1 - x0)
        else:
            doc.later.folio(canvas, doc.page, x0, o + p.margin_bottom - 10 * MM, x1 - x0)
    if p.crop_marks:
        crop_marks(canvas, theme, g)
    canvas.restoreState()


def crop_marks(canvas, theme: Theme, g: Geometry) -> None:
    """Eight hairlines at the trim corners, starting outside the bleed."""
    canvas.setStrokeColor(registration(theme))
    canvas.setLineWidth(0.25)
    o = g.offset
    start = max(g.bleed, MARK_GAP)
    for x in (o, o + g.width):
        for y, sign in ((o, -1), (o + g.height, 1)):
            canvas.line(x, y + sign * start, x, y + sign * (start + MARK_LENGTH))
    for y in (o, o + g.height):
        for x, sign in ((o, -1), (o + g.width, 1)):
            canvas.line(x + sign * start, y, x + sign * (start + MARK_LENGTH), y)
