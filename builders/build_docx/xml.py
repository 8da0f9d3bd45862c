"""Low-level WordprocessingML helpers python-docx lacks: explicit fonts, language, colours, borders."""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..theme import FontRole

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def child(parent, tag: str, before: tuple[str, ...] = ()):
    """The first ``tag`` child of ``parent``, created (before any of ``before``, for schema order) if missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    el = OxmlElement(tag)
    for name in before:
        anchor = parent.find(qn(name))
        if anchor is not None:
            anchor.addprevious(el)
            return el
    parent.append(el)
    return el


def set_fonts(rpr, role: FontRole, east_asian_hint: bool = False) -> None:
    """Name the role's Latin and East Asian faces on ``w:rPr`` and drop theme-font attributes,
    which would otherwise win over the explicit names (and point at the template's Japanese theme)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # rFonts is the first child of rPr (after rStyle, handled below)
        style = rpr.find(qn("w:rStyle"))
        if style is not None:
            style.addnext(fonts)
    strip_theme_fonts(fonts)
    for attr, value in (("w:ascii", role.latin), ("w:hAnsi", role.latin), ("w:cs", role.latin),
                        ("w:eastAsia", role.east_asian)):
        fonts.set(qn(attr), value)
    if east_asian_hint:
        # Characters shared by both scripts (“ ” ‘ ’ — …) take the East Asian face, as Chinese text wants.
        fonts.set(qn("w:hint"), "eastAsia")


def strip_theme_fonts(rfonts) -> None:
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)


def set_lang(rpr, latin: str, east_asian: str) -> None:
    """``w:lang``: the Latin-script and East Asian languages that spell checking and line breaking use."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), latin)
    lang.set(qn("w:eastAsia"), east_asian)
    lang.set(qn("w:bidi"), "ar-SA")


def set_colour(rpr, hex_rgb: str) -> None:
    """An explicit RGB colour; theme colour attributes are dropped so they cannot override it."""
    for old in rpr.findall(qn("w:color")):
        rpr.remove(old)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), hex_rgb)
    rpr.append(colour)
    _reorder_rpr(rpr)


# CT_RPr's child order; appending out of order makes Word call the file corrupt.
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
              "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
              "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


_RPR_RANK = {qn(t): i for i, t in enumerate(_RPR_ORDER)}


def _rank(el) -> int:
    return _RPR_RANK.get(el.tag, len(_RPR_RANK))


def _reorder_rpr(rpr) -> None:
    kids = list(rpr)
    ordered = sorted(kids, key=_rank)
    if ordered == kids:  # already in schema order (the sort is stable): nothing moves
        return
    for el in ordered:
        rpr.append(el)


def tidy_rpr(rpr) -> None:
    """Put ``w:rPr`` children back into schema order after python-docx and these helpers edited it."""
    _reorder_rpr(rpr)


def border(parent, side: str, hex_rgb: str, size_eighths: int = 4, space: int = 1) -> None:
    """A single-line border ``side`` (top, bottom, insideH, ...) on ``w:pBdr``/``w:tblBorders``/``w:tcBorders``."""
    el = child(parent, f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), hex_rgb)
