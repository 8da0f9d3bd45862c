"""Marked content written while the flowables draw, for the tagged PDF (issue 18).

ReportLab's open-source edition has no tagging API, so the operators go into
the canvas's content stream directly.  When a flowable carrying a structure
element (:mod:`.tags`) draws, :class:`Tagger` closes the page's artifact
sequence, opens ``/Role <</MCID n>> BDC``, lets the flowable draw and closes
it again; the element records ``(page, n)``.  Everything drawn outside a
tagged flowable (running heads, folios, rules, table tints, crop marks) stays
inside ``/Artifact BMC … EMC``, which is open from the start of every page,
so nothing is left untagged by omission.

A flowable drawn a second time (a table's header row repeated on the next
page) is an artifact the second time: the tree has its text once.
"""
from __future__ import annotations

import re
from typing import Optional

from reportlab.platypus import flowables as _fl
from reportlab.platypus import paragraph as _para

from .notes import PREFIX as NOTE_LINK
from .tags import Elem

__all__ = ["Tagger", "TaggingCanvas", "install"]

ARTIFACT = "/Artifact BMC"


class Tagger:
    """The canvas side: MCIDs per page, the artifact sequence around everything untagged, annotations."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.page = 0
        self.next_mcid = 0
        self.elem: Optional[Elem] = None  # the element of the flowable drawing now
        self.mcid: Optional[int] = None
        self.bboxes: dict[int, tuple] = {}  # id(Figure element) → (page, bbox)
        self.link_target: Optional[str] = None
        self._opened: Optional[int] = None  # where in the page's code the current sequence opened
        self.in_furniture = False
        self.untagged: list[str] = []  # paragraphs drawn with no element: a builder bug, warned about
        canvas._code.append(ARTIFACT)

    # -- pages

    def end_page(self) -> None:
        self.canvas._code.append("EMC")

    def begin_page(self) -> None:
        self.page += 1
        self.next_mcid = 0
        self.canvas._code.append(ARTIFACT)

    def furniture(self, paint) -> None:
        """``paint()`` the page's furniture (running head, folio, bands, crop marks) as a pagination artifact."""
        code = self.canvas._code
        if self.elem is not None:  # never inside a tagged flowable; the page is painted before any
            paint()
            return
        if code and code[-1] == ARTIFACT:
            code.pop()
        else:
            code.append("EMC")
        code.append("/Artifact <</Type /Pagination>> BDC")
        self.in_furniture = True
        try:
            paint()
        finally:
            self.in_furniture = False
        code += ["EMC", ARTIFACT]

    # -- flowables

    def begin(self, flowable, elem: Elem, x: float, y: float) -> bool:
        if self.elem is not None or getattr(flowable, "_brief_drawn", False) or self.canvas._formData:
            return False  # inside another tagged flowable, or drawn before: part of that, or an artifact
        flowable.__dict__["_brief_drawn"] = True
        self.elem = elem
        self.mcid = self._open(elem.role, elem)
        if elem.role == "Figure":
            w, h = getattr(flowable, "width", 0), getattr(flowable, "height", 0)
            pts = [self._user(x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            self.bboxes.setdefault(id(elem), (self.page, [min(xs), min(ys), max(xs), max(ys)]))
        return True

    def unexpected(self, paragraph) -> None:
        """A paragraph drawn without a structure element: it ends up an artifact, which is right only for
        page furniture (and in forms, for the folios); anything else is remembered for a warning."""
        if self.elem is None and not self.in_furniture and not self.canvas._formData:
            text = " ".join(re.sub(r"<[^>]*>", "", getattr(paragraph, "text", "")).split())
            self.untagged.append(text[:60])

    def end(self) -> None:
        self.canvas._code.append("EMC")
        self.canvas._code.append(ARTIFACT)
        self.elem = self.mcid = self._opened = None

    def _open(self, role: str, elem: Elem, close: bool = True) -> int:
        code = self.canvas._code
        if not close:
            pass
        elif code and code[-1] == ARTIFACT:
            code.pop()  # an empty artifact sequence: leave it out
        else:
            code.append("EMC")
        n = self.next_mcid
        self.next_mcid += 1
        self._opened = len(code)
        code.append(f"/{role} <</MCID {n}>> BDC")
        elem.kids.append((self.page, n))
        return n

    def _user(self, x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = self.canvas._currentMatrix
        return (a * x + c * y + e, b * x + d * y + f)

    def bullet(self, draw) -> None:
        """A list item's label: its own Lbl element (the LI's first kid) before the item's LBody content.

        The sequence opened for the LBody holds nothing drawn yet but the flowable's position: it becomes
        the Lbl's, and the LBody's starts again after the label."""
        e = self.elem
        li = e.li if e is not None else None
        if li is None or not li.kids or li.kids[0].role != "Lbl" or self._opened is None:
            draw()
            return
        code = self.canvas._code
        at, self._opened = self._opened, None
        e.kids.remove((self.page, self.mcid))
        li.kids[0].kids.append((self.page, self.mcid))
        code[at] = f"/Lbl <</MCID {self.mcid}>> BDC"
        draw()
        code.append("EMC")
        self.mcid = self._open(e.role, e, close=False)

    def annotation(self, index: int) -> None:
        """The link annotation just added to this page (``index`` in its /Annots): a Link element with an
        object reference, inside the element drawing now (a note number's is inside a Reference)."""
        target, self.link_target = self.link_target, None
        if self.elem is None:
            return
        holder = self.elem
        if target and target.startswith(NOTE_LINK):
            holder = holder.add("Reference")
        holder.add("Link", link=target).kids.append(("annot", self.page, index))


# ---------------------------------------------------------------- reportlab hooks

_installed = False


def install() -> None:
    """Route flowable drawing, paragraph splitting and bullets through the tagger (idempotent; a canvas
    without a tagger draws exactly as before)."""
    global _installed
    if _installed:
        return
    draw_on = _fl.Flowable.drawOn

    def drawOn(self, canvas, x, y, _sW=0):
        elem = self.__dict__.get("_tag")
        tagger = getattr(canvas, "_brief_tagger", None)
        if elem is None and tagger is not None and isinstance(self, _para.Paragraph):
            tagger.unexpected(self)
        if elem is None or tagger is None or not tagger.begin(self, elem, self._hAlignAdjust(x, _sW), y):
            return draw_on(self, canvas, x, y, _sW)
        try:
            return draw_on(self, canvas, x, y, _sW)
        finally:
            tagger.end()

    _fl.Flowable.drawOn = drawOn

    split = _para.Paragraph.split

    def split_tagged(self, availWidth, availHeight):
        parts = split(self, availWidth, availHeight)
        elem = self.__dict__.get("_tag")
        if elem is not None:
            for p in parts:
                p.__dict__["_tag"] = elem
        return parts

    _para.Paragraph.split = split_tagged

    bullet = _para._drawBullet

    def draw_bullet(canvas, offset, cur_y, bulletText, style, rtl):
        tagger = getattr(canvas, "_brief_tagger", None)
        if tagger is None:
            return bullet(canvas, offset, cur_y, bulletText, style, rtl)
        out = []
        tagger.bullet(lambda: out.append(bullet(canvas, offset, cur_y, bulletText, style, rtl)))
        return out[0]

    _para._drawBullet = draw_bullet
    _installed = True


class TaggingCanvas:
    """Mixed into the document's canvas class: an artifact sequence around each page's untagged content,
    and every link annotation reported to the tagger."""

    def start_tagging(self) -> Tagger:
        self._brief_tagger = Tagger(self)
        return self._brief_tagger

    def showPage(self):
        t = getattr(self, "_brief_tagger", None)
        if t is None:
            return super().showPage()
        t.end_page()
        super().showPage()
        t.begin_page()

    def save(self):
        t = getattr(self, "_brief_tagger", None)
        if t is not None and self._code == [ARTIFACT]:
            self._code = []  # the page after the last one was never drawn on
        return super().save()

    def linkURL(self, url, *a, **kw):
        self._brief_link(url)
        return super().linkURL(url, *a, **kw)

    def linkRect(self, contents, destinationname, *a, **kw):
        self._brief_link("#" + destinationname)
        return super().linkRect(contents, destinationname, *a, **kw)

    def _brief_link(self, target: str) -> None:
        t = getattr(self, "_brief_tagger", None)
        if t is not None:
            t.link_target = target

    def _annotatePage(self, name):
        t = getattr(self, "_brief_tagger", None)
        if t is not None and not self._formData and t.link_target is not None:
            t.annotation(len(self._annotationrefs))
        return super()._annotatePage(name)
