"""Mapping a function over every inline sequence of a block, a section or a document."""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, assert_never

from .. import document as d
from .markers import _label


def _map_inlines(inlines: d.Inlines, fn: Callable[[d.Inline], d.Inline]) -> d.Inlines:
    out = []
    for node in inlines:
        match node:
            case d.Emph(kids):
                node = d.Emph(_map_inlines(kids, fn))
            case d.Strong(kids):
                node = d.Strong(_map_inlines(kids, fn))
            case d.Link(target, kids):
                node = d.Link(target, _map_inlines(kids, fn))
            case d.Sup(kids):
                node = d.Sup(_map_inlines(kids, fn))
            case d.Str() | d.Code() | d.NoteRef() | d.LineBreak() | d.Pending():
                pass
            case _:
                assert_never(node)
        out.append(fn(node))
    return tuple(out)


def _map_block(block: d.Block, visit: Callable[[d.Inlines], d.Inlines]) -> d.Block:
    """``block`` with ``visit`` applied to each inline sequence, in reading order."""
    mb = lambda bs: tuple(_map_block(b, visit) for b in bs)  # noqa: E731
    match block:
        case d.Para(inlines, role, anchor):
            return d.Para(visit(inlines), role, anchor)
        case d.Heading(level, inlines):
            return d.Heading(level, visit(inlines))
        case d.BulletList(items):
            return d.BulletList(tuple(mb(i) for i in items))
        case d.OrderedList(items, markers, inline):
            return d.OrderedList(tuple(mb(i) for i in items), markers, inline)
        case d.Quote(blocks):
            return d.Quote(mb(blocks))
        case d.Box(blocks, title, role):
            return d.Box(mb(blocks), visit(title) if title else None, role)
        case d.Table(header, rows, align, caption, anchor):
            return d.Table(tuple(visit(c) for c in header), tuple(tuple(visit(c) for c in r) for r in rows), align,
                           visit(caption) if caption else None, anchor)
        case d.FigureBlock():
            return replace(block, chart_caption=visit(block.chart_caption) if block.chart_caption else None,
                           table_caption=visit(block.table_caption) if block.table_caption else None,
                           notes=tuple(_map_block(n, visit) for n in block.notes))
        case _:
            assert_never(block)


def _map_section(s: d.Section, visit) -> d.Section:
    """The section with ``visit`` applied in reading order: heading, blocks, then the deck's parts
    (which hold the same nodes as ``blocks``, so they see already-numbered notes)."""
    title = visit(s.title)
    blocks = tuple(_map_block(b, visit) for b in s.blocks)
    children = tuple(_map_section(c, visit) for c in s.children)
    return replace(
        s, title=title, label=_label(s.number, d.heading_text(title)), blocks=blocks, children=children,
        body=tuple(_map_block(b, visit) for b in s.body),
        region=visit(s.region) if s.region else None,
        points=tuple(visit(p) for p in s.points),
        actions=_map_block(s.actions, visit) if s.actions else None,
        closing=tuple(_map_block(b, visit) for b in s.closing),
    )
