"""Paragraph and character styles from the theme: fonts, sizes, colours, spacing, language.

Everything the body uses is a named style, so an editor restyles the report in
Word by editing a style, not by hunting direct formatting.
"""
from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ..diagnostics import Log
from ..document import Document
from ..theme import FontRole, Theme
from . import xml

# Styles this builder creates when the template lacks them (name → based on).
CUSTOM = {
    "Cover Title": "Title", "Cover Subtitle": "Subtitle", "Cover Meta": "Normal",
    "Table Text": "Normal", "Figure": "Normal", "Figure Note": "Caption", "Case Region": "Figure Note",
    "Keywords": "Normal", "Box Title": "Normal", "List Label": "Normal",
    "TOC 1": "Normal", "TOC 2": "Normal", "TOC 3": "Normal",
}
BUILT_IN = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5",
            "Heading 6", "Caption", "Header", "Footer", "List Paragraph", "TOC Heading", "Quote")


def languages(brief: Document) -> tuple[str, str]:
    """(Latin-script language, East Asian language) for ``w:lang``.

    A Chinese brief's Latin words are English; an English brief's East Asian
    characters (names, quotes) are Chinese, since the theme's East Asian faces are."""
    lang = brief.language
    if brief.is_cjk:
        east = {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}[lang.split("-")[0].lower()]
        return "en-US", lang if "-" in lang else east
    return lang, "zh-CN"


def apply(doc, brief: Document, theme: Theme, log: Log, from_template: bool) -> None:
    """Define every style the report uses; with a corporate template, keep its look and only fill gaps."""
    styles = _ByName(doc.styles)
    for name in BUILT_IN + tuple(CUSTOM):
        if name not in styles:
            if from_template and name in BUILT_IN:
                log.warn("docx_template", f"the template has no {name!r} style; using the theme's")
            styles.add_paragraph_style(name).base_style = (
                styles[CUSTOM[name]] if name in CUSTOM else styles["Normal"])
    _fonts_everywhere(doc, theme, brief.is_cjk)
    _defaults(doc, brief, theme, from_template)
    # With a template, this styles everything too; the caller then restores the template's own styles,
    # so only the styles it lacked keep the theme's look.
    _body(styles, brief, theme)
    _headings(styles, brief, theme)
    _cover(styles, theme)
    _captions(styles, brief, theme)
    _toc(styles, brief, theme)
    from .styles_text import apply as rich_text

    rich_text(doc, styles, brief, theme)


class _ByName:
    """``doc.styles[name]`` without python-docx's XPath search of every style on each lookup: the styles
    are indexed by name once (the first of a name wins, as there), and styles added here join the index."""

    def __init__(self, styles):
        self._styles = styles
        self._index: dict[str, object] = {}
        for el in styles.element.iterchildren(qn("w:style")):
            name = el.find(qn("w:name"))
            if name is not None:
                self._index.setdefault(name.get(qn("w:val")), el)
        self._names = {BabelFish.internal2ui(n) for n in self._index}  # as python-docx's ``style.name``

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def __getitem__(self, name: str):
        el = self._index.get(BabelFish.ui2internal(name))
        return self._styles[name] if el is None else StyleFactory(el)  # python-docx's fallbacks and errors

    def add_paragraph_style(self, name: str, builtin: bool = False):
        """As ``styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)`` for a name not yet in use."""
        internal = BabelFish.ui2internal(name)
        el = self._styles.element.add_style_of_type(internal, WD_STYLE_TYPE.PARAGRAPH, builtin)
        self._index.setdefault(internal, el)
        self._names.add(name)
        return StyleFactory(el)


def role_of(name: str, theme: Theme) -> FontRole:
    """The font role (heading, caption, body) a style of this name takes."""
    lowered = name.lower()
    if lowered.startswith(("title", "cover title")):
        return theme.fonts.title_role
    if lowered.startswith(("heading 2", "heading 3")):
        return theme.fonts.for_heading(int(lowered[8]))
    if lowered.startswith(("heading", "subtitle", "toc heading")):
        return theme.fonts.heading
    if lowered.startswith(("caption", "header", "footer", "figure note", "table text")):
        return theme.fonts.caption
    return theme.fonts.body


def _fonts_everywhere(doc, theme: Theme, hint: bool) -> None:
    """Every paragraph and character style names both faces; theme-font attributes are stripped."""
    for style in doc.styles.element.findall(qn("w:style")):
        kind = style.get(qn("w:type"))
        name_el = style.find(qn("w:name"))
        name = name_el.get(qn("w:val")) if name_el is not None else ""
        if kind in ("paragraph", "character"):
            rpr = xml.child(style, "w:rPr")
            xml.set_fonts(rpr, role_of(name, theme), hint)
            xml.tidy_rpr(rpr)
        else:
            for rfonts in style.iter(qn("w:rFonts")):
                xml.strip_theme_fonts(rfonts)


def _defaults(doc, brief: Document, theme: Theme, from_template: bool) -> None:
    """docDefaults: body faces, size and the brief's languages, the base every style inherits.
    A template keeps its default faces and size; the languages always follow the brief."""
    defaults = xml.child(doc.styles.element, "w:docDefaults", before=("w:latentStyles", "w:style"))
    rpr_default = xml.child(defaults, "w:rPrDefault")
    rpr = xml.child(rpr_default, "w:rPr")
    xml.set_lang(rpr, *languages(brief))
    if from_template:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None or fonts.get(qn("w:eastAsia")) is None:
            xml.child(rpr, "w:rFonts").set(qn("w:eastAsia"), theme.fonts.body.east_asian)
        xml.tidy_rpr(rpr)
        return
    xml.set_fonts(rpr, theme.fonts.body, brief.is_cjk)
    for tag in ("w:sz", "w:szCs"):
        xml.child(rpr, tag).set(qn("w:val"), str(round(theme.sizes.body * 2)))
    xml.tidy_rpr(rpr)


def first_line_chars(pf, size: float, chars: int = 2) -> None:
    """A first-line indent of ``chars`` characters, as Chinese text wants; ``firstLine`` is the fallback."""
    pf.first_line_indent = Pt(size * chars)
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _body(styles, brief: Document, theme: Theme) -> None:
    size = theme.sizes.body
    normal = styles["Normal"]
    normal.font.size = Pt(size)
    xml.set_colour(normal.element.get_or_add_rPr(), theme.colours.text.hex)
    pf = normal.paragraph_format
    pf.line_spacing = theme.sizes.line_spacing
    pf.widow_control = True
    pf.space_before = Pt(0)
    if brief.is_cjk:
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.space_after = Pt(0)
        first_line_chars(pf, size)
    else:
        # Ragged right reads better in English than justified text with its uneven word gaps.
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf.space_after = Pt(round(size * 0.6, 1))
    lp = styles["List Paragraph"].paragraph_format
    lp.first_line_indent = None
    lp.left_indent = Pt(0)
    # Cancel Normal's character indent, which would otherwise beat the hanging indent of bullets
    # (Word gives *Chars attributes precedence); Chinese numbered items set their own in numbering.xml.
    lp._element.get_or_add_pPr().find(qn("w:ind")).set(qn("w:firstLineChars"), "0")
    lp.space_after = Pt(0 if brief.is_cjk else round(size * 0.3, 1))
    _no_contextual(styles["List Paragraph"])
    tt = styles["Table Text"]
    tt.font.size = Pt(theme.sizes.caption + 1)
    _plain(tt.paragraph_format, align=WD_ALIGN_PARAGRAPH.LEFT)
    fig = styles["Figure"].paragraph_format
    _plain(fig, align=WD_ALIGN_PARAGRAPH.CENTER)
    fig.keep_with_next = True  # a picture never parts from its caption


def _plain(pf, align) -> None:
    pf.first_line_indent = Pt(0)
    ind = pf._element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "0")
    pf.alignment = align
    pf.line_spacing = 1.15
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)


def _no_contextual(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for el in ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(el)


def _headings(styles, brief: Document, theme: Theme) -> None:
    sizes = (theme.sizes.heading1, theme.sizes.heading2, theme.sizes.heading3)
    for level, size in enumerate(sizes, start=1):
        st = styles[f"Heading {level}"]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        xml.set_colour(st.element.get_or_add_rPr(), theme.colours.heading.hex)
        pf = st.paragraph_format
        _plain(pf, WD_ALIGN_PARAGRAPH.LEFT)
        pf.line_spacing = 1.2
        pf.space_before = Pt(size * (1.2 if level == 1 else 0.9))
        pf.space_after = Pt(size * 0.5)
        # A heading never ends a page: it travels with the paragraph that follows.
        pf.keep_with_next = True
        pf.keep_together = True
        pf.widow_control = True


def _cover(styles, theme: Theme) -> None:
    for name, size, colour, bold in (("Cover Title", theme.sizes.title, theme.colours.heading, True),
                                     ("Cover Subtitle", theme.sizes.subtitle, theme.colours.muted, False),
                                     ("Title", theme.sizes.title, theme.colours.heading, True),
                                     ("Subtitle", theme.sizes.subtitle, theme.colours.muted, False)):
        st = styles[name]
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = False
        rpr = st.element.get_or_add_rPr()
        xml.set_colour(rpr, colour.hex)
        for spacing in rpr.findall(qn("w:spacing")):
            rpr.remove(spacing)
        ppr = st.element.get_or_add_pPr()
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)
        _plain(st.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)
        st.paragraph_format.line_spacing = 1.25
        st.paragraph_format.space_after = Pt(size * 0.6)
        st.paragraph_format.keep_with_next = True
    meta = styles["Cover Meta"]
    meta.font.size = Pt(theme.sizes.body + 1)
    _plain(meta.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)
    meta.paragraph_format.space_after = Pt(4)


def _captions(styles, brief: Document, theme: Theme) -> None:
    cap = styles["Caption"]
    cap.font.size = Pt(theme.sizes.caption + 1)
    cap.font.bold = True
    cap.font.italic = False
    xml.set_colour(cap.element.get_or_add_rPr(), theme.colours.heading.hex)
    _plain(cap.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)
    cap.paragraph_format.space_before = Pt(6)
    cap.paragraph_format.space_after = Pt(6)
    note = styles["Figure Note"]
    note.font.size = Pt(theme.sizes.caption)
    note.font.bold = False
    xml.set_colour(note.element.get_or_add_rPr(), theme.colours.muted.hex)
    _plain(note.paragraph_format, WD_ALIGN_PARAGRAPH.LEFT)
    note.paragraph_format.space_before = Pt(3)
    note.paragraph_format.space_after = Pt(8)
    region = styles["Case Region"].paragraph_format
    region.space_before = Pt(0)
    region.keep_with_next = True
    kw = styles["Keywords"]
    kw.paragraph_format.space_before = Pt(theme.sizes.body * 0.6)
    kw.font.bold = False
    for name in ("Header", "Footer"):
        st = styles[name]
        st.font.size = Pt(theme.sizes.caption)
        xml.set_colour(st.element.get_or_add_rPr(), theme.colours.muted.hex)
        _plain(st.paragraph_format, WD_ALIGN_PARAGRAPH.CENTER)


def text_width(theme: Theme) -> float:
    """Width of the type area in points."""
    return theme.page.width - theme.page.margin_left - theme.page.margin_right


def _toc(styles, brief: Document, theme: Theme) -> None:
    head = styles["TOC Heading"]
    head.base_style = styles["Heading 1"]
    head.paragraph_format.outline_level = None
    ppr = head.element.get_or_add_pPr()
    for lvl in ppr.findall(qn("w:outlineLvl")):  # the contents list must not list itself
        ppr.remove(lvl)
    head.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = Pt(text_width(theme))
    for level in (1, 2, 3):
        st = styles[f"TOC {level}"]
        st.font.size = Pt(theme.sizes.body)
        st.font.bold = level == 1
        pf = st.paragraph_format
        _plain(pf, WD_ALIGN_PARAGRAPH.LEFT)
        pf.left_indent = Pt(theme.sizes.body * 2 * (level - 1))
        pf.space_before = Pt(6 if level == 1 else 2)
        pf.space_after = Pt(2)
        pf.tab_stops.add_tab_stop(Twips(int(width.twips)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
