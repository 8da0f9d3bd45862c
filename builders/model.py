"""The brief as builders see it: small, frozen, validated once.

Builders receive a :class:`Brief` and never read YAML.  Every text field that
may hold several paragraphs is a :class:`Text`: a tuple of blocks, each a
:class:`Paragraph` or a :class:`ListBlock`, parsed from the brief's plain-text
convention (blocks separated by blank lines; a block whose every line starts
with ``- `` is a bullet list, with ``1. `` a numbered list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
import datetime as _dt
from pathlib import Path
from typing import Optional, Union

# ---------------------------------------------------------------- rich text


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of running text."""

    text: str


@dataclass(frozen=True)
class ListBlock:
    """A list; ``ordered`` lists are numbered by the theme's list convention."""

    ordered: bool
    items: tuple[str, ...]


Block = Union[Paragraph, ListBlock]


@dataclass(frozen=True)
class Text:
    """Paragraphs and lists, in order."""

    blocks: tuple[Block, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Every paragraph and list item as a flat tuple of strings, in order."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend(b.items)
        return tuple(out)

    @property
    def plain(self) -> str:
        """All text joined by newlines (for notes, search, parity checks)."""
        return "\n".join(self.paragraphs)

    def __bool__(self) -> bool:
        return bool(self.blocks)


_BULLET = re.compile(r"^[-*•]\s+")
_NUMBER = re.compile(r"^\d{1,3}[.)]\s+")


def _wide(ch: str) -> bool:
    """A CJK ideograph, punctuation or full-width form (no space between two of them).

    Comparisons, not a regex: the character class would cost 3 ms to compile on every start."""
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\U00020000" <= ch <= "\U0003ffff"


def _join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between two CJK characters, else one."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (_wide(out[-1]) and _wide(line[0])):
            out += " "
        out += line
    return out


def parse_text(value: str) -> Text:
    """Parse the brief's plain-text convention into a :class:`Text`."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", value.strip("\n")):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        stripped = [ln.strip() for ln in lines]
        if all(_BULLET.match(ln) for ln in stripped):
            blocks.append(ListBlock(False, tuple(_BULLET.sub("", ln, 1).strip() for ln in stripped)))
        elif all(_NUMBER.match(ln) for ln in stripped):
            blocks.append(ListBlock(True, tuple(_NUMBER.sub("", ln, 1).strip() for ln in stripped)))
        else:
            blocks.append(Paragraph(_join_lines(lines)))
    return Text(tuple(blocks))


# ---------------------------------------------------------------- the brief


@dataclass(frozen=True)
class Author:
    name: str
    role: Optional[str] = None


@dataclass(frozen=True)
class Datum:
    """One number of a figure. ``label`` falls back to the year."""

    value: float
    label: Optional[str] = None
    year: Optional[int] = None
    unit: Optional[str] = None
    approx: Optional[str] = None  # "more_than" | "about" | "less_than"

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return str(self.year)


@dataclass(frozen=True)
class Figure:
    """Numbers worth a table and, when ``chart`` is set, a chart; or a picture (``image`` with ``alt``)."""

    id: str
    title: str
    data: tuple[Datum, ...] = ()
    unit: Optional[str] = None
    chart: Optional[str] = None  # "column" | "bar" | "line" | "pie"
    source: Optional[str] = None
    note: Optional[str] = None
    image: Optional[Path] = None  # a checked PNG or JPEG inside the project or the brief's folder
    alt: Optional[str] = None  # the picture's description for screen readers

    def unit_of(self, datum: Datum) -> Optional[str]:
        return datum.unit or self.unit


@dataclass(frozen=True)
class Section:
    """An untitled-in-the-model section (status, challenges); its heading lives in :class:`Headings`."""

    body: Text
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    body: Text
    region: Optional[str] = None
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    body: Text
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    title: str
    body: Text
    actions: tuple[str, ...]
    closing: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Headings:
    """Section headings as the author wrote them; ``None`` means "use the language's default label"."""

    summary: Optional[str] = None
    status: Optional[str] = None
    challenges: Optional[str] = None
    analysis: Optional[str] = None
    cases: Optional[str] = None
    lessons: Optional[str] = None
    recommendations: Optional[str] = None


@dataclass(frozen=True)
class Brief:
    """A policy brief, validated. ``source`` is the file it came from (for messages only)."""

    title: str
    authors: tuple[Author, ...]
    summary: Text
    cases: tuple[Case, ...]
    recommendations: tuple[Recommendation, ...]
    language: str = "zh-CN"
    subtitle: Optional[str] = None
    short_title: Optional[str] = None
    date: Optional[_dt.date] = None
    keywords: tuple[str, ...] = ()
    headings: Headings = field(default_factory=Headings)
    status: Optional[Section] = None
    challenges: Optional[Section] = None
    lessons: tuple[Lesson, ...] = ()
    figures: tuple[Figure, ...] = ()
    source: Optional[Path] = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """The output file stem: the brief file's stem, or ``brief``."""
        return self.source.stem if self.source else "brief"

    @property
    def running_title(self) -> str:
        return self.short_title or self.title

    @property
    def is_cjk(self) -> bool:
        """True for Chinese, Japanese and Korean briefs (East Asian typesetting rules apply)."""
        return self.language.split("-")[0].lower() in {"zh", "ja", "ko"}

    @property
    def charted_figures(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.chart)
