"""Where the boxes go on a slide, in points, derived from the theme's slide size.

Every box is ``(left, top, width, height)``.  Titles are fitted first; a title
that needs more room than its box at the theme's minimum size takes it from the
body below, so a long title wraps instead of running off the slide.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..theme import Theme

if TYPE_CHECKING:
    from .measure import Fitter
    from .plan import SlidePlan

INSET_X = 7.2  # text frame insets written on every frame: 0.1 in left/right, 0.05 in top/bottom
INSET_Y = 3.6
GAP = 14.0  # between the title and the body: room for the accent rule
CALLOUT_LARGEST, CALLOUT_SMALLEST = 60.0, 40.0  # a case's key number: read from the back of the room
CALLOUT_SHARE = 0.34  # of the inner width, beside the points: at most (a wider number takes up to half)
CALLOUT_MIN_SHARE = 0.2  # at least
PITCH = 1.2  # line pitch as a multiple of the size (written as exact spacing by text.py)
# Glyph boxes (pdftotext, font bounding boxes) reach this far (in em) below the last line's pitch: measured
# 0.15 em with Noto CJK at 20 and 39 pt in LibreOffice.  Heights include it; bottom-anchored frames
# (titles, footers) add it to their bottom inset so their last line clears the frame's edge.
DESCENT = 0.15


class Geometry:
    def __init__(self, theme: Theme, running_title: str, fitter: "Fitter"):
        self.theme = theme
        self.fitter = fitter
        w, h = theme.slides.width, theme.slides.height
        self.w, self.h = w, h
        self.mx = round(w * 0.05, 1)
        self.inner = w - 2 * self.mx
        self.footer_text = running_title
        self.footer_size, self.footer_h = self._fit_footer()
        self.footer_top = h - 10 - self.footer_h

    # ------------------------------------------------------------ footer
    def _fit_footer(self) -> tuple[float, float]:
        """The running title at 12 pt or less (never under 8), on one or two lines."""
        width = self.footer_width
        size = 12.0
        while True:
            need = self.fitter.text_height(self.footer_text, width, size, self.fitter.caption_faces)
            if need <= 2 * PITCH * size + 2 * INSET_Y + DESCENT * size or size <= 8:
                return size, need
            size -= 1

    @property
    def footer_width(self) -> float:
        return self.inner - self.number_width - 12

    @property
    def number_width(self) -> float:
        return 72.0

    def footer_boxes(self) -> dict:
        top = self.footer_top
        num_h = PITCH * 12 + 2 * INSET_Y + DESCENT * 12
        return {
            "footer": (self.mx, top, self.footer_width, self.footer_h),
            "number": (self.w - self.mx - self.number_width, self.h - 10 - num_h, self.number_width, num_h),
            "footer_size": self.footer_size,  # a size, not a box
        }

    # ------------------------------------------------------------ sizes
    def title_largest(self, s: "SlidePlan") -> float:
        t = self.theme.sizes.slide_title
        return round(t * 1.3) if s.layout == "Title Slide" else t

    def body_largest(self, s: "SlidePlan") -> float:
        return self.theme.sizes.slide_body

    # ------------------------------------------------------------ placing
    def _title_size(self, title: str, height: float, largest: float, size: float | None) -> tuple[float, float]:
        """(size, height needed): fitted from ``largest``, or at the deck's ``size`` for this slide type
        (then a title that needs more lines takes them from the body)."""
        if size is None:
            return self.fitter.fit_title(title, self.inner, height, largest)
        from .faces import HEIGHT_SLACK

        need = self.fitter.text_height(title, self.inner, size, self.fitter.title_faces)
        return size, need + HEIGHT_SLACK if need > height - HEIGHT_SLACK else need

    def callout(self, text: str, body: tuple) -> tuple[tuple, tuple, float]:
        """(body box, callout box, size): a key number in a column right of the body, as large as fits."""
        left, top, width, height = body
        faces = self.fitter.title_faces
        size = CALLOUT_LARGEST
        while size > CALLOUT_SMALLEST and faces.width(text, size) > width * CALLOUT_SHARE - 2 * INSET_X:
            size -= 2
        size = max(size, CALLOUT_SMALLEST)
        need = faces.width(text, size) + 2 * INSET_X
        # As wide as the number needs, with a margin (CALLOUT_MIN_SHARE to CALLOUT_SHARE of the body; a number
        # too wide for that up to half): the points beside it keep the width the number can spare.
        col = min(max(need + 24, width * CALLOUT_MIN_SHARE), max(width * CALLOUT_SHARE, need + 4), width * 0.5)
        gap = 12.0
        return (left, top, width - col - gap, height), (left + width - col, top, col, height), size

    def place(self, s: "SlidePlan", title: str, size: float | None = None) -> "SlidePlan":
        """``s`` with ``title``, its title size (``size``: the deck's for the slide's type) and its boxes."""
        has_footer = s.kind != "title"
        bottom = (self.footer_top - 6) if has_footer else self.h - 24
        boxes = self.footer_boxes() if has_footer else {}
        largest = self.title_largest(s)
        if s.layout in ("Title Slide", "Section Header"):
            top, height = (self.h * 0.16, self.h * 0.34) if s.layout == "Title Slide" else (self.h * 0.2, self.h * 0.26)
            size, need = self._title_size(title, height, largest, size)
            if need > height:  # grow upwards first: the space above a title slide's title is spare
                top = max(20.0, top - (need - height))
                height = max(height, need)
            boxes["title"] = (self.mx, top, self.inner, height)
            body_top = top + height + GAP
        else:
            top, height = 20.0, 2 * PITCH * self.theme.sizes.slide_title + 2 * INSET_Y + 2
            size, need = self._title_size(title, height, largest, size)
            height = max(height, need)
            boxes["title"] = (self.mx, top, self.inner, height)
            body_top = top + height + GAP
        body_h = max(bottom - body_top, 3 * PITCH * self.theme.sizes.slide_min + 2 * INSET_Y)
        boxes["chart" if s.chart is not None else "body"] = (self.mx, body_top, self.inner, body_h)
        if s.callout and s.chart is None:
            boxes["body"], boxes["callout"], boxes["callout_size"] = self.callout(s.callout, boxes["body"])
        return replace(s, title=title, title_size=size, boxes=boxes)


def title_type(s: "SlidePlan") -> str:
    """The slide types that share one title size in a deck: title and closing, dividers, the rest."""
    return {"Title Slide": "title", "Section Header": "section"}.get(s.layout, "content")



def whole_fits(geo: Geometry, mark: str):
    """Whether a paragraph fits whole on a slide of its own, at the theme's slide_min or more: the measure
    :func:`.design.design` asks before cutting a sentence longer than the body budget.  The slide is taken
    as a continued one (``mark`` on its title), the smaller of the two bodies."""
    bodies: dict[tuple, tuple] = {}

    def fits(s: "SlidePlan", para) -> bool:
        key = (s.layout, s.base_title or s.title, s.callout)
        if key not in bodies:
            bodies[key] = geo.place(s, (s.base_title or s.title) + mark).boxes["body"]
        body = bodies[key]
        return geo.fitter.best_size((para,), body[2], body[3], geo.body_largest(s)) is not None

    return fits
