"""Figures as flowables: a picture, a chart with its caption, a table of the figure's values.

The theme's ``figures`` chooses how a figure of numbers shows (the lowering numbers it so): the chart,
the table, or both as one figure, its data table directly under the chart and one caption under both.
Each piece is kept whole on its page.
"""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from .blocks import cell
from .notes import Destination
from .specs import Fig
from .styles import colour
from .tags import tag


class FigureMixin:
    """The figure part of :class:`.render.Renderer` (needs ``markup``, ``styles``, ``theme``, ``fonts``,
    ``cell_defaults``, ``frame_width``, ``frame_height`` and ``tree``)."""

    def picture(self, figure):
        """A picture figure at its 96-dpi size, shrunk to the frame's width and half its height if larger."""
        from reportlab.platypus import Image

        from .. import assets

        pic = assets.picture(figure.image)  # upright and RGB, as in the report and the deck
        wpx, hpx = pic.width, pic.height
        scale = min(72 / 96, self.frame_width / wpx, self.frame_height * 0.5 / hpx)
        image = Image(pic.source(), width=wpx * scale, height=hpx * scale)
        image.hAlign = "CENTER"
        return image

    def figure(self, fig: Fig, lead: list) -> list:
        """The chart (caption below) and the table (caption above), each kept in one piece; ``lead``
        (headings just before) goes into the first piece.  A theme showing figures as "both" sets the
        data table directly under its chart, as one figure under one caption.

        Tagged as a Figure (the picture or the chart, its drawn labels inside it, its /Alt the figure's
        alt text or data summary), a Caption, and a Table of the values; made in reading order."""
        f = fig.block
        tree = self.tree
        lead = [Destination(f.anchor), *lead]
        notes = lambda: [tree.leaf("P", Paragraph(self.markup(p.runs), self.styles[p.style]))  # noqa: E731
                         for p in fig.notes]
        caption = lambda: tree.leaf("Caption", Paragraph(self.markup(fig.caption),  # noqa: E731
                                                         self.styles["caption-title"]))
        if f.figure.image is not None:
            picture = tree.leaf("Figure", self.picture(f.figure), alt=f.alt)
            return [KeepTogether([*lead, Spacer(1, 6), picture, caption(), *notes(), Spacer(1, 8)])]
        if f.chart_no is not None:
            from . import chart

            width = self.frame_width * 0.85
            drawing = chart.draw_chart(self.doc, self.theme, self.fonts, f.figure, width)
            drawing.hAlign = "CENTER"
            tree.leaf("Figure", drawing, alt=f.alt)
            if f.table_no is None and self.theme.figures == "both":  # one figure: chart, its data, caption
                # read as the report reads: the caption, then the values (set under them on the page)
                under = caption()
                table = self.data_table(fig, width)
                return [KeepTogether([*lead, Spacer(1, 6), drawing, Spacer(1, 6), table,
                                      Spacer(1, 4), under, *notes(), Spacer(1, 8)])]
            out: list = [KeepTogether([*lead, Spacer(1, 6), drawing, caption()])]
            if f.table_no is None:  # the chart alone
                after = notes()
                return out + ([KeepTogether(after + [Spacer(1, 8)])] if after else [Spacer(1, 8)])
            lead = []
        else:
            out = []
        title = Paragraph(self.markup(fig.table_caption), self.styles["caption-title"])
        table = self.data_table(fig, self.frame_width, title)
        block = [title, table, *notes()]
        out.append(KeepTogether(lead + [Spacer(1, 8)] + block + [Spacer(1, 8)]))
        return out

    def data_table(self, fig: Fig, width: float, caption=None) -> Table:
        """The figure's values as a table ``width`` wide: the item column, then one per series; a Table
        element with column headers (and ``caption``, the paragraph above it, as its Caption)."""
        c = self.theme.colours
        ncol = len(fig.header)
        elem = self.tree.current.add("Table")
        if caption is not None:
            tag(caption, elem.add("Caption"))
        tr = elem.add("TR")
        head = [cell(tr, True, Paragraph(self.markup(r), self.styles["cell-head" if i == 0 else "cell-head-num"]))
                for i, r in enumerate(fig.header)]
        rows = []
        for row in fig.rows:
            tr = elem.add("TR")
            rows.append([cell(tr, False, Paragraph(self.markup(c), self.styles["cell" if i == 0 else "cell-num"]))
                         for i, c in enumerate(row)])
        first = 0.68 if ncol <= 2 else max(0.3, 1 - 0.2 * (ncol - 1))  # the item column: what is left
        widths = [width * first] + [width * (1 - first) / max(ncol - 1, 1)] * (ncol - 1)
        table = Table([head] + rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(self.cell_defaults() + [
            ("BACKGROUND", (0, 0), (-1, 0), colour(self.theme, c.accent)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colour(self.theme, c.background), colour(self.theme, c.surface)]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.75, colour(self.theme, c.rule)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        table.hAlign = "CENTER"
        return table
