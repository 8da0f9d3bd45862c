"""Core properties from the document; nothing of python-docx's defaults ("python-docx", 2013) survives."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from docx.oxml.ns import qn

from ..docprops import LIST_SEP, shorten
from ..document import Document
from .content import text_without_notes
from .text import clean

# python-docx's template ships these filled in; they describe the template, not this document.
_DATES = ("dcterms:created", "dcterms:modified", "cp:lastPrinted")


def apply(doc, document: Document, when: Optional[datetime]) -> None:
    """Title, subject, authors, keywords, language and dates (``when`` ``None``: the date elements are removed).
    Texts are as a reader sees them, without footnote numbers, shortened to the 255 characters a property
    holds as :mod:`builders.docprops` does (its warnings are the build's)."""
    cp = doc.core_properties
    cp.title = shorten(clean(text_without_notes(document.title)))
    cp.subject = shorten(clean(text_without_notes(document.subtitle) if document.subtitle else document.running_title))
    cp.author = shorten(clean(LIST_SEP.join(text_without_notes(a.name) for a in document.authors)), sep=LIST_SEP)
    cp.last_modified_by = cp.author
    cp.keywords = shorten(clean(LIST_SEP.join(document.keywords)), sep=LIST_SEP)
    cp.language = document.language
    cp.comments = ""
    cp.category = ""
    cp.revision = 1
    if when is not None:
        naive = when.replace(tzinfo=None)
        cp.created = naive
        cp.modified = naive
        _remove(cp, ("cp:lastPrinted",))  # it was never printed
    else:
        _remove(cp, _DATES)


def _remove(cp, tags: tuple[str, ...]) -> None:
    root = cp._element
    for tag in tags:
        for el in root.findall(qn(tag)):
            root.remove(el)
