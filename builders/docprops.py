"""The document properties Word and PowerPoint carry (title, subject, author, keywords), within their limits.

OOXML core properties are limited to 255 characters each (python-docx and python-pptx refuse longer
values), while a brief may have a long title, 25 authors or 40 keywords.  Both builders take their
property values from :func:`core_text`, so ``brief check`` and the build agree: a value over the
limit is shortened at a sensible boundary with an ellipsis, with one warning, and the document's
own text (cover, title slide) keeps it whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Diagnostic

if TYPE_CHECKING:
    from .model import Brief

MAX_PROPERTY = 255
ELLIPSIS = "…"
LIST_SEP = "; "
# Where a shortened text may end: after a space or a punctuation mark (Latin or CJK).
_BREAK = re.compile(r"[\s,;:.!?，、；：。！？）)]")
# XML 1.0 cannot carry these; a property with one would not save.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class CoreText:
    """The text core properties of one brief, each at most :data:`MAX_PROPERTY` characters."""

    title: str
    subject: str
    author: str
    keywords: str


def shorten(text: str, limit: int = MAX_PROPERTY, sep: str | None = None) -> str:
    """``text`` if it fits in ``limit`` characters, else a prefix ending at a boundary, plus an ellipsis.

    With ``sep`` (a joined list) the cut falls between items, so no name is split; otherwise after the
    last space or punctuation mark in the second half, or anywhere for unspaced (CJK) text.
    """
    if len(text) <= limit:
        return text
    budget = limit - len(ELLIPSIS)
    head = text[:budget]
    cut = -1
    if sep:
        cut = head.rfind(sep)
        cut = cut if cut > 0 and text.startswith(sep, cut) else -1
    if cut < 0:
        ends = [m.end() for m in _BREAK.finditer(head)]
        cut = ends[-1] if ends and ends[-1] > budget // 2 else budget
    return head[:cut].rstrip(" ;,，、；") + ELLIPSIS


def core_text(brief: Brief) -> tuple[CoreText, list[Diagnostic]]:
    """The property values for ``brief``, and one warning per value that had to be shortened."""
    file = str(brief.source or brief.name)
    raw = {
        "title": (brief.title, None, "title"),
        "subject": (brief.subtitle or brief.running_title, None,
                    "subtitle" if brief.subtitle else "short_title" if brief.short_title else "title"),
        "author": (LIST_SEP.join(a.name for a in brief.authors), LIST_SEP, "authors"),
        "keywords": (LIST_SEP.join(brief.keywords), LIST_SEP, "keywords"),
    }
    values, warnings = {}, []
    for prop, (text, sep, key) in raw.items():
        text = _ILLEGAL.sub("", str(text or ""))  # a Line (title, subtitle) reads as its plain text
        values[prop] = shorten(text, sep=sep)
        if values[prop] != text and not any(w.message.startswith(f"{key}: ") for w in warnings):
            warnings.append(Diagnostic(file, 0, 0, (
                f"{key}: {len(text):,} characters, but a Word or PowerPoint document property holds at most "
                f"{MAX_PROPERTY}; the {prop} property is shortened (the document's text keeps it whole)"), "warning"))
    return CoreText(**values), warnings
