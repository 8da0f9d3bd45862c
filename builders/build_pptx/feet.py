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

    def __init__(self, doc: d.Document, fitter: Fitter, width: float, on: bool = True, most: float = 1e9,
                 crowd: float = 1e9):
        """``on``: the theme sets notes as footnotes (as endnotes, the deck has a notes slide and no feet).
        ``most``: the height one note may take at a foot; a longer one is shortened there (see :meth:`_short`).
        ``crowd``: the height a whole foot may take; past it, its last notes are cut to a line each."""
        self.fitter, self.width, self.crowd = fitter, width, crowd
        self.size = fitter.theme.sizes.slide_min
        self.paras: dict[int, list[Para]] = {}
        self.cited: dict[int, list[int]] = {}  # a note that cites another note brings it along
        self.shortened: list[str] = []  # ids of the notes shortened at the foot
        self._ids: dict[int, str] = {}
        self._whole: dict[int, list[Para]] = {}
        self._one_line: dict[int, list[Para]] = {}
        self._height: dict[int, float] = {}  # by id() of a list held in paras, _whole or _one_line (all kept)
        self._chosen: dict[tuple, list[list[Para]]] = {}
        for note in doc.notes if on else ():
            paras = note_paras(note, "foot")
            short = self._short(paras, most)
            if short is not paras:
                self.shortened.append(note.note_id)
            self.paras[note.number] = short
            self._whole[note.number] = paras
            self._ids[note.number] = note.note_id
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
            keep = room - gap if out else max(1, room)  # a note keeps a line at least
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
        return [replace(out[0], said=whole)] + [replace(p, said="") for p in out[1:]]

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
        """The foot's paragraphs for the notes ``cited`` (a slide as fitted: notes cut for room are named)."""
        numbers = self.numbers(cited)
        chosen = self._choose(numbers)
        for n, paras in zip(numbers, chosen):
            cut = paras is not self.paras[n] and paras is not self._whole[n]
            if cut and self._ids[n] not in self.shortened:
                self.shortened.append(self._ids[n])
        return tuple(p for paras in chosen for p in paras)

    def height(self, cited) -> float:
        """Room the footnotes of ``cited`` take at the foot (0 without any)."""
        numbers = self.numbers(cited)
        return self._total(self._choose(numbers)) if numbers else 0.0

    def _choose(self, numbers: list[int]) -> list[list[Para]]:
        """Each note's paragraphs at this foot: whole (or as shortened once for all), unless the foot would
        pass ``crowd``: then the last notes, one after another, are cut to a line (the speaker notes keep them)."""
        key = tuple(numbers)
        got = self._chosen.get(key)
        if got is None:
            got = [self.paras[n] for n in numbers]
            for i in range(len(numbers) - 1, -1, -1):
                if self._total(got) <= self.crowd:
                    break
                got[i] = self._line(numbers[i])
            if len(self._chosen) > 10_000:
                self._chosen.clear()
            self._chosen[key] = got
        return got

    def _line(self, n: int) -> list[Para]:
        got = self._one_line.get(n)
        if got is None:
            first = self._whole[n][0]
            got = self._short(self._whole[n], FOOT_GAP + self.fitter.frame(self.size, first) + PITCH * self.size)
            self._one_line[n] = got
        return got

    def _total(self, chosen: list[list[Para]]) -> float:
        if not chosen:
            return 0.0
        total = 0.0
        for paras in chosen:
            got = self._height.get(id(paras))
            if got is None:  # lines and the space before each paragraph (the foot's first has none)
                got = self._height[id(paras)] = sum(self.fitter.para_height(p, self.width, self.size)
                                                    + self.fitter.space_before(p, self.size) for p in paras)
            total += got
        first = chosen[0][0]
        total -= self.fitter.space_before(first, self.size)
        return FOOT_GAP + self.fitter.frame(self.size, first) + total
