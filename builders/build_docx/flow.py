"""Blocks of the document into a story: paragraphs, sub-headings, lists, quotes, tables, call-outs, figures.

Every block type is handled by one ``match`` closed with ``assert_never``: a block
type added to the model and forgotten here fails a test instead of vanishing.
The same writer fills the body, a call-out's cell and a footnote; ``para_style``
is what running text takes there (``None``: the body style).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional, assert_never

from docx.oxml.ns import qn
from docx.shared import Twips

from ..diagnostics import Log
from ..i18n import Labels
from ..document import Block, Blocks as BlockSeq, Box, BulletList, FigureBlock, Heading, OrderedList, Para, Quote, \
    Str, Strong, Table, plain
from ..theme import Theme
from . import fields, tables, typography
from .blocks import Blocks, add_run, element, number
from .numbering import Lists
from .runs import Look, Runs

# The paragraph style of each role of a paragraph (``body`` and ``note`` take the story's running-text
# style: the body's, or the note text style inside a footnote or endnote).
ROLE_STYLES = {"region": "Case Region", "label": "List Label", "keywords": "Keywords", "caption": "Figure Note",
               "reference": "Bibliography"}
QUOTE_INDENT = 2  # ems


@dataclass
class Context:
    """What every writer of the document shares."""

    out: Blocks  # the body
    theme: Theme
    log: Log
    runs: Runs  # made right after the context, whose warn() it reports through
    lists: Lists
    ids: fields.BookmarkIds
    anchors: dict[str, str]  # document anchor → bookmark name
    labels: Labels  # the language's generated words
    width: float  # the type area's width in points
    language: str = "en"  # the document's language, for charts
    when: Optional[datetime] = None  # the document's date, for embedded workbooks
    where: str = "document"  # the item being written, for warnings

    def warn(self, message: str) -> None:
        self.log.warn(self.where, message)


class Flow:
    """Writes blocks into one story ``out`` whose text is ``width`` points wide."""

    def __init__(self, ctx: Context, out: Blocks, width: float, para_style: Optional[str] = None,
                 in_note: bool = False):
        self.ctx, self.out, self.width, self.para_style, self.in_note = ctx, out, width, para_style, in_note

    def blocks(self, blocks: BlockSeq, depth: int = 0) -> None:
        """Write ``blocks`` in order (see :meth:`block`)."""
        for b in blocks:
            self.block(b, depth)

    def block(self, block: Block, depth: int = 0) -> None:
        """Write one block; ``depth`` is the list nesting it sits in (its Word list level)."""
        match block:
            case Para(inlines, role, anchor):
                p = self.paragraph(inlines, role)
                if anchor in self.ctx.anchors:  # a bibliography entry: citations link here
                    fields.bookmark(p, self.ctx.anchors[anchor], self.ctx.ids.next_id())
            case Heading(level, inlines):
                p = self.out.paragraph(style=f"Heading {min(max(level, 1), 6)}")
                self.inlines(p._p, inlines)
            case BulletList(items):
                self.bullets(items, depth)
            case OrderedList(items, markers, label_inline):
                if label_inline:
                    self.labelled(items, markers, depth)
                else:
                    self.numbered(items, markers, depth)
            case Quote(inner):
                indent = self.ctx.theme.sizes.body * QUOTE_INDENT
                quote = Flow(self.ctx, self.out, self.width - indent, "Quote", self.in_note)
                quote.blocks(inner, depth)
            case Table():
                self.table(block)
            case Box():
                self.box(block, depth)
            case FigureBlock():
                from .figures import add

                add(self, block)
            case _:
                assert_never(block)

    # ------------------------------------------------------------------ paragraphs

    def inlines(self, parent, inlines, look: Look = Look()) -> None:
        """Append the runs of ``inlines`` to element ``parent`` (links are related from this story's part)."""
        self.ctx.runs.write(parent, inlines, self.out.part, look, self.in_note)

    def paragraph(self, inlines, role: str = "body", style: Optional[str] = None):
        """A paragraph of ``inlines`` in the style of its ``role`` (or ``style``)."""
        style = style or ROLE_STYLES.get(role) or self.para_style
        p = self.out.paragraph(style=style) if style else self.out.body("")
        self.inlines(p._p, inlines)
        return p

    # ------------------------------------------------------------------ lists

    def bullets(self, items, depth: int) -> None:
        """A bulleted list at Word level ``depth``."""
        num_id = self.ctx.lists.bullet(depth)
        left = 2 * self.ctx.lists.em * (depth + 1)
        for item in items:
            self._item(item, depth, left, lambda p: number(p, num_id, depth))

    def numbered(self, items, markers: tuple[str, ...], depth: int) -> None:
        """A numbered list at Word level ``depth`` showing exactly ``markers`` (1. / a. / （1） / ①)."""
        lists = self.ctx.lists
        num_id = lists.ordered(markers, depth)
        hang = lists.hang(markers)
        left = lists.indent(depth, hang)
        for marker, item in zip(markers, items):
            if num_id is not None:
                self._item(item, depth, left, lambda p: number(p, num_id, depth))
            else:  # no Word number format says these markers: they are the item's text, hanging the same way
                self._item(item, depth, left, lambda p, m=marker: self._literal(p, m, left, hang))

    def _literal(self, p, marker: str, left: int, hang: int) -> None:
        p.paragraph_format.left_indent = Twips(left)
        p.paragraph_format.first_line_indent = Twips(-hang)
        add_run(p, marker + "\t")

    def _item(self, item: BlockSeq, depth: int, left: int, mark) -> None:
        """One list item: its first paragraph carries the number (``mark``), the rest hang under it."""
        first = item[0] if item and isinstance(item[0], Para) else None
        p = self.out.paragraph(style="List Paragraph")
        mark(p)
        if first is not None:
            self.inlines(p._p, first.inlines)
        for b in item[1 if first is not None else 0:]:
            if isinstance(b, Para):
                cont = self.paragraph(b.inlines, b.role, style="List Paragraph")
                cont.paragraph_format.left_indent = Twips(left)
            else:
                self.block(b, depth + 1)

    def labelled(self, items, markers: tuple[str, ...], depth: int) -> None:
        """Chinese official style: 一是…… — the marker opens the paragraph in bold, no hanging number."""
        for marker, item in zip(markers, items):
            first = item[0] if item and isinstance(item[0], Para) else None
            label = (Strong((Str(marker),)),)
            if first is not None:
                self.paragraph(label + first.inlines, first.role)
                rest = item[1:]
            else:
                self.paragraph(label)
                rest = item
            self.blocks(rest, depth + 1)

    # ------------------------------------------------------------------ tables and call-outs

    def table(self, t: Table) -> None:
        """An author's table: caption (if numbered), header row repeated on each page, theme rules and shading."""
        ctx, theme = self.ctx, self.ctx.theme
        if t.caption:
            from .figures import caption_paragraph

            cap = caption_paragraph(self, t.caption, ctx.labels.table, "Table")
            cap.paragraph_format.keep_with_next = True
            if t.anchor in ctx.anchors:
                fields.bookmark(cap, ctx.anchors[t.anchor], ctx.ids.next_id())
        rows = (t.header, *t.rows)
        ncols = max((len(r) for r in rows), default=0)
        if not ncols:
            ctx.warn("a table without cells is left out")
            return
        texts = [[plain(c) for c in r] for r in rows]
        widths = tables.column_widths(texts, self.width, theme.fonts.caption, theme.sizes.caption + 1)
        tbl = tables.skeleton(widths, len(rows), tables.rules(theme))
        self.out.place(tbl)
        style = self.out.style_id("Table Text")
        trs = tbl.findall(qn("w:tr"))
        for r, (tr, row) in enumerate(zip(trs, rows)):
            (tables.header_row if r == 0 else tables.keep_row)(tr)
            for c, tc in enumerate(tr.findall(qn("w:tc"))):
                p = tc.find(qn("w:p"))
                align = t.align[c] if c < len(t.align) else None
                tables.cell_ppr(p, style, align, keep=r == 0)
                self.inlines(p, row[c] if c < len(row) else (), Look(bold=r == 0))
                if r == 0:
                    tables.shade(tc, theme.colours.heading.hex)
                    tables.colour_runs(tc, theme.colours.on_accent.hex)
                elif r % 2 == 0:
                    tables.shade(tc, theme.colours.surface.hex)
        # Breathing space before the text resumes; two tables in a row would also merge into one in Word.
        self.out.paragraph(style="Figure Note")

    def box(self, b: Box, depth: int) -> None:
        """A framed call-out: a one-cell table on the theme's surface colour with an accent bar."""
        theme = self.ctx.theme
        tbl = tables.skeleton([self.width], 1, tables.frame(theme), jc="left",
                              cell_fill=tables.fill(theme.colours.surface.hex))
        self.out.place(tbl)
        tc = tbl.find(f"{qn('w:tr')}/{qn('w:tc')}")
        tc.remove(tc.find(qn("w:p")))
        inner = Flow(self.ctx, self.out.within(tc), self.width - tables.CELL_MARGIN * 2 / 20 - 3, None, self.in_note)
        if b.title:
            inner.paragraph(b.title, style="Box Title")
        inner.blocks(b.blocks, depth)
        last = tc[len(tc) - 1] if len(tc) else None
        if last is None or last.tag != qn("w:p"):  # a cell ends with a paragraph, or Word calls the file corrupt
            tc.append(element(qn("w:p")))
        after = self.out.paragraph(style="Figure Note")
        if b.role == "points":  # a case's key points come before its body, and stay with it
            typography.keep_box(tc)
            after.paragraph_format.keep_with_next = True
        elif len(tc.findall(qn("w:p"))) <= typography.WHOLE_BOX_PARAGRAPHS:  # a short box is not split
            tables.keep_row(tc.getparent())
