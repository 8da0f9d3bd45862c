"""Footnotes at a slide's foot: the notes of what the slide shows, small, measured like everything else.

Each note becomes small paragraphs (its number set superscript first); a note
that cites another brings it along.  :meth:`Feet.height` is the room a set of
notes takes below the body, which the fitting counts against the slide's room.
"""
from __future__ import annotations

from dataclasses import replace

from .. import document as d
from .blocks import note_paras
from .geometry import PITCH
from .measure import Fitter
from .notes import para_line
from .runs import Para, Run, cut_runs, notes_in

ELLIPSIS = "…"

FOOT_GAP = 6.0  # points between the body and the footnotes


class Feet:
    """The deck's footnotes as small paragraphs, and the room a set of them takes at a slide's foot."""

    def __init__(self, doc: d.Document, fitter: Fitter, width: float, on: bool = True, most: float = 1e9):
        """``on``: the theme sets notes as footnotes (as endnotes, the deck has a notes slide and no feet).
        ``most``: the height one note may take at a foot; a longer one is shortened there (see :meth:`_short`)."""
        self.fitter, self.width = fitter, width
        self.size = fitter.theme.sizes.slide_min
        self.paras: dict[int, list[Para]] = {}
        self.cited: dict[int, list[int]] = {}  # a note that cites another note brings it along
        self.shortened: list[str] = []  # ids of the notes shortened at the foot
        self._height: dict[int, float] = {}
        for note in doc.notes if on else ():
            paras = note_paras(note, "foot")
            short = self._short(paras, most)
            if short is not paras:
                self.shortened.append(note.note_id)
            self.paras[note.number] = short
            self.cited[note.number] = [n for p in paras[1:] for n in notes_in(p.runs)] + [
                n for n in notes_in(paras[0].runs[2:])]

    def _short(self, paras: list[Para], most: float) -> list[Para]:
        """``paras``, or as many of their lines as fit ``most`` points, ending in an ellipsis.

        A note longer than a good part of a slide would leave no room for what cites it (or not fit at all);
        the slide shows its beginning and the speaker notes say it whole."""
        pitch = PITCH * self.size
        room = int((most - FOOT_GAP - self.fitter.frame(self.size, paras[0])) // pitch)
        out: list[Para] = []
        for p in paras:
            lines = self.fitter.lines(p, self.width, self.size)
            gap = 1 if out else 0  # a paragraph's space before, counted as a line: enough
            if len(lines) + gap <= room:
                out.append(p)
                room -= len(lines) + gap
                continue
            keep = room - gap
            if keep >= 1:
                # The ellipsis needs room too: one character fewer than the line held is enough in practice,
                # and the wrapped last line is re-measured below.
                head, _ = cut_runs(p.runs, lines, keep, p.marker_text)
                cut = replace(p, runs=(*head, Run(ELLIPSIS)))
                while len(self.fitter.lines(cut, self.width, self.size)) > keep and len(cut.runs) > 1:
                    last = cut.runs[-2]
                    cut = replace(cut, runs=(*cut.runs[:-2], *((replace(last, text=last.text[:-1]),)
                                                            if len(last.text) > 1 else ()), Run(ELLIPSIS)))
                out.append(cut)
            break
        if len(out) == len(paras) and out[-1] is paras[-1]:
            return paras
        whole = "\n".join(para_line(p) for p in paras)
        return [replace(out[0], said=whole)] + [replace(p, said="") for p in out[1:]] if out else paras[:1]

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
