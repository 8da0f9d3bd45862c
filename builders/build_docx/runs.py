"""Inline nodes as WordprocessingML runs: emphasis, strong, code, hyperlinks, footnote references, breaks.

Formatting is direct (``w:b``, ``w:i``) for emphasis and strong, as Word's own
buttons and Pandoc write it; code and links take character styles (Verbatim
Char, Hyperlink) an editor can restyle.  Italic is never put on Chinese,
Japanese or Korean characters: Word would slant the East Asian face
synthetically, which Chinese typography does not use, so an emphasised CJK
stretch takes the theme's ``cjk_emphasis``: bold, a Kai face (楷体), or emphasis
dots (着重号, ``w:em``).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, NamedTuple, Optional, assert_never

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..document import Code, Emph, Inlines, LineBreak, Link, NoteRef, Str, Strong, Sup
from .blocks import add_text, element
from .text import clean

if TYPE_CHECKING:
    from .footnotes import Footnotes

# East Asian scripts and their punctuation: ideographs (incl. extensions), kana, hangul, CJK symbols,
# full-width forms.  Emphasis on these is bold, never italic.
_CJK = re.compile("([\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
                  "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]+)")
_R, _RPR, _RSTYLE, _B, _I, _RFONTS = (qn(t) for t in ("w:r", "w:rPr", "w:rStyle", "w:b", "w:i", "w:rFonts"))
_VAL = qn("w:val")
_HYPERLINK, _ANCHOR, _HISTORY, _RID = qn("w:hyperlink"), qn("w:anchor"), qn("w:history"), qn("r:id")


KAI_FACE = "KaiTi"  # 楷体 on Windows; other systems substitute their Kai face


class Look(NamedTuple):
    """The formatting an inline inherits from its ancestors."""

    bold: bool = False
    italic: bool = False
    style: Optional[str] = None  # a character style id (Hyperlink)
    cjk: bool = False  # an emphasised stretch of East Asian text
    sup: bool = False  # superscript (a numeric citation mark [1])


class Runs:
    """Writes inline nodes into a paragraph (or hyperlink) element.

    ``styles`` maps the character style names this module uses to their ids;
    ``anchors`` maps a document anchor (``sec-method``) to its bookmark name;
    ``code_fonts`` are the (Latin, East Asian) faces of code; ``warn(message)``
    reports what cannot be rendered."""

    def __init__(self, styles: dict[str, str], anchors: dict[str, str], code_fonts: tuple[str, str],
                 warn: Callable[[str], None], cjk_emphasis: str = "bold"):
        self.styles, self.anchors, self.code_fonts, self.warn = styles, anchors, code_fonts, warn
        self.cjk_emphasis = cjk_emphasis
        self.notes: Optional["Footnotes"] = None  # set once the footnotes part exists
        self._rels: dict[tuple[int, str], str] = {}  # (id(part), url) → rId: one relationship per target

    def write(self, parent, inlines: Inlines, part, look: Look = Look(), in_note: bool = False) -> None:
        """Append the runs of ``inlines`` to ``parent``; links are related from ``part``."""
        for node in inlines:
            match node:
                case Str(text):
                    self._text(parent, clean(text), look)
                case Emph(children):
                    self.write(parent, children, part, look._replace(italic=True), in_note)
                case Strong(children):
                    self.write(parent, children, part, look._replace(bold=True), in_note)
                case Sup(children):
                    self.write(parent, children, part, look._replace(sup=True), in_note)
                case Code(text):
                    parent.append(self._run(clean(text), look._replace(italic=False, style=self.styles["Verbatim Char"]),
                                            code=True))
                case Link(target, children):
                    self._link(parent, target, children, part, look, in_note)
                case NoteRef(_, number):
                    if self.notes is None:
                        self._text(parent, str(number), look)
                    else:
                        self.notes.reference(parent, number, in_note)
                case LineBreak():
                    r = self._run("", look)
                    r.append(element(qn("w:br")))
                    parent.append(r)
                case _:
                    assert_never(node)

    def _text(self, parent, text: str, look: Look) -> None:
        if not text:
            return
        if not look.italic:
            parent.append(self._run(text, look))
            return
        for i, piece in enumerate(_CJK.split(text)):
            if piece:  # odd pieces are East Asian: the theme's CJK emphasis there, italic on the rest
                parent.append(self._run(piece, look._replace(italic=False, cjk=True) if i % 2 else look))

    def _run(self, text: str, look: Look, code: bool = False):
        r = element(_R)
        if text and not (code or look.style or look.bold or look.italic or look.cjk or look.sup):  # plain
            add_text(r, text)
            return r
        emphasis = self.cjk_emphasis if look.cjk else ""
        rpr = element(_RPR)  # children in CT_RPr order: rStyle, rFonts, b, i, vertAlign, em
        if look.style:
            st = element(_RSTYLE)
            st.set(_VAL, look.style)
            rpr.append(st)
        if code:  # on the run as well as in the style: WPS and older Word read the run's faces first
            fonts = element(_RFONTS)
            latin, east = self.code_fonts
            for attr, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east), ("w:cs", latin)):
                fonts.set(qn(attr), face)
            rpr.append(fonts)
        elif emphasis == "kai":  # the Latin faces are the paragraph's, filled in with the others
            fonts = element(_RFONTS)
            fonts.set(qn("w:eastAsia"), KAI_FACE)
            rpr.append(fonts)
        if look.bold or emphasis == "bold":
            rpr.append(element(_B))
        if look.italic:
            rpr.append(element(_I))
        if look.sup:
            va = element(qn("w:vertAlign"))
            va.set(_VAL, "superscript")
            rpr.append(va)
        if emphasis == "dots":
            em = element(qn("w:em"))
            em.set(_VAL, "dot")
            rpr.append(em)
        if len(rpr):
            r.append(rpr)
        if text:
            add_text(r, text)
        return r

    def _link(self, parent, target: str, children: Inlines, part, look: Look, in_note: bool) -> None:
        link = element(_HYPERLINK)
        if target.startswith("#"):
            bookmark = self.anchors.get(target[1:])
            if bookmark is None:
                self.warn(f"link to {target!r}: no such place in the document; shown as text")
                self.write(parent, children, part, look, in_note)
                return
            link.set(_ANCHOR, bookmark)
        else:
            key = (id(part), target)
            rid = self._rels.get(key)
            if rid is None:
                rid = self._rels[key] = part.relate_to(target, RT.HYPERLINK, is_external=True)
            link.set(_RID, rid)
        link.set(_HISTORY, "1")
        self.write(link, children, part, look._replace(style=self.styles["Hyperlink"]), in_note)
        parent.append(link)
