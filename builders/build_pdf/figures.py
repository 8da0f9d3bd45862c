"""Figures as flowables: a picture, a chart with its caption, a table of the figure's values.

The theme's ``figures`` chooses how a figure of numbers shows (the lowering numbers it so): the chart,
the table, or both as one figure, its data table directly under the chart and one caption under both.
Each piece is kept whole on its page.
"""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from .notes import Destination
from .specs import Fig
from .styles import colour


class FigureMixin:
    """The figure part of :class:`.render.Renderer` (needs ``markup``, ``styles``, ``theme``, ``fonts``,
    ``cell_defaults``, ``frame_width`` and ``frame_height``)."""

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
        data table directly under its chart, as one figure under one caption."""
        f = fig.block
        lead = [Destination(f.anchor), *lead]
        notes = [Paragraph(self.markup(p.runs), self.styles[p.style]) for p in fig.notes]
        if f.figure.image is not None:
            return [KeepTogether([*lead, Spacer(1, 6), self.picture(f.figure),
                                  Paragraph(self.markup(fig.caption), self.styles["caption-title"]),
                                  *notes, Spacer(1, 8)])]
        if f.chart_no is not None:
            from . import chart

            width = self.frame_width * 0.85
            drawing = chart.draw_chart(self.doc, self.theme, self.fonts, f.figure, width)
            drawing.hAlign = "CENTER"
            caption = Paragraph(self.markup(fig.caption), self.styles["caption-title"])
            if f.table_no is None and self.theme.figures == "both":  # one figure: chart, its data, caption
                return [KeepTogether([*lead, Spacer(1, 6), drawing, Spacer(1, 6), self.data_table(fig, width),
                                      Spacer(1, 4), caption, *notes, Spacer(1, 8)])]
            out: list = [KeepTogether([*lead, Spacer(1, 6), drawing, caption])]
            if f.table_no is None:  # the chart alone
                return out + ([KeepTogether(notes + [Spacer(1, 8)])] if notes else [Spacer(1, 8)])
            lead = []
        else:
            out = []
        block = [Paragraph(self.markup(fig.table_caption), self.styles["caption-title"]),
                 self.data_table(fig, self.frame_width), *notes]
        out.append(KeepTogether(lead + [Spacer(1, 8)] + block + [Spacer(1, 8)]))
        return out

    def data_table(self, fig: Fig, width: float) -> Table:
        """The figure's values as a table ``width`` wide: the item column, then one per series."""
        c = self.theme.colours
        ncol = len(fig.header)
        head = [Paragraph(self.markup(r), self.styles["cell-head" if i == 0 else "cell-head-num"])
                for i, r in enumerate(fig.header)]
        rows = [[Paragraph(self.markup(c), self.styles["cell" if i == 0 else "cell-num"]) for i, c in enumerate(row)]
                for row in fig.rows]
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
