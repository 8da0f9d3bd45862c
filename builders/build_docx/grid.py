"""A GB/T 9704 report in Word: document grid, one line pitch, faces by level, title block, "— N —" folios, 版头/版记.

Only a theme with ``page.grid`` (the government theme) comes here.  Word lays
out the 28 × 22 grid itself from ``w:docGrid`` (``linesAndChars``: the line
pitch in twentieths of a point, the character pitch as its difference from the
body size in 4096ths of a point); every paragraph also gets the grid's exact
line height, so LibreOffice, which reads the grid differently, keeps 22 lines.
"""
from __future__ import annotations

import math
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from ..document import Document, Str
from ..theme import MM, Theme
from . import fields, xml
from .blocks import Blocks
from .runs import Runs

# Paragraph styles of running text: on the grid, no gaps.
ON_GRID = ("Normal", "List Paragraph", "Heading 1", "Heading 2", "Heading 3", "Cover Subtitle", "Cover Meta",
           "Quote", "Title", "Subtitle", "Cover Title")
FOLIO_SIZE = 14  # 4号
FOLIO_GAP = 7 * MM  # GB/T 9704 7.5: the folio's top 7 mm below the type area


def line_pitch(theme: Theme) -> float:
    """Points from one grid line to the next (depth / lines, in whole twentieths: 28.95 pt for A4's 22)."""
    return math.floor(theme.page.depth / theme.page.grid[1] * 20) / 20


def char_pitch(theme: Theme) -> float:
    """Points from one grid character to the next (measure / characters)."""
    return theme.page.measure / theme.page.grid[0]


def styles(doc, theme: Theme, cjk: bool = True) -> None:
    """Put the report's running-text styles on the grid and give headings GB/T 9704's looks; ``cjk``: the
    characters too (28 a line), which Latin text, proportional, has no use for."""
    from .styles import first_line_chars

    st = {s.name: s for s in doc.styles if s.type == 1}  # paragraph styles by name
    lead = line_pitch(theme)
    for name in ON_GRID:
        if name not in st:
            continue
        pf = st[name].paragraph_format
        size = st[name].font.size.pt if st[name].font.size else theme.sizes.body
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(lead * max(1, round(size * 1.2 / lead)))
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
    for level in (1, 2, 3):
        s = st[f"Heading {level}"]
        s.font.bold = level == 3  # 黑体 and 楷体 are not set bold; 仿宋 is (GB/T 9704 practice)
        first_line_chars(s.paragraph_format, theme.sizes.body)
        s.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT  # balanced by a right indent, never stretched
    for name in ("Cover Title", "Title"):
        s = st[name]
        s.font.bold = False  # 小标宋 is a heavy face already
        s.font.size = Pt(theme.sizes.title)
        s.paragraph_format.space_after = Pt(lead)  # one empty line under the title
    st["Cover Meta"].font.size = Pt(theme.sizes.body)
    # Characters a hair narrower than the grid's pitch (16 pt at 15.79 pt), so that 28 fit a line.
    squeeze = math.floor((char_pitch(theme) - theme.sizes.body) * 20) - 1  # twentieths of a point
    if squeeze < 0 and cjk:
        rpr = st["Normal"].element.get_or_add_rPr()
        xml.child(rpr, "w:spacing", before=_AFTER_SPACING).set(qn("w:val"), str(squeeze))
    # ... but LibreOffice snaps each character to the grid by its size, not its advance: text set off the
    # character grid keeps its squeezed advance there, and Word then lays 28 a line the same way.
    for s in st.values():
        ppr = s.element.get_or_add_pPr()
        xml.child(ppr, "w:snapToGrid", before=_AFTER_SNAP).set(qn("w:val"), "0")
    ppr = st["Normal"].element.get_or_add_pPr()
    # No punctuation hanging past the margin: the line's last character ends at the margin (Word's
    # setting).  LibreOffice (7.4 and its current writerfilter, DomainMapper.cxx) imports this element
    # inverted, val 0 as "hanging allowed", and hangs ，、。 past the margin; val 1 would cure it there
    # but make Word hang them, and Word is the reader of record.
    xml.child(ppr, "w:overflowPunct", before=AFTER_WORDWRAP[1:]).set(qn("w:val"), "0")


_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")


# Elements that follow w:wordWrap in a w:pPr (schema order), for inserting one before them.
AFTER_WORDWRAP = ("w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                   "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                   "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def doc_grid(section, theme: Theme) -> None:
    """``w:docGrid`` of ``linesAndChars`` in the section properties (Word's 文档网格)."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(line_pitch(theme) * 20)))
    grid.set(qn("w:charSpace"), str(round((char_pitch(theme) - theme.sizes.body) * 4096)))


def title_block(out: Blocks, doc: Document, theme: Theme, runs: Runs) -> None:
    """Title (centred), subtitle, authors and date at the head of page 1, in place of a cover."""
    from .cover import _author

    def para(inlines, style):
        p = out.paragraph(style=style)
        runs.write(p._p, inlines, out.part)
        return p

    para(doc.title, "Cover Title")
    if doc.subtitle:
        para(doc.subtitle, "Cover Subtitle")
    for author in doc.authors:
        para(_author(doc, author), "Cover Meta")
    if doc.date:
        para((Str(doc.date),), "Cover Meta")
    out.paragraph(style="Cover Meta")  # an empty grid line before the body


def balance_heading(p, label: str, theme: Theme) -> None:
    """GB/T 9704: a heading longer than a line breaks after its comma or at even lengths, estimated on
    the grid (a Chinese character one cell, a Latin one half; the first line indented two)."""
    from .typography import break_heading

    break_heading(p, label, theme.page.grid[0], 2, char_pitch(theme), 0.5)


def folios(doc, section, theme: Theme) -> None:
    """"— N —" in 4号 at the outer edge: odd pages right, even pages left, one character in; no header."""
    doc.settings.odd_and_even_pages_header_footer = True
    section.different_first_page_header_footer = False
    # The footer's top stands 7 mm under the type area: its foot is that far less one line above the edge.
    section.footer_distance = Pt(max(0.0, theme.page.margin_bottom - FOLIO_GAP - FOLIO_SIZE * 1.3))
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.text = ""
        pf = p.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        pf.first_line_indent = Pt(0)
        if odd:
            pf.right_indent = Pt(FOLIO_SIZE)
        else:
            pf.left_indent = Pt(FOLIO_SIZE)
        p._p.append(_folio_run("— "))
        fields.add_field(p._p, "PAGE", "1")
        for r in p._p.iter(qn("w:r")):
            _folio_font(r)
        p._p.append(_folio_run(" —"))
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False


def _folio_run(text: str):
    r = fields.text_run(text)
    _folio_font(r)
    return r


def _folio_font(r) -> None:
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r.insert(0, rpr)
    fonts = xml.child(rpr, "w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "宋体")  # GB/T 9704: half-width 宋体 digits
    for tag in ("w:sz", "w:szCs"):
        xml.child(rpr, tag).set(qn("w:val"), str(FOLIO_SIZE * 2))


# ---------------------------------------------------------------- break opportunities

# LibreOffice finds no line break between Chinese punctuation and a Latin letter or digit, so a run
# like "依托G60、G15、G1501、S32四条" moves whole to the next line and the line above is letter-spaced
# apart.  A zero-width space after the punctuation is the break Word and LibreOffice then both take.
_BREAK_AFTER = re.compile(r"([、，；：。）”])(?=[A-Za-z0-9])")
ZWSP = "\u200b"


def break_opportunities(body) -> None:
    """Insert a zero-width space between CJK punctuation and a following Latin letter or digit."""
    for t in body.iter(qn("w:t")):
        text = t.text
        if text and _BREAK_AFTER.search(text):
            t.text = _BREAK_AFTER.sub(r"\1" + ZWSP, text)
