"""Characters of the document that no font here can draw, named with where they first occur.

:func:`builders.glyphs.missing` reads a Brief; a builder has only the Document,
so the strings are gathered from it here and checked with the same test."""
from __future__ import annotations

from ..document import Document, blocks_text, plain
from ..theme import Theme


def document_strings(doc: Document) -> list[tuple[str, str]]:
    """Every string a reader of the report sees, with the brief path of where it comes from."""
    out = [("title", plain(doc.title)), ("subtitle", plain(doc.subtitle) if doc.subtitle else ""),
           ("short_title", doc.running_title)]
    out += [(f"authors[{i}]", plain(a.name) + " " + (plain(a.role) if a.role else ""))
            for i, a in enumerate(doc.authors)]
    out += [(f"keywords[{i}]", k) for i, k in enumerate(doc.keywords)]
    for s in doc.walk():
        out.append((s.where or s.anchor, s.label + "\n" + blocks_text(s.blocks)))
    out += [(f"notes[{n.note_id}]", blocks_text(n.blocks)) for n in doc.notes]
    return out


def missing(doc: Document, theme: Theme) -> dict[str, str]:
    """Characters (in first-seen order) that no face of the theme and no installed font has → where."""
    from ..fonts import metrics
    from ..glyphs import lacking

    refs = [theme.fonts.body.pdf, theme.fonts.heading.pdf, theme.fonts.caption.pdf, *theme.fonts.fallback]
    faces = [metrics(r) for r in dict.fromkeys(refs)]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for where, text in document_strings(doc):
        for ch in text:
            if ch in seen:
                continue
            seen.add(ch)
            if lacking(ch, faces):
                out[ch] = where
    return out
