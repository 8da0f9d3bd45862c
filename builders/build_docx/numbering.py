"""Real Word lists: one abstract definition per kind, and a fresh ``w:num`` per list so each restarts at 1.

Chinese official style numbers actions 一是、二是 (``chineseCounting`` with
``%1是``) run into the text, first line indented two characters; English uses
``1.`` with a hanging indent.  Numbers are never typed into the text.
"""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..i18n import list_number
from ..model import Brief
from ..theme import Theme
from .blocks import number

ORDERED, BULLET = "ordered", "bullet"


class Lists:
    """Creates list instances in the document's numbering part."""

    def __init__(self, doc, brief: Brief, theme: Theme):
        self._numbering = doc.part.numbering_part.element
        used = [int(el.get(qn("w:abstractNumId"))) for el in self._numbering.findall(qn("w:abstractNum"))]
        nums = [int(el.get(qn("w:numId"))) for el in self._numbering.findall(qn("w:num"))]
        self._next_abstract = max(used, default=-1) + 1
        self._next_num = max(nums, default=0) + 1
        self._abstract: dict[str, int] = {}
        self.chinese = (theme.numbering_for(brief.language) == "chinese" and brief.language.lower().startswith("zh"))
        self.size = theme.sizes.body
        self.bullet_font = theme.fonts.body.latin

    def new(self, kind: str) -> int:
        """A new ``numId`` for one list of ``kind`` (``ordered`` or ``bullet``), starting at 1."""
        if kind not in self._abstract:
            self._abstract[kind] = self._add_abstract(kind)
        num_id = self._next_num
        self._next_num += 1
        self._numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self._abstract[kind]}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
        return num_id

    def _add_abstract(self, kind: str) -> int:
        aid = self._next_abstract
        self._next_abstract += 1
        twips_1em = round(self.size * 20)
        if kind == BULLET:
            fmt, text, suff = "bullet", "•", "tab"
            ind = f'<w:ind w:left="{2 * twips_1em}" w:hanging="{twips_1em}"/>'
            rpr = f'<w:rPr><w:rFonts w:ascii="{self.bullet_font}" w:hAnsi="{self.bullet_font}" w:hint="default"/></w:rPr>'
        elif self.chinese:
            # 一是……: the label runs into the sentence; the paragraph keeps the body's two-character indent.
            fmt, text, suff = "chineseCounting", list_number("chinese", 1, "zh").replace("一", "%1"), "nothing"
            ind = f'<w:ind w:left="0" w:firstLineChars="200" w:firstLine="{2 * twips_1em}"/>'
            rpr = ""
        else:
            fmt, text, suff = "decimal", "%1.", "tab"
            ind = f'<w:ind w:left="{2 * twips_1em}" w:hanging="{2 * twips_1em}"/>'
            rpr = ""
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr>{ind}</w:pPr>{rpr}</w:lvl></w:abstractNum>')
        # Schema order: every abstractNum precedes every num.
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return aid


def attach(paragraph, num_id: int) -> None:
    """Make ``paragraph`` an item of list ``num_id``."""
    number(paragraph, num_id)
