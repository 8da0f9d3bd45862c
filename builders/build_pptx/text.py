"""Writing fitted text into python-pptx text frames: fonts, language, bullets, spacing.

python-pptx's ``font.name`` writes only ``a:latin``; without ``a:ea`` LibreOffice
draws Chinese with the Japanese face, so every run gets ``a:latin``, ``a:ea`` and
``a:cs`` in schema order, and ``lang`` (with ``altLang`` where the other
script is likely) from the brief.
"""
from __future__ import annotations

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..theme import FontRole
from .geometry import DESCENT, INSET_X, INSET_Y, PITCH

# Children of a:rPr / a:defRPr that must come after the font elements (schema order).
_AFTER_FONTS = {qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")}
# Children of a:pPr in schema order.
_PPR_ORDER = [qn(t) for t in ("a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx", "a:buClr", "a:buSzTx", "a:buSzPct",
                              "a:buSzPts", "a:buFontTx", "a:buFont", "a:buNone", "a:buAutoNum", "a:buChar",
                              "a:buBlip", "a:tabLst", "a:defRPr", "a:extLst")]


def alt_lang(language: str) -> str | None:
    """A Chinese/Japanese/Korean brief quotes English names often; an English one rarely quotes CJK."""
    return "en-US" if language.split("-")[0].lower() in ("zh", "ja", "ko") else None


def set_fonts(rpr, role: FontRole, language: str) -> None:
    """``a:latin``, ``a:ea``, ``a:cs`` from ``role`` on ``rpr`` (an a:rPr or a:defRPr), plus ``lang``."""
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    anchor = next((c for c in rpr if c.tag in _AFTER_FONTS), None)
    for tag, face in (("a:latin", role.latin), ("a:ea", role.east_asian), ("a:cs", role.latin)):
        el = etree.Element(qn(tag))
        el.set("typeface", face)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            rpr.append(el)
    rpr.set("lang", language)
    alt = alt_lang(language)
    if alt:
        rpr.set("altLang", alt)


def setup_frame(tf, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, size: float = 0.0) -> None:
    """No autofit (we fitted), word wrap on, the insets the measurement assumed.

    A bottom-anchored frame of ``size``-point text keeps its last line's descent inside the frame."""
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = Pt(INSET_X)
    tf.margin_top = Pt(INSET_Y)
    tf.margin_bottom = Pt(INSET_Y + (DESCENT * size if anchor == MSO_ANCHOR.BOTTOM else 0.0))
    tf.vertical_anchor = anchor


def _sub(parent, tag: str, **attrs):
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(k, str(v))
    return el


def paragraph_format(p, size: float, *, space_before: float = 0.0, indent: float = 0.0, hanging: bool = False,
                     bullet: str | None = None, autonum: int | None = None, bullet_colour: str | None = None,
                     align: PP_ALIGN | None = None) -> None:
    """Exact line pitch (1.2 x size, as measured), spacing before, indents and the bullet, in schema order."""
    ppr = p._p.get_or_add_pPr()
    for child in list(ppr):
        if child.tag in _PPR_ORDER[:-2]:
            ppr.remove(child)
    # LibreOffice hangs 、，。 past the right edge by default (Asian typography); we measured without it.
    ppr.set("hangingPunct", "0")
    ppr.set("marL", str(int(Pt(indent))))
    ppr.set("indent", str(-int(Pt(indent)) if hanging else 0))
    els = []
    ln = etree.Element(qn("a:lnSpc"))
    _sub(ln, "a:spcPts", val=int(round(size * PITCH * 100)))
    els.append(ln)
    sb = etree.Element(qn("a:spcBef"))
    _sub(sb, "a:spcPts", val=int(round(space_before * 100)))
    els.append(sb)
    if bullet or autonum:
        if bullet_colour:
            clr = etree.Element(qn("a:buClr"))
            _sub(clr, "a:srgbClr", val=bullet_colour)
            els.append(clr)
        if autonum:
            els.append(etree.Element(qn("a:buAutoNum")))
            els[-1].set("type", "arabicPeriod")
            els[-1].set("startAt", str(autonum))
        else:
            font = etree.Element(qn("a:buFont"))
            font.set("typeface", "Arial")
            els.append(font)
            ch = etree.Element(qn("a:buChar"))
            ch.set("char", bullet)
            els.append(ch)
    else:
        els.append(etree.Element(qn("a:buNone")))
    # Insert before whatever may already be there (tabLst, defRPr, extLst).
    first = ppr[0] if len(ppr) else None
    for el in els:
        if first is not None:
            first.addprevious(el)
        else:
            ppr.append(el)
    if align is not None:
        p.alignment = align


def add_run(p, text: str, size: float, colour: str, role: FontRole, language: str, bold: bool = False):
    r = p.add_run()
    r.text = text
    f = r.font
    f.size = Pt(size)
    f.bold = bold
    f.color.rgb = RGBColor.from_string(colour)
    r._r.get_or_add_rPr().set("cap", "none")  # the default Section Header layout sets titles in capitals
    set_fonts(r._r.get_or_add_rPr(), role, language)
    return r


def style_all_runs(tf, role: FontRole, language: str, size: float | None = None) -> None:
    """Fonts and language on every run and end-of-paragraph mark of a frame filled with ``.text``."""
    for p in tf.paragraphs:
        for r in p.runs:
            if size:
                r.font.size = Pt(size)
            set_fonts(r._r.get_or_add_rPr(), role, language)
        end = p._p.get_or_add_endParaRPr()
        set_fonts(end, role, language)
