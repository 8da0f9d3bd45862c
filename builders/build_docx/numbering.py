"""Real Word lists: multi-level definitions in the numbering part, and a fresh ``w:num`` per list so each
restarts at 1.

A nested list is a list at Word level ``ilvl`` 1, 2 (its depth in the text).  The
markers of a numbered list are decided by the lowering (1. / a. / i. / （1） / ①);
Word numbering is used when one of its number formats reproduces them exactly,
otherwise the markers are written as text with the same hanging indent, so the
visible text is always the lowering's.  Chinese official-style lists (一是…)
carry their marker in the text and never come here.
"""
from __future__ import annotations

from typing import Callable, Optional

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..i18n import chinese_numeral, roman_numeral
from ..theme import Theme
from ..xmltext import attr as _esc
from .measure import width as text_width

BULLETS = ("•", "◦", "▪")
LEVELS = 9  # Word's levels per definition


def _letters(n: int, upper: bool) -> str:
    # Word's letter numbering repeats the letter past z: 27 → aa, 28 → bb.
    ch = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return ch.upper() if upper else ch


# Word number formats and how Word writes number n in each (only what a lowering marker may use).
FORMATS: tuple[tuple[str, Callable[[int], str]], ...] = (
    ("decimal", str),
    ("lowerLetter", lambda n: _letters(n, False)),
    ("lowerRoman", lambda n: roman_numeral(n, False)),
    ("upperLetter", lambda n: _letters(n, True)),
    ("upperRoman", lambda n: roman_numeral(n, True)),
    ("decimalEnclosedCircle", lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)),
    ("chineseCounting", chinese_numeral),
)


def word_format(markers: tuple[str, ...]) -> Optional[tuple[str, str]]:
    """``(numFmt, lvlText)`` with which Word numbers items 1, 2, … exactly as ``markers``; ``None`` if none does."""
    if not markers or any("%" in m for m in markers):
        return None
    for fmt, number in FORMATS:
        one = number(1)
        if one not in markers[0]:
            continue
        template = markers[0].replace(one, "%1", 1)
        if all(template.replace("%1", number(n)) == m for n, m in enumerate(markers, 1)):
            return fmt, template
    return None


class Lists:
    """Creates list definitions and instances in the document's numbering part."""

    def __init__(self, doc, theme: Theme):
        self._numbering = doc.part.numbering_part.element
        used = [int(el.get(qn("w:abstractNumId"))) for el in self._numbering.findall(qn("w:abstractNum"))]
        nums = [int(el.get(qn("w:numId"))) for el in self._numbering.findall(qn("w:num"))]
        self._next_abstract = max(used, default=-1) + 1
        self._next_num = max(nums, default=0) + 1
        self._abstract: dict[tuple, int] = {}
        self._first_num = self._numbering.find(qn("w:num"))
        self.em = round(theme.sizes.body * 20)  # one body em in twips
        self.role = theme.fonts.body
        self.size = theme.sizes.body
        self.bullet_font = theme.fonts.body.latin

    def hang(self, markers: tuple[str, ...]) -> int:
        """The hanging indent (twips) that holds the widest of ``markers`` and a gap: at least two ems."""
        widest = max((text_width(m, self.role, self.size) for m in markers), default=0.0)
        return max(2 * self.em, round((widest + self.size * 0.5) * 20))

    def indent(self, level: int, hang: int) -> int:
        """The left indent (twips) of an item's text at ``level``: two ems per level plus the hang."""
        return 2 * self.em * level + hang

    def bullet(self, level: int) -> int:
        """A new ``numId`` for one bulleted list at ``level``."""
        return self._instance(("bullet",), level)

    def ordered(self, markers: tuple[str, ...], level: int) -> Optional[int]:
        """A new ``numId`` for a numbered list at ``level`` showing exactly ``markers``, starting at 1;
        ``None`` when no Word number format does (the caller writes the markers as text)."""
        found = word_format(markers)
        if found is None:
            return None
        return self._instance(("ordered", *found, self.hang(markers)), level)

    def _instance(self, key: tuple, level: int) -> int:
        if key not in self._abstract:
            self._abstract[key] = self._add_abstract(key)
        num_id = self._next_num
        self._next_num += 1
        num = parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{self._abstract[key]}"/>'
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
        self._numbering.append(num)
        return num_id

    def _add_abstract(self, key: tuple) -> int:
        aid = self._next_abstract
        self._next_abstract += 1
        levels = []
        for lvl in range(LEVELS):
            if key[0] == "bullet":
                fmt, text, hang = "bullet", BULLETS[lvl % len(BULLETS)], self.em
                left = 2 * self.em * (lvl + 1)
                rpr = (f'<w:rPr><w:rFonts w:ascii="{_esc(self.bullet_font)}" w:hAnsi="{_esc(self.bullet_font)}" '
                       'w:hint="default"/></w:rPr>')
            else:
                _, fmt, text, hang = key
                left, rpr = self.indent(lvl, hang), ""
            levels.append(
                f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{_esc(text)}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{left}" w:hanging="{hang}"/></w:pPr>{rpr}</w:lvl>')
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>')
        # Schema order: every abstractNum precedes every num.
        if self._first_num is None:
            self._first_num = self._numbering.find(qn("w:num"))
        if self._first_num is not None:
            self._first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return aid
