"""The document's blocks as slide content: paragraphs of runs, and tables.

Every block type is handled here (``match`` closed by ``assert_never``): lists keep
their depth (levels 0..2) and their markers as the lowering decided them, quotes
are indented (italic in Latin text), sub-headings become bold lead lines, tables
stay tables (:class:`TablePlan`, rendered as native PowerPoint tables).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional, Union, assert_never

from .. import document as d
from .runs import Para, Run, Runs, lines_of, runs_of, slice_runs, strip_runs

MAX_LEVEL = 2
_DECIMAL = re.compile(r"^\d+\.$")


@dataclass(frozen=True, slots=True)
class TablePlan:
    """A table (or the part of one that fits a slide): header cells, rows of cells, column alignment.
    ``cont``: rows carried over from the previous slide (the header row is repeated)."""

    header: tuple[Runs, ...]
    rows: tuple[tuple[Runs, ...], ...]
    align: tuple[Optional[str], ...] = ()
    cont: bool = False
    widths: tuple[float, ...] = ()  # column shares, decided once so a continued table keeps its columns
    anchor: str = ""  # what an internal link to the table (#tbl-…) jumps to

    @property
    def text(self) -> str:
        return "".join(r.text for row in (self.header, *self.rows) for cell in row for r in cell)


Item = Union[Para, TablePlan]


def table_plan(table: d.Table) -> TablePlan:
    """A document table as slide content (cells as runs, the anchor kept for jumps)."""
    return TablePlan(tuple(runs_of(c) for c in table.header), tuple(tuple(runs_of(c) for c in row)
                                                                    for row in table.rows), table.align,
                     anchor=table.anchor)


def _paras(inlines: d.Inlines, kind: str, level: int = 0, marker: str = "", inline_marker: bool = False,
           bold: bool = False, italic: bool = False) -> list[Para]:
    """One paragraph per line of ``inlines`` (a hard line break carries on with the same indent)."""
    out = []
    for i, line in enumerate(lines_of(inlines, bold, italic)):
        runs = strip_runs(tuple(line))
        if i and not runs:
            continue
        out.append(Para(runs, kind, level, marker, cont=bool(i), inline_marker=inline_marker))
    return out


def convert(blocks: d.Blocks, kind: str = "plain", level: int = 0, italic: bool = False) -> list[Item]:
    """Slide items for ``blocks``: a paragraph is of ``kind`` (plain running text, lead, bullet …)."""
    out: list[Item] = []
    for block in blocks:
        match block:
            case d.Para(inlines, role):
                k = {"region": "lead", "label": "subhead"}.get(role, kind)
                out += _paras(inlines, k, level, bold=k == "subhead", italic=italic)
            case d.Heading(_, inlines):
                out += _paras(inlines, "subhead", level, bold=True)
            case d.BulletList(items):
                for item in items:
                    out += _item(item, "bullet", min(level + (kind in ("bullet", "number")), MAX_LEVEL), "",
                                 False, italic)
            case d.OrderedList(items, markers, label_inline):
                depth = min(level + (kind in ("bullet", "number")), MAX_LEVEL)
                for marker, item in zip(markers, items):
                    inline = label_inline or not _DECIMAL.match(marker)
                    out += _item(item, "number", depth, marker, inline, italic)
            case d.Quote(inner):
                out += convert(inner, "quote", level, italic=True)
            case d.Table(_, _, _, caption):
                if caption:  # a numbered table's caption (表1 …) heads it
                    out += _paras(caption, "subhead", level, bold=True)
                out.append(table_plan(block))
            case d.Box(inner, title, role):
                if title:
                    out += _paras(title, "subhead", level, bold=True)
                out += convert(inner, "bullet" if role == "points" else kind, level, italic)
            case d.FigureBlock():
                out += figure_items(block)
            case _:
                assert_never(block)
    return out


def _item(item: d.Blocks, kind: str, level: int, marker: str, inline: bool, italic: bool) -> list[Item]:
    """A list item: its first paragraph carries the bullet or marker, the rest follow at its indent."""
    out: list[Item] = []
    for block in item:
        if isinstance(block, d.Para) and not out:
            out += _paras(block.inlines, kind, level, marker, inline, italic=italic)
        elif isinstance(block, d.Para):
            out += [replace(p, cont=True) for p in _paras(block.inlines, kind, level, marker, inline, italic=italic)]
        else:
            out += convert((block,), kind, level, italic)
    if not out:  # an empty item still shows its bullet or number
        out.append(Para((), kind, level, marker, inline_marker=inline))
    return out


def values_table(block: d.FigureBlock) -> TablePlan:
    """A figure's formatted values as a table: the item column, then a right-aligned column per series."""
    n = len(block.header)
    return TablePlan(tuple((Run(h),) for h in block.header),
                     tuple(tuple((Run(c),) if c else () for c in row) for row in block.rows),
                     (None,) + ("right",) * (n - 1), anchor=block.anchor)


def figure_items(block: d.FigureBlock) -> list[Item]:
    """A figure inside other text (a list item, a quote): its caption, its values as a table (a picture:
    its description), its source and note.  Charts and pictures placed between paragraphs get slides of
    their own instead (:mod:`.plan`)."""
    out: list[Item] = []
    caption = block.table_caption or block.chart_caption
    if caption:
        out += _paras(caption, "subhead", bold=True)
    if block.rows:
        out.append(values_table(block))
    elif block.alt:
        out.append(Para((Run(block.alt),), "plain"))
    for note in block.notes:
        out += _paras(note.inlines, "plain")
    return out


# ------------------------------------------------------------ bodies shown as bullet lines

_SENTENCE = re.compile(r"(?<=[。！？；!?])|(?<=[.;])\s+(?=[A-Z0-9“\"(（])")


def sentences(text: str) -> list[str]:
    """Split running text into sentences (Chinese full stops, or ". " before a capital)."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def sentence_runs(runs: Runs) -> list[Runs]:
    """``runs`` cut into sentences, as :func:`sentences` cuts their text (styles kept)."""
    text = "".join(r.text for r in runs)
    out, start = [], 0
    for m in _SENTENCE.finditer(text):
        if m.start() == m.end() and m.start() in (0, len(text)):
            continue
        out.append(strip_runs(slice_runs(runs, start, m.start())))
        start = m.end()
    out.append(strip_runs(slice_runs(runs, start, len(text))))
    return [r for r in out if r]


def body_lines(body: d.Blocks) -> list[Item]:
    """Bullet lines derived from a body when an item has no points: every sentence kept, in order."""
    out: list[Item] = []
    for block in body:
        if isinstance(block, d.Para) and block.role == "body":
            for line in _paras(block.inlines, "bullet"):
                if line.cont:
                    out.append(line)
                    continue
                # The notes say the paragraph whole, once, though the slides show it sentence by sentence.
                whole = line.text
                out += [Para(s, "bullet", said=whole if i == 0 else "")
                        for i, s in enumerate(sentence_runs(line.runs))]
        else:
            out += convert((block,), "plain")
    return out


def note_paras(note: d.Note, kind: str) -> list[Para]:
    """A footnote's text as paragraphs of ``kind``, its number first (superscript); a table in a note
    becomes one line of text (a foot has no room for a table)."""
    paras = [p if isinstance(p, Para) else _flat(p, kind) for p in convert(note.blocks, kind)] or [Para((), kind)]
    first = paras[0]
    paras[0] = replace(first, runs=(Run(str(note.number), note=note.number), Run(" "), *first.runs))
    return paras


def _flat(table: TablePlan, kind: str) -> Para:
    runs: list[Run] = []
    for row in (table.header, *table.rows):
        for cell in row:
            if runs:
                runs.append(Run("; "))
            runs.extend(cell)
    return Para(tuple(runs), kind)
