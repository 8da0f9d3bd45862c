"""The typed document every builder walks: blocks that hold inline nodes, after Pandoc's AST.

The brief is validated once (:mod:`builders.loader`) and lowered once
(:mod:`builders.lower`) into a :class:`Document`.  Everything a reader sees that
the author did not type (section numbers, list markers such as 一是 or 1.,
labels such as 摘要 or Figure 2, dates, note numbers, formatted values) is
decided during the lowering, so the three outputs cannot drift apart.

The node sets are closed: :data:`Inline` and :data:`Block` are unions, and each
builder handles every member with ``match`` closed by ``typing.assert_never``,
so a node a builder forgot fails a test instead of vanishing from an output.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Literal, Optional, Union

from .i18n import Labels
from .model import Figure

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Str:
    """Plain text (soft line breaks already resolved: a space, or nothing between CJK characters)."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink.  ``target`` is an http(s)/mailto URL, or ``#anchor`` for a place in the document."""

    target: str
    children: tuple["Inline", ...]

    @property
    def internal(self) -> bool:
        return self.target.startswith("#")


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A footnote reference; ``number`` is decided by the lowering (order of first reference)."""

    note_id: str
    number: int = 0


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True, slots=True)
class Sup:
    """Superscript text: a numeric citation mark such as ``[1]`` in GB/T 7714."""

    children: tuple["Inline", ...]


Inline = Union[Str, Emph, Strong, Code, Link, NoteRef, LineBreak, Sup]


class Pending:
    """A node of parsed text that the lowering has yet to resolve (a citation or a cross-reference).

    It never reaches a builder; until the lowering replaces it, ``text`` (what the author typed)
    stands in for it in plain-text views."""

    text: str = ""
Inlines = tuple[Inline, ...]

# ---------------------------------------------------------------- blocks

ParaRole = Literal["body", "region", "label", "keywords", "caption", "note", "reference"]


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph.  ``role`` names its function so the theme can style it: running text
    (``body``), a case's region line, a label such as 主要举措, the keywords line, a caption."""

    inlines: Inlines
    role: ParaRole = "body"
    anchor: str = ""  # a target for internal links (a bibliography entry: ``ref-KEY``)


@dataclass(frozen=True, slots=True)
class Heading:
    """A sub-heading written inside a body (``### …``); ``level`` is absolute (its section's + 1)."""

    level: int
    inlines: Inlines


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple["Block", ...], ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list; ``markers`` are decided by the lowering (一是, （一）, 1.), one per item.

    ``label_inline``: the marker is part of the paragraph's text (Chinese official style 一是…),
    set bold; otherwise it hangs in the margin like a list number."""

    items: tuple[tuple["Block", ...], ...]
    markers: tuple[str, ...]
    label_inline: bool = False


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple["Block", ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text.  ``align`` holds ``left``/``center``/``right`` or ``None`` per column.

    ``number`` and ``caption`` are set for a numbered table (``表1 …``); a table written in a
    body has neither."""

    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    align: tuple[Optional[str], ...] = ()
    caption: Optional[Inlines] = None
    anchor: str = ""


BoxRole = Literal["box", "points"]


@dataclass(frozen=True, slots=True)
class Box:
    """A framed call-out: a free section with ``style: box``, or a section's key points."""

    blocks: tuple["Block", ...]
    title: Optional[Inlines] = None
    role: BoxRole = "box"


@dataclass(frozen=True, slots=True)
class FigureBlock:
    """One figure of numbers (a chart and/or a table) or a picture, numbered and formatted.

    ``figure`` is the validated model figure (builders read the values from it for charts);
    everything a reader sees as text is here already formatted: ``chart_caption`` (图1 …),
    ``table_caption`` (表1 …), the table ``header`` and ``rows``, and ``notes`` (source, note)."""

    figure: Figure
    anchor: str
    chart_no: Optional[int]
    table_no: Optional[int]
    chart_caption: Optional[Inlines]
    table_caption: Optional[Inlines]
    header: tuple[str, ...]  # item column, then one column per series
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[Para, ...]
    alt: str
    number_format: str = "General"  # the chart's number format (Office code), matching the table's numbers


Block = Union[Para, Heading, BulletList, OrderedList, Quote, Table, Box, FigureBlock]
Blocks = tuple[Block, ...]

# ---------------------------------------------------------------- sections

Role = Literal["summary", "status", "challenges", "free", "figures", "analysis", "cases", "case", "lessons",
               "lesson", "recommendations", "recommendation", "references"]


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A case's key number, chosen once (:mod:`builders.key_figure`) for every writer that shows one large.

    ``value`` is the number as the text writes it ("50%", "9+2", "3个版本"); ``label`` the sentence it
    stands in, short (a caption for the number); ``approx`` the word before it that makes it a bound
    or an estimate ("超过", "more than"), empty when the text gives it as exact."""

    value: str
    label: str = ""
    approx: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and what belongs to it.

    ``blocks`` is the section's own content in reading order, complete: what the report and
    the PDF print under the heading.  The deck summarises instead, from the parts ``blocks``
    was made of: ``region``, ``points`` (short lines), ``body``, ``actions`` and ``closing``.
    ``children`` are the sections one level down (cases under 案例, …).
    """

    role: Role
    level: int
    number: str
    title: Inlines
    label: str  # number and title as plain text, as the heading shows them
    anchor: str
    blocks: Blocks = ()
    children: tuple["Section", ...] = ()
    body: Blocks = ()
    region: Optional[Inlines] = None
    points: tuple[Inlines, ...] = ()
    actions: Optional[OrderedList] = None
    closing: Blocks = ()
    style: Literal["plain", "box"] = "plain"
    where: str = ""  # the brief's path to the item, for warnings (``cases[boston]``)
    key_figure: Optional[KeyFigure] = None  # a case's number to show large (decided in the lowering)

    @property
    def bookmark(self) -> str:
        """A Word/PDF-safe bookmark name (letters, digits, underscores; at most 40 characters)."""
        import re

        name = re.sub(r"[^A-Za-z0-9_]", "_", self.anchor)
        return ("_" + name if not name[:1].isalpha() else name)[:40]


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote: its number (order of first reference), id and text."""

    number: int
    note_id: str
    blocks: Blocks


@dataclass(frozen=True, slots=True)
class Author:
    name: Inlines
    role: Optional[Inlines] = None


@dataclass(frozen=True)
class Document:
    """The brief, lowered: what every builder and ``verify`` read."""

    language: str
    labels: Labels
    title: Inlines
    authors: tuple[Author, ...]
    sections: tuple[Section, ...]
    subtitle: Optional[Inlines] = None
    running_title: str = ""
    date: Optional[str] = None  # in the language's form: 2025年3月1日 / 1 March 2025
    date_value: Optional[_dt.date] = None  # for document properties
    keywords: tuple[str, ...] = ()
    keywords_line: Optional[Para] = None  # 关键词：a；b / Keywords: a; b
    notes: tuple[Note, ...] = ()
    figures: tuple[FigureBlock, ...] = ()  # every figure, in number order
    name: str = "brief"
    source: Optional[Path] = field(default=None, compare=False)
    numbering: str = "none"  # the theme's section numbering for this language

    @property
    def is_cjk(self) -> bool:
        return self.language.split("-")[0].lower() in {"zh", "ja", "ko"}

    @property
    def title_text(self) -> str:
        return plain(self.title)

    def walk(self) -> Iterator[Section]:
        """Every section in reading order (depth first)."""
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))

    def note(self, number: int) -> Note:
        return self.notes[number - 1]


# ---------------------------------------------------------------- plain text


def plain(inlines: Inlines) -> str:
    """The visible text of ``inlines``, as a reader would copy it (note numbers as digits)."""
    return "".join(_plain_inline(i) for i in inlines)


def heading_text(inlines: Inlines) -> str:
    """``inlines`` as a heading's plain text for contents, bookmarks and running heads: without note marks."""
    return plain(tuple(_without_notes(inlines)))


def without_notes(inlines: Inlines) -> Inlines:
    """``inlines`` without their note marks (a note's number is no part of the text it marks)."""
    return tuple(_without_notes(inlines))


def _without_notes(inlines: Inlines) -> Iterator[Inline]:
    for node in inlines:
        if isinstance(node, NoteRef):
            continue
        if isinstance(node, (Emph, Strong, Link, Sup)):
            yield type(node)(*(getattr(node, f) for f in node.__dataclass_fields__ if f != "children"),
                             tuple(_without_notes(node.children)))  # type: ignore[call-arg]
        else:
            yield node


def _plain_inline(node: Inline) -> str:
    from typing import assert_never

    match node:
        case Str(text) | Code(text):
            return text
        case Emph(children) | Strong(children) | Link(_, children) | Sup(children):
            return plain(children)
        case NoteRef(_, number):
            return str(number)
        case LineBreak():
            return "\n"
        case Pending():
            return node.text
        case _:
            assert_never(node)


def block_text(block: Block) -> list[str]:
    """The visible text of ``block`` as lines (one per paragraph, item, cell row), for notes and checks."""
    from typing import assert_never

    match block:
        case Para(inlines) | Heading(_, inlines):
            return [plain(inlines)]
        case BulletList(items):
            return [line for item in items for b in item for line in block_text(b)]
        case OrderedList(items, markers, label_inline):
            out = []
            for marker, item in zip(markers, items):
                lines = [line for b in item for line in block_text(b)]
                if lines:
                    sep = "" if label_inline else " "
                    lines[0] = f"{marker}{sep}{lines[0]}"
                out.extend(lines)
            return out
        case Quote(blocks) | Box(blocks):
            head = [plain(block.title)] if isinstance(block, Box) and block.title else []
            return head + [line for b in blocks for line in block_text(b)]
        case Table(header, rows, _, caption):
            out = [plain(caption)] if caption else []
            out += ["\t".join(plain(c) for c in row) for row in (header, *rows)]
            return out
        case FigureBlock():
            out = [plain(c) for c in (block.chart_caption, block.table_caption) if c]
            out += ["\t".join(row) for row in block.rows]
            out += [plain(n.inlines) for n in block.notes]
            return out
        case _:
            assert_never(block)


def blocks_text(blocks: Blocks) -> str:
    return "\n".join(line for b in blocks for line in block_text(b))


def inline_children(node: Inline) -> Inlines:
    """The children of a container inline (empty for a leaf)."""
    if isinstance(node, (Emph, Strong, Link, Sup)):
        return node.children
    return ()


def iter_inlines(inlines: Inlines) -> Iterator[Inline]:
    """Every inline node, depth first."""
    for node in inlines:
        yield node
        yield from iter_inlines(inline_children(node))


def block_inlines(block: Block) -> Iterator[Inlines]:
    """Every inline sequence a block holds, in reading order."""
    match block:
        case Para(inlines) | Heading(_, inlines):
            yield inlines
        case BulletList(items) | OrderedList(items):
            for item in items:
                for b in item:
                    yield from block_inlines(b)
        case Quote(blocks):
            for b in blocks:
                yield from block_inlines(b)
        case Box(blocks, title):
            if title:
                yield title
            for b in blocks:
                yield from block_inlines(b)
        case Table(header, rows, _, caption):
            if caption:
                yield caption
            for row in (header, *rows):
                yield from row
        case FigureBlock():
            for c in (block.chart_caption, block.table_caption):
                if c:
                    yield c
            for n in block.notes:
                yield n.inlines
        case _:
            from typing import assert_never

            assert_never(block)
