"""Word tables: the skeleton (fixed layout, widths that sum to the type area), the theme's rules and shading,
and column widths fitted to what the columns hold.

Used for the tables authors write in a body, the figures' tables and the framed
call-outs (a box is a one-cell table: it holds lists and paragraphs, and breaks
across pages as a paragraph border cannot when it holds a table)."""
from __future__ import annotations

from typing import Optional

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..theme import FontRole, Theme
from . import measure, xml
from .blocks import element

CELL_MARGIN = 108  # twips left and right of a cell's text (Word's default)


def skeleton(widths: list[float], rows: int, borders: str = "", jc: str = "center", cell_fill: str = ""):
    """A ``w:tbl`` of ``rows`` rows whose columns are ``widths`` points wide (fixed layout, the sum as
    the table width), each cell holding one empty paragraph; ``borders`` is ``w:tblBorders`` XML."""
    twips = [round(w * 20) for w in widths]
    total = sum(twips)
    grid = "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
    cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{t}" w:type="dxa"/>{cell_fill}</w:tcPr><w:p/></w:tc>' for t in twips)
    body = f"<w:tr>{cells}</w:tr>" * rows
    return parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="{jc}"/>{borders}'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="60" w:type="dxa"/>'
        f'<w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/>'
        f'<w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>')


def rules(theme: Theme) -> str:
    """Top and bottom rules and thin lines between rows, in the theme's rule colour."""
    c = theme.colours.rule.hex
    return (f'<w:tblBorders><w:top w:val="single" w:sz="6" w:space="0" w:color="{c}"/>'
            f'<w:bottom w:val="single" w:sz="6" w:space="0" w:color="{c}"/>'
            f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{c}"/></w:tblBorders>')


def frame(theme: Theme) -> str:
    """A call-out's frame: a thick accent bar on the left, thin rules on the other sides."""
    c, a = theme.colours.rule.hex, theme.colours.accent.hex
    return (f'<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="{c}"/>'
            f'<w:left w:val="single" w:sz="24" w:space="0" w:color="{a}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{c}"/>'
            f'<w:right w:val="single" w:sz="4" w:space="0" w:color="{c}"/></w:tblBorders>')


def fill(hex_rgb: str) -> str:
    """``w:shd`` XML filling a cell with ``hex_rgb``."""
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{hex_rgb}"/>'


def shade(tc, hex_rgb: str) -> None:
    """Fill cell ``tc`` (its ``w:tcPr`` holds only ``w:tcW`` here, which ``w:shd`` follows)."""
    tc_pr = tc.find(qn("w:tcPr"))
    tc_pr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{hex_rgb}"/>'))


def header_row(tr) -> None:
    """The row repeats at the top of every page the table spans, and never splits."""
    tr.insert(0, parse_xml(f"<w:trPr {nsdecls('w')}><w:cantSplit/><w:tblHeader/></w:trPr>"))


def keep_row(tr) -> None:
    """The row ``tr`` is not split across pages (``w:cantSplit``); once, however often asked."""
    if tr.find(qn("w:trPr")) is None:
        tr.insert(0, parse_xml(f"<w:trPr {nsdecls('w')}><w:cantSplit/></w:trPr>"))


def cells(tbl) -> list[list]:
    """The ``w:tc`` elements of ``tbl`` by row."""
    return [tr.findall(qn("w:tc")) for tr in tbl.findall(qn("w:tr"))]


def colour_runs(tc, hex_rgb: str) -> None:
    """Every run in cell ``tc`` in ``hex_rgb`` (header cells on the heading colour)."""
    for r in tc.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            rpr = element(qn("w:rPr"))
            r.insert(0, rpr)
        xml.set_colour(rpr, hex_rgb)


def column_widths(texts: list[list[str]], total: float, role: FontRole, size: float) -> list[float]:
    """Widths (points, summing to ``total``) for columns holding ``texts`` (rows of cell texts).

    Each column asks for its widest cell on one line (at most the whole width); when they do not
    all fit, each gets its share of the width in proportion to what it asked, and never less than
    its longest word or an eighth of the table, so no column is starved to one character a line."""
    cols = max((len(r) for r in texts), default=0)
    if not cols:
        return []
    pad = CELL_MARGIN * 2 / 20
    want, floor = [], []
    for c in range(cols):
        column = [row[c] for row in texts if c < len(row)]
        want.append(min(total, max((measure.width(t, role, size) for t in column), default=0.0) + pad + 2))
        words = [w for t in column for w in t.split()]
        longest = max((measure.width(w, role, size) for w in words if w.isascii()), default=0.0)
        floor.append(min(total / cols, max(total / 8, longest + pad + 2)))
    asked = sum(want)
    if asked <= total:
        share = [w + (total - asked) * w / asked for w in want] if asked else [total / cols] * cols
    else:
        share = [max(f, total * w / asked) for w, f in zip(want, floor)]
        scale = total / sum(share)
        share = [s * scale for s in share]
    rounded = [round(s, 1) for s in share[:-1]]
    return rounded + [round(total - sum(rounded), 1)]


_JC = {"left": "left", "center": "center", "right": "right"}


def cell_ppr(p, style_id: Optional[str], align: Optional[str], keep: bool) -> None:
    """A cell paragraph's properties in schema order: style, keep-with-next, alignment."""
    ppr = element(qn("w:pPr"))
    if style_id:
        ps = element(qn("w:pStyle"))
        ps.set(qn("w:val"), style_id)
        ppr.append(ps)
    if keep:
        ppr.append(element(qn("w:keepNext")))
    if align in _JC:
        jc = element(qn("w:jc"))
        jc.set(qn("w:val"), _JC[align])
        ppr.append(jc)
    if len(ppr):
        p.insert(0, ppr)
