"""Footnotes at a slide's foot: the notes of what the slide shows, small, measured like everything else.

Each note becomes small paragraphs (its number set superscript first); a note
that cites another brings it along.  :meth:`Feet.height` is the room a set of
notes takes below the body, which the fitting counts against the slide's room.
"""
from __future__ import annotations

from .. import document as d
from .blocks import note_paras
from .measure import Fitter
from .runs import Para, notes_in

FOOT_GAP = 6.0  # points between the body and the footnotes


class Feet:
    """The deck's footnotes as small paragraphs, and the room a set of them takes at a slide's foot."""

    def __init__(self, doc: d.Document, fitter: Fitter, width: float, on: bool = True):
        """``on``: the theme sets notes as footnotes (as endnotes, the deck has a notes slide and no feet)."""
        self.fitter, self.width = fitter, width
        self.size = fitter.theme.sizes.slide_min
        self.paras: dict[int, list[Para]] = {}
        self.cited: dict[int, list[int]] = {}  # a note that cites another note brings it along
        self._height: dict[int, float] = {}
        for note in doc.notes if on else ():
            paras = note_paras(note, "foot")
            self.paras[note.number] = paras
            self.cited[note.number] = [n for p in paras[1:] for n in notes_in(p.runs)] + [
                n for n in notes_in(paras[0].runs[2:])]

    def numbers(self, cited) -> list[int]:
        """``cited`` with the notes they cite in turn, in number order."""
        seen: set[int] = set()
        stack = [n for n in cited if n in self.paras]
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(m for m in self.cited.get(n, ()) if m in self.paras)
        return sorted(seen)

    def foot(self, cited) -> tuple[Para, ...]:
        return tuple(p for n in self.numbers(cited) for p in self.paras[n])

    def height(self, cited) -> float:
        """Room the footnotes of ``cited`` take at the foot (0 without any)."""
        numbers = self.numbers(cited)
        if not numbers:
            return 0.0
        total = 0.0
        for n in numbers:
            got = self._height.get(n)
            if got is None:  # lines and the space before each paragraph (the foot's first has none)
                got = self._height[n] = sum(self.fitter.para_height(p, self.width, self.size)
                                            + self.fitter.space_before(p, self.size) for p in self.paras[n])
            total += got
        first = self.paras[numbers[0]][0]
        total -= self.fitter.space_before(first, self.size)
        return FOOT_GAP + self.fitter.frame(self.size, first) + total
