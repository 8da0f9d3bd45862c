"""Adding paragraphs to a story (the body, a table cell, a footnote) in constant time each.

python-docx resolves a style name by scanning every style in the document (and
again to find the default style) on each ``add_paragraph(style=...)``, and
inserts each paragraph by searching the body for its ``w:sectPr``: a few
milliseconds per paragraph, and quadratic in the length of the report.  Here the
style ids are read once, after the styles are final, and paragraphs go straight
in front of the section properties.  The XML is the same as python-docx writes.
"""
from __future__ import annotations

import copy
import re

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

_ON = ("1", "true", "on")
_BREAKS = re.compile(r"([\t\r\n])")
_W = {"w": nsmap["w"]}
_P, _PPR, _PSTYLE, _R, _T = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:t"))
_NUMPR, _ILVL, _NUMID = (qn(t) for t in ("w:numPr", "w:ilvl", "w:numId"))
_VAL, _SPACE = qn("w:val"), qn("xml:space")


def element(clark: str):
    """A new element as python-docx's ``OxmlElement`` makes it (its class, the ``w`` declaration),
    from a ready Clark name."""
    return oxml_parser.makeelement(clark, nsmap=_W)


def style_ids(doc) -> dict[str, str | None]:
    """Internal paragraph style name (``w:name``) → ``w:styleId``; ``None`` for the default style,
    which python-docx leaves implicit (no ``w:pStyle``)."""
    found: dict[str, object] = {}
    default = None
    for el in doc.styles.element.iterchildren(qn("w:style")):
        kind = el.get(qn("w:type"))
        if kind == "paragraph" and el.get(qn("w:default")) in _ON:
            default = el  # the last default in document order wins, as in python-docx
        name = el.find(qn("w:name"))
        if name is not None:
            found.setdefault(name.get(qn("w:val")), el)  # the first of a name, as python-docx's lookup
    ids: dict[str, str | None] = {}
    for internal, el in found.items():
        if el.get(qn("w:type"), "paragraph") != "paragraph":
            continue
        ids[internal] = None if el is default else el.get(qn("w:styleId"))
    return ids


def add_text(r, text: str) -> None:
    """Append ``text`` to run element ``r`` as python-docx's ``Run.text`` does (tabs, line breaks)."""
    for piece in _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,):
        if not piece:
            continue
        if piece == "\t":
            r.add_tab()
        elif piece in "\r\n":
            r.add_br()
        else:
            t = element(_T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_SPACE, "preserve")
            r.append(t)


def add_run(paragraph: Paragraph, text: str = ""):
    """A new run at the end of ``paragraph`` (the ``w:r`` element), holding ``text``."""
    r = element(_R)
    paragraph._p.append(r)
    if text:
        add_text(r, text)
    return r


class Story:
    """What a python-docx ``Paragraph`` needs of its parent: the part it lives in (for relationships)."""

    def __init__(self, part):
        self.part = part


class Blocks:
    """A story (the body, a table cell, a footnote), for appending styled paragraphs and tables."""

    def __init__(self, doc):
        self.doc = doc
        self._container = doc._body
        body = doc.element.body
        self._body = body
        self._sect = body.find(qn("w:sectPr"))
        self.ids = style_ids(doc)
        self.body_ppr = None  # direct properties for body text paragraphs (see template.chinese_body_ppr)

    @property
    def part(self):
        """The package part this story is written into (hyperlink relationships go there)."""
        return self._container.part

    def within(self, parent, part=None) -> "Blocks":
        """The same writer appending to element ``parent`` (a ``w:tc``, a ``w:footnote``) of ``part``."""
        inner = copy.copy(self)
        inner._body, inner._sect = parent, None
        inner._container = Story(part if part is not None else self.part)
        return inner

    def place(self, el) -> None:
        """Append block element ``el`` (``w:p`` or ``w:tbl``) to the story."""
        if self._sect is not None:
            self._sect.addprevious(el)
        else:
            self._body.append(el)

    def style_id(self, name: str) -> str | None:
        """The id of paragraph style ``name`` (``None``: the default style), as python-docx finds it."""
        try:
            return self.ids[BabelFish.ui2internal(name)]
        except KeyError:  # not a paragraph style by that name: python-docx's own lookup and errors
            return self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """As ``Document.add_paragraph(text, style)``."""
        p = element(_P)
        if style is not None:
            sid = self.style_id(style)
            if sid is not None:
                ppr = element(_PPR)
                ps = element(_PSTYLE)
                ps.set(_VAL, sid)
                ppr.append(ps)
                p.append(ppr)
        self.place(p)
        para = Paragraph(p, self._container)
        if text:
            add_run(para, text)
        return para

    def body(self, text: str) -> Paragraph:
        """A body text paragraph: the default style, plus :attr:`body_ppr` when set."""
        para = self.paragraph(text)
        if self.body_ppr is not None:
            para._p.insert(0, copy.deepcopy(self.body_ppr))
        return para

    def set_style(self, paragraph: Paragraph, style: str) -> None:
        """As ``paragraph.style = style``."""
        paragraph._p.style = self.style_id(style)


def number(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    """Make ``paragraph`` an item (at ``level``) of list ``num_id``: ``w:numPr`` as python-docx writes it."""
    p = paragraph._p
    ppr = p.find(_PPR)
    if ppr is None or any(child.tag != _PSTYLE for child in ppr):  # not a fresh paragraph: the general way
        num_pr = p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id
        return
    num_pr = element(_NUMPR)
    ilvl = element(_ILVL)
    ilvl.set(_VAL, str(level))
    nid = element(_NUMID)
    nid.set(_VAL, str(num_id))
    num_pr.append(ilvl)
    num_pr.append(nid)
    ppr.append(num_pr)  # numPr follows pStyle (and keepNext ... widowControl, absent here)
