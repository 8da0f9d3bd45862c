"""The story plan: the lowered document, in order, as plain data before any font exists.

Planning first lets :mod:`.coverage` see every string (with its face and where
it comes from) before fonts are subset; :mod:`.render` then turns the plan
into platypus flowables.  Structure, numbers, markers, labels and dates come
from the :class:`~builders.document.Document`, so the PDF agrees with the
report and the deck; nothing here computes a word the reader sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, assert_never

from .. import document as d
from .inline import Inliner, Rich, Run, bold
from .specs import (BoxSpec, Contents, EndNotes, Fig, Head, Item, ListSpec, NoteSpec, Para, QuoteSpec, Spec, SubHead,
                    TableSpec)

# ---------------------------------------------------------------- the plan


@dataclass
class Plan:
    cover: list[Para]
    body: list[Spec]
    notes: dict[int, NoteSpec]  # by number; placed at the page foot (or in ``EndNotes``)
    headings: list[Head]


_PARA_STYLE = {"body": ("body", "body"), "region": ("region", "caption"), "label": ("label", "heading"),
               "keywords": ("meta", "caption"), "caption": ("caption", "caption"), "note": ("note", "caption"),
               "reference": ("reference", "body")}


class Planner:
    """Walks the document once into specs (see :func:`plan`)."""

    def __init__(self, doc: d.Document, inliner: Inliner, heading_face=lambda level: "heading"):
        self.doc, self.inl, self.heading_face = doc, inliner, heading_face

    def runs(self, inlines: d.Inlines, face: str, where: str) -> Rich:
        return self.inl.runs(inlines, face, where)

    def blocks(self, blocks: d.Blocks, where: str, face: Optional[str] = None, style: Optional[str] = None
               ) -> tuple[Spec, ...]:
        """Specs of ``blocks``; ``face``/``style`` override the paragraph roles' (inside a points box, a note)."""
        return tuple(s for b in blocks for s in self.block(b, where, face, style))

    def block(self, block: d.Block, where: str, face: Optional[str], style: Optional[str]) -> list[Spec]:
        match block:
            case d.Para(inlines, role, anchor):
                st, fc = _PARA_STYLE[role]
                return [Para(style or st, self.runs(inlines, face or fc, where), anchor)]
            case d.Heading(level, inlines):
                return [SubHead(level, f"h{min(level, 4)}", self.runs(inlines, self.heading_face(level), where))]
            case d.BulletList(items):
                mark = "■" if style == "point" and not self._depth else _bullet(self._depth)
                # Bullets from DejaVu (the monospace face): the CJK faces draw • as a small mid dot.
                mark_face = (face or "body") if mark == "■" else "mono"
                return [ListSpec(tuple(Item((Run(mark_face, mark, where),), self._item(i, where, face, style))
                                       for i in items))]
            case d.OrderedList(items, markers, inline):
                fc = face or "body"
                if inline:
                    return [ListSpec(tuple(Item(None, self._lead(i, Run(bold(fc), m, where), where, fc, style))
                                           for m, i in zip(markers, items)), inline=True)]
                return [ListSpec(tuple(Item((Run(fc, m, where),), self._item(i, where, face, style))
                                       for m, i in zip(markers, items)))]
            case d.Quote(blocks):
                return [QuoteSpec(self.blocks(blocks, where, face, style))]
            case d.Box(blocks, title, role):
                fc = "caption" if role == "points" else face
                inner = self.blocks(blocks, where, fc, "point" if role == "points" else style)
                return [BoxSpec(role, self.runs(title, "heading", where) if title else None, inner)]
            case d.Table(header, rows, align, caption, anchor):
                fc = "caption"
                return [TableSpec(tuple(self.runs(c, "caption-bold", where) for c in header),
                                  tuple(tuple(self.runs(c, fc, where) for c in row) for row in rows),
                                  align, self.runs(caption, "caption-bold", where) if caption else None, anchor)]
            case d.FigureBlock():
                return [self.figure(block)]
            case _:
                assert_never(block)

    _depth = 0  # lists the block being planned is inside: bullets change with it

    def _item(self, item: d.Blocks, where, face, style) -> tuple[Spec, ...]:
        self._depth += 1
        try:
            return self.blocks(item, where, face, style)
        finally:
            self._depth -= 1

    def _lead(self, item: d.Blocks, marker: Run, where, face, style) -> tuple[Spec, ...]:
        """An item whose marker starts its first paragraph (set in the paragraph's own style)."""
        specs = self._item(item, where, face, style)
        if specs and isinstance(specs[0], Para):
            return (Para("item", (marker, *specs[0].runs)),) + specs[1:]
        return (Para("item", (marker,)),) + specs

    def figure(self, f: d.FigureBlock) -> Fig:
        where = f"figures[{f.figure.id}]"
        cap = lambda c: self.runs(c, "caption-bold", where) if c else None  # noqa: E731
        header = tuple((Run("caption-bold", h, where),) for h in f.header)
        rows = tuple(tuple((Run("caption", cell, where),) for cell in row) for row in f.rows)
        notes = tuple(Para("caption", self.runs(n.inlines, "caption", where)) for n in f.notes)
        return Fig(f, cap(f.chart_caption), cap(f.table_caption), header, rows, notes)

    def cover(self, page: bool = True) -> list[Para]:
        """Title, subtitle, authors, date and keywords; without a cover ``page`` (the title heading page 1,
        GB/T 9704) the authors are set in the caption face (楷体 there) and the keywords stay in the summary."""
        doc = self.doc
        author = "heading" if page else "caption"
        out = [Para("title", self.runs(doc.title, "title", "title"))]
        if doc.subtitle:
            out.append(Para("subtitle", self.runs(doc.subtitle, "heading-regular", "subtitle")))
        for i, a in enumerate(doc.authors):
            out.append(Para("author", self.runs(a.name, author, f"authors[{i}].name")))
            if a.role:
                out.append(Para("role", self.runs(a.role, "caption", f"authors[{i}].role")))
        if doc.date:
            out.append(Para("date", (Run("caption", doc.date, "date"),)))
        if doc.keywords_line and page:
            out.append(Para("meta", self.runs(doc.keywords_line.inlines, "caption", "keywords")))
        return out


def _bullet(depth: int) -> str:
    return "•◦▪"[min(depth, 2)]


def heading_label(s: d.Section) -> tuple[str, str]:
    """(number with its separator, title) as the heading shows them; note numbers left out of the title
    (a bookmark or contents entry is no place for a superscript)."""
    title = d.plain(_without_notes(s.title))
    prefix = ""
    if s.number and s.label.startswith(s.number):
        prefix = s.number + (" " if s.label[len(s.number):len(s.number) + 1] == " " else "")
    return prefix, title


def _without_notes(inlines: d.Inlines) -> d.Inlines:
    out = []
    for node in inlines:
        if isinstance(node, d.NoteRef):
            continue
        if isinstance(node, (d.Emph, d.Strong)):
            node = type(node)(_without_notes(node.children))
        elif isinstance(node, d.Link):
            node = d.Link(node.target, _without_notes(node.children))
        out.append(node)
    return tuple(out)


def text_without_notes(inlines: d.Inlines) -> str:
    return d.plain(_without_notes(inlines))


def destinations(doc: d.Document) -> list[str]:
    """Anchors of figures, tables and anchored paragraphs (bibliography entries), which get a PDF
    destination of that name where they are set."""
    out: list[str] = []
    todo = [b for s in doc.walk() for b in s.blocks]
    while todo:
        b = todo.pop()
        if isinstance(b, (d.FigureBlock, d.Table, d.Para)) and b.anchor:
            out.append(b.anchor)
        elif isinstance(b, (d.Box, d.Quote)):
            todo += b.blocks
        elif isinstance(b, (d.BulletList, d.OrderedList)):
            todo += [x for item in b.items for x in item]
    return sorted(out)


def plan(doc: d.Document, inliner: Inliner, endnotes: bool, heading_face=lambda level: "heading",
         contents: bool = True, cover: bool = True) -> Plan:
    """The cover, body and notes of ``doc`` for the PDF; ``heading_face(level)`` names the face of a heading,
    ``contents`` says whether a contents page leads the body, ``cover`` whether a cover page comes first."""
    p = Planner(doc, inliner, heading_face)
    lab = doc.labels
    body: list[Spec] = [Contents(Run("heading", lab.contents, "contents"))] if contents else []
    heads: list[Head] = []
    for s in doc.walk():
        prefix, title = heading_label(s)
        face = heading_face(s.level)
        runs = ((Run(face, prefix, s.where or s.anchor),) if prefix else ()) + p.runs(s.title, face,
                                                                                      s.where or s.anchor)
        head = Head(s, f"h{min(s.level, 3)}", runs, prefix + title)
        heads.append(head)
        body.append(head)
        blocks = s.blocks
        if s.role == "summary" and doc.keywords_line is not None and cover:  # the cover shows the keywords
            blocks = tuple(b for b in blocks if b != doc.keywords_line)
        body.extend(p.blocks(blocks, s.where or s.anchor))
    notes = {n.number: NoteSpec(n.number, p.blocks(n.blocks, f"notes[{n.note_id}]", "caption", "note"))
             for n in doc.notes}
    if endnotes and notes:
        body.append(EndNotes(Run("heading", lab.notes, "notes"), tuple(notes.values())))
    return Plan(p.cover(cover), body, notes, heads)
