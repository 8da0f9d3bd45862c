"""Footnotes at the foot of the page that cites them, in one layout pass.

ReportLab has no footnotes.  :class:`NoteFrame` raises its bottom by the
height of the notes a flowable cites *before* placing it, so the text stops
above them; when a flowable must be split, the split is made against that
raised bottom (and redone once if the first part cites fewer notes, to use
the room they leave).  At the end of the page the notes are drawn in the
reserved space under a short rule.  A note too long for the room left on its
page is split and continues at the foot of the next page; the document template
adds pages at the end until every note is set.  No note is lost.

A note reference is found in a paragraph by its link (``#brief-note-N``, see
:func:`.inline.note_target`), so it is found in split paragraphs, table
cells and boxes alike.
"""
from __future__ import annotations

from typing import Callable

from reportlab.platypus import Flowable, Frame, KeepTogether, Paragraph, Table

PREFIX = "#brief-note-"
CAP = 0.5  # notes take at most this share of a page; the rest continues overleaf
RULE = 1 / 3  # of the text width: the rule above the notes


def cited(flowable) -> tuple[int, ...]:
    """Note numbers cited in ``flowable`` (paragraphs, table cells, kept-together groups), in order."""
    found = getattr(flowable, "_brief_cited", None)
    if found is None:
        out: list[int] = []
        _collect(flowable, out)
        found = tuple(dict.fromkeys(out))
        try:
            flowable._brief_cited = found
        except AttributeError:
            pass
    return found


def _collect(f, out: list[int]) -> None:
    if isinstance(f, Paragraph):
        for frag in f.frags:
            _frag(frag, out)
    elif isinstance(f, Table):
        for row in f._cellvalues:
            for cell in row:
                _collect(cell, out)
    elif isinstance(f, (list, tuple)):
        for x in f:
            _collect(x, out)
    elif isinstance(f, KeepTogether) or hasattr(f, "_content"):
        _collect(getattr(f, "_content", ()), out)


def _frag(frag, out: list[int]) -> None:
    if isinstance(frag, (list, tuple)):  # a wrapped paragraph's words: [width, (frag, text), ...]
        for x in frag:
            if not isinstance(x, (str, float, int)):
                _frag(x, out)
        return
    for _, href in getattr(frag, "link", None) or ():
        if isinstance(href, str) and href.startswith(PREFIX):
            out.append(int(href[len(PREFIX):]))
    for word in getattr(frag, "words", None) or ():  # a paragraph split part keeps its words here
        if not isinstance(word, str):
            _frag(word, out)


class Destination(Flowable):
    """A named place an internal link can go to (a figure, a table); it takes no room."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.bookmarkHorizontal(self.name, 0, 10)


class NoteDest(Destination):
    """Where a note starts: the destination its reference links to."""

    def __init__(self, number: int):
        super().__init__(PREFIX[1:] + str(number))


class FootNotes:
    """The notes waiting for the foot of the current page, and those continued from the last one.

    ``make(n)`` gives the flowables of note ``n`` (a :class:`NoteDest` first); ``gap`` is the space
    above the rule and below it, ``rule(canvas, x, y, width)`` draws the rule."""

    def __init__(self, make: Callable[[int], list], width: float, gap: float, rule: Callable):
        self.make, self.width, self.gap, self.rule = make, width, gap, rule
        self.placed: set[int] = set()
        self.page: list = []  # flowables of the notes cited on this page
        self.carry: list = []  # continued from the previous page

    def new(self, flowable) -> tuple[int, ...]:
        """Notes ``flowable`` cites that no page has yet, with the notes those cite in turn."""
        out: list[int] = []
        todo = [n for n in cited(flowable) if n not in self.placed]
        while todo:
            n = todo.pop(0)
            if n in out:
                continue
            out.append(n)
            todo += [m for f in self.make(n) for m in cited(f) if m not in self.placed and m not in out]
        return tuple(out)

    def flows(self, numbers) -> list:
        return [f for n in numbers for f in self.make(n)]

    def height(self, flows: list) -> float:
        if not flows:
            return 0.0
        return 2 * self.gap + sum(self._h(f) + f.getSpaceAfter() for f in flows)

    def _h(self, f) -> float:
        h = getattr(f, "_brief_h", None)  # on the flowable: split parts are new objects
        if h is None:
            h = f._brief_h = f.wrap(self.width, 1e6)[1]
        return h

    def commit(self, numbers) -> None:
        self.placed.update(numbers)
        self.page += self.flows(numbers)

    def pending(self) -> list:
        return self.carry + self.page

    def end_page(self, canvas, x: float, bottom: float, top: float, empty: bool = False) -> None:
        """Draw this page's notes from ``bottom`` up, in at most ``top - bottom``; keep the rest for the next.

        ``empty``: the page has nothing else, so something must be set (a note too tall for any page, which
        cannot split, is set anyway rather than carried on for ever)."""
        flows, self.carry, self.page = self.pending(), [], []
        if not flows:
            return
        room = top - bottom - 2 * self.gap
        fit: list = []
        used = 0.0
        for i, f in enumerate(flows):
            h = self._h(f) + f.getSpaceAfter()
            if used + h <= room + 1e-6:
                fit.append(f)
                used += h
                continue
            parts = f.split(self.width, room - used) if room - used > 0 else []
            if len(parts) == 2:  # the first lines here, the rest at the foot of the next page
                fit.append(parts[0])
                used += self._h(parts[0]) + parts[0].getSpaceAfter()
                self.carry = [parts[1]] + flows[i + 1:]
            else:
                self.carry = flows[i:]
            break
        while fit and isinstance(fit[-1], NoteDest):  # a note's destination goes where its text starts
            self.carry.insert(0, fit.pop())
        if not fit and empty:
            k = next(i for i, f in enumerate(flows) if not isinstance(f, NoteDest))
            fit, self.carry = flows[:k + 1], flows[k + 1:]
            used = sum(self._h(f) + f.getSpaceAfter() for f in fit)
        elif not fit:
            self.carry = flows  # nothing but a destination would be set: all of it overleaf
            return
        y = bottom + used + 2 * self.gap
        self.rule(canvas, x, y - self.gap * 0.5, self.width * RULE)
        y -= 2 * self.gap
        for f in fit:
            h = f.wrap(self.width, 1e6)[1]
            y -= h
            f.drawOn(canvas, x, y)
            y -= f.getSpaceAfter()


class NoteFrame(Frame):
    """A frame whose bottom rises by the height of the notes cited in what it holds (see the module)."""

    notes: FootNotes | None = None

    def _base(self) -> float:
        return self._y1 + self._bottomPadding

    def _reserve(self, numbers=()) -> float:
        n = self.notes
        h = n.height(n.pending() + n.flows(numbers))
        return self._base() + min(h, self._height * CAP)

    def _reset(self):
        super()._reset()
        if self.notes is not None:
            self._y1p = self._reserve()

    def _add(self, flowable, canv, trySplit=0):
        n = self.notes
        new = n.new(flowable) if n is not None else ()
        if not new:
            return Frame._add(self, flowable, canv, trySplit)
        before = self._y1p
        self._y1p = self._reserve(new)
        ok = Frame._add(self, flowable, canv, trySplit)
        if not ok:
            self._y1p = before
            if self._atTop:  # nowhere better to go: set it here, its notes continue overleaf
                ok = Frame._add(self, flowable, canv, trySplit)
        if ok:
            n.commit(new)
        return ok

    add = _add

    def split(self, flowable, canv):
        n = self.notes
        new = n.new(flowable) if n is not None else ()
        if not new:
            return Frame.split(self, flowable, canv)
        before = self._y1p
        try:
            self._y1p = self._reserve(new)
            parts = Frame.split(self, flowable, canv)
            if parts:
                first = n.new(parts[0])
                if first != new:  # the first part cites fewer notes: it may take the room they would have
                    self._y1p = self._reserve(first)
                    again = Frame.split(self, flowable, canv)
                    if again and set(n.new(again[0])) <= set(first):
                        parts = again
            return parts
        finally:
            self._y1p = before
