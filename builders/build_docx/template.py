"""A theme's corporate reference document (.docx or .dotx): its styles, headers and page set-up win."""
from __future__ import annotations

import copy
import io
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..errors import Diagnostic, InputError


def open_template(path: Path, log=None):
    """The template as a python-docx Document, its sample body removed (section properties kept).

    The package is sanitised first (:mod:`builders.sanitize`; what it drops is warned about in ``log``),
    which also gives a .dotx or .docm the plain document's content type python-docx insists on."""
    from ..sanitize import display, template_bytes

    data = template_bytes(Path(path), "docx", log)
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a broken template is the user's file, not our bug
        raise InputError([Diagnostic(display(Path(path)), 1, 1,
                                     f"python-docx cannot open the Word template: {type(exc).__name__}: {exc}")]) from None
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    return doc


def snapshot(doc) -> dict[str, object]:
    """The template's own style definitions by styleId, to restore after the theme has styled everything."""
    return {s.get(qn("w:styleId")): copy.deepcopy(s) for s in doc.styles.element.findall(qn("w:style"))}


def restore(doc, saved: dict[str, object], east_asian: dict[str, str]) -> None:
    """Put the template's styles back; where one names no East Asian face, the theme's is added
    (``east_asian`` maps styleId → face) so Chinese never falls to the template's theme font."""
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if sid not in saved:
            continue
        original = copy.deepcopy(saved[sid])
        fonts = original.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")) is None and sid in east_asian:
            fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
            fonts.set(qn("w:eastAsia"), east_asian[sid])
        style.addprevious(original)
        root.remove(style)


def chinese_body_ppr(doc):
    """Direct paragraph properties that give body text the Chinese conventions a template's default
    style does not state: a two-character first-line indent and justified lines; ``None`` if it
    states both.

    Direct formatting on body paragraphs, not a change to the default style: the template's headings,
    captions and table styles are based on it and would all inherit the indent.  A template written
    for Western text states neither; one that sets an indent or an alignment keeps its own.
    """
    normal = next((s for s in doc.styles.element.findall(qn("w:style"))
                   if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"), None)
    ppr = normal.find(qn("w:pPr")) if normal is not None else None
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    has_indent = ind is not None and bool({qn("w:firstLine"), qn("w:firstLineChars"), qn("w:hanging"),
                                           qn("w:hangingChars")} & set(ind.attrib))
    has_jc = ppr is not None and ppr.find(qn("w:jc")) is not None
    if has_indent and has_jc:
        return None
    out = OxmlElement("w:pPr")
    if not has_indent:
        half_points = normal.find(f"{qn('w:rPr')}/{qn('w:sz')}") if normal is not None else None
        size = int(half_points.get(qn("w:val"))) / 2 if half_points is not None else 10.5
        indent = OxmlElement("w:ind")
        # firstLine (twips, for readers without *Chars) before firstLineChars: LibreOffice drops the
        # indent when the attributes come the other way round.
        indent.set(qn("w:firstLine"), str(round(size * 2 * 20)))
        indent.set(qn("w:firstLineChars"), "200")
        out.append(indent)
    if not has_jc:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), "both")
        out.append(jc)
    return out


def has_header(section, footer: bool = False) -> bool:
    """True when the template's section carries a header (or footer) with content; it is then kept."""
    part = section.footer if footer else section.header
    if part.is_linked_to_previous:
        return False
    return any(p.text.strip() for p in part.paragraphs) or bool(part._element.xpath(".//w:fldChar"))
