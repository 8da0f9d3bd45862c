"""The brief's figures in the report: a native chart (with alt text) and/or a table of the figure's values
(as the theme's ``figures`` says: with "both", the table stands under its chart as one figure), or a
picture, each captioned; captions number themselves with SEQ fields, as Word's own captions do.
Every word and number shown (图1, 表1, formatted values, 资料来源) comes from the lowering."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from docx.oxml.ns import qn
from docx.shared import Pt

from ..document import FigureBlock, Inlines, Str
from . import fields, tables
from .runs import Look
from .text import clean

if TYPE_CHECKING:
    from .flow import Flow

MAX_PICTURE_PT = 16 / 2.54 * 72  # 16 cm: wide enough to read, narrow enough to sit in any type area
CHART_ASPECT = 0.55  # height / width of a chart


def add(flow: "Flow", block: FigureBlock) -> None:
    """The picture or chart, then the table of ``block``, each captioned; its notes follow once."""
    labels = flow.ctx.labels
    anchor = block.anchor
    if block.figure.image is not None:
        _image(flow, block)
        _caption(flow, block.chart_caption, labels.figure, "Figure", block.chart_no, anchor, keep_with_next=False)
        _notes(flow, block)
        return
    if block.chart_no:
        _chart(flow, block)
        if block.table_no is None and flow.ctx.theme.figures == "both":
            # One figure: the chart, its data directly under it, one caption below both (issue 19).
            _table(flow, block, keep_last=True)
        _caption(flow, block.chart_caption, labels.figure, "Figure", block.chart_no, anchor, keep_with_next=False)
        anchor = ""
    if block.table_no:
        _caption(flow, block.table_caption, labels.table, "Table", block.table_no, anchor, keep_with_next=True)
        _table(flow, block)
    _notes(flow, block)


def _notes(flow: "Flow", block: FigureBlock) -> None:
    for note in block.notes:
        flow.paragraph(note.inlines, style="Figure Note")
    if not block.notes:
        flow.out.paragraph(style="Figure Note")  # breathing space before the text resumes


def _caption(flow: "Flow", caption: Optional[Inlines], pattern: str, seq: str, n: Optional[int], anchor: str,
             keep_with_next: bool) -> None:
    """The caption as the lowering wrote it; its number becomes a SEQ field when it reads as ``pattern``."""
    p = caption_paragraph(flow, caption or (), pattern, seq, n)
    p.paragraph_format.keep_with_next = keep_with_next
    if anchor and anchor in flow.ctx.anchors:
        fields.bookmark(p, flow.ctx.anchors[anchor], flow.ctx.ids.next_id())


def caption_paragraph(flow: "Flow", caption: Inlines, pattern: str, seq: str, n: Optional[int] = None):
    """A Caption paragraph of ``caption`` whose leading number (``pattern`` such as 表{n}, with ``n``, or
    read from the caption) is a SEQ field, as Word's own captions are: Word and LibreOffice renumber
    every SEQ field of a kind, so each numbered caption of that kind must have one."""
    p = flow.out.paragraph(style="Caption")
    first = caption[0] if caption else None
    if n is None and isinstance(first, Str):
        before, _, after = pattern.partition("{n}")
        m = re.match(re.escape(before) + r"(\d+)" + re.escape(after), first.text)
        n = int(m.group(1)) if m else None
    number = pattern.format(n=n) if n else None
    if number and isinstance(first, Str) and first.text.startswith(number):
        before, _, after = pattern.partition("{n}")
        if before:
            p._p.append(fields.text_run(before))
        fields.add_field(p._p, f"SEQ {seq} \\* ARABIC", str(n))
        rest = after + first.text[len(number):]
        if rest:
            p._p.append(fields.text_run(rest))
        flow.inlines(p._p, caption[1:])
    else:
        flow.inlines(p._p, caption)
    return p


def _image(flow: "Flow", block: FigureBlock) -> None:
    """A picture figure, at most the text width (or 16 cm), never upscaled, with the brief's alt text."""
    from .. import assets

    figure = block.figure
    pic = assets.picture(figure.image)  # upright and RGB, as in the deck and the PDF
    natural = pic.width * 72 / 96  # a picture without a resolution is taken at 96 dpi, as Word does
    p = flow.out.paragraph(style="Figure")
    run = p.add_run()
    run.add_picture(pic.source(), width=Pt(min(flow.width, MAX_PICTURE_PT, natural)))
    doc_pr = run._r.find(".//" + qn("wp:docPr"))
    doc_pr.set("descr", clean(block.alt))
    doc_pr.set("title", clean(figure.title.plain))
    doc_pr.set("name", clean(f"image-{figure.id}"))


def _chart(flow: "Flow", block: FigureBlock) -> None:
    from .chart import add_chart

    ctx = flow.ctx
    width = min(flow.width, MAX_PICTURE_PT)
    p = flow.out.paragraph(style="Figure")
    add_chart(p.add_run(), block, ctx.language, ctx.when, ctx.theme,
              lambda message: ctx.log.warn(f"figures[{block.figure.id}]", message),
              width, width * CHART_ASPECT, clean(block.alt), clean(f"chart-{block.figure.id}"))


def _table(flow: "Flow", block: FigureBlock, keep_last: bool = False) -> None:
    """The figure's values: the item column, then one column per series (values right-aligned), the header
    repeated on each page; ``keep_last``: the last row keeps with what follows (the figure's caption)."""
    theme = flow.ctx.theme
    rows = [block.header, *block.rows]
    width = flow.width
    if len(block.header) == 2:
        widths = [width * 0.7, width * 0.3]
    else:
        widths = tables.column_widths([list(r) for r in rows], width, theme.fonts.caption, theme.sizes.caption + 1)
    tbl = tables.skeleton(widths, len(rows), tables.rules(theme))
    flow.out.place(tbl)
    style = flow.out.style_id("Table Text")
    trs = tbl.findall(qn("w:tr"))
    for r, (tr, values) in enumerate(zip(trs, rows)):
        (tables.header_row if r == 0 else tables.keep_row)(tr)
        for c, (tc, text) in enumerate(zip(tr.findall(qn("w:tc")), values)):
            p = tc.find(qn("w:p"))
            # Short tables stay on one page with their caption.
            keep = (r < len(rows) - 1 or keep_last) and len(rows) <= 15
            tables.cell_ppr(p, style, "right" if c >= 1 else None, keep)
            flow.inlines(p, (Str(text),), Look(bold=r == 0))
            if r == 0:
                tables.shade(tc, theme.colours.heading.hex)
                tables.colour_runs(tc, theme.colours.on_accent.hex)
            elif r % 2 == 0:
                tables.shade(tc, theme.colours.surface.hex)
