"""版头 and 版记 of a GB/T 9704 report in Word, from the theme's ``government`` data.

版头: the issuing body (发文机关标志) in red 小标宋, centred, over a red rule; 版记:
抄送 over 印发机关 and 印发日期 (right-aligned by a tab), one character in, between
thick rules with a thin one between.  The words 抄送 and 印发 come from the
brief's language labels.
"""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Pt

from ..theme import Theme
from . import xml
from .blocks import Blocks
from .grid import AFTER_WORDWRAP, line_pitch

_BEFORE_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", *AFTER_WORDWRAP)
ISSUER_MAX = 36  # points; a long issuer is set smaller so that it keeps to one line
COLOPHON_SIZE = 14  # 4号


def _run(p, text: str, role, size: float, colour: str | None = None) -> None:
    r = p.add_run(text)
    rpr = r._r.get_or_add_rPr()
    xml.set_fonts(rpr, role, east_asian_hint=True)
    r.font.size = Pt(size)
    if colour:
        xml.set_colour(rpr, colour)


def _rule(p, side: str, colour: str, eighths: int) -> None:
    ppr = p._p.get_or_add_pPr()
    xml.border(xml.child(ppr, "w:pBdr", before=_BEFORE_PBDR), side, colour, eighths, 4)


def issuer(out: Blocks, theme: Theme) -> None:
    """版头: the issuing body centred in 小标宋, red (unless ``red_header`` is false), over a rule in the same colour."""
    gov = theme.govdoc
    if gov is None or not gov.issuer:
        return
    colour = (theme.colours.accent if gov.red_header else theme.colours.text).hex
    size = min(ISSUER_MAX, theme.page.measure / max(len(gov.issuer), 1) * 0.95)
    p = out.paragraph(style="Cover Title")
    _run(p, gov.issuer, theme.fonts.title_role, round(size * 2) / 2, colour)
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pitch(theme) * 2)
    pf.space_after = Pt(line_pitch(theme) * 2)  # two empty lines between the rule and the title
    _rule(p, "bottom", colour, 24 if gov.red_header else 6)  # a 3 pt red rule (GB/T 9704 7.2.4)


def colophon(out: Blocks, theme: Theme, labels) -> None:
    """版记 at the end: 抄送 over 印发机关 and 印发日期, between thick rules with a thin one between."""
    gov = theme.govdoc
    c = gov.colophon if gov is not None else None
    if c is None:
        return
    black = theme.colours.text.hex
    spacer = out.paragraph(style="Normal")
    spacer.paragraph_format.first_line_indent = Pt(0)
    rows = []
    if c.cc:
        p = out.paragraph(style="Normal")
        _run(p, f"{labels.copies_to}{labels.colon}{c.cc}", theme.fonts.body, COLOPHON_SIZE)
        rows.append(p)
    p = out.paragraph(style="Normal")
    _run(p, c.printer, theme.fonts.body, COLOPHON_SIZE)
    if c.date:
        p.paragraph_format.tab_stops.add_tab_stop(Pt(theme.page.measure - COLOPHON_SIZE), WD_TAB_ALIGNMENT.RIGHT)
        _run(p, "\t" + labels.printed.format(date=c.date), theme.fonts.body, COLOPHON_SIZE)
    rows.append(p)
    for i, row in enumerate(rows):
        pf = row.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(COLOPHON_SIZE)  # one character in
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf.keep_with_next = i < len(rows) - 1
        if i == 0:
            _rule(row, "top", black, 8)  # 0.35 mm ≈ 1 pt
        _rule(row, "bottom", black, 8 if i == len(rows) - 1 else 6)
