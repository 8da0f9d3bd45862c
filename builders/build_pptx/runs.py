"""Styled runs: the document's inline nodes as the deck writes them, and slide paragraphs made of runs.

A :class:`Run` is a stretch of text in one style (bold, italic, code, a superscript
note number, a link).  Emphasis is italic in Latin text and bold in CJK text
(Chinese has no italic; a slanted hanzi reads as a mistake).  A hard line break
ends a paragraph: the rest continues as a marked carry-over with the same indent.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator, Optional, assert_never

from .. import document as d


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    note: int = 0  # a footnote number, set superscript
    link: str = ""  # an external address (http, https, mailto), or #anchor: a jump to that section's slide
    sup: bool = False  # superscript text (a citation mark such as [1])
    cjk_emph: bool = False  # emphasised CJK text

    @property
    def style(self) -> tuple:
        return (self.bold, self.italic, self.code, self.note, self.link, self.sup, self.cjk_emph)


Runs = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of a slide's text.

    ``kind``: ``bullet`` (•), ``number`` (``marker`` is its label: 1., a., 一是), ``plain`` (running
    text), ``lead`` (a case's region, a recommendation's lead: set apart in colour), ``agenda``,
    ``quote`` (indented), ``subhead`` (a bold lead line), ``foot`` (a footnote at the slide's foot).
    ``level`` is the list depth (0..2).  ``cont`` marks the rest of a paragraph carried over (from the
    previous slide, or past a line break): same indent, no marker.  ``inline_marker``: the marker is
    written as text at the paragraph's start (一是, set bold; or a.,（1） in the accent colour) rather
    than as an automatic number in the margin.
    """

    runs: Runs
    kind: str = "bullet"
    level: int = 0
    marker: str = ""
    cont: bool = False
    inline_marker: bool = False
    lead_in: str = ""  # said in the notes before this paragraph, not shown (a list's label: 主要举措)
    # What the notes say for this paragraph when not its own text: a paragraph split over slides is said
    # whole where it starts ("" on the slides it runs on to), so it reads as one in the notes.
    said: Optional[str] = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def marker_text(self) -> str:
        """The marker as written inline before the text ('' when none or in the margin)."""
        if not self.marker or self.cont or not self.inline_marker:
            return ""
        return self.marker if self.marker.endswith("是") else self.marker + " "


def is_cjk(ch: str) -> bool:
    """A CJK ideograph, kana, hangul or full-width form (text that has no italic)."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3FFFF


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds any CJK character."""
    return any(is_cjk(c) for c in text)


def lines_of(inlines: d.Inlines, bold: bool = False, italic: bool = False) -> list[list[Run]]:
    """The runs of ``inlines``, one list per line (hard line breaks start a new one); adjacent runs of one
    style merged.  ``bold``/``italic``: the style of the whole (a sub-heading, a quote)."""
    out: list[list[Run]] = [[]]
    for run in _runs(inlines, bold, italic, False, "", False):
        if run is None:
            out.append([])
            continue
        line = out[-1]
        if line and line[-1].style == run.style:
            line[-1] = replace(line[-1], text=line[-1].text + run.text)
        else:
            line.append(run)
    return out


def runs_of(inlines: d.Inlines, bold: bool = False, italic: bool = False) -> Runs:
    """The runs of ``inlines`` on one line (a hard break becomes a space: titles, table cells)."""
    lines = lines_of(inlines, bold, italic)
    out: list[Run] = []
    for i, line in enumerate(lines):
        if i and out:
            out.append(Run(" "))
        out.extend(line)
    return tuple(out)


def _runs(inlines: d.Inlines, bold: bool, italic: bool, emph: bool, link: str, sup: bool) -> Iterator[Run | None]:
    for node in inlines:
        match node:
            case d.Str(text):
                if text:
                    # Emphasis: italic for Latin; CJK has no italic (slanted hanzi look broken): the theme's
                    # cjk_emphasis decides (bold, or a Kai face; see richtext.py).
                    cjk = has_cjk(text)
                    yield Run(text, bold, (italic or emph) and not cjk, link=link, sup=sup, cjk_emph=emph and cjk)
            case d.Code(text):
                if text:
                    yield Run(text, bold, False, True, link=link, sup=sup)
            case d.Emph(children):
                yield from _runs(children, bold, italic, True, link, sup)
            case d.Strong(children):
                yield from _runs(children, True, italic, emph, link, sup)
            case d.Link(target, children):
                # An internal link (#anchor) becomes a jump to the slide of that anchor (see render.py).
                yield from _runs(children, bold, italic, emph, target, sup)
            case d.Sup(children):
                yield from _runs(children, bold, italic, emph, link, True)
            case d.NoteRef(_, number):
                yield Run(str(number), note=number)
            case d.LineBreak():
                yield None
            case _:
                assert_never(node)


def notes_in(runs: Runs) -> list[int]:
    """The footnote numbers ``runs`` reference, in order."""
    return [r.note for r in runs if r.note]


def split_runs(runs: Runs, at: int) -> tuple[Runs, Runs]:
    """``runs`` cut at character offset ``at`` of their joined text."""
    head: list[Run] = []
    tail: list[Run] = []
    pos = 0
    for r in runs:
        end = pos + len(r.text)
        if end <= at:
            head.append(r)
        elif pos >= at:
            tail.append(r)
        else:
            head.append(replace(r, text=r.text[: at - pos]))
            tail.append(replace(r, text=r.text[at - pos:]))
        pos = end
    return tuple(head), tuple(tail)


def strip_runs(runs: Runs) -> Runs:
    """``runs`` without leading and trailing white space (empty runs dropped)."""
    out = [r for r in runs if r.text]
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = replace(out[0], text=out[0].text.lstrip())
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(out)


def slice_runs(runs: Runs, start: int, end: int) -> Runs:
    """The runs of characters ``start`` to ``end`` of ``runs``' joined text."""
    return split_runs(split_runs(runs, end)[0], start)[1]


def without_notes(inlines: d.Inlines) -> str:
    """The visible text of ``inlines`` without note numbers (document properties, lists of headings)."""
    return "".join(r.text for r in runs_of(inlines) if not r.note)


def cut_runs(runs: Runs, lines: list[str], n: int, marker: str = "") -> tuple[Runs, Runs]:
    """``runs`` cut after their first ``n`` wrapped ``lines`` (which start with ``marker``, written inline)."""
    text = "".join(r.text for r in runs)
    measured = "".join(lines[:n])
    if marker and measured.startswith(marker):
        measured = measured[len(marker):]
    # Walk the original text, skipping the spaces wrap() dropped at line ends.
    i = j = 0
    while i < len(text) and j < len(measured):
        if text[i] == measured[j]:
            i += 1
            j += 1
        elif text[i].isspace():
            i += 1
        else:
            j += 1
    head, tail = split_runs(runs, i)
    return strip_runs(head), strip_runs(tail)
