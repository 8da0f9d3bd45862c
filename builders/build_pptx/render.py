"""Drawing fitted slide plans with python-pptx: titles, text frames, tables, call-outs, feet, footers.

Placeholders are moved to the measured boxes so the presenter can still edit
them as ordinary title and body text; a slide whose body is several groups (text,
a table, more text) gets a frame per group where :meth:`.Fitter.layout` put it.
Shapes and text are written as lxml elements directly (see :mod:`.text`); the
package itself (slides, notes pages, saving) is :mod:`.deckfile`.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Pt

from .. import document as d
from ..diagnostics import Log
from ..theme import Theme
from .blocks import TablePlan
from .deckfile import DeckFile, _max_id
from .links import Links
from .geometry import INSET_X
from .measure import Fitter, top_extra
from .plan import SlidePlan
from .richtext import RunWriter
from .runs import Run
from .text import _NSDECLS, body_pr_xml, fill, ppr_xml, rpr_xml, run_xml, setup_frame
from .titlebreak import split_runs, title_break

_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # fixed: reproducible bytes
_P_SPPR, _P_CSLD, _P_SPTREE = qn("p:spPr"), qn("p:cSld"), qn("p:spTree")
_A_XFRM, _A_OFF, _A_EXT = qn("a:xfrm"), qn("a:off"), qn("a:ext")
_NS = nsdecls("a", "p")
# PowerPoint's "Mark as decorative" (Office 2019+): screen readers skip the shape.  Older readers ignore
# the extension, as the Open XML SDK validator does.
DECORATIVE = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
              'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')
_TEXTBOX = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            '<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect">'
            '<a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none"><a:spAutoFit/>'
            '</a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>')
# python-pptx's rectangle after fill.solid(), line.fill.background() and shadow.inherit = False; decoration.
_RECT = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="%d" name="%s">{DECORATIVE}</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>'
         '<a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
         '</a:prstGeom><a:solidFill><a:srgbClr val="%s"/></a:solidFill><a:ln><a:noFill/></a:ln><a:effectLst/>'
         '</p:spPr><p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3">'
         '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/></a:effectRef>'
         '<a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style><p:txBody>'
         '<a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p></p:txBody></p:sp>')


def _emu(points: float) -> int:
    return int(Pt(points))


class Renderer(DeckFile):
    """Draws fitted slides: the title, the body's text frames and tables, the foot, the footer, the notes."""

    def __init__(self, doc: d.Document, theme: Theme, log: Log, fitter: Fitter, when: Optional[datetime]):
        super().__init__(doc, theme, log, when)
        self.fitter = fitter
        self.writer = RunWriter(theme, doc.language, fitter)
        self._accent = theme.colours.accent.hex.upper()
        self._footers: dict = {}
        self.links = Links(log)

    # ------------------------------------------------------------ slides
    def _picture(self, slide, block: d.FigureBlock, box) -> None:
        """A picture figure, as large as its box allows at its own proportions, centred, with alt text."""
        from .. import assets

        figure = block.figure
        pic = assets.picture(figure.image)  # upright and RGB, as in the report and the PDF
        wpx, hpx = pic.width, pic.height
        left, top, width, height = box
        scale = min(width / wpx, height / hpx)
        w, h = wpx * scale, hpx * scale
        pic = slide.shapes.add_picture(pic.source(), _emu(left + (width - w) / 2), _emu(top + (height - h) / 2),
                                       _emu(w), _emu(h))
        pic.name = f"Picture {figure.id}"
        pic._element.nvPicPr.cNvPr.set("descr", block.alt)

    def add(self, s: SlidePlan, number: int) -> None:
        part, info = self._new_slide(self.layout(s.layout))
        sld = part._element
        tree = sld.find(_P_CSLD).find(_P_SPTREE)
        kids = list(tree)
        title_el = kids[info.title] if info.title is not None else None
        body_el = kids[info.body] if info.body is not None else None
        keep = {idx for idx in (info.title_idx, info.body_idx) if idx is not None}
        # The body placeholder holds the text when the slide's content is one text frame; a slide with a
        # table (or text after one) gets a frame per group, placed where the measure put it.
        groups = self.fitter.layout(s.paras, s.boxes["body"][2], s.body_size) if s.paras and s.chart is None else []
        if len(groups) != 1 or isinstance(groups[0][0][0], TablePlan):
            keep.discard(info.body_idx if body_el is not None else None)
            body_el = None
        for pos, idx in info.phs:  # drop placeholders we do not fill (empty prompts)
            if idx not in keep:
                tree.remove(kids[pos])
        self._next = _max_id(tree) + 1
        where = s.where or s.anchor
        self.writer.link_id = lambda address: self.links.rel_id(part, address, where)
        if not s.continued:
            for anchor in (s.anchor, *s.anchors):
                if anchor:
                    self.links.target(anchor, part)
        centred = s.layout == "Title Slide"
        th = self.theme
        if s.kind in ("title", "closing"):
            self._rect(tree, "Accent band", 0, 0, _emu(th.slides.width * 0.015), _emu(th.slides.height))
        self._title(title_el if title_el is not None else self._textbox(tree, None), s, centred)
        if s.kind not in ("title", "closing"):
            left, top, width, height = s.boxes["title"]
            self._rect(tree, "Title rule", _emu(left + 7.2), _emu(top + height + 3), _emu(72), _emu(3))
        if s.chart is not None and s.chart.figure.image is not None:
            self._picture(part.slide, s.chart, s.boxes["chart"])
            self._next = _max_id(tree) + 1
        elif s.chart is not None:
            from .chart import add_chart  # XlsxWriter and python-pptx's chart modules: only for decks with charts

            add_chart(part.slide, s.chart, s.boxes["chart"], th, self.doc, self.fitter, self.when)
            self._next = _max_id(tree) + 1
        elif groups:
            self._groups(part, tree, body_el, s, groups, centred)
        if "callout" in s.boxes:
            self._callout(tree, s)
        if s.foot:
            self._foot(tree, s)
        if "footer" in s.boxes:
            self._footer(tree, s, number)
        self._notes(part, s.notes)

    def _title(self, shape, s: SlidePlan, centred: bool) -> None:
        """The slide's title, its runs styled, the continuation mark after them on a follow-on slide."""
        self._place(shape, s.boxes["title"])
        tx = self._tx_body(shape)
        setup_frame(tx, MSO_ANCHOR.BOTTOM, s.title_size)  # the accent rule sits right under the title
        heading = self.theme.fonts.heading
        runs = s.title_runs or (Run(s.base_title or s.title),)
        mark = s.title[len(s.base_title):] if s.base_title and s.title.startswith(s.base_title) else ""
        if mark:
            runs = (*runs, Run(mark))
        colour = self.theme.colours.heading.hex
        at = None
        if self.lang.split("-")[0].lower() in ("zh", "ja", "ko"):  # two lines break after the comma
            at = title_break(runs, s.boxes["title"][2] - 2 * INSET_X, s.title_size,
                             self.fitter.title_faces.fn(s.title_size))
        if at is None:
            body = self.writer.runs(runs, s.title_size, colour, heading, True)
        else:
            first, rest = split_runs(runs, at)
            body = (self.writer.runs(first, s.title_size, colour, heading, True) + "<a:br/>"
                    + self.writer.runs(rest, s.title_size, colour, heading, True))
        fill(tx, "<a:p>" + ppr_xml(s.title_size, align=PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT)
             + body + f"{self._end(heading)}</a:p>")

    def _end(self, role) -> str:
        from .text import end_xml

        return end_xml(role, self.lang)

    def _groups(self, part, tree, body_el, s: SlidePlan, groups, centred: bool) -> None:
        """The slide's text frames and tables where :meth:`.Fitter.layout` put them (a call-out box behind)."""
        left, top, width, height = s.boxes["body"]
        end = groups[-1][1] + groups[-1][2]
        # The block stands in the middle of the body's room, never top-heavy over an empty lower half.
        top += max(0.0, (height - end) / 2)
        if s.boxed:  # a call-out: a tinted rounded panel behind the text, as tall as the text
            self._panel(tree, "Call-out", left - 6, top - 4, width + 12, end + 8, body_el)
        for n, (items, offset, h) in enumerate(groups):
            if isinstance(items[0], TablePlan):
                from .table import add_table  # python-pptx's table classes: only for decks with tables

                if items[0].anchor and not items[0].cont:
                    self.links.target(items[0].anchor, part)

                add_table(part.slide, items[0], (left, top + offset, width, h),
                          self.fitter.table_size(s.body_size), self.writer, f"Table {n + 1}")
                self._next = _max_id(tree) + 1
                continue
            box = (left, top + offset, width, h)
            if body_el is not None:  # one frame: the placeholder, as tall as its text
                frame = body_el
            else:
                frame = self._textbox(tree, None)
            self._place(frame, box)
            self._body(self._tx_body(frame), s, items, centred)

    def _body(self, tx, s: SlidePlan, items, centred: bool) -> None:
        setup_frame(tx, MSO_ANCHOR.TOP, top=top_extra(items[0], s.body_size))
        c = self.theme.colours
        lead = c.heading.hex if s.kind != "title" else c.muted.hex

        def colour(p) -> str:  # a lead line is set apart by colour: it was measured in the regular face
            return lead if p.kind in ("lead", "subhead") else c.muted.hex if p.kind == "quote" else c.text.hex

        align = PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT
        fill(tx, self.writer.paras(items, s.body_size, colour, self.theme.fonts.body, align))

    def _callout(self, tree, s: SlidePlan) -> None:
        """A case's key number, large and in the accent colour, in its column beside the points."""
        frame = self._textbox(tree, "Key number")
        self._place(frame, s.boxes["callout"])
        tx = self._tx_body(frame)
        setup_frame(tx, MSO_ANCHOR.MIDDLE)
        size, heading = s.boxes["callout_size"], self.theme.fonts.heading
        fill(tx, "<a:p>" + ppr_xml(size, align=PP_ALIGN.CENTER)
             + self.writer.runs((Run(s.callout),), size, self._accent, heading, True) + f"{self._end(heading)}</a:p>")

    def _foot(self, tree, s: SlidePlan) -> None:
        """The footnotes of what the slide shows, small, at the bottom of the body's room."""
        frame = self._textbox(tree, "Footnotes")
        self._place(frame, s.boxes["foot"])
        tx = self._tx_body(frame)
        setup_frame(tx, MSO_ANCHOR.TOP, top=top_extra(s.foot[0], self.theme.sizes.slide_min))
        muted = self.theme.colours.muted.hex
        fill(tx, self.writer.paras(s.foot, self.theme.sizes.slide_min, lambda p: muted, self.theme.fonts.caption))

    def _footer(self, tree, s: SlidePlan, number: int) -> None:
        key = (s.boxes["footer"], s.boxes["number"], s.boxes.get("footer_size", 12.0))
        tmpl = self._footers.get(key)
        if tmpl is None:
            tmpl = self._footers[key] = self._footer_xml(*key)
        first = self._take_id()
        self._take_id()
        tree.extend(parse_xml(tmpl.format(first, first + 1, number)))

    def _footer_xml(self, footer_box, number_box, size: float) -> str:
        """The running title and the slide-number field: two text boxes, as a format string."""
        c = self.theme.colours
        caption = self.theme.fonts.caption

        def box(name: str, place, anchor_size: float, para: str, sid: str) -> str:
            left, top, width, height = (_emu(v) for v in place)
            return (f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
                    f'</p:nvSpPr><p:spPr><a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{width}" cy="{height}"/>'
                    '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
                    f'{body_pr_xml(MSO_ANCHOR.BOTTOM, anchor_size)}<a:lstStyle/>{para}</p:txBody></p:sp>')

        footer = ("<a:p>" + ppr_xml(size) + run_xml(self.doc.running_title,
                                                    rpr_xml(size, c.muted.hex, caption, self.lang)) + "</a:p>")
        # Not a run but a slide-number field, so moving slides renumbers them.
        num = ("<a:p>" + ppr_xml(12, align=PP_ALIGN.RIGHT) + f'<a:fld id="{_SLIDENUM_FIELD_ID}" type="slidenum">'
               + rpr_xml(12, c.muted.hex, caption, self.lang) + "<a:t>{2}</a:t></a:fld></a:p>")
        xml = (f"<p:spTree {_NSDECLS}>" + box("Footer", footer_box, size, footer.replace("{", "{{").replace("}", "}}"), "{0}")
               + box("Slide Number", number_box, 12, num.replace("{", "{{").replace("}", "}}").replace("{{2}}", "{2}"), "{1}")
               + "</p:spTree>")
        return xml

    # ------------------------------------------------------------ shapes
    def _take_id(self) -> int:
        n = self._next
        self._next += 1
        return n

    def _textbox(self, tree, name: Optional[str]):
        """``slide.shapes.add_textbox(0, 0, 1, 1)`` (renamed to ``name`` if given)."""
        sid = self._take_id()
        sp = parse_xml(_TEXTBOX % (sid, name or "TextBox %d" % (sid - 1), 0, 0, 1, 1))
        tree.append(sp)
        return sp

    def _rect(self, tree, name: str, left: int, top: int, width: int, height: int) -> None:
        """A rectangle filled with the theme's accent colour, no outline, no shadow."""
        sid = self._take_id()
        tree.append(parse_xml(_RECT % (sid, name, left, top, width, height, self._accent)))

    def _panel(self, tree, name: str, left: float, top: float, width: float, height: float, before=None) -> None:
        """A rounded rectangle in the surface colour with a thin accent outline: a call-out's frame
        (behind ``before``, the body placeholder, when given: shapes are drawn in tree order)."""
        c = self.theme.colours
        xml = (_RECT % (self._take_id(), name, _emu(left), _emu(top), _emu(width), _emu(height), c.surface.hex))
        xml = xml.replace('<a:prstGeom prst="rect"><a:avLst/>', '<a:prstGeom prst="roundRect"><a:avLst>'
                          '<a:gd name="adj" fmla="val 6000"/></a:avLst>', 1)
        xml = xml.replace("<a:ln><a:noFill/></a:ln>", f'<a:ln w="{_emu(1.5)}"><a:solidFill><a:srgbClr '
                          f'val="{c.accent.hex}"/></a:solidFill></a:ln>', 1)
        if before is not None:
            before.addprevious(parse_xml(xml))
        else:
            tree.append(parse_xml(xml))

    @staticmethod
    def _place(sp, box) -> None:
        left, top, width, height = box
        sppr = sp.find(_P_SPPR)
        xfrm = sppr.find(_A_XFRM)
        if xfrm is None:
            xfrm = etree.Element(_A_XFRM)
            sppr.insert(0, xfrm)
        off = xfrm.find(_A_OFF)
        if off is None:
            off = etree.Element(_A_OFF)
            xfrm.insert(0, off)
        off.set("x", str(_emu(left)))
        off.set("y", str(_emu(top)))
        ext = xfrm.find(_A_EXT)
        if ext is None:
            ext = etree.SubElement(xfrm, _A_EXT)
        ext.set("cx", str(_emu(width)))
        ext.set("cy", str(_emu(height)))
