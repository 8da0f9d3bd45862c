"""The brief as validated: small, frozen, with every text field already parsed.

This is what the loader makes of the YAML, still shaped like the brief.  The
lowering (:mod:`builders.lower`) turns it into the :class:`~builders.document.Document`
that the builders walk.  Block fields (bodies, the summary, notes) are
:class:`Text`, inline fields (titles, points, actions) are :class:`Line`: both
are CommonMark parsed by :mod:`builders.markup`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as _dt
from pathlib import Path
from typing import Optional, Union

# ---------------------------------------------------------------- rich text


@dataclass(frozen=True)
class Text:
    """A block field (a body, the summary, a note): CommonMark parsed into document blocks.

    ``refs`` and ``defs`` are the footnote references and definitions it holds, with their file
    positions, for the brief-wide checks; they take no part in equality."""

    blocks: tuple = ()
    source: str = ""
    refs: tuple = field(default=(), compare=False)  # ((id, line, col), ...)
    defs: tuple = field(default=(), compare=False)  # ((id, blocks, line, col), ...)
    cites: tuple = field(default=(), compare=False)  # citation and cross-reference keys: ((key, line, col), ...)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Every paragraph, list item and table row as plain text, in order."""
        from .document import block_text

        return tuple(line for b in self.blocks for line in block_text(b))

    @property
    def plain(self) -> str:
        """All text joined by newlines (for notes, search, parity checks)."""
        return "\n".join(self.paragraphs)

    def __bool__(self) -> bool:
        return bool(self.blocks)


@dataclass(frozen=True)
class Line:
    """An inline field (a title, a point, an action, a cell): CommonMark inlines.

    ``str(line)`` is its visible text, so a Line can stand wherever plain text is needed."""

    inlines: tuple = ()
    source: str = ""
    refs: tuple = field(default=(), compare=False)
    cites: tuple = field(default=(), compare=False)

    @property
    def plain(self) -> str:
        from .document import plain

        return plain(self.inlines)

    def __str__(self) -> str:
        return self.plain

    def __bool__(self) -> bool:
        return bool(self.inlines)


def text_of(value: str) -> Text:
    """A :class:`Text` from Markdown source, without positions (for tests and generated briefs)."""
    from .markup import Where, parse_blocks

    parsed = parse_blocks(value, Where(1, 1))
    return Text(parsed.blocks, value, tuple(parsed.refs),
                tuple((k, v, *parsed.def_pos.get(k, (1, 1))) for k, v in parsed.defs.items()))


def line_of(value: str) -> Line:
    """A :class:`Line` from Markdown source, without positions (for tests and generated briefs)."""
    from .markup import Where, parse_inlines

    parsed = parse_inlines(value, Where(1, 1))
    return Line(parsed.inlines, value, tuple(parsed.refs))


# ---------------------------------------------------------------- the brief


@dataclass(frozen=True)
class Author:
    name: str
    role: Optional[Line] = None


@dataclass(frozen=True)
class Datum:
    """One number of a figure, or a range ``(low, high)``. ``label`` falls back to the year."""

    value: Union[float, tuple[float, float]]
    label: Optional[str] = None
    year: Optional[int] = None
    unit: Optional[str] = None
    approx: Optional[str] = None  # "more_than" | "about" | "less_than"

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return str(self.year)

    @property
    def is_range(self) -> bool:
        return isinstance(self.value, tuple)


@dataclass(frozen=True)
class Series:
    """One named series of a figure: a value (or ``None``, a gap) per category."""

    name: str
    values: tuple[Optional[float], ...]

    def __post_init__(self):  # a YAML null (the schema's GAP) is a gap in the series
        object.__setattr__(self, "values", tuple(v if isinstance(v, (int, float)) else None for v in self.values))


@dataclass(frozen=True)
class TextTable:
    """A table of words: a header row and rows of inline-markup cells."""

    header: tuple[Line, ...]
    rows: tuple[tuple[Line, ...], ...]


@dataclass(frozen=True)
class Figure:
    """Numbers worth a table and, when ``chart`` is set, a chart; or a picture (``image`` with ``alt``)."""

    id: str
    title: Line
    data: tuple[Datum, ...] = ()
    unit: Optional[str] = None
    chart: Optional[str] = None  # "column" | "bar" | "line" | "pie"
    source: Optional[Line] = None
    note: Optional[Line] = None
    image: Optional[Path] = None  # a checked PNG or JPEG inside the project or the brief's folder
    alt: Optional[str] = None  # the picture's description for screen readers
    categories: tuple[str, ...] = ()  # with ``series``: the x-axis labels
    series: tuple[Series, ...] = ()  # several series instead of ``data``
    table: Optional[TextTable] = None  # a table of words instead of numbers

    @property
    def all_series(self) -> tuple[Series, ...]:
        """The figure's numbers as series: ``series``, or ``data`` as one series named after the figure."""
        if self.series:
            return self.series
        return (Series(self.title.plain, tuple(d.value if not d.is_range else None for d in self.data)),)

    @property
    def all_categories(self) -> tuple[str, ...]:
        return self.categories if self.series else tuple(d.name for d in self.data)

    def unit_of(self, datum: Datum) -> Optional[str]:
        return datum.unit or self.unit


@dataclass(frozen=True)
class Section:
    """An untitled-in-the-model section (status, challenges); its heading lives in :class:`Headings`."""

    body: Text
    points: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Case:
    id: str
    title: Line
    body: Text
    region: Optional[Line] = None
    points: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Line
    body: Text
    points: tuple[Line, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    id: str
    title: Line
    body: Text
    actions: tuple[Line, ...]
    closing: Text = field(default_factory=Text)


@dataclass(frozen=True)
class FreeSection:
    """A section the author names and writes (Background, Research method, Key messages …)."""

    id: str
    title: Line
    body: Text
    style: str = "plain"  # "plain" | "box" (a framed call-out)


@dataclass(frozen=True)
class Headings:
    """Section headings as the author wrote them; ``None`` means "use the language's default label"."""

    summary: Optional[Line] = None
    status: Optional[Line] = None
    challenges: Optional[Line] = None
    analysis: Optional[Line] = None
    cases: Optional[Line] = None
    lessons: Optional[Line] = None
    recommendations: Optional[Line] = None


BUILT_IN_SECTIONS = ("summary", "status", "challenges", "figures", "cases", "lessons", "recommendations")


@dataclass(frozen=True)
class Brief:
    """A policy brief, validated. ``source`` is the file it came from (for messages only)."""

    title: Line
    authors: tuple[Author, ...]
    summary: Text
    cases: tuple[Case, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    language: str = "zh-CN"
    subtitle: Optional[Line] = None
    short_title: Optional[str] = None
    date: Optional[_dt.date] = None
    keywords: tuple[str, ...] = ()
    headings: Headings = field(default_factory=Headings)
    status: Optional[Section] = None
    challenges: Optional[Section] = None
    lessons: tuple[Lesson, ...] = ()
    figures: tuple[Figure, ...] = ()
    sections: tuple[FreeSection, ...] = ()
    notes: tuple[tuple[str, Text], ...] = ()  # the top-level ``notes:`` mapping, in file order
    order: tuple[str, ...] = ()  # reading order of the top-level sections; empty: the default order
    references: tuple = ()  # CSL items (plain data), from ``references:`` and the ``bibliography:`` file
    csl: Optional[Path] = None  # a CSL style file the brief names
    bibtex: Optional[Path] = None  # a BibTeX ``bibliography:`` file (its items are read when formatting)
    source: Optional[Path] = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """The output file stem: the brief file's stem, or ``brief``."""
        return self.source.stem if self.source else "brief"

    @property
    def running_title(self) -> str:
        return self.short_title or self.title.plain

    @property
    def is_cjk(self) -> bool:
        """True for Chinese, Japanese and Korean briefs (East Asian typesetting rules apply)."""
        return self.language.split("-")[0].lower() in {"zh", "ja", "ko"}

    @property
    def charted_figures(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.chart)
