"""The cover page and the table of contents."""
from __future__ import annotations

from docx.shared import Pt

from ..locale import labels
from ..model import Brief
from ..outline import Node
from ..reproducible import document_datetime
from ..theme import Theme
from . import fields
from .text import clean, human_date


def cover(doc, brief: Brief, theme: Theme) -> None:
    """Title, subtitle, authors with roles, date; the page has no header or footer."""
    top = doc.add_paragraph(style="Cover Meta")
    # The title sits about a fifth of the way down the type area.
    top.paragraph_format.space_before = Pt((theme.page.height - theme.page.margin_top) * 0.18)
    doc.add_paragraph(clean(brief.title), style="Cover Title")
    if brief.subtitle:
        doc.add_paragraph(clean(brief.subtitle), style="Cover Subtitle")
    gap = doc.add_paragraph(style="Cover Meta")
    gap.paragraph_format.space_before = Pt(theme.sizes.title * 2)
    for author in brief.authors:
        sep = "　" if brief.is_cjk else ", "
        text = author.name + (sep + author.role if author.role else "")
        doc.add_paragraph(clean(text), style="Cover Meta")
    when = brief.date or (document_datetime(brief).date() if document_datetime(brief) else None)
    if when:
        p = doc.add_paragraph(clean(human_date(when, brief.language)), style="Cover Meta")
        p.paragraph_format.space_before = Pt(theme.sizes.body * 2)


def contents(doc, brief: Brief, nodes: tuple[Node, ...], bookmarks: dict[int, str]) -> None:
    """A TOC field whose result is already the list of headings, hyperlinked to their bookmarks.

    Word refreshes it on opening (``w:updateFields``) and fills the page numbers;
    a reader that never updates fields still sees a real contents list."""
    head = doc.add_paragraph(clean(labels(brief.language).contents), style="TOC Heading")
    head.paragraph_format.page_break_before = True
    entries = [(i, n) for i, n in enumerate(nodes) if n.level <= 3]
    if not entries:
        p = doc.add_paragraph(style="TOC 1")
        fields.begin_field(p._p, fields.TOC_INSTRUCTION)
        fields.end_field(p._p)
        return
    for k, (i, node) in enumerate(entries):
        p = doc.add_paragraph(style=f"TOC {node.level}")
        fields.toc_entry(p, node.label, bookmarks[i], first=k == 0, last=k == len(entries) - 1)
