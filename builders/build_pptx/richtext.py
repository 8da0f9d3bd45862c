"""Slide paragraphs of styled runs as DrawingML XML text (see :mod:`.text` for why XML text).

A run keeps its style: bold, italic (Latin emphasis), a monospace face for code,
a superscript note number (``baseline="30000"``), a clickable link
(``a:hlinkClick`` to an external relationship of the slide, mailto included).
Fonts and language go on every run, in schema order, as :func:`.text.rpr_xml` does.
"""
from __future__ import annotations

import functools
from typing import Callable, Optional

from pptx.enum.text import PP_ALIGN

from ..theme import FontRole, Theme
from ..xmltext import attr as _attr
from .faces import CODE_LATIN
from .measure import Fitter
from .runs import Para, Run
from .text import _centipoints, _fonts_xml, _text, end_xml, ppr_xml

SUPERSCRIPT = "30000"  # a:rPr baseline, in thousandths of a percent: what PowerPoint's superscript button sets


KAI = "KaiTi"  # the Kai face Windows and Office have; asked for emphasised CJK text when the theme says "kai"


@functools.lru_cache(maxsize=4096)
def styled_rpr(size: float, colour: str, role: FontRole, language: str, bold: bool, italic: bool, code: bool,
               sup: bool, underline: bool, kai: bool = False) -> tuple[str, str]:
    """(start, end) of a run's a:rPr; a hyperlink's a:hlinkClick goes between them (after the fonts)."""
    attrs = f' sz="{_centipoints(size)}"' + (' b="1"' if bold else ' b="0"')
    if italic:
        attrs += ' i="1"'
    if underline:
        attrs += ' u="sng"'
    if sup:
        attrs += f' baseline="{SUPERSCRIPT}"'
    attrs += ' cap="none"'
    font_attrs, font_kids = _fonts_xml(role, language)
    if code:  # the role's East Asian face stays: code in a Chinese brief may hold hanzi
        font_kids = (f'<a:latin typeface="{CODE_LATIN}"/><a:ea typeface="{_attr(role.east_asian)}"/>'
                     f'<a:cs typeface="{CODE_LATIN}"/>')
    elif kai:
        font_kids = (f'<a:latin typeface="{_attr(role.latin)}"/><a:ea typeface="{KAI}"/>'
                     f'<a:cs typeface="{_attr(role.latin)}"/>')
    fill = f'<a:solidFill><a:srgbClr val="{colour.upper()}"/></a:solidFill>'
    return f"<a:rPr{attrs}{font_attrs}>{fill}{font_kids}", "</a:rPr>"


class RunWriter:
    """Runs and paragraphs for one deck: ``link_id(address)`` gives the slide's relationship id of a link."""

    def __init__(self, theme: Theme, language: str, fitter: Fitter):
        self.theme, self.lang, self.fitter = theme, language, fitter
        self.link_id: Callable[[str], str] = lambda address: ""
        self.dots_used = False

    def runs(self, runs, size: float, colour: str, role: FontRole, bold: bool = False) -> str:
        accent = self.theme.colours.accent.hex
        # PowerPoint has no emphasis dots (Word's w:em): "dots" sets emphasised CJK text bold in the deck.
        kai = self.theme.cjk_emphasis == "kai"
        out = []
        for r in runs:
            if not r.text:
                continue
            if r.cjk_emph and self.theme.cjk_emphasis == "dots":
                self.dots_used = True
            start, end = styled_rpr(size, accent if r.link else colour, role, self.lang,
                                    bold or r.bold or (r.cjk_emph and not kai), r.italic, r.code,
                                    bool(r.note) or r.sup, bool(r.link), r.cjk_emph and kai)
            link = ""
            if r.link:
                jump = ' action="ppaction://hlinksldjump"' if r.link.startswith("#") else ""
                link = f'<a:hlinkClick r:id="{self.link_id(r.link)}"{jump}/>'
            out.append(f"<a:r>{start}{link}{end}<a:t>{_text(r.text)}</a:t></a:r>")
        return "".join(out)

    def para(self, p: Para, size: float, gap: float, colour: str, role: FontRole,
             align: Optional[PP_ALIGN] = PP_ALIGN.LEFT, bold: bool = False) -> str:
        """One a:p: spacing, indent, bullet or number, the inline marker, the runs."""
        c = self.theme.colours
        accent = c.accent.hex
        indent = self.fitter.indent(p, size)
        marker = ""
        hang = self.fitter.hang(p, size)
        if p.kind == "bullet" and not p.cont:
            ppr = ppr_xml(size, gap, indent, hang, "–" if p.level == 1 else "•", None, accent, align)
        elif p.kind == "number" and not p.cont and not p.inline_marker:
            ppr = ppr_xml(size, gap, indent, hang, None, int(p.marker.rstrip(".")), accent, align)
        else:
            ppr = ppr_xml(size, gap, indent, align=align)
        if p.marker_text:  # 一是 bold (Chinese official style); a. or （1） in the accent colour
            bold_marker = p.marker.endswith("是")
            marker = self.runs((Run(p.marker_text, bold=bold_marker),), size, colour if bold_marker else accent, role)
        return f"<a:p>{ppr}{marker}{self.runs(p.runs, size, colour, role, bold)}{end_xml(role, self.lang)}</a:p>"

    def paras(self, paras, size: float, colour_of: Callable[[Para], str], role: FontRole,
              align: Optional[PP_ALIGN] = PP_ALIGN.LEFT) -> str:
        out = []
        for i, p in enumerate(paras):
            gap = self.fitter.space_before(p, size) if i else 0.0
            out.append(self.para(p, size, gap, colour_of(p), role, align))
        return "".join(out)
