"""Fields and bookmarks: PAGE/NUMPAGES, SEQ captions, the TOC with a pre-filled result, updateFields.

A field is begin / instruction / separate / result / end.  The result is what a
reader sees until the field is updated, so every result here is already right
(or as right as it can be without page layout).
"""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from . import xml
from .text import clean

TOC_INSTRUCTION = r'TOC \o "1-3" \h \z \u'


def _run_with(tag: str, text: str | None = None, **attrs: str):
    """``<w:r>`` holding one element (fldChar, instrText or t) with the given attributes and text."""
    run = OxmlElement("w:r")
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(name.replace("_", ":", 1)), value)
    if text is not None:
        el.text = text
    run.append(el)
    return run


def _fld_char(kind: str, dirty: bool = False):
    extra = {"w_dirty": "true"} if dirty else {}
    return _run_with("w:fldChar", w_fldCharType=kind, **extra)


def _instr(instruction: str):
    return _run_with("w:instrText", f" {instruction} ", xml_space="preserve")


def text_run(text: str):
    return _run_with("w:t", clean(text), xml_space="preserve")


def field_runs(instruction: str, result: str, dirty: bool = False) -> list:
    """The runs of a complete field: begin, instruction, separate, ``result``, end."""
    return [_fld_char("begin", dirty), _instr(instruction), _fld_char("separate"), text_run(result),
            _fld_char("end")]


def add_field(parent, instruction: str, result: str, dirty: bool = False) -> None:
    """Append a complete field to a paragraph (or hyperlink) element ``parent``."""
    for el in field_runs(instruction, result, dirty):
        parent.append(el)


class BookmarkIds:
    """Bookmark ids, unique in the document (``w:id`` of bookmarkStart/End)."""

    def __init__(self, first: int = 100):
        self._next = first

    def next_id(self) -> int:
        self._next += 1
        return self._next - 1


def begin_field(parent, instruction: str) -> None:
    """Open a field whose result spans paragraphs (the TOC); :func:`end_field` closes it."""
    for el in (_fld_char("begin", dirty=True), _instr(instruction), _fld_char("separate")):
        parent.append(el)


def end_field(parent) -> None:
    parent.append(_fld_char("end"))


def bookmark(paragraph, name: str, bid: int) -> None:
    """Wrap the paragraph's content in bookmark ``name`` (the TOC's hyperlinks point at it)."""
    p = paragraph._p
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bid))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bid))
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def toc_entry(paragraph, label: str, bookmark_name: str, first: bool, last: bool) -> None:
    """One line of the pre-filled contents: the heading's label, hyperlinked to its bookmark.

    No page number: LibreOffice keeps a TOC result as static text (a PAGEREF
    inside it stays unevaluated, measured), so a number here could only be
    wrong; Word rebuilds the entries with tab leaders and page numbers on open."""
    p = paragraph._p
    if first:
        begin_field(p, TOC_INSTRUCTION)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name)
    link.set(qn("w:history"), "1")
    link.append(text_run(label))
    p.append(link)
    if last:
        end_field(p)


def update_on_open(doc) -> None:
    """``w:updateFields``: Word refreshes the TOC (and page numbers in it) when the file is opened."""
    upd = xml.child(doc.settings.element, "w:updateFields", before=_AFTER_UPDATE_FIELDS)
    upd.set(qn("w:val"), "true")


# CT_Settings children that follow w:updateFields.
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
                        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
