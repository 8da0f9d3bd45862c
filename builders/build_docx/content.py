"""The body: each section's heading (bookmarked, for the contents and internal links) and its blocks."""
from __future__ import annotations

import re

from ..document import Block, Document, Inlines, NoteRef, Section, inline_children, plain
from . import fields, typography
from .blocks import add_run
from .flow import Context, Flow


# A Latin letter or digit of a heading, in ems of its size: an estimate for proportional faces (the PDF
# measures; Word lays out on the reader's machine, in whatever face it has).
LATIN_EM = 0.55


def write(ctx: Context, doc: Document) -> None:
    """Every section in reading order, the first on a new page (after the contents)."""
    th = ctx.theme.sizes
    sizes = (th.heading1, th.heading2, th.heading3)
    for i, section in enumerate(doc.walk()):
        ctx.where = section.where or section.anchor
        p = ctx.out.paragraph(style=f"Heading {min(max(section.level, 1), 3)}")
        prefix = heading_prefix(section)
        if prefix is None:  # the label is not number + title: show it as the lowering made it
            add_run(p, section.label)
        else:
            if prefix:
                add_run(p, prefix)
            ctx.runs.write(p._p, section.title, ctx.out.part)
        if i == 0 and (ctx.theme.page.cover or ctx.theme.page.contents):
            p.paragraph_format.page_break_before = True
        if ctx.theme.page.grid is not None:  # GB/T 9704: a heading's last line is never one lone character
            from .grid import balance_heading

            balance_heading(p, section.label, ctx.theme)
        elif doc.is_cjk:  # a heading of two lines breaks after its comma, not inside a word
            size = sizes[min(max(section.level, 1), 3) - 1]
            typography.break_heading(p, section.label, ctx.width / size, 0, size, LATIN_EM)
        fields.bookmark(p, ctx.anchors[section.anchor], ctx.ids.next_id())
        Flow(ctx, ctx.out, ctx.width).blocks(section.blocks)


def heading_prefix(section: Section) -> str | None:
    """The number and separator the lowering put before the title in ``label`` (一、 / 1.2 ␣ / ''),
    or ``None`` when the label is not the number then the title."""
    title = plain(section.title)
    if section.label.endswith(title):
        return section.label[: len(section.label) - len(title)]
    return None


def contents_label(section: Section) -> str:
    """The heading as the contents list shows it: the label without footnote numbers."""
    prefix = heading_prefix(section)
    if prefix is None:
        return section.label
    return prefix + text_without_notes(section.title)


def text_without_notes(inlines: Inlines) -> str:
    """The visible text of ``inlines`` without footnote reference numbers (for properties, the contents)."""
    return plain(tuple(_drop_notes(inlines)))


def _drop_notes(inlines: Inlines):
    from dataclasses import replace

    for node in inlines:
        if isinstance(node, NoteRef):
            continue
        kids = inline_children(node)
        yield replace(node, children=tuple(_drop_notes(kids))) if kids else node


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def _bookmark(anchor: str) -> str:
    # As Section.bookmark: letters, digits and underscores, starting with a letter, at most 40 characters.
    name = _UNSAFE.sub("_", anchor)
    return ("_" + name if not name[:1].isalpha() else name)[:40]


def anchors(doc: Document) -> dict[str, str]:
    """Every anchor a link may point at (sections, figures, numbered tables) → a unique bookmark name."""
    wanted = [s.anchor for s in doc.walk()]
    wanted += [f.anchor for f in doc.figures]
    for s in doc.walk():
        wanted += [a for b in s.blocks for a in _table_anchors(b)]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for anchor in wanted:
        if not anchor or anchor in out:
            continue
        base = name = _bookmark(anchor)
        k = 2
        while name in seen:
            suffix = f"_{k}"
            name = base[: 40 - len(suffix)] + suffix
            k += 1
        seen.add(name)
        out[anchor] = name
    return out


def _table_anchors(block: Block):
    """Anchors inside a block: numbered tables, figures placed in the text, bibliography entries."""
    from ..document import Box, BulletList, FigureBlock, OrderedList, Para, Quote, Table

    if isinstance(block, (Table, FigureBlock, Para)) and block.anchor:
        yield block.anchor
    elif isinstance(block, (Box, Quote)):
        for b in block.blocks:
            yield from _table_anchors(b)
    elif isinstance(block, (BulletList, OrderedList)):
        for item in block.items:
            for b in item:
                yield from _table_anchors(b)

