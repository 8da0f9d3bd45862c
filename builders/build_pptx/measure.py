"""Measuring slide content: titles, paragraphs of styled runs, tables, and a slide's stack of them.

PowerPoint and LibreOffice only apply autofit after an edit, so the deck is
fitted here, before rendering, and every text frame is written with autofit
off.  Widths come from :mod:`.faces`; lines are broken with
:func:`builders.linebreak.wrap`.  A slide's body is a stack of *groups*: a run of
paragraphs is one text frame, a table is one table; :func:`Fitter.layout` places
them, and the renderer places them exactly there.
"""
from __future__ import annotations

from typing import Optional

from ..theme import Theme
from .blocks import Item, TablePlan
from .faces import HEIGHT_SLACK, Faces, faces_for, safe_wrap
from .geometry import DESCENT, INSET_X, INSET_Y, PITCH
from .runs import Para

GROUP_GAP = 0.5  # em of the body size between a text frame and a table
MIN_COLUMN = 0.08  # no column narrower than this share of the table


def styles(para: Para) -> frozenset[str]:
    """The run styles ``para`` uses (``b``, ``i``, ``c``): its text is measured with those faces too."""
    out = set()
    for r in para.runs:
        if r.bold or r.cjk_emph:  # a Kai face is no wider than bold
            out.add("b")
        if r.italic:
            out.add("i")
        if r.code:
            out.add("c")
    if para.marker_text and para.marker.endswith("是"):
        out.add("b")  # 一是 is set bold
    return frozenset(out)


LINK_LIFT = 0.25  # em


def top_extra(first: Optional[Item], size: float) -> float:
    """Extra top inset of a text frame whose first paragraph holds a link.

    LibreOffice draws a line holding a hyperlink (a URL field to it) some 0.23 em higher than the same
    line without one (measured: 5.6 pt at 24 pt, Noto CJK), so at the top of a frame its glyphs would
    poke out above the frame; later lines keep their slots."""
    if isinstance(first, Para) and any(r.link for r in first.runs):
        return LINK_LIFT * size
    return 0.0


class Fitter:
    """Measures titles, paragraphs and tables for one theme."""

    def __init__(self, theme: Theme):
        self.theme = theme
        f = theme.fonts
        self.title_faces = faces_for(f.heading, f.fallback, True)
        self.body_faces = faces_for(f.body, f.fallback, False)
        self.caption_faces = faces_for(f.caption, f.fallback, False)
        self._wrapped: dict[tuple, list[str]] = {}
        self._title_lines: dict[tuple[str, float, float, int], int] = {}
        self._fractions: dict[int, tuple[float, ...]] = {}

    def faces(self, para: Para) -> Faces:
        used = styles(para)
        f = self.theme.fonts
        if para.kind == "foot":
            return faces_for(f.caption, f.fallback, False, used) if used else self.caption_faces
        return faces_for(f.body, f.fallback, False, used) if used else self.body_faces

    # ------------------------------------------------------------ titles
    def text_height(self, text: str, width: float, size: float, faces: Faces) -> float:
        key = (text, width, size, id(faces))
        n = self._title_lines.get(key)
        if n is None:  # every slide tries its title at several sizes, and continued slides repeat it
            n = self._title_lines[key] = len(safe_wrap(text, width - 2 * INSET_X, faces.fn(size)) or [""])
        return n * PITCH * size + 2 * INSET_Y + DESCENT * size

    def fit_title(self, text: str, width: float, height: float, largest: float) -> tuple[float, float]:
        """(size, height needed): the largest size from ``largest`` down to slide_min that fits ``height``;
        at slide_min the box grows instead (the caller takes the room from the body)."""
        smallest = self.theme.sizes.slide_min
        size = largest
        while size >= smallest:
            need = self.text_height(text, width, size, self.title_faces)
            if need <= height - HEIGHT_SLACK:
                return size, need
            size -= 1
        return smallest, self.text_height(text, width, smallest, self.title_faces) + HEIGHT_SLACK

    # ------------------------------------------------------------ paragraphs
    def indent(self, para: Para, size: float) -> float:
        """Left margin of the paragraph's lines (hanging indent for bullets and numbers in the margin)."""
        if para.kind == "agenda":
            return 1.5 * size * para.level
        step = 1.5 * size * para.level
        if para.kind == "quote":
            return step + 1.2 * size
        return step + self.hang(para, size)

    def hang(self, para: Para, size: float) -> float:
        """How far a bullet or a margin number hangs left of its paragraph's text."""
        if para.kind == "bullet":
            return 1.1 * size
        if para.kind == "number" and not para.inline_marker:
            return self.body_faces.width("00.", size) + 0.4 * size
        return 0.0

    @staticmethod
    def measured_text(para: Para) -> str:
        # An inline marker (一是, a.) is written as text, so it takes room on the first line.
        return para.marker_text + para.text

    def lines(self, para: Para, width: float, size: float) -> list[str]:
        avail = width - 2 * INSET_X - self.indent(para, size)
        faces = self.faces(para)
        key = (self.measured_text(para), round(avail, 3), size, id(faces))
        got = self._wrapped.get(key)
        if got is None:  # splitting tries every size on the same paragraphs: remember the wrapping
            got = self._wrapped[key] = safe_wrap(key[0], avail, faces.fn(size)) or [""]
        return got

    @staticmethod
    def space_before(para: Para, size: float) -> float:
        return 0.25 * size if para.kind in ("agenda", "foot") else 0.5 * size

    def para_height(self, para: Para, width: float, size: float) -> float:
        return len(self.lines(para, width, size)) * PITCH * size

    # ------------------------------------------------------------ tables
    def table_size(self, size: float) -> float:
        """Table text: a step below the body, never under the theme's minimum."""
        return max(self.theme.sizes.slide_min, round(size * 0.8))

    def fractions(self, table: TablePlan) -> tuple[float, ...]:
        """Column widths as shares of the table's width, from the columns' longest texts (any size: shares)."""
        if table.widths:
            return table.widths
        n = max(len(table.header), max((len(r) for r in table.rows), default=0), 1)
        longest = [0.0] * n
        faces = self.body_faces
        for row in (table.header, *table.rows):
            for i, cell in enumerate(row):
                longest[i] = max(longest[i], faces.em_sum("".join(r.text for r in cell)) + 1.0)
        cap = max(longest) if longest else 1.0
        weights = [max(w, cap * 0.25, 1.0) for w in longest]
        total = sum(weights)
        shares = [max(MIN_COLUMN, w / total) for w in weights]
        total = sum(shares)
        return tuple(s / total for s in shares)

    def prepared(self, table: TablePlan) -> TablePlan:
        """``table`` with its column shares decided (kept by every part of it on continued slides)."""
        from dataclasses import replace

        return table if table.widths else replace(table, widths=self.fractions(table))

    def cell_wrap(self, cell, width: float, size: float, bold: bool = False) -> list[str]:
        """The lines of a table cell's text in a column ``width`` points wide (a header cell is bold)."""
        para = Para(cell, "plain")
        faces = self.faces(para) if not bold else faces_for(self.theme.fonts.body, self.theme.fonts.fallback, True,
                                                            styles(para))
        avail = width - 2 * INSET_X
        key = (para.text, round(avail, 3), size, id(faces))
        got = self._wrapped.get(key)
        if got is None:
            got = self._wrapped[key] = safe_wrap(para.text, avail, faces.fn(size)) or [""]
        return got

    def cell_lines(self, cell, width: float, size: float, bold: bool = False) -> int:
        return len(self.cell_wrap(cell, width, size, bold))

    def row_height(self, row, widths: tuple[float, ...], size: float, header: bool = False) -> float:
        lines = max((self.cell_lines(c, w, size, header) for c, w in zip(row, widths)), default=1)
        return lines * PITCH * size + 2 * INSET_Y + DESCENT * size

    def column_widths(self, table: TablePlan, width: float) -> tuple[float, ...]:
        return tuple(f * width for f in self.fractions(table))

    def table_heights(self, table: TablePlan, width: float, size: float) -> tuple[float, list[float]]:
        """(header row height, body row heights) of ``table`` in a ``width``-point frame at body ``size``."""
        ts = self.table_size(size)
        widths = self.column_widths(table, width)
        return (self.row_height(table.header, widths, ts, True) if table.header else 0.0,
                [self.row_height(r, widths, ts) for r in table.rows])

    # ------------------------------------------------------------ a stack of groups
    def frame(self, size: float, first: Optional[Item] = None) -> float:
        """What a text frame adds to its lines: the insets, the last line's descent, and the room a link on
        the ``first`` paragraph's line needs above it (:func:`top_extra`)."""
        return 2 * INSET_Y + DESCENT * size + top_extra(first, size)

    def layout(self, items, width: float, size: float) -> list[tuple[list[Item], float, float]]:
        """The groups of ``items`` as (items, offset from the body's top, height): a run of paragraphs is one
        text frame, each table a frame of its own, a gap between frames."""
        out: list[tuple[list[Item], float, float]] = []
        y = 0.0
        for item in items:
            if isinstance(item, TablePlan):
                if out:
                    y += GROUP_GAP * size
                header, rows = self.table_heights(item, width, size)
                h = header + sum(rows)
                out.append(([item], y, h))
                y += h
            elif out and not isinstance(out[-1][0][-1], TablePlan):
                group, top, h = out[-1]
                add = self.space_before(item, size) + self.para_height(item, width, size)
                group.append(item)
                out[-1] = (group, top, h + add)
                y += add
            else:
                if out:
                    y += GROUP_GAP * size
                h = self.frame(size, item) + self.para_height(item, width, size)
                out.append(([item], y, h))
                y += h
        return out

    def height(self, items, width: float, size: float) -> float:
        """The height of ``items`` stacked as :meth:`layout` places them."""
        groups = self.layout(items, width, size)
        return groups[-1][1] + groups[-1][2] if groups else self.frame(size)

    def best_size(self, items, width: float, height: float, largest: float, foot: float = 0.0) -> Optional[float]:
        size = largest
        while size >= self.theme.sizes.slide_min:
            if self.height(items, width, size) + foot <= height - HEIGHT_SLACK:
                return size
            size -= 1
        return None
