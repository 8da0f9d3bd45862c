"""Paragraph styles and colours from the theme.

Chinese briefs get ``wordWrap='CJK'`` (with our line-start/line-end rules, see
:mod:`.kinsoku`), a two-character first-line indent and justified text; other
languages keep reportlab's word wrap and no indent, justified and hyphenated by the brief's language
(pyphen's patterns), or ragged right on a short measure.  No paragraph leaves one line alone at a
page's foot or head.
Every colour goes through :func:`colour` so a CMYK theme yields CMYK everywhere.
"""
from __future__ import annotations

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..document import Document
from ..theme import Colour, Theme
from .coverage import FontSet


def colour(theme: Theme, c: Colour):
    """A reportlab colour in the theme's colour space (CMYK percentages → 0..1)."""
    if theme.page.colour_mode == "cmyk" and c.cmyk is not None:
        return CMYKColor(*(v / 100 for v in c.cmyk))
    return Color(*c.rgb_floats)


def colour_attr(theme: Theme, c: Colour) -> str:
    """``c`` as a colour attribute of paragraph markup (``<a color=…>``), CMYK in a CMYK theme."""
    if theme.page.colour_mode == "cmyk" and c.cmyk is not None:
        return "cmyk({:g},{:g},{:g},{:g})".format(*(v / 100 for v in c.cmyk))
    return c.rgb


def registration(theme: Theme):
    """The colour of crop marks: all four inks in CMYK, black in RGB."""
    return CMYKColor(1, 1, 1, 1) if theme.page.colour_mode == "cmyk" else Color(0, 0, 0)


def make_styles(doc: Document, theme: Theme, fonts: FontSet) -> dict[str, ParagraphStyle]:
    """Every style the story uses, by name."""
    s, c = theme.sizes, theme.colours
    cjk = doc.is_cjk
    text, heading, muted, accent = (colour(theme, x) for x in (c.text, c.heading, c.muted, c.accent))
    on_accent = colour(theme, c.on_accent)
    wrap = "CJK" if cjk else None
    lead = s.line_spacing
    # Justified Latin text without hyphenation opens rivers of space on a short measure (large type,
    # as in an accessible theme): below ~65 characters a line, English is set ragged right.
    measure = (theme.page.width - theme.page.margin_left - theme.page.margin_right) / (0.5 * s.body)
    body_align = TA_JUSTIFY if cjk or measure >= 65 else TA_LEFT
    hyphenate = "" if cjk else hyphenation_language(doc.language)

    def st(name: str, face: str, size: float, **kw) -> ParagraphStyle:
        kw.setdefault("leading", size * lead)
        kw.setdefault("allowWidows", 0)  # reportlab allows a widow by default
        kw.setdefault("allowOrphans", 0)
        if kw.get("alignment", body_align) == TA_JUSTIFY and hyphenate:
            # Justified Latin text without hyphenation opens wide gaps; long URLs break after a slash.
            kw.setdefault("hyphenationLang", hyphenate)
            kw.setdefault("uriWasteReduce", 0.3)
        kw.setdefault("textColor", text)
        kw.setdefault("wordWrap", wrap)
        kw.setdefault("alignment", body_align)
        return ParagraphStyle(name, fontName=fonts.font_name(face), fontSize=size, **kw)

    body = s.body
    styles = {
        "body": st("body", "body", body, firstLineIndent=2 * body if cjk else 0, spaceAfter=body * 0.4),
        "item": st("item", "body", body, leftIndent=1.6 * body if not cjk else 0,
                   firstLineIndent=2 * body if cjk else 0, bulletIndent=0.4 * body, spaceAfter=body * 0.25),
        "bullet": st("bullet", "body", body, leftIndent=1.4 * body, bulletIndent=0.3 * body,
                     bulletFontName=fonts.font_name("body"), spaceAfter=body * 0.25),
        "point": st("point", "caption", body * 0.92, leftIndent=1.3 * body, bulletIndent=0.3 * body,
                    bulletFontName=fonts.font_name("caption"), leading=body * 0.92 * 1.4, alignment=TA_LEFT,
                    textColor=heading),
        "region": st("region", "caption", s.caption + 1, textColor=muted, spaceAfter=body * 0.4, alignment=TA_LEFT,
                     keepWithNext=1),
        "label": st("label", "heading", body, textColor=heading, spaceBefore=body * 0.4, spaceAfter=body * 0.3,
                    keepWithNext=1, alignment=TA_LEFT),
        "h1": st("h1", "heading", s.heading1, textColor=heading, leading=s.heading1 * 1.3, alignment=TA_LEFT,
                 spaceBefore=s.heading1 * 1.2, spaceAfter=s.heading1 * 0.6, keepWithNext=1),
        "h2": st("h2", "heading", s.heading2, textColor=heading, leading=s.heading2 * 1.3, alignment=TA_LEFT,
                 spaceBefore=s.heading2 * 0.9, spaceAfter=s.heading2 * 0.45, keepWithNext=1),
        "h3": st("h3", "heading", s.heading3, textColor=heading, leading=s.heading3 * 1.35, alignment=TA_LEFT,
                 spaceBefore=s.heading3 * 0.8, spaceAfter=s.heading3 * 0.35, keepWithNext=1),
        "caption": st("caption", "caption", s.caption, textColor=muted, leading=s.caption * 1.35,
                      alignment=TA_CENTER, spaceBefore=s.caption * 0.4, spaceAfter=s.caption),
        "caption-title": st("caption-title", "caption-bold", s.caption + 1, textColor=heading,
                            leading=(s.caption + 1) * 1.35, alignment=TA_CENTER, spaceAfter=s.caption * 0.5,
                            keepWithNext=1),
        "h4": st("h4", "heading", body, textColor=heading, leading=body * 1.4, alignment=TA_LEFT,
                 spaceBefore=body * 0.7, spaceAfter=body * 0.3, keepWithNext=1),
        # Notes at the page foot: the number hangs, the text is set a little smaller than captions.
        "note": st("note", "caption", s.caption - 0.5, leading=(s.caption - 0.5) * 1.35, alignment=TA_LEFT,
                   leftIndent=1.5 * s.caption, bulletIndent=0, firstLineIndent=0,
                   bulletFontName=fonts.font_name("caption"), bulletFontSize=s.caption - 0.5,
                   spaceAfter=(s.caption - 0.5) * 0.25),
        # A bibliography entry: hanging indent, so the first words (the authors) lead.
        "reference": st("reference", "body", body, leftIndent=2 * body, firstLineIndent=-2 * body,
                        spaceAfter=body * 0.3, alignment=TA_LEFT),
        "cell": st("cell", "caption", s.caption + 0.5, leading=(s.caption + 0.5) * 1.3, alignment=TA_LEFT),
        "cell-num": st("cell-num", "caption", s.caption + 0.5, leading=(s.caption + 0.5) * 1.3, alignment=2),
        "cell-head": st("cell-head", "caption-bold", s.caption + 0.5, leading=(s.caption + 0.5) * 1.3,
                        textColor=on_accent, alignment=TA_LEFT),
        "cell-head-num": st("cell-head-num", "caption-bold", s.caption + 0.5, leading=(s.caption + 0.5) * 1.3,
                            textColor=on_accent, alignment=2),
        "title": st("title", "heading", s.title, textColor=heading, leading=s.title * 1.3, alignment=TA_LEFT,
                    spaceAfter=s.title * 0.6),
        "subtitle": st("subtitle", "heading-regular", s.subtitle, textColor=muted, leading=s.subtitle * 1.4,
                       alignment=TA_LEFT, spaceAfter=s.subtitle * 0.5),
        "author": st("author", "heading", s.body + 1, leading=(s.body + 1) * 1.5, alignment=TA_LEFT,
                     spaceBefore=s.body * 0.3),
        "role": st("role", "caption", s.caption + 1, textColor=muted, leading=(s.caption + 1) * 1.4,
                   alignment=TA_LEFT, spaceAfter=s.body * 0.6),
        "meta": st("meta", "caption", s.caption + 1, textColor=muted, alignment=TA_LEFT, spaceBefore=s.body * 0.8),
        "date": st("date", "caption", s.caption + 1, textColor=muted, alignment=TA_LEFT, spaceBefore=s.body * 0.8),
        "contents": st("contents", "heading", s.heading1, textColor=heading, leading=s.heading1 * 1.3,
                       alignment=TA_LEFT, spaceAfter=s.heading1),
        "running": st("running", "caption", s.caption, textColor=muted, leading=s.caption * 1.2, alignment=TA_LEFT,
                      wordWrap=None),
        "folio": st("folio", "caption", s.caption, textColor=muted, leading=s.caption * 1.2, alignment=TA_CENTER,
                    wordWrap=None),
        "accent": st("accent", "heading", s.body, textColor=accent),
    }
    return styles


def hyphenation_language(language: str) -> str:
    """The pyphen dictionary for ``language`` ("en" → "en_GB", "de-AT" → "de_AT"), or "" when pyphen
    has none (the text is then justified without hyphens, as before)."""
    try:
        import pyphen
    except ImportError:  # a dependency, but a missing one costs only the hyphens
        return ""
    tag = language.replace("-", "_")
    for name in (tag, {"en": "en_GB"}.get(tag.split("_")[0], ""), tag.split("_")[0]):
        if name and name in pyphen.LANGUAGES:
            return name
    return ""


def toc_styles(doc: Document, theme: Theme, fonts: FontSet) -> list[ParagraphStyle]:
    """TableOfContents level styles: level 1 in the heading face, deeper levels indented body text."""
    s, c = theme.sizes, theme.colours
    text, heading = colour(theme, c.text), colour(theme, c.heading)
    wrap = "CJK" if doc.is_cjk else None
    out = []
    for level in range(3):
        size = s.body + (1 if level == 0 else 0)
        out.append(ParagraphStyle(
            f"toc{level}", fontName=fonts.font_name("heading" if level == 0 else "body"), fontSize=size,
            leading=size * 1.45, leftIndent=level * 1.5 * s.body + 2 * size, firstLineIndent=-2 * size,
            rightIndent=2.5 * size, textColor=heading if level == 0 else text, wordWrap=wrap,
            spaceBefore=size * 0.5 if level == 0 else 0))
    return out
