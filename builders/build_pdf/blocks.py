"""Body blocks as flowables: paragraphs, nested lists, quotes, boxes and tables of text.

Everything here can split across pages: a list is a run of indented
paragraphs, and quotes and boxes are one-column tables whose rows (one per
block) may themselves split, so a long box continues overleaf with its rule
and tint.  Styles for indented paragraphs are derived once per indent.
Each flowable that shows text gets its structure element (:mod:`.tags`) as it
is made, so the tree follows the blocks' order.
"""
from __future__ import annotations

from typing import assert_never

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

from .balance import BalancedParagraph
from .inline import Rich, plain_text
from .notes import Destination
from .specs import (BoxSpec, Contents, EndNotes, Fig, Head, ListSpec, Para, QuoteSpec, Spec, SubHead, TableSpec)
from .styles import colour
from .tags import Elem, other_language, tag

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, None: TA_LEFT}
BOX_PAD = 8


class WholeBox(Table):
    """A box (an author's ``style: box`` section, a case's key points): moved whole to the next page
    rather than split, unless it is taller than ``whole_limit`` (a row or two at a page foot, the rest
    overleaf, reads as two stray boxes)."""

    def split(self, availWidth, availHeight):
        if getattr(self, "_height", 0) < getattr(self, "whole_limit", 0):  # pieces of a split box: 0
            return []
        return super().split(availWidth, availHeight)


class PointsBox(WholeBox):
    """A case's key-points box, which also stays with the case's body after it (see :mod:`.keep`)."""


class TextTable(Table):
    """A table of text that splits between rows, or inside a row only where a cell keeps a line on
    this page: reportlab splits a row of paragraphs at any height, and a row that cannot give a line
    leaves the header over a row of empty cells at the page foot, the table overleaf."""

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and not any(parts[0]._cellvalues[-1]):
            return []
        return parts


class BlockMixin:
    """The block part of :class:`.render.Renderer` (needs ``markup``, ``styles``, ``theme``, ``fonts``)."""

    def derived(self, name: str, **kw) -> ParagraphStyle:
        """``styles[name]`` with ``kw`` changed, made once."""
        key = (name, *sorted(kw.items()))
        st = self._derived.get(key)
        if st is None:
            base = self.styles[name]
            st = self._derived[key] = ParagraphStyle(f"{name}-{len(self._derived)}", parent=base, **kw)
        return st

    def para(self, p: Para, indent: float = 0.0) -> Paragraph:
        style = self.styles[p.style]
        if indent:
            style = self.derived(p.style, leftIndent=style.leftIndent + indent, firstLineIndent=0)
        return Paragraph(self.markup(p.runs), style)

    def blocks(self, specs, width: float, indent: float = 0.0) -> list:
        """Flowables of body ``specs`` set ``width`` wide (inside a box or a cell: narrower than the frame)."""
        out: list = []
        for spec in specs:
            out += self.block(spec, width, indent)
        return out

    def block(self, spec: Spec, width: float, indent: float) -> list:
        match spec:
            case Para():
                lang = other_language(plain_text(spec.runs), self.doc.language)
                return ([Destination(spec.anchor)] if spec.anchor else []) + [
                    self.tree.leaf("P", self.para(spec, indent), lang=lang)]
            case ListSpec():
                return self.list_flowables(spec, width, indent)
            case SubHead(level, style, runs):
                from .keep import first_lines  # keep measures blocks: imported here, not at the top

                st = self.styles[style]
                need = st.leading * 2 + st.spaceBefore + self.styles["body"].leading * first_lines(self.theme)
                return [CondPageBreak(need),  # balanced: see .balance
                        self.tree.leaf(f"H{min(level, 6)}", BalancedParagraph(self.markup(runs), st))]
            case QuoteSpec(specs):  # set in from the text, behind a rule
                with self.tree.group("BlockQuote"):
                    return [self.framed(specs, width, indent + self.theme.sizes.body, "quote")]
            case BoxSpec():
                with self.tree.group("Div"):
                    return [self.box(spec, width, indent)]
            case TableSpec():
                with self.tree.group("Table"):
                    return self.table(spec, width, indent)
            case Fig():
                return self.figure(spec, [])
            case Head() | Contents() | EndNotes():
                raise ValueError(f"{type(spec).__name__} inside a body")  # the plan puts them at top level only
            case _:
                assert_never(spec)

    # ------------------------------------------------------------ lists

    def list_flowables(self, spec: ListSpec, width: float, indent: float) -> list:
        with self.tree.group("L"):
            return self._list_flowables(spec, width, indent)

    def _list_flowables(self, spec: ListSpec, width: float, indent: float) -> list:
        body = self.theme.sizes.body
        out: list = []
        tree = self.tree
        if spec.inline:  # 一是…: the marker leads the paragraph; deeper blocks indented under it
            for item in spec.items:
                with tree.group("LI"), tree.group("LBody"):
                    for k, s in enumerate(item.specs):
                        out += self.block(s, width, indent if k == 0 else indent + 2 * body)
            return out
        hang = max([self.width_of(item.marker) for item in spec.items] + [0.8 * body]) + 0.6 * body
        for item in spec.items:
            marker = self.markup(item.marker)
            specs = item.specs
            if not specs or not isinstance(specs[0], Para):
                specs = (Para("body", ()),) + tuple(specs)
            first, rest = specs[0], specs[1:]
            base = self.styles[first.style]
            style = self.derived(first.style, leftIndent=base.leftIndent + indent + hang,
                                 bulletIndent=base.leftIndent + indent, firstLineIndent=0,
                                 bulletFontName=base.fontName, bulletFontSize=base.fontSize,
                                 spaceAfter=min(base.spaceAfter, body * 0.25),
                                 keepWithNext=1 if rest else 0)  # an item stays with its first sub-item
            li = tree.current.add("LI")
            li.add("Lbl")  # its content: the bullet, drawn with the paragraph (see tags.Tagger.bullet)
            lbody = li.add("LBody", li=li)
            out.append(tree.leaf_of(lbody, Paragraph(f"<bullet>{marker}</bullet>{self.markup(first.runs)}", style)))
            with tree.inside(lbody):
                out += self.blocks(rest, width, indent + hang)
        return out

    def width_of(self, runs: Rich) -> float:
        size = self.theme.sizes.body
        return sum(stringWidth(r.text, self.fonts.font_name(r.face), size) for r in runs)

    # ------------------------------------------------------------ quotes and boxes

    def framed(self, specs, width: float, indent: float, kind: str, title=None) -> Table:
        """A one-column table, one row per flowable: a quote (rule) or a box (tint and accent rule)."""
        c, th = self.theme.colours, self.theme
        inner = width - indent - 2 * BOX_PAD
        rows = [[f] for f in ([self.tree.leaf("P", Paragraph(self.markup(title), self.styles["label"]))]
                              if title else []) + self.blocks(specs, inner)]
        if not rows:
            rows = [[""]]
        cls = {"points": PointsBox, "box": WholeBox}.get(kind, Table)
        t = cls(rows, colWidths=[width - indent], splitInRow=1)
        style = self.cell_defaults() + [
            ("LEFTPADDING", (0, 0), (-1, -1), BOX_PAD), ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ]
        if kind == "quote":
            style += [("LINEBEFORE", (0, 0), (0, -1), 2, colour(th, c.rule))]
            if th.page.grid is not None:  # a quote has no tint to pad: its lines stay on the grid
                style += [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
        else:
            style += [("BACKGROUND", (0, 0), (-1, -1), colour(th, c.surface)),
                      ("LINEBEFORE", (0, 0), (0, -1), 2.5, colour(th, c.accent))]
        t.setStyle(TableStyle(style))
        t.hAlign = "RIGHT" if indent else "CENTER"
        t.whole_limit = self.frame_height * 0.4
        t.spaceBefore, t.spaceAfter = 2, th.sizes.body * 0.8
        if kind == "quote" and th.page.grid is not None:
            t.spaceBefore = t.spaceAfter = 0
        return t

    def box(self, spec: BoxSpec, width: float, indent: float) -> Table:
        return self.framed(spec.specs, width, indent, spec.role, spec.title)

    # ------------------------------------------------------------ tables

    def table(self, spec: TableSpec, width: float, indent: float = 0.0) -> list:
        """A table of text: header repeated on every page, columns fitted to their content (``indent`` in
        from the left of ``width``, inside a list item)."""
        c, th = self.theme.colours, self.theme
        width -= indent
        ncol = max(len(spec.header), *(len(r) for r in spec.rows)) if spec.rows else len(spec.header)
        align = [spec.align[i] if i < len(spec.align) else None for i in range(ncol)]
        pad = 5

        def cells(row, head: bool) -> list:
            out = []
            tr = self.tree.current.add("TR")
            for i in range(ncol):
                runs = row[i] if i < len(row) else ()
                base = "cell-head" if head else "cell"
                st = self.derived(base, alignment=_ALIGN.get(align[i], TA_LEFT))
                out.append(cell(tr, head, Paragraph(self.markup(runs), st),
                                other_language(plain_text(runs), self.doc.language)))
            return out

        caption = self.tree.leaf("Caption", Paragraph(self.markup(spec.caption), self.styles["caption-title"])
                                 ) if spec.caption else None
        data = [cells(spec.header, True)] + [cells(r, False) for r in spec.rows]
        widths = self.column_widths([spec.header, *spec.rows], ncol, width, 2 * pad)
        t = TextTable(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="RIGHT" if indent else "CENTER")
        t.setStyle(TableStyle(self.cell_defaults() + [
            ("BACKGROUND", (0, 0), (-1, 0), colour(th, c.accent)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colour(th, c.background), colour(th, c.surface)]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.75, colour(th, c.rule)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]))
        t.spaceBefore, t.spaceAfter = 4, th.sizes.body * 0.8
        out: list = [Destination(spec.anchor)] if spec.anchor else []
        if caption is not None:
            out.append(caption)
        return out + [t]

    def column_widths(self, rows, ncol: int, width: float, pad: float) -> list[float]:
        """Natural widths when they fit; otherwise each column keeps its longest word and shares the rest
        in proportion to how much more it would like."""
        st = self.styles["cell"]
        font, size = st.fontName, st.fontSize
        most = [pad + 1.0] * ncol
        least = [pad + 1.0] * ncol
        for row in rows:
            for i, runs in enumerate(row[:ncol]):
                text = plain_text(runs)
                most[i] = max(most[i], pad + stringWidth(text, font, size) + 1)
                words = [w for w in text.split() if w] or [""]
                longest = max(_unbreakable(w, font, size) for w in words)
                least[i] = max(least[i], pad + longest + 1)
        if sum(most) <= width:
            extra = (width - sum(most)) / ncol
            return [m + extra for m in most]
        if sum(least) >= width:
            return [width * w / sum(least) for w in least]
        want = [m - low for m, low in zip(most, least)]
        spare = width - sum(least)
        return [low + spare * w / sum(want) for low, w in zip(least, want)]


def cell(tr: Elem, head: bool, flowable, lang=None):
    """``flowable`` as a header cell (its scope the column) or a data cell of the row ``tr``."""
    if head:
        return tag(flowable, tr.add("TH", attrs={"O": "Table", "Scope": "Column"}, lang=lang))
    return tag(flowable, tr.add("TD", lang=lang))


def _unbreakable(word: str, font: str, size: float) -> float:
    """The width a word cannot be narrower than: a Latin word whole, CJK two characters (one may not
    start a line)."""
    if any(ord(ch) >= 0x2E80 for ch in word):
        return 2 * size
    return stringWidth(word, font, size)
