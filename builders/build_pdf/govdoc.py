"""版头 and 版记 of a GB/T 9704 document in the PDF, from the theme's ``government`` data.

版头: the issuing body (发文机关标志) in red 小标宋, centred, over a red rule the
width of the type area.  版记: 抄送 and 印发机关/印发日期 between rules at the
end (thick rules outside, a thin one between), in 4号 with one character of
indent.  Both belong to the issuing office, so they come from the theme; the
words 抄送 and 印发 from the brief's language labels.
"""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from ..i18n import Labels
from ..theme import MM, GovDoc, Theme
from .styles import colour

COLOPHON_SIZE = 14  # 4号
ISSUER_MAX = 36  # points; a long name is set smaller so that it keeps to one line


def strings(gov: GovDoc, lab: Labels) -> list[tuple[str, str, str]]:
    """(face, text, where) of every string the two blocks set, for the font check."""
    out = []
    if gov.issuer:
        out.append(("title", gov.issuer, "theme government.issuer"))
    c = gov.colophon
    if c is not None:
        out += [("body", f"{lab.copies_to}{lab.colon}{c.cc}", "theme government.colophon.cc"),
                ("body", c.printer, "theme government.colophon.printer"),
                ("body", lab.printed.format(date=c.date), "theme government.colophon.date")]
    return out


def header(gov: GovDoc, theme: Theme, fonts, styles) -> list:
    """The 版头: the issuer centred in 小标宋 (red unless ``red_header`` is false), then the red rule."""
    if not gov.issuer:
        return []
    measure = theme.page.measure
    size = min(ISSUER_MAX, measure / max(len(gov.issuer), 1) * 0.95)
    red = colour(theme, theme.colours.accent if gov.red_header else theme.colours.text)
    style = ParagraphStyle("issuer", fontName=fonts.font_name("title"), fontSize=size, leading=size * 1.25,
                           alignment=TA_CENTER, textColor=red, wordWrap="CJK")
    lead = styles["body"].leading
    return [Paragraph(fonts.markup("title", gov.issuer), style), Spacer(1, 4 * MM),
            HRFlowable(width="100%", thickness=1 * MM if gov.red_header else 0.5, color=red, spaceBefore=0,
                       spaceAfter=lead * 2 - 4 * MM)]


def colophon(gov: GovDoc, theme: Theme, fonts, styles, lab: Labels) -> list:
    """The 版记 at the end: 抄送 over 印发机关 and 印发日期, between rules."""
    c = gov.colophon
    if c is None:
        return []
    black = colour(theme, theme.colours.text)
    base = dict(fontName=fonts.font_name("body"), fontSize=COLOPHON_SIZE, leading=COLOPHON_SIZE * 1.5,
                textColor=black, wordWrap="CJK")
    one = COLOPHON_SIZE  # one character of indent either side
    left = ParagraphStyle("colophon", alignment=TA_LEFT, leftIndent=one, **base)
    right = ParagraphStyle("colophon-date", alignment=TA_RIGHT, rightIndent=one, **base)
    cc = f"{lab.copies_to}{lab.colon}{c.cc}"
    rows = []
    if c.cc:
        rows.append([Paragraph(fonts.markup("body", cc), left), ""])
    rows.append([Paragraph(fonts.markup("body", c.printer), left),
                 Paragraph(fonts.markup("body", lab.printed.format(date=c.date)), right) if c.date else ""])
    measure = theme.page.measure
    table = Table(rows, colWidths=(measure * 0.6, measure * 0.4))
    rules = [("FONT", (0, 0), (-1, -1), fonts.font_name("body"), COLOPHON_SIZE),  # not reportlab's Helvetica
             ("LINEABOVE", (0, 0), (-1, 0), 0.35 * MM, black), ("LINEBELOW", (0, -1), (-1, -1), 0.35 * MM, black),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if c.cc:
        rules += [("SPAN", (0, 0), (-1, 0)), ("LINEBELOW", (0, 0), (-1, 0), 0.25 * MM, black)]
    table.setStyle(TableStyle(rules))
    return [Spacer(1, styles["body"].leading * 2), KeepTogether([table])]
