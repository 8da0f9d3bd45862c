"""The Word report builder.

``build(doc, theme, path, log)`` writes an editable .docx of the lowered
:class:`~builders.document.Document`: a cover, a table of contents Word
refreshes on opening, the sections as Heading 1-3 with their blocks (rich text,
real footnotes, hyperlinks, multi-level lists, quotes, tables, framed
call-outs), figures as captioned tables and native charts, a running header and
a page X of Y footer, fonts and languages from the theme and the document, and
reproducible bytes.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import Log
from ..document import Document
from ..theme import Theme


def build(doc: Document, theme: Theme, path: Path, log: Log) -> None:
    """Write the Word report of ``doc`` in ``theme`` to exactly ``path``; problems go to ``log``."""
    from .render import render  # python-docx is imported only when a report is built

    render(doc, theme, Path(path), log)
