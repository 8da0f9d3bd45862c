"""Tables as native PowerPoint tables (``shapes.add_table``), sized as :mod:`.measure` measured them.

Column widths are the measured shares of the frame; each row is given the height
measured for its tallest cell, and every cell the insets the measure assumed, so
neither PowerPoint nor LibreOffice has a reason to grow a row.  The header row
is set in the accent colour (on_accent text) and repeated on continued slides;
body rows are banded with the surface colour.  Colours are explicit: a
template's table style must not restyle them.
"""
from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from .blocks import TablePlan
from .geometry import INSET_X, INSET_Y
from .richtext import RunWriter
from .runs import Para
from .text import fill

_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}


def add_table(slide, table: TablePlan, box: tuple[float, float, float, float], size: float, writer: RunWriter,
              name: str):
    """Add ``table`` at ``box`` (points) with text at ``size``; returns the graphic frame."""
    fitter, theme = writer.fitter, writer.theme
    c = theme.colours
    body_font = theme.fonts.body
    left, top, width, _ = box
    widths = fitter.column_widths(table, width)
    rows = ([table.header] if table.header else []) + list(table.rows)
    n_cols = len(widths)
    heights = [fitter.row_height(r, widths, size, bool(table.header) and i == 0) for i, r in enumerate(rows)]
    frame = slide.shapes.add_table(len(rows), n_cols, Pt(left), Pt(top), Pt(width), Pt(sum(heights)))
    frame.name = name
    tbl = frame.table
    tbl.first_row = bool(table.header)
    tbl.horz_banding = True
    for j, w in enumerate(widths):
        tbl.columns[j].width = Pt(w)
    for i, (row, h) in enumerate(zip(rows, heights)):
        tbl.rows[i].height = Pt(h)
        header = bool(table.header) and i == 0
        band = (i - (1 if table.header else 0)) % 2 == 1
        for j in range(n_cols):
            cell = tbl.cell(i, j)
            runs = row[j] if j < len(row) else ()
            cell.margin_left = cell.margin_right = Pt(INSET_X)
            cell.margin_top = cell.margin_bottom = Pt(INSET_Y)
            align = table.align[j] if j < len(table.align) else None
            colour = c.on_accent.hex if header else c.text.hex
            para = writer.para(Para(runs, "plain"), size, 0.0, colour, body_font, _ALIGN.get(align or "left"),
                               bold=header)
            fill(cell.text_frame._txBody, para)
            _fill_cell(cell, c.accent.hex if header else c.surface.hex if band else c.background.hex)
    _no_style(tbl)
    return frame


def _fill_cell(cell, colour: str) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(colour)


def _no_style(tbl) -> None:
    """Drop the default table style id: the cells' own fills and run colours are the table's look."""
    tbl_pr = tbl._tbl.find(qn("a:tblPr"))
    if tbl_pr is not None:
        for sid in tbl_pr.findall(qn("a:tableStyleId")):
            tbl_pr.remove(sid)
