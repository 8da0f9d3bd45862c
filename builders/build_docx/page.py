"""Page set-up, running header and page-number footer, and the package-level leftovers of the template."""
from __future__ import annotations

import re
from typing import Callable

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from ..document import Document
from ..theme import Theme
from . import fields, measure, xml
from .styles import languages, text_width
from .text import clean


def setup(section, theme: Theme) -> None:
    """Page size and margins from the theme (points → EMU via Pt)."""
    page = theme.page
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width = Pt(page.width)
    section.page_height = Pt(page.height)
    section.top_margin = Pt(page.margin_top)
    section.bottom_margin = Pt(page.margin_bottom)
    section.left_margin = Pt(page.margin_left)
    section.right_margin = Pt(page.margin_right)
    # Header and footer sit halfway into the margins.
    section.header_distance = Pt(page.margin_top / 2)
    section.footer_distance = Pt(page.margin_bottom / 2)


def header_footer(section, brief: Document, theme: Theme, style_id: Callable[[str], str | None],
                  header: bool = True, footer: bool = True) -> None:
    """Running title above a rule, page X of Y below; the cover page (first page) has neither.
    ``header``/``footer`` False keep a template's own; ``style_id`` maps a paragraph style name to its id."""
    section.different_first_page_header_footer = True
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        for p in part.paragraphs:
            for r in list(p.runs):
                r._r.getparent().remove(r._r)
    if header:
        _header(section, brief, theme, style_id("Header"))
    if footer:
        _footer(section, brief, style_id("Footer"))


def _header(section, brief: Document, theme: Theme, style: str | None) -> None:
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp.text = ""
    hp._p.style = style
    # A running head is one line: a long title without a short_title is cut with an ellipsis.
    hp.add_run(clean(measure.fit(brief.running_title, theme.fonts.caption, theme.sizes.caption, text_width(theme))))
    # The rule is direct formatting so the (empty) cover header, also styled Header, stays bare.
    ppr = hp._p.get_or_add_pPr()
    xml.border(xml.child(ppr, "w:pBdr", before=("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")),
               "bottom", theme.colours.rule.hex, 4, 4)


def _footer(section, brief: Document, style: str | None) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    fp = footer.paragraphs[0]
    fp.text = ""
    fp._p.style = style
    before, between, after = brief.labels.page_x_of_y
    if before:
        fp._p.append(fields.text_run(before))
    fields.add_field(fp._p, "PAGE", "1")
    fp._p.append(fields.text_run(between))
    fields.add_field(fp._p, "NUMPAGES", "1")
    if after:
        fp._p.append(fields.text_run(after))


def settings(doc, brief: Document) -> None:
    """The document's language for theme fonts, and TOC refresh on open."""
    fields.update_on_open(doc)
    latin, east = languages(brief)
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), latin)
        lang.set(qn("w:eastAsia"), east)


def theme_fonts(doc, theme: Theme) -> None:
    """Rewrite the template's DrawingML theme: its major/minor faces become the theme's heading/body
    faces and the Japanese script entries (ＭＳ 明朝, ＭＳ ゴシック) give way to Simplified Chinese."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/theme")), None)
    if part is None:
        return
    xml_text = part.blob.decode("utf-8")
    for scheme, role in (("majorFont", theme.fonts.heading), ("minorFont", theme.fonts.body)):
        def fix(m: re.Match, role=role) -> str:
            body = m.group(2)
            body = re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{_attr(role.latin)}"', body)
            body = re.sub(r'<a:ea typeface="[^"]*"', f'<a:ea typeface="{_attr(role.east_asian)}"', body)
            body = re.sub(r'<a:font script="(Jpan|Hans)" typeface="[^"]*"/>', "", body)
            body = body.replace("<a:font ", f'<a:font script="Hans" typeface="{_attr(role.east_asian)}"/><a:font ', 1)
            return m.group(1) + body + m.group(3)
        xml_text = re.sub(rf"(<a:{scheme}>)(.*?)(</a:{scheme}>)", fix, xml_text, flags=re.S)
    part._blob = xml_text.encode("utf-8")


def _attr(value: str) -> str:
    return clean(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def font_table(doc) -> None:
    """Drop the template's Japanese faces from the font table; Word rebuilds the table on save anyway."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    text = part.blob.decode("utf-8")
    text = re.sub(r'<w:font w:name="ＭＳ [^"]*">.*?</w:font>', "", text, flags=re.S)
    part._blob = text.encode("utf-8")


def drop_leftovers(doc) -> None:
    """Parts of python-docx's template that describe another document: the Word 2010 styles copy (with
    theme fonts) and the package thumbnail of an empty page."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            pkg.rels.pop(rid)


_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>brief</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>")


def app_properties(doc) -> None:
    """Extended properties that describe this file, not python-docx's template (a Mac Word 2010 file of
    one empty page based on Normal.dotm); Word recounts pages and words itself."""
    pkg = doc.part.package
    rel = next((r for r in pkg.rels.values() if r.reltype.endswith("/extended-properties")), None)
    if rel is not None:
        rel.target_part._blob = _APP.encode("utf-8")
