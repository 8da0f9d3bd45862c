"""Turning the story plan into platypus flowables.

Headings are paragraphs that drop a PDF destination where they are drawn and
carry their bookmark key, level and label, so the document template can add
the bookmark and the contents entry after they are placed.  A conditional page break before each
heading keeps it out of the last lines of a frame; keepWithNext ties it to what
follows.
"""
from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, NextPageTemplate, PageBreak, Paragraph, Spacer,
                                TableStyle)

from ..document import Document
from ..theme import Theme
from ..xmltext import attr
from . import grid, keep
from .balance import BalancedParagraph
from .blocks import BlockMixin
from .contents import ContentsTable, ContentsTitle
from .figures import FigureMixin
from .coverage import FontSet
from .inline import Rich, Run
from .later import Later
from .notes import NoteDest
from .page import COVER_BAND
from .specs import Contents, EndNotes, Fig, Head, NoteSpec, Para, Spec
from .styles import colour, colour_attr, toc_styles
from .tags import Tree, cover_role


class HeadingParagraph(BalancedParagraph):
    """A heading that marks its own position as a named destination (the bookmark target) and carries
    what its bookmark and contents entry say (``key``, ``level`` from 1, ``label``)."""

    def __init__(self, text, style, key: str, level: int, label: str):
        super().__init__(text, style)
        self.key, self.level, self.label = key, level, label

    def draw(self):
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize * 0.5)
        super().draw()  # emboldened there when the style says so (.grid)



def emphasis_dot(canvas, kind: str, label: str) -> None:
    """Called by reportlab right after an emphasised CJK character is set: a dot centred under it."""
    info = canvas._curr_tx_info
    tx = info["tx"]
    size = tx._fontsize
    width = stringWidth(label, tx._fontname, size)
    canvas.saveState()
    canvas.setFillColor(info["xs"].textColor)
    canvas.circle(info["cur_x"] - width / 2, info["cur_y"] - size * 0.3, size * 0.065, stroke=0, fill=1)
    canvas.restoreState()


COVER_MIN_SCALE = 0.6
SUP, RISE = "66%", "36%"  # a note number: two thirds of the text size, its foot near the text's x-height


class Renderer(BlockMixin, FigureMixin):
    """Builds flowables from specs with the registered fonts and the theme's styles."""

    def __init__(self, doc: Document, theme: Theme, fonts: FontSet, styles: dict[str, ParagraphStyle],
                 later: Later, contents: list[tuple[int, str, str]], tree: Tree | None = None):
        """``contents``: (level from 0, markup, bookmark key) of every entry, known before layout;
        ``tree``: the structure tree the flowables' elements go into (:mod:`.tags`)."""
        self.doc, self.theme, self.fonts, self.styles = doc, theme, fonts, styles
        self.tree = tree if tree is not None else Tree()
        self.toc = ContentsTable(later, contents, levelStyles=toc_styles(doc, theme, fonts), dotsMinLevel=0,
                                 tableStyle=TableStyle(self.cell_defaults()))
        self.frame_width = theme.page.width - theme.page.margin_left - theme.page.margin_right
        self.frame_height = theme.page.height - theme.page.margin_top - theme.page.margin_bottom
        self._derived: dict = {}
        self._notes: dict[int, list] = {}
        c = theme.colours
        self._link = f' color="{colour_attr(theme, c.accent)}"'

    def cell_defaults(self) -> list:
        """Table cell font and colour: reportlab's defaults are unembedded Helvetica and RGB black."""
        text = colour(self.theme, self.theme.colours.text)
        return [("FONT", (0, 0), (-1, -1), self.fonts.font_name("body"), self.theme.sizes.body),
                ("TEXTCOLOR", (0, 0), (-1, -1), text),
                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]

    def markup(self, runs: Rich) -> str:
        """Paragraph markup of ``runs``: each names its face's font (a run may differ from its paragraph
        style), note numbers are superscript links to their note, other links coloured (and web links
        underlined)."""
        out = []
        for r in runs:
            if r.kind == "br":
                out.append("<br/>")
                continue
            if r.kind == "dots":  # each character followed by the mark that draws its dot
                inner = "".join(f'{self.fonts.markup(r.face, ch)}<onDraw name="brief_dot" label="{attr(ch)}"/>'
                                for ch in r.text)
            else:
                inner = self.fonts.markup(r.face, r.text)
            text = f'<font name="{self.fonts.font_name(r.face)}">{inner}</font>'
            if r.kind == "sup":  # a note number or a citation mark: linked, but not coloured
                text = f'<super size="{SUP}" rise="{RISE}">{text}</super>'
                out.append(f'<a href="{attr(r.link)}">{text}</a>' if r.link else text)
            elif r.link:
                look = self._link + ("" if r.link.startswith("#") else ' underline="1"')
                out.append(f'<a href="{attr(r.link)}"{look}>{text}</a>')
            else:
                out.append(text)
        return "".join(out)

    def cover(self, paras: list[Para], warn=None) -> list:
        """The cover page's flowables, set smaller (down to 60 %) when the title, subtitle and authors
        would otherwise run onto a second cover page; ``warn(message)`` if even that is not enough."""
        room = self.frame_height - self.theme.page.height * COVER_BAND
        scale = 1.0
        while True:
            out = self._cover_at(paras, scale)
            height = sum(f.wrap(self.frame_width, room)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in out)
            if height <= room or scale <= COVER_MIN_SCALE:
                break
            scale = max(COVER_MIN_SCALE, scale * 0.92)
        if height > room and warn is not None:
            warn("title, subtitle and authors do not fit on one cover page even at 60 % size; "
                 "the cover continues on a second page")
        for f in out:
            if isinstance(f, Paragraph):
                self.tree.leaf(cover_role(f.style.name), f)
        return out + [NextPageTemplate("body"), PageBreak()]

    def _cover_at(self, paras: list[Para], scale: float) -> list:
        out: list = [Spacer(1, 8 * scale)]
        for p in paras:
            if p.style == "author" and len(out) > 1 and out[-1].style.name.startswith(("title", "subtitle")):
                out.append(Spacer(1, self.theme.sizes.body * 2 * scale))  # the authors stand apart from the title
            style = self.styles[p.style]
            if scale < 1:
                style = ParagraphStyle(f"{style.name}-{scale:.2f}", parent=style, fontSize=style.fontSize * scale,
                                       leading=style.leading * scale, spaceBefore=style.spaceBefore * scale,
                                       spaceAfter=style.spaceAfter * scale)
            out.append(Paragraph(self.markup(p.runs), style))
        return out

    def flowables(self, specs: list[Spec]) -> list:
        out: list = []
        guards: list = []
        for i, spec in enumerate(specs):
            if isinstance(spec, Contents):
                out.append(self.tree.leaf("H1", ContentsTitle(self.markup((spec.title,)), self.styles["contents"])))
                self.toc.elem = self.tree.current.add("TOC")
                out += [self.toc, PageBreak()]
            elif isinstance(spec, Head):
                if not (i and isinstance(specs[i - 1], Head)):  # first of a run of headings
                    guards.append(CondPageBreak(self.room_after(specs, i)))
                    out.append(guards[-1])
                s = spec.section
                out.append(self.tree.leaf(f"H{min(s.level, 6)}", HeadingParagraph(
                    self.markup(spec.runs), self.styles[spec.style], s.bookmark, s.level, spec.label)))
            elif isinstance(spec, Fig):
                # keepWithNext cannot reach into a KeepTogether: hand the headings to the figure block.
                lead: list = []
                while out and isinstance(out[-1], HeadingParagraph):
                    lead.insert(0, out.pop())
                out += self.figure(spec, lead)
            elif isinstance(spec, EndNotes):
                out += self.endnotes(spec)
            else:
                out += self.block(spec, self.frame_width, 0.0)
        if self.theme.page.grid is not None:  # tables, figures and boxes take whole lines
            out = grid.snapped(out, self.styles["body"].leading)
        keep.guard(out, guards, self.frame_width, self.frame_height, self.styles["body"].leading,
                   keep.first_lines(self.theme))
        return out

    def room_after(self, specs: list[Spec], i: int) -> float:
        """Height a run of headings starting at ``i`` needs, with the first lines of what follows
        (:func:`.keep.first_lines`).

        One conditional page break guards the whole run: a break between two headings would
        cut reportlab's keepWithNext chain and strand the first heading at the page foot."""
        need = self.styles["body"].leading * keep.first_lines(self.theme)
        # A chapter does not start in a page's last quarter, except on a GB/T 9704 grid, where the
        # body runs on under the title and a heading moves only when it and two lines do not fit.
        quarter = self.frame_height * 0.25 if self.theme.page.grid is None else 0.0
        first = True
        while i < len(specs) and isinstance(specs[i], Head):
            style = self.styles[specs[i].style]
            lines = -(-stringWidth(specs[i].label, style.fontName, style.fontSize) // self.frame_width)
            need += style.leading * max(1, lines) + style.spaceAfter + (0 if first else style.spaceBefore)
            if specs[i].section.level == 1 and first:
                need = max(need, quarter)
            first = False
            i += 1
        return need

    # ------------------------------------------------------------ notes

    def note(self, spec: NoteSpec) -> list:
        """A note's flowables: its destination, then its paragraphs, the number hanging as a superscript."""
        got = self._notes.get(spec.number)
        if got is None:
            number = f'<super size="{SUP}" rise="{RISE}">{self.markup((Run("caption", str(spec.number), "notes"),))}</super>'
            specs = spec.specs if spec.specs and isinstance(spec.specs[0], Para) else (Para("note", ()), *spec.specs)
            first = specs[0]
            # A footnote is made when the layout first meets its reference: its Note element goes to the
            # end of the tree then (after the body), an endnote's where the notes section is.
            with self.tree.group("Note", id=f"note-{spec.number}"):
                flows = [self.tree.leaf("P", Paragraph(f"<bullet>{number}</bullet>{self.markup(first.runs)}",
                                                       self.styles[first.style])),
                         *self.blocks(specs[1:], self.frame_width)]
            got = self._notes[spec.number] = [NoteDest(spec.number), *flows]
        return got

    def endnotes(self, spec: EndNotes) -> list:
        title = self.markup((spec.title,))
        key = "brief_notes"
        out: list = [CondPageBreak(self.frame_height * 0.25),
                     self.tree.leaf("H1", HeadingParagraph(title, self.styles["h1"], key, 1, spec.title.text))]
        for n in spec.notes:
            out += self.note(n)
        return out
