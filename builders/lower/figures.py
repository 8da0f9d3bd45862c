"""Figures placed where they are first referred to, numbered in reading order, and cases' key figures."""
from __future__ import annotations

from dataclasses import replace

from .. import document as d
from ..key_figure import key_figure
from .walk import _map_block


def _place_figures(sections: tuple[d.Section, ...]) -> tuple[d.Section, ...]:
    """Each figure moves right after the block that first refers to it (``@fig-x`` / ``@tbl-x``); figures
    nothing refers to stay in the key-figures section, which goes when it is left empty."""
    from ..markup import Cite

    figures = {_figure_id(b): b for s in sections if s.role == "figures" for b in s.blocks if _figure_id(b)}
    if not figures:
        return sections
    placed: set[str] = set()

    def refers(block: d.Block, wanted: set[str]) -> list[str]:
        """The ids among ``wanted`` that ``block`` refers to, in order; each is taken out of ``wanted``."""
        found = []
        for seq in d.block_inlines(block):
            for node in d.iter_inlines(seq):
                if isinstance(node, Cite) and node.xref and node.items[0][0][4:] in wanted:
                    found.append(node.items[0][0][4:])
                    wanted.discard(found[-1])
        return found

    def place(blocks: d.Blocks, wanted: set[str]) -> d.Blocks:
        return tuple(x for b in blocks for x in (b, *(figures[f] for f in refers(b, wanted))))

    def visit(s: d.Section) -> d.Section:
        if s.role == "figures":
            return s
        unplaced = set(figures) - placed
        blocks = place(s.blocks, unplaced)
        new = set(figures) - placed - unplaced
        placed.update(new)
        # The deck reads ``body``: the same figures after the same blocks.
        body = place(s.body, set(new)) if new else s.body
        return replace(s, blocks=blocks, body=body, children=tuple(visit(c) for c in s.children))

    result = []
    for s in map(visit, sections):
        if s.role == "figures":
            left = tuple(b for b in s.blocks if _figure_id(b) not in placed)
            if not left:
                continue
            s = replace(s, blocks=left, body=left)
        result.append(s)
    return tuple(result)


def _with_key_figures(s: d.Section) -> d.Section:
    """``s`` with each case's key figure decided (:func:`builders.key_figure.key_figure`): from its points
    first, then its body (figures placed and values formatted by now), note marks left out."""
    if s.role == "case":
        body = [line for b in s.body for line in d.block_text(_map_block(b, d.without_notes))]
        return replace(s, key_figure=key_figure([d.plain(d.without_notes(p)) for p in s.points] + body))
    if not s.children:
        return s
    return replace(s, children=tuple(_with_key_figures(c) for c in s.children))


def _figure_id(b: d.Block) -> str:
    if isinstance(b, d.FigureBlock):
        return b.figure.id
    if isinstance(b, d.Table) and b.anchor.startswith("tbl-"):
        return b.anchor[4:]
    return ""


def _number_figures(sections: tuple[d.Section, ...], lab) -> tuple[tuple[d.Section, ...], list[d.FigureBlock]]:
    """Number charts/pictures (图1) and tables (表1) in reading order and write their captions."""
    counts = {"chart": 0, "table": 0}
    done: dict[int, d.Block] = {}
    figures: list[d.FigureBlock] = []

    def number(b: d.Block) -> d.Block:
        if id(b) in done:
            return done[id(b)]
        new = b
        if isinstance(b, d.FigureBlock):
            title = b.figure.title.inlines
            chart_no = chart_caption = table_no = table_caption = None
            if b.chart_no is not None:
                counts["chart"] += 1
                chart_no = counts["chart"]
                chart_caption = (d.Str(lab.figure.format(n=chart_no) + " "), *title)
            if b.table_no is not None:
                counts["table"] += 1
                table_no = counts["table"]
                table_caption = (d.Str(lab.table.format(n=table_no) + " "), *title)
            new = replace(b, chart_no=chart_no, chart_caption=chart_caption, table_no=table_no,
                          table_caption=table_caption)
            figures.append(new)
        elif isinstance(b, d.Table) and b.anchor.startswith("tbl-") and b.caption is not None:
            counts["table"] += 1
            new = replace(b, caption=(d.Str(lab.table.format(n=counts["table"]) + " "), *b.caption))
        done[id(b)] = new
        return new

    def visit(s: d.Section) -> d.Section:
        blocks = tuple(number(b) for b in s.blocks)
        body = tuple(number(b) for b in s.body)
        return replace(s, blocks=blocks, body=body, children=tuple(visit(c) for c in s.children))

    return tuple(visit(s) for s in sections), figures
