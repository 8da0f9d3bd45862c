"""Writing fitted text into text frames: fonts, language, bullets, spacing.

python-pptx's ``font.name`` writes only ``a:latin``; without ``a:ea`` LibreOffice
draws Chinese with the Japanese face, so every run gets ``a:latin``, ``a:ea`` and
``a:cs`` in schema order, and ``lang`` (with ``altLang`` where the other
script is likely) from the brief.

Paragraphs and runs are written as XML text and parsed in one go per text frame
(python-pptx's property objects, and even lxml's element proxies, cost more than
the rest of a slide together); the XML is what python-pptx's ``add_run``,
``font.size``, ``font.color.rgb``, ``paragraph.alignment`` and ``TextFrame.text``
wrote before: the same elements, attributes in the same order, defaults left out.
"""
from __future__ import annotations

import functools
import re

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..theme import FontRole
from ..xmltext import attr as _attr, text as xml_text
from .geometry import DESCENT, INSET_X, INSET_Y, PITCH

# Children of a:rPr / a:defRPr that must come after the font elements (schema order).
_AFTER_FONTS = {qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")}
_FONT_TAGS = tuple(qn(t) for t in ("a:latin", "a:ea", "a:cs"))
_A_LATIN, _A_EA, _A_CS = _FONT_TAGS
_A_P = qn("a:p")
_A_BODYPR, _A_NOAUTO = qn("a:bodyPr"), qn("a:noAutofit")
_AUTOFITS = frozenset(qn(t) for t in ("a:noAutofit", "a:normAutofit", "a:spAutoFit"))
_ALIGN = {PP_ALIGN.LEFT: "l", PP_ALIGN.CENTER: "ctr", PP_ALIGN.RIGHT: "r", PP_ALIGN.JUSTIFY: "just"}
_ANCHOR = {MSO_ANCHOR.TOP: "t", MSO_ANCHOR.MIDDLE: "ctr", MSO_ANCHOR.BOTTOM: "b"}
_CTRL = re.compile(r"([\x00-\x08\x0B-\x1F])")
_DEFAULT_LR, _DEFAULT_TB = 91440, 45720  # the schema's default insets: python-pptx leaves them out


def alt_lang(language: str) -> str | None:
    """A Chinese/Japanese/Korean brief quotes English names often; an English one rarely quotes CJK."""
    return "en-US" if language.split("-")[0].lower() in ("zh", "ja", "ko") else None


def set_fonts(rpr, role: FontRole, language: str) -> None:
    """``a:latin``, ``a:ea``, ``a:cs`` from ``role`` on ``rpr`` (an a:rPr or a:defRPr), plus ``lang``."""
    for old in [c for c in rpr if c.tag in _FONT_TAGS]:
        rpr.remove(old)
    anchor = next((c for c in rpr if c.tag in _AFTER_FONTS), None)
    for tag, face in ((_A_LATIN, role.latin), (_A_EA, role.east_asian), (_A_CS, role.latin)):
        if anchor is not None:
            el = etree.Element(tag)
            el.set("typeface", face)
            anchor.addprevious(el)
        else:
            etree.SubElement(rpr, tag).set("typeface", face)
    rpr.set("lang", language)
    alt = alt_lang(language)
    if alt:
        rpr.set("altLang", alt)


def setup_frame(tx_body, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, size: float = 0.0, top: float = 0.0) -> None:
    """No autofit (we fitted), word wrap on, the insets the measurement assumed.

    A bottom-anchored frame of ``size``-point text keeps its last line's descent inside the frame;
    ``top`` points are added to the top inset.  ``tx_body`` is a p:txBody element."""
    body_pr = tx_body.find(_A_BODYPR)
    body_pr.set("wrap", "square")
    for old in [c for c in body_pr if c.tag in _AUTOFITS]:
        body_pr.remove(old)
    fit = etree.Element(_A_NOAUTO)
    first = body_pr[0] if len(body_pr) else None
    # a:noAutofit goes after a:prstTxWarp (the only child that may precede it).
    if first is not None and first.tag == qn("a:prstTxWarp"):
        first.addnext(fit)
    elif first is not None:
        first.addprevious(fit)
    else:
        body_pr.append(fit)
    bottom = int(Pt(INSET_Y + (DESCENT * size if anchor == MSO_ANCHOR.BOTTOM else 0.0)))
    for name, value, default in (("lIns", int(Pt(INSET_X)), _DEFAULT_LR), ("rIns", int(Pt(INSET_X)), _DEFAULT_LR),
                                 ("tIns", int(Pt(INSET_Y + top)), _DEFAULT_TB), ("bIns", bottom, _DEFAULT_TB)):
        if value == default:
            body_pr.attrib.pop(name, None)
        else:
            body_pr.set(name, str(value))
    body_pr.set("anchor", _ANCHOR[anchor])


@functools.lru_cache(maxsize=None)
def _pitch_val(size: float) -> str:
    return str(int(round(size * PITCH * 100)))


@functools.lru_cache(maxsize=None)
def _centipoints(size: float) -> str:
    return str(Pt(size).centipoints)


def escape(text: str) -> str:
    """python-pptx's escaping of control characters in run text (tab and newline pass)."""
    return _CTRL.sub(lambda m: "_x%04X_" % ord(m.group(1)), text)


# ------------------------------------------------------------ paragraphs, as XML text

def _text(value: str) -> str:
    if _CTRL.search(value):
        value = escape(value)
    return xml_text(value)


@functools.lru_cache(maxsize=None)
def _fonts_xml(role: FontRole, language: str) -> tuple[str, str]:
    """(attributes, children) that :func:`set_fonts` writes on a fresh a:rPr / a:endParaRPr."""
    alt = alt_lang(language)
    attrs = f' lang="{_attr(language)}"' + (f' altLang="{alt}"' if alt else "")
    kids = (f'<a:latin typeface="{_attr(role.latin)}"/><a:ea typeface="{_attr(role.east_asian)}"/>'
            f'<a:cs typeface="{_attr(role.latin)}"/>')
    return attrs, kids


@functools.lru_cache(maxsize=None)
def rpr_xml(size: float | None, colour: str | None, role: FontRole, language: str, bold: bool | None = False,
            cap: bool = True) -> str:
    """A run's a:rPr: size, weight, no capitals, colour, then the fonts and language."""
    attrs = ""
    if size is not None:
        attrs += f' sz="{_centipoints(size)}"'
    if bold is not None:
        attrs += ' b="1"' if bold else ' b="0"'
    if cap:
        attrs += ' cap="none"'
    font_attrs, font_kids = _fonts_xml(role, language)
    fill = f'<a:solidFill><a:srgbClr val="{colour.upper()}"/></a:solidFill>' if colour is not None else ""
    return f"<a:rPr{attrs}{font_attrs}>{fill}{font_kids}</a:rPr>"


def run_xml(text: str, rpr: str) -> str:
    return f"<a:r>{rpr}<a:t>{_text(text)}</a:t></a:r>"


@functools.lru_cache(maxsize=None)
def end_xml(role: FontRole, language: str) -> str:
    attrs, kids = _fonts_xml(role, language)
    return f"<a:endParaRPr{attrs}>{kids}</a:endParaRPr>"


@functools.lru_cache(maxsize=4096)
def ppr_xml(size: float, space_before: float = 0.0, indent: float = 0.0, hanging: bool | float = False,
            bullet: str | None = None, autonum: int | None = None, bullet_colour: str | None = None,
            align: PP_ALIGN | None = None) -> str:
    """Exact line pitch (1.2 x size, as measured), spacing before, indents and the bullet, in schema order.

    ``hanging``: the first line starts this many points left of the others (``True``: at the frame's edge),
    which is where the bullet or number goes."""
    mar = int(Pt(indent))
    hang = mar if hanging is True else int(Pt(hanging)) if hanging else 0
    algn = f' algn="{_ALIGN[align]}"' if align is not None else ""
    out = [f'<a:pPr hangingPunct="0" marL="{mar}" indent="{-hang}"{algn}>',
           f'<a:lnSpc><a:spcPts val="{_pitch_val(size)}"/></a:lnSpc>',
           f'<a:spcBef><a:spcPts val="{int(round(space_before * 100))}"/></a:spcBef>']
    if bullet or autonum:
        if bullet_colour:
            out.append(f'<a:buClr><a:srgbClr val="{_attr(bullet_colour)}"/></a:buClr>')
        if autonum:
            out.append(f'<a:buAutoNum type="arabicPeriod" startAt="{autonum}"/>')
        else:
            out.append(f'<a:buFont typeface="Arial"/><a:buChar char="{_attr(bullet)}"/>')
    else:
        out.append("<a:buNone/>")
    out.append("</a:pPr>")
    return "".join(out)


def notes_xml(text: str, role: FontRole, language: str) -> str:
    """The paragraphs ``TextFrame.text = text`` makes, with fonts and language on runs and paragraph ends."""
    rpr = rpr_xml(None, None, role, language, None, False)
    end = end_xml(role, language)
    out = []
    for line in text.split("\n"):
        pieces = line.split("\v")
        body = "<a:br/>".join(run_xml(piece, rpr) if piece else "" for piece in pieces)
        out.append(f"<a:p>{body}{end}</a:p>")
    return "".join(out)


_NSDECLS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"')
_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)


def fill(tx_body, paragraphs_xml: str) -> None:
    """Replace the paragraphs of p:txBody ``tx_body`` (empty ones: fresh placeholders and text boxes)."""
    for p in tx_body.findall(_A_P):
        tx_body.remove(p)
    tx_body.extend(etree.fromstring(f"<p:txBody {_NSDECLS}>{paragraphs_xml}</p:txBody>", _PARSER))


def body_pr_xml(anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, size: float = 0.0) -> str:
    """The a:bodyPr :func:`setup_frame` leaves on a fresh text box (``wrap="none"`` and a:spAutoFit)."""
    bottom = int(Pt(INSET_Y + (DESCENT * size if anchor == MSO_ANCHOR.BOTTOM else 0.0)))
    ins = "".join(f' {name}="{value}"' for name, value, default in (
        ("lIns", int(Pt(INSET_X)), _DEFAULT_LR), ("rIns", int(Pt(INSET_X)), _DEFAULT_LR),
        ("tIns", int(Pt(INSET_Y)), _DEFAULT_TB), ("bIns", bottom, _DEFAULT_TB)) if value != default)
    return f'<a:bodyPr wrap="square"{ins} anchor="{_ANCHOR[anchor]}"><a:noAutofit/></a:bodyPr>'
