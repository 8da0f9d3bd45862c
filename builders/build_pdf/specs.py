"""The story plan's data: what the PDF will set, in order, before any font exists.

Specs hold runs (:class:`.inline.Run`: text in one face, with where it comes
from) so :mod:`.coverage` can see every string before fonts are subset; the
renderer (:mod:`.render`, :mod:`.blocks`) handles every spec type with
``match`` closed by ``assert_never``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator, Optional, Union

from .. import document as d
from .inline import Rich, Run

@dataclass(frozen=True)
class Para:
    style: str
    runs: Rich
    anchor: str = ""  # a destination for internal links (a bibliography entry)


@dataclass(frozen=True)
class Item:
    marker: Optional[Rich]  # None: set inline, as the start of the first paragraph (一是…)
    specs: tuple["Spec", ...]


@dataclass(frozen=True)
class ListSpec:
    """A list: markers hang in the margin (``inline`` False) or lead the paragraph (Chinese 一是)."""

    items: tuple[Item, ...]
    inline: bool = False


@dataclass(frozen=True)
class Head:
    """A section heading: a bookmark, a contents entry and a destination."""

    section: d.Section
    style: str
    runs: Rich
    label: str  # as the bookmark and the contents show it


@dataclass(frozen=True)
class SubHead:
    """A heading written inside a body (``###``)."""

    level: int
    style: str
    runs: Rich


@dataclass(frozen=True)
class BoxSpec:
    role: str  # "box" (a free section with style: box) or "points"
    title: Optional[Rich]
    specs: tuple["Spec", ...]


@dataclass(frozen=True)
class QuoteSpec:
    specs: tuple["Spec", ...]


@dataclass(frozen=True)
class TableSpec:
    header: tuple[Rich, ...]
    rows: tuple[tuple[Rich, ...], ...]
    align: tuple[Optional[str], ...]
    caption: Optional[Rich]
    anchor: str


@dataclass(frozen=True)
class Fig:
    block: d.FigureBlock
    caption: Optional[Rich]  # "图1 title" under the chart or picture
    table_caption: Optional[Rich]  # None: a picture figure has no table
    header: tuple[Rich, ...]  # the item column, then one per series
    rows: tuple[tuple[Rich, ...], ...]
    notes: tuple[Para, ...]


@dataclass(frozen=True)
class Contents:
    """The table of contents page (title run; entries come from the headings)."""

    title: Run


@dataclass(frozen=True)
class NoteSpec:
    number: int
    specs: tuple["Spec", ...]


@dataclass(frozen=True)
class EndNotes:
    """The notes as a section at the end, for a theme that asks for endnotes."""

    title: Run
    notes: tuple[NoteSpec, ...]


Spec = Union[Para, ListSpec, Head, SubHead, BoxSpec, QuoteSpec, TableSpec, Fig, Contents, EndNotes]


def runs_of(obj) -> Iterator[Run]:
    """Every run a spec (or a tuple of them) will set, for the coverage pass."""
    if isinstance(obj, Run):
        yield obj
    elif isinstance(obj, tuple):
        for x in obj:
            yield from runs_of(x)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, (d.Section, d.FigureBlock)):
        for f in dataclasses.fields(obj):
            yield from runs_of(getattr(obj, f.name))


