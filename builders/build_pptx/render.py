"""Rendering fitted slide plans with python-pptx.

Slides use the template's layouts by name (python-pptx's default template when
the theme names none); placeholders are moved to the measured boxes so the
presenter can still edit them as ordinary title and body text.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..diagnostics import Log
from ..model import Brief
from ..theme import Theme
from .chart import add_chart
from .measure import Fitter
from .plan import SlidePlan
from .text import add_run, paragraph_format, set_fonts, setup_frame, style_all_runs

_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
_TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # fixed: reproducible bytes


class Renderer:
    def __init__(self, brief: Brief, theme: Theme, log: Log, fitter: Fitter, when: Optional[datetime]):
        self.brief, self.theme, self.log, self.fitter, self.when = brief, theme, log, fitter, when
        self.lang = brief.language
        self.prs = self._open()
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}

    # ------------------------------------------------------------ presentation
    def _open(self):
        tpl = self.theme.pptx_template
        if tpl is not None and not tpl.is_file():
            self.log.warn("theme", f"pptx template {tpl} not found; using the default template")
            tpl = None
        prs = Presentation(str(tpl) if tpl else None)
        # A template's own slides are examples, not content.
        ids = prs.slides._sldIdLst
        for sld in list(ids):
            prs.part.drop_rel(sld.get(qn("r:id")))
            ids.remove(sld)
        prs.slide_width = Pt(self.theme.slides.width)
        prs.slide_height = Pt(self.theme.slides.height)
        return prs

    def layout(self, name: str):
        if name in self.layouts:
            return self.layouts[name]
        fallback = self.layouts.get("Title Only") or next(
            (lo for lo in self.prs.slide_layouts if any(p.placeholder_format.type in _TITLE_TYPES
                                                         for p in lo.placeholders)), self.prs.slide_layouts[0])
        self.log.warn("theme", f"the pptx template has no layout named {name!r}; using {fallback.name!r}")
        self.layouts[name] = fallback
        return fallback

    # ------------------------------------------------------------ slides
    def add(self, s: SlidePlan, number: int) -> None:
        slide = self.prs.slides.add_slide(self.layout(s.layout))
        title_ph = next((p for p in slide.placeholders if p.placeholder_format.type in _TITLE_TYPES), None)
        body_ph = next((p for p in slide.placeholders if p.placeholder_format.type in _BODY_TYPES), None)
        keep = {ph.placeholder_format.idx for ph in (title_ph, body_ph) if ph is not None}
        if not s.paras or s.chart is not None:
            keep.discard(body_ph.placeholder_format.idx if body_ph is not None else None)
            body_ph = None
        for ph in list(slide.placeholders):  # drop placeholders we do not fill (empty prompts)
            if ph.placeholder_format.idx not in keep:
                ph._element.getparent().remove(ph._element)
        centred = s.layout == "Title Slide"
        if s.kind in ("title", "closing"):
            self._band(slide)
        title = title_ph if title_ph is not None else slide.shapes.add_textbox(0, 0, 1, 1)
        self._place(title, s.boxes["title"])
        tf = title.text_frame
        tf.clear()
        setup_frame(tf, MSO_ANCHOR.BOTTOM, s.title_size)  # the accent rule sits right under the title
        p = tf.paragraphs[0]
        paragraph_format(p, s.title_size, align=PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT)
        add_run(p, s.title, s.title_size, self.theme.colours.heading.hex, self.theme.fonts.heading, self.lang,
                bold=True)
        set_fonts(p._p.get_or_add_endParaRPr(), self.theme.fonts.heading, self.lang)
        if s.kind not in ("title", "closing"):
            self._rule(slide, s.boxes["title"])
        if s.chart is not None:
            add_chart(slide, s.chart, s.boxes["chart"], self.theme, self.brief, self.fitter, self.when)
        elif s.paras:
            body = body_ph if body_ph is not None else slide.shapes.add_textbox(0, 0, 1, 1)
            self._place(body, s.boxes["body"])
            self._body(body.text_frame, s, centred)
        if "footer" in s.boxes:
            self._footer(slide, s, number)
        notes = slide.notes_slide.notes_text_frame
        notes.text = s.notes
        style_all_runs(notes, self.theme.fonts.body, self.lang)

    def _body(self, tf, s: SlidePlan, centred: bool) -> None:
        tf.clear()
        setup_frame(tf, MSO_ANCHOR.TOP)
        c = self.theme.colours
        size = s.body_size
        for i, para in enumerate(s.paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            gap = self.fitter.space_before(para, size) if i else 0.0
            indent = self.fitter.indent(para, size)
            align = PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT
            colour, bold = c.text.hex, False
            if para.kind == "bullet" and not para.cont:
                paragraph_format(p, size, space_before=gap, indent=indent, hanging=True, bullet="•",
                                 bullet_colour=c.accent.hex, align=align)
            elif para.kind == "number" and not para.cont and not para.marker.endswith("是"):
                paragraph_format(p, size, space_before=gap, indent=indent, hanging=True,
                                 autonum=int(para.marker.rstrip(".")), bullet_colour=c.accent.hex, align=align)
            else:
                paragraph_format(p, size, space_before=gap, indent=indent, align=align)
            if para.kind == "lead":  # set apart by colour, not weight: the text was measured in the regular face
                colour = c.heading.hex if s.kind != "title" else c.muted.hex
            if para.kind == "number" and para.marker.endswith("是") and not para.cont:
                add_run(p, para.marker, size, c.accent.hex, self.theme.fonts.body, self.lang)
            add_run(p, para.text, size, colour, self.theme.fonts.body, self.lang, bold=bold)
            set_fonts(p._p.get_or_add_endParaRPr(), self.theme.fonts.body, self.lang)

    def _footer(self, slide, s: SlidePlan, number: int) -> None:
        c = self.theme.colours
        size = s.boxes.get("footer_size", 12.0)
        box = slide.shapes.add_textbox(0, 0, 1, 1)
        box.name = "Footer"
        self._place(box, s.boxes["footer"])
        setup_frame(box.text_frame, MSO_ANCHOR.BOTTOM, size)
        p = box.text_frame.paragraphs[0]
        paragraph_format(p, size)
        add_run(p, self.brief.running_title, size, c.muted.hex, self.theme.fonts.caption, self.lang)
        num = slide.shapes.add_textbox(0, 0, 1, 1)
        num.name = "Slide Number"
        self._place(num, s.boxes["number"])
        setup_frame(num.text_frame, MSO_ANCHOR.BOTTOM, 12)
        p = num.text_frame.paragraphs[0]
        paragraph_format(p, 12, align=PP_ALIGN.RIGHT)
        r = add_run(p, str(number), 12, c.muted.hex, self.theme.fonts.caption, self.lang)
        # Turn the run into a slide-number field, so moving slides renumbers them.
        fld = r._r
        fld.tag = qn("a:fld")
        fld.set("id", _SLIDENUM_FIELD_ID)
        fld.set("type", "slidenum")

    def _rule(self, slide, title_box) -> None:
        """A thin line in the theme's accent colour under the title."""
        left, top, width, height = title_box
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(left + 7.2), Pt(top + height + 3), Pt(72), Pt(3))
        bar.name = "Title rule"
        bar.fill.solid()
        bar.fill.fore_color.rgb = RGBColor.from_string(self.theme.colours.accent.hex)
        bar.line.fill.background()
        bar.shadow.inherit = False

    def _band(self, slide) -> None:
        """The title and closing slides: an accent band along the left edge."""
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Pt(self.theme.slides.width * 0.015),
                                     Pt(self.theme.slides.height))
        bar.name = "Accent band"
        bar.fill.solid()
        bar.fill.fore_color.rgb = RGBColor.from_string(self.theme.colours.accent.hex)
        bar.line.fill.background()
        bar.shadow.inherit = False

    @staticmethod
    def _place(shape, box) -> None:
        left, top, width, height = box
        shape.left, shape.top, shape.width, shape.height = Pt(left), Pt(top), Pt(width), Pt(height)

    # ------------------------------------------------------------ properties
    def properties(self) -> None:
        """Core properties from the brief, dates from the brief (never the clock), no python-pptx leftovers."""
        b = self.brief
        cp = self.prs.core_properties
        names = "; ".join(a.name for a in b.authors)
        cp.title = b.title
        cp.subject = b.subtitle or ""
        cp.author = names
        cp.last_modified_by = names
        cp.keywords = ", ".join(b.keywords)
        cp.language = b.language
        cp.comments = ""
        cp.category = ""
        cp.revision = 1
        el = cp._element
        for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
            for old in el.findall(qn(tag)):
                el.remove(old)
        if self.when is not None:
            cp.created = self.when.replace(tzinfo=None)
            cp.modified = self.when.replace(tzinfo=None)
        self._app_properties()

    def _app_properties(self) -> None:
        """The default template's docProps/app.xml claims a 4:3 Mac deck of 0 slides: state the truth."""
        n = len(self.prs.slides)
        w, h = self.theme.slides.width, self.theme.slides.height
        fmt = "Widescreen" if abs(w / h - 16 / 9) < 0.01 else "Custom"
        xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
               'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
               f"<TotalTime>0</TotalTime><Application>brief</Application><PresentationFormat>{fmt}"
               f"</PresentationFormat><Slides>{n}</Slides><Notes>{n}</Notes><HiddenSlides>0</HiddenSlides>"
               "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
               "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion></Properties>")
        for part in self.prs.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                part._blob = xml.encode()
