"""Reading the built documents back as text, for parity checks against the YAML master."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..tools import run_tool

_SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    """Compare text the way a reader would: NFKC, no whitespace (PDF lines and justification add it), no
    invisible break hints (a soft hyphen; the zero-width space a government Word file puts between Chinese
    punctuation and a Latin letter so that LibreOffice may break there)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).replace("\u00ad", "").replace("\u200b", "")


@dataclass
class Extracted:
    """What a document says: its running text in order, and its headings (slide titles for a deck)."""

    text: str
    headings: list[str]
    notes: str = ""  # speaker notes (deck), footnotes (report)
    links: frozenset[str] = frozenset()  # targets of clickable external links


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOTE_KINDS = ("footnote", "endnote")


def docx_text(path: Path) -> Extracted:
    """The report's text in order (a note reference reads as the number Word shows), its headings, the text
    of its footnotes and endnotes, and the targets of its clickable links."""
    from docx import Document

    doc = Document(str(path))
    body = doc.element.body
    parts = {kind: _notes_part(doc, kind) for kind in _NOTE_KINDS}
    numbers = {kind: _note_numbers(part) for kind, part in parts.items()}
    texts, headings = [], []
    for p in body.iter(_W + "p"):
        t = _paragraph_text(p, numbers)
        texts.append(t)
        style = p.find("./{*}pPr/{*}pStyle")
        sid = style.get(_W + "val") if style is not None else ""
        if sid and _is_heading_style(doc, sid):
            headings.append(t)
    notes = "\n".join(_notes_text(part, numbers) for part in parts.values() if part is not None)
    links = frozenset(rel.target_ref for rel in doc.part.rels.values()
                      if rel.is_external and rel.reltype.endswith("/hyperlink")
                      and body.xpath(f'.//w:hyperlink[@r:id="{rel.rId}"]'))
    for part in parts.values():
        if part is not None:
            links |= frozenset(r.target_ref for r in part.rels.values() if r.is_external)
    return Extracted("\n".join(texts), headings, notes, links)


def _paragraph_text(p, numbers: dict) -> str:
    out = []
    for el in p.iter(_W + "t", _W + "footnoteReference", _W + "endnoteReference"):
        if el.tag == _W + "t":
            out.append(el.text or "")
        else:
            kind = "footnote" if el.tag.endswith("footnoteReference") else "endnote"
            out.append(str(numbers[kind].get(el.get(_W + "id"), "")))
    return "".join(out)


def _notes_part(doc, kind: str):
    for rel in doc.part.rels.values():
        if rel.reltype.endswith(f"/{kind}s") and not rel.is_external:
            return rel.target_part
    return None


def _note_elements(part):
    from lxml import etree

    if part is None:
        return []
    root = etree.fromstring(part.blob)
    return [n for n in root if n.tag in (_W + "footnote", _W + "endnote")
            and n.get(_W + "type") not in ("separator", "continuationSeparator", "continuationNotice")]


def _note_numbers(part) -> dict[str, int]:
    """Word numbers notes in the order they stand in their part: w:id → the number a reader sees."""
    return {n.get(_W + "id"): i for i, n in enumerate(_note_elements(part), 1)}


def _notes_text(part, numbers: dict) -> str:
    """The text of the notes, one paragraph a line, in order (separators excluded)."""
    lines = []
    for n in _note_elements(part):
        for p in n.iter(_W + "p"):
            lines.append(_paragraph_text(p, numbers))
    return "\n".join(lines)


def _is_heading_style(doc, style_id: str) -> bool:
    try:
        style = doc.styles.get_by_id(style_id, 1)  # WD_STYLE_TYPE.PARAGRAPH
    except Exception:  # noqa: BLE001 - an unknown style is simply not a heading
        return False
    name = (style.name or "").lower()
    return name.startswith("heading") and name != "heading" and "toc" not in name


def pptx_text(path: Path) -> Extracted:
    from pptx import Presentation

    prs = Presentation(str(path))
    texts, titles, notes, links = [], [], [], set()
    for slide in prs.slides:
        title = slide.shapes.title
        titles.append(title.text_frame.text if title is not None and title.has_text_frame else "")
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        for rel in slide.part.rels.values():
            if rel.is_external and rel.reltype.endswith("/hyperlink"):
                links.add(rel.target_ref)
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return Extracted("\n".join(texts), titles, "\n".join(notes), frozenset(links))


def pdf_text(path: Path, is_furniture=None) -> Extracted:
    """The PDF's text without page furniture: lines for which ``is_furniture(line)`` holds (running
    heads, page numbers) would otherwise cut a paragraph that runs over a page break in two."""
    out = run(["pdftotext", "-enc", "UTF-8", str(path), "-"], "poppler-utils")
    if is_furniture is not None:
        out = "\n".join(line for line in out.split("\n") if not is_furniture(line.strip("\f \t")))
    return Extracted(out, [], links=pdf_links(path))


def pdf_links(path: Path) -> frozenset[str]:
    """Targets of the PDF's URI link annotations (read through qpdf's uncompressed form)."""
    # status 3: read with warnings, which is still read
    qdf = run_tool(["qpdf", "--qdf", "--object-streams=disable", str(path), "-"], "qpdf", ok=(0, 3), text=False)
    found = set()
    for m in re.finditer(rb"/URI\s*\(((?:\\.|[^\\)])*)\)", qdf.stdout):
        raw = re.sub(rb"\\(.)", rb"\1", m.group(1))
        found.add(raw.decode("latin-1"))
    return frozenset(found)


def run(cmd: list[str], package: str) -> str:
    """The standard output of ``cmd``; one-line errors as in :func:`builders.tools.run_tool`."""
    return run_tool(cmd, package).stdout
