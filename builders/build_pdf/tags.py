"""Marked content for a tagged PDF, written while the flowables draw (issue 18).

ReportLab's open-source edition has no tagging API, so the operators are
written into the canvas's content stream directly.  The renderer builds the
structure tree (:class:`Tree`) in the brief's reading order and hangs one
element on each flowable that shows text (``flowable._tag``).  When such a
flowable draws, :class:`Tagger` closes the page's artifact sequence, opens
``/Role <</MCID n>> BDC``, lets the flowable draw and closes it again; the
element records ``(page, n)``.  Everything drawn outside a tagged flowable
(running heads, folios, rules, table tints, crop marks) stays inside
``/Artifact BMC … EMC``, which is open from the start of every page, so
nothing is left untagged by omission.

A flowable drawn a second time (a table's header row repeated on the next
page) is an artifact the second time: the tree has its text once.

:mod:`.structure` turns the record into the StructTreeRoot in the finishing
step.  ``BRIEF_PDF_TAGS=0`` (a private switch for tests) writes no marked
content at all; the glyphs are the same either way.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

from reportlab.platypus import flowables as _fl
from reportlab.platypus import paragraph as _para

from .notes import PREFIX as NOTE_LINK

__all__ = ["Elem", "Tree", "Tagger", "enabled", "install", "tag"]

ARTIFACT = "/Artifact BMC"


def enabled() -> bool:
    """Tagging on, unless ``BRIEF_PDF_TAGS=0`` (tests compare pages with and without it)."""
    return os.environ.get("BRIEF_PDF_TAGS", "1") != "0"


@dataclass(eq=False)
class Elem:
    """A structure element: its standard type, and its kids in order (elements, marked-content references
    ``(page, mcid)`` and annotations ``("annot", page, index in the page's /Annots)``)."""

    role: str
    kids: list = field(default_factory=list)
    alt: Optional[str] = None
    attrs: Optional[dict] = None  # /A: {"O": "Table", "Scope": "Column"}, {"O": "Layout", "BBox": [...]}
    lang: Optional[str] = None
    link: Optional[str] = None  # a Link's target, for the annotation's /Contents
    li: Optional["Elem"] = None  # an LBody's list item, whose Lbl the paragraph's bullet is

    def add(self, role: str, **kw) -> "Elem":
        e = Elem(role, **kw)
        self.kids.append(e)
        return e


class Tree:
    """The structure tree as the renderer builds it: ``leaf`` tags a flowable under the open group."""

    def __init__(self):
        self.root = Elem("Document")
        self._open = [self.root]

    @property
    def current(self) -> Elem:
        return self._open[-1]

    def leaf(self, role: str, flowable, **kw):
        """``flowable`` (returned) shows its content as a new ``role`` element under the open group."""
        return tag(flowable, self.current.add(role, **kw))

    def leaf_of(self, elem: Elem, flowable):
        """``flowable`` shows the content of ``elem`` (an element made already, e.g. an LBody)."""
        return tag(flowable, elem)

    @contextmanager
    def group(self, role: str, under: Optional[Elem] = None, **kw):
        """A ``role`` element (under the open group, or ``under``) that the leaves made inside belong to."""
        e = (under or self.current).add(role, **kw)
        self._open.append(e)
        try:
            yield e
        finally:
            self._open.pop()

    @contextmanager
    def inside(self, e: Elem):
        """Make leaves under an existing element ``e``."""
        self._open.append(e)
        try:
            yield e
        finally:
            self._open.pop()


def other_language(text: str, language: str) -> Optional[str]:
    """The language of ``text`` when it is plainly not the brief's ``language``: Latin letters and no CJK in a
    Chinese, Japanese or Korean brief ("en"); Hangul without kana ("ko") or kana without Hangul ("ja") in a
    brief of another East Asian language; Hangul, kana or hanzi and no Latin letters in another brief.
    None when in doubt (a screen reader then uses the document's /Lang)."""
    base = language.split("-")[0].lower()
    cjk_brief = base in ("zh", "ja", "ko")
    wide = latin = hangul = kana = False
    for ch in text:
        o = ord(ch)
        if o >= 0x2E80:
            wide = True
            hangul = hangul or 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF
            kana = kana or 0x3040 <= o <= 0x30FF
        elif ch.isascii() and ch.isalpha():
            latin = True
    if cjk_brief:
        if latin and not wide:
            return "en"
        if hangul and not kana and base != "ko":
            return "ko"
        if kana and not hangul and base != "ja":
            return "ja"
        return None
    if wide and not latin:
        return "ko" if hangul else "ja" if kana else "zh"
    return None


def tag(flowable, elem: Elem):
    """Hang ``elem`` on ``flowable`` (a Drawing refuses unknown attributes: set it in its ``__dict__``)."""
    flowable.__dict__["_tag"] = elem
    return flowable


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
        canvas._code.append(ARTIFACT)

    # -- pages

    def end_page(self) -> None:
        self.canvas._code.append("EMC")

    def begin_page(self) -> None:
        self.page += 1
        self.next_mcid = 0
        self.canvas._code.append(ARTIFACT)

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
