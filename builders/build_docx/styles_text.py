"""Styles for the text inside sections: code, links, footnotes, quotes, call-out titles, list labels,
sub-headings (Heading 4-6).

Footnote and hyperlink styles take Word's own built-in names (``footnote text``,
``footnote reference``, ``Hyperlink``) so Word treats them as its own: a footnote
an editor adds later looks like ours.  Code is a character style in a monospace
face that keeps the theme's East Asian face for any Chinese in it.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ..document import Document
from ..theme import Theme
from . import xml

CODE_FACE = "Consolas"  # on every Windows and Mac Office; LibreOffice substitutes a monospace face
# Paragraph style names the builder refers to (Word's internal names for the built-in ones).
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE, HYPERLINK, VERBATIM = "footnote text", "footnote reference", "Hyperlink", \
    "Verbatim Char"
ENDNOTE_TEXT, ENDNOTE_REFERENCE = "endnote text", "endnote reference"
NOTES_HEADING = "Notes Heading"  # above the endnotes; not a Heading N, so not a section of the contents
# CT_PPrBase children that follow w:pBdr.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def code_fonts(theme: Theme) -> tuple[str, str]:
    """(Latin, East Asian) faces of code: monospace, with the body's East Asian face."""
    return CODE_FACE, theme.fonts.body.east_asian


def apply(doc, styles, document: Document, theme: Theme) -> None:
    """Define (or restyle) the styles of rich text; ``styles`` is styles.py's name index."""
    s, c = theme.sizes, theme.colours
    hint = document.is_cjk
    for level, size in ((4, s.heading3), (5, s.body + 0.5), (6, s.body)):
        st = styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        xml.set_colour(st.element.get_or_add_rPr(), c.heading.hex)
        pf = st.paragraph_format
        _flush(pf)
        pf.space_before = Pt(size * 0.8)
        pf.space_after = Pt(size * 0.3)
        pf.keep_with_next = True
        pf.keep_together = True

    quote = styles["Quote"]
    quote.font.italic = False  # never a slanted Chinese face; the rule at the left marks the quotation
    xml.set_colour(quote.element.get_or_add_rPr(), c.text.hex)
    pf = quote.paragraph_format
    pf.first_line_indent = Pt(0)  # the block is indented; a Chinese first-line indent would set it off twice
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "0")
    pf.left_indent = Pt(s.body * 2)
    pf.right_indent = Pt(s.body)
    pf.space_before = Pt(s.body * 0.3)
    pf.space_after = Pt(s.body * 0.3)
    ppr = quote.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    xml.border(xml.child(ppr, "w:pBdr", before=_AFTER_PBDR), "left", c.accent.hex, 18, 8)

    title = _paragraph(styles, "Box Title", theme, hint)
    title.font.bold = True
    title.font.size = Pt(s.body + 0.5)
    xml.set_colour(title.element.get_or_add_rPr(), c.heading.hex)
    _flush(title.paragraph_format)
    title.paragraph_format.space_after = Pt(s.body * 0.4)
    title.paragraph_format.keep_with_next = True

    bib = _paragraph(styles, "Bibliography", theme, hint, builtin=True)
    _flush(bib.paragraph_format)
    bib.paragraph_format.left_indent = Pt(s.body * 2)  # a hanging indent: each entry's first line stands out
    bib.paragraph_format.first_line_indent = Pt(-s.body * 2)
    bib.paragraph_format.space_after = Pt(s.body * 0.4)
    ind = bib.element.get_or_add_pPr().find(qn("w:ind"))
    ind.attrib.pop(qn("w:firstLineChars"), None)
    # Character units win over twips in Word: hangingChars, or the Chinese body's firstLineChars would.
    ind.set(qn("w:hangingChars"), "200")
    # Left aligned in every language: justified, an entry's long URLs and DOIs would stretch its Latin words.
    bib.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    label = _paragraph(styles, "List Label", theme, hint)
    label.font.bold = True
    label.paragraph_format.keep_with_next = True
    label.paragraph_format.space_before = Pt(s.body * 0.3)

    endnotes = theme.notes == "endnotes"
    text_name, text_id, ref_name, ref_id = ((ENDNOTE_TEXT, "EndnoteText", ENDNOTE_REFERENCE, "EndnoteReference")
                                            if endnotes else
                                            (FOOTNOTE_TEXT, "FootnoteText", FOOTNOTE_REFERENCE, "FootnoteReference"))
    note = _paragraph(styles, text_name, theme, hint, builtin=True, style_id=text_id)
    note.font.size = Pt(s.caption + 0.5 if not endnotes else s.body - 0.5)
    _flush(note.paragraph_format)
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if document.is_cjk else WD_ALIGN_PARAGRAPH.LEFT
    if endnotes:
        note.paragraph_format.space_after = Pt(s.body * 0.3)
        head = _paragraph(styles, NOTES_HEADING, theme, hint)
        head.base_style = styles["TOC Heading"]
        head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        head.paragraph_format.space_before = Pt(s.heading1 * 1.5)
        head.paragraph_format.keep_with_next = True

    ref = _character(doc, ref_name, ref_id, theme, hint)
    _rpr_flag(ref, "w:vertAlign", "superscript")
    link = _character(doc, HYPERLINK, "Hyperlink", theme, hint)
    xml.set_colour(link.get_or_add_rPr(), c.accent.hex)
    _rpr_flag(link, "w:u", "single")
    code = _character(doc, VERBATIM, "VerbatimChar", theme, hint)
    rpr = code.get_or_add_rPr()
    latin, east = code_fonts(theme)
    fonts = xml.child(rpr, "w:rFonts")
    xml.strip_theme_fonts(fonts)
    for attr, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east), ("w:cs", latin)):
        fonts.set(qn(attr), face)
    size = xml.child(rpr, "w:sz")
    size.set(qn("w:val"), str(round(s.body * 0.9 * 2)))
    xml.tidy_rpr(rpr)


def _flush(pf) -> None:
    """No first-line indent (Chinese body text has one; these paragraphs do not), left aligned."""
    pf.first_line_indent = Pt(0)
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "0")
    pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    pf.line_spacing = 1.15
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _paragraph(styles, name: str, theme: Theme, hint: bool, builtin: bool = False, style_id: str = ""):
    if name not in styles:
        st = styles.add_paragraph_style(name, builtin)
        if style_id:
            st.element.set(qn("w:styleId"), style_id)
        st.base_style = styles["Normal"]
        xml.set_fonts(st.element.get_or_add_rPr(), theme.fonts.body, hint)
    return styles[name]


def _character(doc, name: str, style_id: str, theme: Theme, hint: bool):
    """The ``w:style`` element of character style ``name``, added (with ``style_id``) if missing."""
    for el in doc.styles.element.iterchildren(qn("w:style")):
        n = el.find(qn("w:name"))
        if el.get(qn("w:type")) == "character" and n is not None and n.get(qn("w:val")) == name:
            return el
    el = doc.styles.element.add_style_of_type(name, WD_STYLE_TYPE.CHARACTER, name != VERBATIM)
    el.set(qn("w:styleId"), style_id)
    xml.set_fonts(el.get_or_add_rPr(), theme.fonts.body, hint)
    return el


def _rpr_flag(style_el, tag: str, value: str) -> None:
    rpr = style_el.get_or_add_rPr()
    xml.child(rpr, tag).set(qn("w:val"), value)
    xml.tidy_rpr(rpr)


def character_ids(doc) -> dict[str, str]:
    """The ids of the character styles :mod:`runs` uses, by the names it uses."""
    out = {}
    for el in doc.styles.element.iterchildren(qn("w:style")):
        n = el.find(qn("w:name"))
        if el.get(qn("w:type")) == "character" and n is not None:
            out.setdefault(n.get(qn("w:val")), el.get(qn("w:styleId")))
    return {name: out[name] for name in (FOOTNOTE_REFERENCE, ENDNOTE_REFERENCE, HYPERLINK, VERBATIM) if name in out}


def upright(doc) -> None:
    """No paragraph or character style slants text in a Chinese, Japanese or Korean document: Word would
    slant the East Asian face synthetically where a style (a template's Quote, Subtitle, Caption, the
    built-in Emphasis an editor may apply) is italic.  Latin text loses that italic too; the template's
    look can spare it."""
    for el in doc.styles.element.iterchildren(qn("w:style")):
        rpr = el.find(qn("w:rPr"))
        if rpr is None:
            continue
        for tag in ("w:i", "w:iCs"):
            for flag in rpr.findall(qn(tag)):
                if flag.get(qn("w:val")) not in ("0", "false", "off"):
                    rpr.remove(flag)
