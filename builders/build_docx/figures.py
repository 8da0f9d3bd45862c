"""The brief's figures in the report: a numbered table of every figure, and a numbered native chart
(with alt text) for figures that ask for one.  Captions use SEQ fields, as Word's own captions do."""
from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from ..diagnostics import Log
from ..i18n import format_value, labels
from ..model import Brief, Figure
from ..theme import Theme
from . import fields, xml
from .blocks import Blocks
from .styles import text_width
from .text import clean

MAX_PICTURE_PT = 16 / 2.54 * 72  # 16 cm: wide enough to read, narrow enough to sit in any type area
CHART_ASPECT = 0.55  # height / width of a chart


class Counter:
    """Running numbers of figures and tables across the document."""

    def __init__(self) -> None:
        self.figure = 0
        self.table = 0


def add(out: Blocks, figure: Figure, brief: Brief, theme: Theme, log: Log, counter: Counter) -> None:
    """The chart (if any) then the table of ``figure``, each captioned; note and source follow once."""
    lab = labels(brief.language)
    if figure.image is not None:
        counter.figure += 1
        _image(out, figure, theme)
        _caption(out, lab.figure, "Figure", counter.figure, figure.title, keep_with_next=False)
        _notes(out, figure, brief, lab)
        return
    if figure.chart:
        counter.figure += 1
        _chart(out, figure, brief, theme, log)
        _caption(out, lab.figure, "Figure", counter.figure, figure.title, keep_with_next=False)
    counter.table += 1
    _caption(out, lab.table, "Table", counter.table, figure.title, keep_with_next=True)
    _table(out, figure, brief, theme)
    _notes(out, figure, brief, lab)


def _notes(out: Blocks, figure: Figure, brief: Brief, lab) -> None:
    colon = "：" if brief.is_cjk else ": "
    for word, value in ((lab.note, figure.note), (lab.source, figure.source)):
        if value:
            out.paragraph(clean(f"{word}{colon}{value}"), style="Figure Note")
    if not (figure.note or figure.source):
        out.paragraph(style="Figure Note")  # breathing space before the text resumes


def alt_text(figure: Figure, brief: Brief) -> str:
    """What the chart says, for screen readers: the title and every value."""
    sep, colon = ("；", "：") if brief.is_cjk else ("; ", ": ")
    values = sep.join(f"{d.name}{colon}{format_value(d, figure, brief.language)}" for d in figure.data)
    return clean(f"{figure.title}{colon}{values}")


def _caption(out: Blocks, pattern: str, seq: str, n: int, title: str, keep_with_next: bool) -> None:
    p = out.paragraph(style="Caption")
    before, _, after = pattern.partition("{n}")
    if before:
        p._p.append(fields.text_run(before))
    fields.add_field(p._p, f"SEQ {seq} \\* ARABIC", str(n))
    p._p.append(fields.text_run(f"{after} {title}"))
    p.paragraph_format.keep_with_next = keep_with_next


def _image(out: Blocks, figure: Figure, theme: Theme) -> None:
    """A picture figure, at most the text width (or 16 cm), never upscaled, with the brief's alt text."""
    from .. import assets

    pic = assets.picture(figure.image)  # upright and RGB, as in the deck and the PDF
    width_px, height_px = pic.width, pic.height
    natural = width_px * 72 / 96  # a picture without a resolution is taken at 96 dpi, as Word does
    p = out.paragraph(style="Figure")
    run = p.add_run()
    run.add_picture(pic.source(), width=Pt(min(text_width(theme), MAX_PICTURE_PT, natural)))
    doc_pr = run._r.find(".//" + qn("wp:docPr"))
    doc_pr.set("descr", clean(figure.alt or figure.title))
    doc_pr.set("title", clean(figure.title))
    doc_pr.set("name", clean(f"image-{figure.id}"))


def _chart(out: Blocks, figure: Figure, brief: Brief, theme: Theme, log: Log) -> None:
    from .chart import add_chart

    width = min(text_width(theme), MAX_PICTURE_PT)
    p = out.paragraph(style="Figure")
    add_chart(p.add_run(), figure, brief, theme, lambda message: log.warn(f"figures[{figure.id}]", message),
              width, width * CHART_ASPECT, alt_text(figure, brief), clean(f"chart-{figure.id}"))


def _table(out: Blocks, figure: Figure, brief: Brief, theme: Theme) -> None:
    lab = labels(brief.language)
    rows = [(lab.item, lab.value)] + [(d.name, format_value(d, figure, brief.language)) for d in figure.data]
    table = out.doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = text_width(theme)
    widths = (width * 0.7, width * 0.3)
    _table_props(table, width, theme)
    for r, (name, value) in enumerate(rows):
        row = table.rows[r]
        cells = row.cells
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeats on every page the table spans
        for c, text in enumerate((name, value)):
            cell = cells[c]
            cell.width = Pt(widths[c])
            p = cell.paragraphs[0]
            out.set_style(p, "Table Text")
            run = p.add_run(clean(text))
            if c == 1:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0:
                run.bold = True
                xml.set_colour(run._r.get_or_add_rPr(), theme.colours.on_accent.hex)
                _shade(cell, theme.colours.heading.hex)
            elif r % 2 == 0:
                _shade(cell, theme.colours.surface.hex)
            # Short tables stay on one page with their caption.
            p.paragraph_format.keep_with_next = r < len(rows) - 1 and len(rows) <= 15


def _table_props(table, width: float, theme: Theme) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(parse_xml(f'<w:tblW {nsdecls("w")} w:w="{round(width * 20)}" w:type="dxa"/>'))
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "bottom", "insideH"):
        xml.border(borders, side, theme.colours.rule.hex, 6 if side != "insideH" else 4, 0)
    tbl_pr.append(borders)
    tbl_pr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    margins = parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:top w:w="60" w:type="dxa"/>'
                        f'<w:left w:w="108" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/>'
                        f'<w:right w:w="108" w:type="dxa"/></w:tblCellMar>')
    tbl_pr.append(margins)
    _order(tbl_pr)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), (width * 0.7, width * 0.3)):
        col.set(qn("w:w"), str(round(w * 20)))


_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _order(tbl_pr) -> None:
    rank = {qn(t): i for i, t in enumerate(_TBLPR_ORDER)}
    for el in sorted(tbl_pr, key=lambda e: rank.get(e.tag, len(rank))):
        tbl_pr.append(el)


def _shade(cell, hex_rgb: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{hex_rgb}"/>')
    # shd follows tcW/gridSpan/vMerge/tcBorders in CT_TcPr; python-docx has only added tcW so far.
    tc_pr.append(shd)
