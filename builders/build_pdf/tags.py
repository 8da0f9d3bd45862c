"""The structure tree of a tagged PDF as the renderer builds it (issue 18).

The renderer makes one :class:`Elem` per structure element in the brief's
reading order (:class:`Tree`) and hangs it on each flowable that shows text
(``flowable._tag``); :mod:`.marking` records, as those flowables draw, which
marked content (page, MCID) belongs to which element, and :mod:`.structure`
writes the tree into the PDF in the finishing step.  ``BRIEF_PDF_TAGS=0`` (a
private switch for tests) writes no marked content at all; the glyphs are the
same either way.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional

__all__ = ["Elem", "Tree", "cover_role", "enabled", "other_language", "tag"]


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
    id: Optional[str] = None  # /ID (a Note's: PDF/UA-1 wants one, unique, in the IDTree)

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


def cover_role(style: str) -> str:
    """The structure type of a title-page paragraph set in ``style`` (possibly scaled, "title-0.92"): the
    title is the document's first heading, so a screen reader's heading list starts with it."""
    return "H1" if style.split("-", 1)[0] == "title" else "P"


def tag_text(tree: Tree, flowables: list, role: str = "P") -> list:
    """``flowables`` (returned), each paragraph in them (in tables' cells too) a ``role`` element: for text
    set outside the renderer (a theme's banner and colophon), which would otherwise be an artifact."""
    from reportlab.platypus import Paragraph, Table

    def visit(f):
        if isinstance(f, Paragraph) and "_tag" not in f.__dict__:
            tree.leaf(role, f)
        elif isinstance(f, Table):
            for row in f._cellvalues:
                for c in row:
                    visit(c)
        elif isinstance(f, (list, tuple)):
            for x in f:
                visit(x)
        elif hasattr(f, "_content"):  # KeepTogether and its kind
            visit(f._content)

    visit(flowables)
    return flowables


def tag(flowable, elem: Elem):
    """Hang ``elem`` on ``flowable`` (a Drawing refuses unknown attributes: set it in its ``__dict__``)."""
    flowable.__dict__["_tag"] = elem
    return flowable
