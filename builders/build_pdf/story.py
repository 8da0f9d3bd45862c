"""The story plan: the whole brief, in order, as plain data before any font exists.

Planning first lets :mod:`.coverage` see every string (with its face and where
it comes from) before fonts are subset; :mod:`.render` then turns the plan
into platypus flowables.  Structure, numbering and anchors come from
:func:`builders.outline.outline` so the PDF agrees with the report and deck.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional, Union

from ..i18n import format_value, labels, list_number
from ..model import Brief, Figure, ListBlock, Paragraph, Text
from ..outline import Node, outline
from ..theme import Theme


@dataclass(frozen=True)
class Run:
    """Text in one face; ``where`` names its origin in the brief for warnings."""

    face: str
    text: str
    where: str


@dataclass(frozen=True)
class Para:
    style: str
    runs: tuple[Run, ...]
    bullet: Optional[Run] = None


@dataclass(frozen=True)
class Head:
    node: Node
    style: str

    @property
    def run(self) -> Run:
        return Run("heading", self.node.label, self.node.anchor)


@dataclass(frozen=True)
class Box:
    """Highlighted points of a section, case or lesson."""

    paras: tuple[Para, ...]


@dataclass(frozen=True)
class Fig:
    figure: Figure
    table_no: int
    chart_no: Optional[int]  # None: the figure has no chart
    caption: Optional[Run]  # "图1 title" under the chart or picture
    table_caption: Optional[Run]  # None: a picture figure has no table
    header: tuple[Run, Run]
    rows: tuple[tuple[Run, Run], ...]
    notes: tuple[Para, ...]


@dataclass(frozen=True)
class Contents:
    """The table of contents page (title run; entries come from the headings)."""

    title: Run


Spec = Union[Para, Head, Box, Fig, Contents]


def runs_of(spec: Spec) -> Iterator[Run]:
    """Every run a spec will set, for the coverage pass."""
    if isinstance(spec, Para):
        if spec.bullet:
            yield spec.bullet
        yield from spec.runs
    elif isinstance(spec, Head):
        yield spec.run
    elif isinstance(spec, Box):
        for p in spec.paras:
            yield from runs_of(p)
    elif isinstance(spec, Fig):
        for r in (spec.caption, spec.table_caption, *spec.header, *(c for row in spec.rows for c in row)):
            if r:
                yield r
        for p in spec.notes:
            yield from runs_of(p)
    elif isinstance(spec, Contents):
        yield spec.title


def cover(brief: Brief) -> list[Para]:
    """Title, subtitle, authors, date and keywords."""
    out = [Para("title", (Run("heading", brief.title, "title"),))]
    if brief.subtitle:
        out.append(Para("subtitle", (Run("heading-regular", brief.subtitle, "subtitle"),)))
    for i, a in enumerate(brief.authors):
        out.append(Para("author", (Run("heading", a.name, f"authors[{i}].name"),)))
        if a.role:
            out.append(Para("role", (Run("caption", a.role, f"authors[{i}].role"),)))
    if brief.date:
        d = brief.date
        text = f"{d.year}年{d.month}月{d.day}日" if brief.is_cjk else d.strftime("%-d %B %Y")
        out.append(Para("meta", (Run("caption", text, "date"),)))
    if brief.keywords:
        sep = "、" if brief.is_cjk else ", "
        out.append(Para("meta", tuple(
            Run("caption", (sep if i else "") + k, f"keywords[{i}]") for i, k in enumerate(brief.keywords))))
    return out


def plan(brief: Brief, theme: Theme) -> tuple[list[Para], list[Spec], tuple[Node, ...]]:
    """(cover, body specs, outline nodes) of the brief for the PDF."""
    lab = labels(brief.language)
    nodes = outline(brief, theme, "pdf")
    style = theme.numbering_for(brief.language)
    body: list[Spec] = [Contents(Run("heading", lab.contents, "contents"))]
    numbers = {"table": 0, "chart": 0}

    def text(t: Text, where: str) -> list[Para]:
        out: list[Para] = []
        for b, block in enumerate(t.blocks):
            if isinstance(block, Paragraph):
                out.append(Para("body", (Run("body", block.text, where),)))
            else:
                out.extend(items(block, where))
        return out

    def items(block: ListBlock, where: str, key: str = "") -> list[Para]:
        out = []
        for n, item in enumerate(block.items, 1):
            w = f"{where}[{n - 1}]" if key else where
            if block.ordered:
                label = list_number(style, n, brief.language)
                if brief.is_cjk:  # Chinese official style: the label is part of the indented paragraph
                    out.append(Para("item", (Run("body-bold", label, w), Run("body", item, w))))
                else:
                    out.append(Para("bullet", (Run("body", item, w),), bullet=Run("body", label, w)))
            else:
                out.append(Para("bullet", (Run("body", item, w),), bullet=Run("body", "•", w)))
        return out

    def points(pts: tuple[str, ...], where: str) -> list[Spec]:
        if not pts:
            return []
        return [Box(tuple(Para("point", (Run("caption", p, f"{where}.points[{i}]"),), bullet=Run("caption", "■", where))
                          for i, p in enumerate(pts)))]

    for node in nodes:
        body.append(Head(node, f"h{min(node.level, 3)}"))
        item, k = node.item, node.kind
        if k == "summary":
            body.extend(text(item, "summary"))
        elif k in ("status", "challenges"):
            body.extend(text(item.body, f"{k}.body"))
            body.extend(points(item.points, k))
        elif k == "figures":
            for f in item:
                body.append(figure(brief, f, numbers, lab))
        elif k in ("case", "lesson"):
            where = f"{'cases' if k == 'case' else 'lessons'}[{item.id}]"
            if k == "case" and item.region:
                body.append(Para("region", (Run("caption", f"{lab.region}：" if brief.is_cjk else f"{lab.region}: ",
                                                 where), Run("caption", item.region, f"{where}.region"))))
            body.extend(points(item.points, where))
            body.extend(text(item.body, f"{where}.body"))
        elif k == "recommendation":
            where = f"recommendations[{item.id}]"
            body.extend(text(item.body, f"{where}.body"))
            body.append(Para("label", (Run("heading", lab.actions, where),)))
            body.extend(items(ListBlock(True, item.actions), f"{where}.actions", key="actions"))
            body.extend(text(item.closing, f"{where}.closing"))
    return cover(brief), body, nodes


def figure(brief: Brief, f: Figure, numbers: dict, lab) -> Fig:
    """The table (and chart) of one figure, numbered in order."""
    where = f"figures[{f.id}]"
    colon = "：" if brief.is_cjk else ": "
    notes = tuple(Para("caption", (Run("caption", label + colon, where), Run("caption", value, f"{where}.{key}")))
                  for key, label, value in (("source", lab.source, f.source), ("note", lab.note, f.note)) if value)
    if f.image is not None:  # a picture: a numbered figure with its caption, no table
        numbers["chart"] += 1
        caption = Run("caption-bold", lab.figure.format(n=numbers["chart"]) + " " + f.title, f"{where}.title")
        return Fig(f, 0, numbers["chart"], caption, None, (), (), notes)
    numbers["table"] += 1
    chart_no = None
    caption = None
    sep = " "
    if f.chart:
        numbers["chart"] += 1
        chart_no = numbers["chart"]
        caption = Run("caption-bold", lab.figure.format(n=chart_no) + sep + f.title, f"{where}.title")
    table_caption = Run("caption-bold", lab.table.format(n=numbers["table"]) + sep + f.title, f"{where}.title")
    header = (Run("caption-bold", lab.item, where), Run("caption-bold", lab.value, where))
    rows = tuple((Run("caption", d.name, f"{where}.data[{i}].label"),
                  Run("caption", format_value(d, f, brief.language), f"{where}.data[{i}]"))
                 for i, d in enumerate(f.data))
    return Fig(f, numbers["table"], chart_no, caption, table_caption, header, rows, notes)
