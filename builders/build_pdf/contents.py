"""The contents page: its title, and the entries laid out once with their page numbers filled in later.

Each entry is a paragraph linking to its heading; where its text ends, a form
for the leader and page number is drawn (:meth:`.later.Later.contents_entry`)
and defined when the last page is done.  For the tagged PDF each entry is a
TOCI element, and its leader and number are drawn after its text so that they
come last in reading order too.
"""
from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer, Table
from reportlab.platypus.tableofcontents import TableOfContents

from .balance import BalancedParagraph
from .later import Later
from .tags import Elem, tag


class ContentsTitle(Paragraph):
    """The contents page's own title: a bookmark target, not an entry of itself."""

    key = "contents"

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize * 0.5)
        super().draw()


class ContentsEntry(BalancedParagraph):
    """A contents entry: its leader and page number, which the text's end places (``brief_toc_end``), are
    drawn after its text, so that they come last in the content stream too (a screen reader's order)."""

    def draw(self):
        self.canv._brief_after = after = []
        try:
            super().draw()
            for f in after:
                f()
        finally:
            del self.canv._brief_after



class ContentsTable(TableOfContents):
    """The contents, laid out once: each entry's leader and page number are drawn by
    :meth:`.later.Later.contents_entry` where the entry's text ends, and filled in at the end."""

    def __init__(self, later: Later, entries: list[tuple[int, str, str]], **kw):
        super().__init__(**kw)
        self.later = later
        self.elem: Elem | None = None  # the TOC structure element: its entries are made in wrap
        self._lastEntries = [(level, text, 0, key) for level, text, key in entries]

    def wrap(self, availWidth, availHeight):
        def entry_end(canvas, kind, label):
            level, key = label.split(",", 1)
            info = canvas._curr_tx_info
            x, y, style = info["cur_x"], info["cur_y"], self.getLevelStyle(int(level))
            canvas._brief_after.append(lambda: self.later.contents_entry(canvas, key, style, x, y, availWidth))

        self.canv.setNamedCB("brief_toc_end", entry_end)
        rows = []
        if self.elem is not None:
            self.elem.kids.clear()  # made again at each wrap
        for level, text, _, key in self._lastEntries:
            style = self.getLevelStyle(level)
            if style.spaceBefore:
                rows.append([Spacer(1, style.spaceBefore)])
            entry = ContentsEntry(f'<a href="#{key}">{text}</a><onDraw name="brief_toc_end" label="{level},{key}"/>',
                              style)
            if self.elem is not None:  # the page number, a form drawn where the text ends, is its last content
                tag(entry, self.elem.add("TOCI"))
            rows.append([entry])
        self._table = Table(rows, colWidths=(availWidth,), style=self.tableStyle)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height
