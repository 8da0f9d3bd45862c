"""The Word report builder.

``build(brief, theme, path, log)`` writes an editable .docx: a cover, a table of
contents Word refreshes on opening, the sections of :func:`builders.outline.outline`
as Heading 1-3, real numbered lists, figures as captioned tables and charts,
a running header and a page X of Y footer, fonts and languages from the theme
and the brief, and reproducible bytes.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import Log
from ..model import Brief
from ..theme import Theme


def build(brief: Brief, theme: Theme, path: Path, log: Log) -> None:
    """Write the Word report of ``brief`` in ``theme`` to exactly ``path``; problems go to ``log``."""
    from .render import render  # python-docx is imported only when a report is built

    render(brief, theme, Path(path), log)
