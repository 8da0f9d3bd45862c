"""The cover page and the table of contents."""
from __future__ import annotations

from docx.shared import Pt

from ..diagnostics import Log
from ..document import Author, Document, Inlines, Str, plain
from ..theme import Theme
from . import fields, measure, typography
from .blocks import Blocks
from .content import LATIN_EM, contents_label
from .runs import Runs
from .styles import text_width


def cover(out: Blocks, doc: Document, theme: Theme, log: Log, runs: Runs) -> None:
    """Title, subtitle, authors with roles, date; the page has no header or footer.

    The cover must stay on one page: a very long title or many authors first eat
    the space above the title, then shrink the cover's type (down to half)."""
    area = theme.page.height - theme.page.margin_top - theme.page.margin_bottom - 24
    scale = 1.0
    while _height(doc, theme, scale) > area and scale > 0.5:
        scale -= 0.05
    if _height(doc, theme, scale) > area:
        log.warn("cover", "title, subtitle and authors do not fit on one cover page")
    s = theme.sizes
    top = out.paragraph(style="Cover Meta")
    # The title sits about a fifth of the way down the type area, higher when the cover is full.
    top.paragraph_format.space_before = Pt(max(0.0, min(area * 0.18, area - _height(doc, theme, scale))))
    _para(out, runs, doc.title, "Cover Title", s.title, scale)
    if doc.subtitle:
        _para(out, runs, doc.subtitle, "Cover Subtitle", s.subtitle, scale)
    gap = out.paragraph(style="Cover Meta")
    gap.paragraph_format.space_before = Pt(s.title * 2 * scale)
    for author in doc.authors:
        _para(out, runs, _author(doc, author), "Cover Meta", s.body + 1, scale)
    if doc.date:  # already in the language's form (2025年3月1日 / 1 March 2025)
        p = _para(out, runs, (Str(doc.date),), "Cover Meta", s.body + 1, scale)
        p.paragraph_format.space_before = Pt(s.body * 2 * scale)


def _para(out: Blocks, runs: Runs, inlines: Inlines, style: str, size: float, scale: float):
    p = out.paragraph(style=style)
    runs.write(p._p, inlines, out.part)
    if scale < 1:  # direct size only when the style's size would overflow the page
        for r in p.runs:
            r.font.size = Pt(round(size * scale * 2) / 2)
    return p


def _author(doc: Document, author: Author) -> Inlines:
    if not author.role:
        return author.name
    return (*author.name, Str(doc.labels.name_sep), *author.role)


# CJK faces set a line about 1.45 em high before line spacing applies.
_LINE = 1.45


def _height(doc: Document, theme: Theme, scale: float) -> float:
    """Estimated height of the cover's content in points at ``scale`` (spacing as styles.py sets it)."""
    s, f = theme.sizes, theme.fonts
    w = text_width(theme)
    title, sub, meta = s.title * scale, s.subtitle * scale, (s.body + 1) * scale
    h = measure.lines(plain(doc.title), f.heading, title, w) * title * 1.25 * _LINE + s.title * 0.6
    if doc.subtitle:
        h += measure.lines(plain(doc.subtitle), f.heading, sub, w) * sub * 1.25 * _LINE + s.subtitle * 0.6
    h += s.title * 2 * scale
    for a in doc.authors:
        h += measure.lines(plain(_author(doc, a)), f.body, meta, w) * meta * 1.15 * _LINE + 4
    return h + s.body * 2 * scale + meta * _LINE


def contents(out: Blocks, doc: Document, anchors: dict[str, str], theme: Theme) -> None:
    """A TOC field whose result is already the list of headings, hyperlinked to their bookmarks.

    Word refreshes it on opening (``w:updateFields``) and fills the page numbers;
    a reader that never updates fields still sees a real contents list, whose Chinese entries of two
    lines break after their comma as the headings do."""
    head = out.paragraph(doc.labels.contents, style="TOC Heading")
    head.paragraph_format.page_break_before = True
    entries = [s for s in doc.walk() if s.level <= 3]
    if not entries:
        p = out.paragraph(style="TOC 1")
        fields.begin_field(p._p, fields.TOC_INSTRUCTION)
        fields.end_field(p._p)
        return
    for k, section in enumerate(entries):
        p = out.paragraph(style=f"TOC {section.level}")
        label = contents_label(section)
        fields.toc_entry(p, label, anchors[section.anchor], first=k == 0, last=k == len(entries) - 1)
        if doc.is_cjk:
            size = theme.sizes.body
            room = text_width(theme) - size * 2 * (section.level - 1)  # the TOC styles' indents
            typography.break_heading(p, label, room / size, 0, size, LATIN_EM)
