"""The cover page and the table of contents."""
from __future__ import annotations

from docx.shared import Pt

from ..diagnostics import Log
from ..i18n import labels
from ..model import Brief
from ..outline import Node
from ..reproducible import document_datetime
from ..theme import Theme
from . import fields, measure
from .blocks import Blocks
from .styles import text_width
from .text import clean, human_date


def cover(out: Blocks, brief: Brief, theme: Theme, log: Log) -> None:
    """Title, subtitle, authors with roles, date; the page has no header or footer.

    The cover must stay on one page: a very long title or many authors first eat
    the space above the title, then shrink the cover's type (down to half)."""
    area = theme.page.height - theme.page.margin_top - theme.page.margin_bottom - 24
    scale = 1.0
    while _height(brief, theme, scale) > area and scale > 0.5:
        scale -= 0.05
    if _height(brief, theme, scale) > area:
        log.warn("cover", "title, subtitle and authors do not fit on one cover page")
    s = theme.sizes
    top = out.paragraph(style="Cover Meta")
    # The title sits about a fifth of the way down the type area, higher when the cover is full.
    top.paragraph_format.space_before = Pt(max(0.0, min(area * 0.18, area - _height(brief, theme, scale))))
    _para(out, brief.title, "Cover Title", s.title, scale)
    if brief.subtitle:
        _para(out, brief.subtitle, "Cover Subtitle", s.subtitle, scale)
    gap = out.paragraph(style="Cover Meta")
    gap.paragraph_format.space_before = Pt(s.title * 2 * scale)
    for author in brief.authors:
        _para(out, _author(brief, author), "Cover Meta", s.body + 1, scale)
    when = brief.date or (document_datetime(brief).date() if document_datetime(brief) else None)
    if when:
        p = _para(out, human_date(when, brief.language), "Cover Meta", s.body + 1, scale)
        p.paragraph_format.space_before = Pt(s.body * 2 * scale)


def _para(out: Blocks, text: str, style: str, size: float, scale: float):
    p = out.paragraph(style=style)
    run = p.add_run(clean(text))
    if scale < 1:  # direct size only when the style's size would overflow the page
        run.font.size = Pt(round(size * scale * 2) / 2)
    return p


def _author(brief: Brief, author) -> str:
    sep = "　" if brief.is_cjk else ", "
    return author.name + (sep + author.role if author.role else "")


# CJK faces set a line about 1.45 em high before line spacing applies.
_LINE = 1.45


def _height(brief: Brief, theme: Theme, scale: float) -> float:
    """Estimated height of the cover's content in points at ``scale`` (spacing as styles.py sets it)."""
    s, f = theme.sizes, theme.fonts
    w = text_width(theme)
    title, sub, meta = s.title * scale, s.subtitle * scale, (s.body + 1) * scale
    h = measure.lines(brief.title, f.heading, title, w) * title * 1.25 * _LINE + s.title * 0.6
    if brief.subtitle:
        h += measure.lines(brief.subtitle, f.heading, sub, w) * sub * 1.25 * _LINE + s.subtitle * 0.6
    h += s.title * 2 * scale
    for a in brief.authors:
        h += measure.lines(_author(brief, a), f.body, meta, w) * meta * 1.15 * _LINE + 4
    return h + s.body * 2 * scale + meta * _LINE


def contents(out: Blocks, brief: Brief, nodes: tuple[Node, ...], bookmarks: dict[int, str]) -> None:
    """A TOC field whose result is already the list of headings, hyperlinked to their bookmarks.

    Word refreshes it on opening (``w:updateFields``) and fills the page numbers;
    a reader that never updates fields still sees a real contents list."""
    head = out.paragraph(clean(labels(brief.language).contents), style="TOC Heading")
    head.paragraph_format.page_break_before = True
    entries = [(i, n) for i, n in enumerate(nodes) if n.level <= 3]
    if not entries:
        p = out.paragraph(style="TOC 1")
        fields.begin_field(p._p, fields.TOC_INSTRUCTION)
        fields.end_field(p._p)
        return
    for k, (i, node) in enumerate(entries):
        p = out.paragraph(style=f"TOC {node.level}")
        fields.toc_entry(p, node.label, bookmarks[i], first=k == 0, last=k == len(entries) - 1)
