"""The body: headings from the outline, and each section's text, lists and figures."""
from __future__ import annotations

from ..diagnostics import Log
from ..i18n import labels
from ..model import Brief, Case, Lesson, ListBlock, Recommendation, Section, Text
from ..outline import Node
from ..theme import Theme
from . import fields, figures
from .blocks import Blocks, add_run
from .numbering import BULLET, ORDERED, Lists, attach
from .text import clean


class Body:
    """Writes the outline's sections into ``doc``; ``bookmarks`` maps each node to its bookmark name."""

    def __init__(self, out: Blocks, brief: Brief, theme: Theme, log: Log, bookmarks: dict[int, str]):
        self.out, self.brief, self.theme, self.log = out, brief, theme, log
        self.lists = Lists(out.doc, brief, theme)
        self.bookmarks = bookmarks
        self.counter = figures.Counter()

    def write(self, nodes: tuple[Node, ...]) -> None:
        for i, node in enumerate(nodes):
            self.heading(node, i, page_break=(i == 0))
            self.section(node)

    def heading(self, node: Node, index: int, page_break: bool) -> None:
        p = self.out.paragraph(style=f"Heading {min(node.level, 3)}")
        add_run(p, clean(node.label))
        if page_break:
            p.paragraph_format.page_break_before = True
        fields.bookmark(p, self.bookmarks[index], 100 + index)

    def section(self, node: Node) -> None:
        item = node.item
        if node.kind == "summary":
            self.text(item)
            if self.brief.keywords:
                lab = "关键词" if self.brief.is_cjk else "Keywords"
                sep, colon = ("；", "：") if self.brief.is_cjk else ("; ", ": ")
                p = self.out.paragraph(style="Keywords")
                p.add_run(clean(lab + colon)).bold = True
                p.add_run(clean(sep.join(self.brief.keywords)))
        elif node.kind in ("status", "challenges") and isinstance(item, Section):
            self.text(item.body)
        elif node.kind == "figures":
            for figure in item:
                figures.add(self.out, figure, self.brief, self.theme, self.log, self.counter)
        elif node.kind == "case" and isinstance(item, Case):
            if item.region:
                colon = "：" if self.brief.is_cjk else ": "
                region = labels(self.brief.language).region
                self.out.paragraph(clean(f"{region}{colon}{item.region}"), style="Case Region")
            self.text(item.body)
        elif node.kind == "lesson" and isinstance(item, Lesson):
            self.text(item.body)
        elif node.kind == "recommendation" and isinstance(item, Recommendation):
            self.text(item.body)
            self.items(item.actions, ORDERED)
            self.text(item.closing)
        # analysis, cases, lessons, recommendations: a heading that groups the sections below it.

    def text(self, body: Text) -> None:
        """Paragraphs as Normal paragraphs; lists as real Word lists, each starting again at 1."""
        for block in body.blocks:
            if isinstance(block, ListBlock):
                self.items(block.items, ORDERED if block.ordered else BULLET)
            else:
                self.out.body(clean(block.text))

    def items(self, items: tuple[str, ...], kind: str) -> None:
        if not items:
            return
        num_id = self.lists.new(kind)
        for item in items:
            p = self.out.paragraph(clean(item), style="List Paragraph")
            attach(p, num_id)
