"""Core properties from the brief; nothing of python-docx's defaults ("python-docx", 2013) survives."""
from __future__ import annotations

from docx.oxml.ns import qn

from ..docprops import core_text
from ..model import Brief
from ..reproducible import document_datetime
from .text import clean

# python-docx's template ships these filled in; they describe the template, not this document.
_DATES = ("dcterms:created", "dcterms:modified", "cp:lastPrinted")


def apply(doc, brief: Brief) -> None:
    """Title, subject, authors, keywords, language and dates (``None`` date: the elements are removed)."""
    cp = doc.core_properties
    text, _ = core_text(brief)  # shortened to the format's limit; the warnings are the build's (build.py)
    cp.title = clean(text.title)
    cp.subject = clean(text.subject)
    cp.author = clean(text.author)
    cp.last_modified_by = cp.author
    cp.keywords = clean(text.keywords)
    cp.language = brief.language
    cp.comments = ""
    cp.category = ""
    cp.revision = 1
    when = document_datetime(brief)
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
