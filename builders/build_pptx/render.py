"""Rendering fitted slide plans with python-pptx.

Slides use the template's layouts by name (python-pptx's default template when
the theme names none); placeholders are moved to the measured boxes so the
presenter can still edit them as ordinary title and body text.

Speed: python-pptx's ``add_slide`` and ``notes_slide`` clone the layout's and
the notes master's placeholders and scan every part of the package for the next
part name, which makes a deck of n slides cost O(n²).  The first slide of each
layout (and the first notes page) is made by python-pptx; later ones copy that
pristine XML and are numbered from counters, with the same part names, ids and
relationships python-pptx would give them.  Shapes and text are written as lxml
elements directly (see :mod:`.text`).
"""
from __future__ import annotations

import zipfile
from copy import deepcopy
from datetime import datetime
from typing import Optional

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.slide import SlidePart
from pptx.util import Pt

from ..diagnostics import Log
from ..docprops import core_text
from ..model import Brief
from ..reproducible import EntryWriter, zip_timestamp
from ..theme import Theme
from .measure import Fitter
from .plan import SlidePlan
from .text import (_NSDECLS, body_pr_xml, end_xml, fill, notes_xml, ppr_xml, rpr_xml, run_xml, setup_frame)

_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
_TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
_SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # fixed: reproducible bytes
_P_SPPR, _P_TXBODY, _P_CSLD, _P_SPTREE = qn("p:spPr"), qn("p:txBody"), qn("p:cSld"), qn("p:spTree")
_A_XFRM, _A_OFF, _A_EXT = qn("a:xfrm"), qn("a:off"), qn("a:ext")
_NOTES_MARK = "<a:p><a:r><a:t>brief-notes-marker</a:t></a:r></a:p>"
_NS = nsdecls("a", "p")
_TEXTBOX = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            '<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect">'
            '<a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none"><a:spAutoFit/>'
            '</a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>')
# python-pptx's rectangle after fill.solid(), line.fill.background() and shadow.inherit = False.
_RECT = (f'<p:sp {_NS}><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>'
         '<a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
         '</a:prstGeom><a:solidFill><a:srgbClr val="%s"/></a:solidFill><a:ln><a:noFill/></a:ln><a:effectLst/>'
         '</p:spPr><p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3">'
         '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/></a:effectRef>'
         '<a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style><p:txBody>'
         '<a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p></p:txBody></p:sp>')


def _emu(points: float) -> int:
    return int(Pt(points))


def _max_id(tree) -> int:
    """python-pptx's next shape id is one more than the largest numeric @id anywhere in the slide."""
    ids = [int(v) for v in tree.xpath("//@id") if v.isdigit()]
    return max(ids) if ids else 0


class _Layout:
    """A layout's pristine slide XML (placeholders cloned by python-pptx) and which placeholders are which."""

    def __init__(self, layout, slide):
        self.layout = layout
        tree = slide.shapes._spTree
        kids = list(tree)
        title = next((p for p in slide.placeholders if p.placeholder_format.type in _TITLE_TYPES), None)
        body = next((p for p in slide.placeholders if p.placeholder_format.type in _BODY_TYPES), None)
        self.title = kids.index(title._element) if title is not None else None
        self.body = kids.index(body._element) if body is not None else None
        self.title_idx = title.placeholder_format.idx if title is not None else None
        self.body_idx = body.placeholder_format.idx if body is not None else None
        # (position in spTree, idx) of every placeholder
        self.phs = [(kids.index(p._element), p.placeholder_format.idx) for p in slide.placeholders]
        self.proto = deepcopy(slide._element)


class Renderer:
    def __init__(self, brief: Brief, theme: Theme, log: Log, fitter: Fitter, when: Optional[datetime]):
        self.brief, self.theme, self.log, self.fitter, self.when = brief, theme, log, fitter, when
        self.lang = brief.language
        self.prs = self._open()
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}
        self._protos: dict[int, _Layout] = {}
        self._notes_head: Optional[bytes] = None
        self._notes_tail = b""
        self._notes_master_part = None
        self._sld_ids = self.prs.slides._sldIdLst
        self._last_id = 0
        self._count = 0
        c = theme.colours
        self._accent = c.accent.hex.upper()
        self._footers: dict = {}

    # ------------------------------------------------------------ presentation
    def _open(self):
        tpl = self.theme.pptx_template
        if tpl is not None and not tpl.is_file():
            self.log.warn("theme", f"pptx template {tpl} not found; using the default template")
            tpl = None
        prs = self._presentation(tpl) if tpl else Presentation()
        # A template's own slides are examples, not content.
        ids = prs.slides._sldIdLst
        for sld in list(ids):
            prs.part.drop_rel(sld.get(qn("r:id")))
            ids.remove(sld)
        prs.slide_width = Pt(self.theme.slides.width)
        prs.slide_height = Pt(self.theme.slides.height)
        return prs

    def _presentation(self, tpl):
        """The template, sanitised first (:mod:`builders.sanitize`), opened by python-pptx."""
        import io

        from ..errors import Diagnostic, InputError
        from ..sanitize import display, template_bytes

        data = template_bytes(tpl, "pptx", self.log)
        try:
            return Presentation(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - a broken template is the user's file, not our bug
            raise InputError([Diagnostic(display(tpl), 1, 1, "python-pptx cannot open the PowerPoint template: "
                                                             f"{type(exc).__name__}: {exc}")]) from None

    def layout(self, name: str):
        if name in self.layouts:
            return self.layouts[name]
        fallback = self.layouts.get("Title Only") or next(
            (lo for lo in self.prs.slide_layouts if any(p.placeholder_format.type in _TITLE_TYPES
                                                         for p in lo.placeholders)), self.prs.slide_layouts[0])
        self.log.warn("theme", f"the pptx template has no layout named {name!r}; using {fallback.name!r}")
        self.layouts[name] = fallback
        return fallback

    def _new_slide(self, layout) -> tuple[SlidePart, _Layout]:
        """A slide of ``layout`` at the end of the deck, as ``prs.slides.add_slide`` makes it."""
        info = self._protos.get(id(layout))
        if info is None:  # python-pptx itself, once per layout
            slide = self.prs.slides.add_slide(layout)
            info = self._protos[id(layout)] = _Layout(layout, slide)
            part = slide.part
        else:
            part = SlidePart(PackURI("/ppt/slides/slide%d.xml" % (len(self._sld_ids) + 1)), CT.PML_SLIDE,
                             self.prs.part.package, deepcopy(info.proto))
            part.relate_to(layout.part, RT.SLIDE_LAYOUT)
            rid = self.prs.part._rels._add_relationship(RT.SLIDE, part)  # new: no need to look for a match
            self._sld_ids._add_sldId(id=self._last_id + 1, rId=rid)
        self._last_id = int(self._sld_ids[-1].get("id"))
        self._count += 1
        return part, info

    def _notes(self, part: SlidePart, text: str) -> None:
        """The slide's notes page (python-pptx's ``slide.notes_slide``) with ``text`` in its notes body.

        The first is python-pptx's; its pristine XML, serialized around a marker paragraph, gives every
        later one as bytes (the notes of a section's continued slides repeat its whole list: parsing
        them into elements only to serialize them again cost more than the rest of the deck)."""
        body, lang = self.theme.fonts.body, self.lang
        if self._notes_head is None:
            notes = part.slide.notes_slide
            self._notes_master_part = self.prs.part.notes_master_part
            proto = deepcopy(notes._element)
            ph = notes.notes_placeholder
            if ph is None:  # python-pptx would have failed here: a notes master without a body
                raise ValueError("the pptx template's notes master has no body placeholder")
            tree = notes.shapes._spTree
            pos = list(tree).index(ph._element)
            fill(ph.text_frame._txBody, notes_xml(text, body, lang))
            proto_ph = proto.find(_P_CSLD).find(_P_SPTREE)[pos]
            tx = self._tx_body(proto_ph)
            fill(tx, _NOTES_MARK)
            head, mark, tail = serialize_part_xml(proto).partition(_NOTES_MARK.encode())
            if not mark or _NOTES_MARK.encode() in tail:
                raise AssertionError("notes marker not found once in the notes page")
            self._notes_head, self._notes_tail = head, tail
            return
        # Each slide has one notes page, so python-pptx's next free name is the slide's number.
        blob = self._notes_head + notes_xml(text, body, lang).encode("utf-8") + self._notes_tail
        notes_part = Part(PackURI("/ppt/notesSlides/notesSlide%d.xml" % self._count), CT.PML_NOTES_SLIDE,
                          self.prs.part.package, blob)
        notes_part.relate_to(self._notes_master_part, RT.NOTES_MASTER)
        notes_part.relate_to(part, RT.SLIDE)
        part.relate_to(notes_part, RT.NOTES_SLIDE)

    # ------------------------------------------------------------ slides
    def _picture(self, slide, figure, box) -> None:
        """A picture figure, as large as its box allows at its own proportions, centred, with alt text."""
        from .. import assets

        pic = assets.picture(figure.image)  # upright and RGB, as in the report and the PDF
        wpx, hpx = pic.width, pic.height
        left, top, width, height = box
        scale = min(width / wpx, height / hpx)
        w, h = wpx * scale, hpx * scale
        pic = slide.shapes.add_picture(pic.source(), _emu(left + (width - w) / 2), _emu(top + (height - h) / 2),
                                       _emu(w), _emu(h))
        pic.name = f"Picture {figure.id}"
        pic._element.nvPicPr.cNvPr.set("descr", figure.alt or figure.title)

    def add(self, s: SlidePlan, number: int) -> None:
        part, info = self._new_slide(self.layout(s.layout))
        sld = part._element
        tree = sld.find(_P_CSLD).find(_P_SPTREE)
        kids = list(tree)
        title_el = kids[info.title] if info.title is not None else None
        body_el = kids[info.body] if info.body is not None else None
        keep = {idx for idx in (info.title_idx, info.body_idx) if idx is not None}
        if not s.paras or s.chart is not None:
            keep.discard(info.body_idx if body_el is not None else None)
            body_el = None
        for pos, idx in info.phs:  # drop placeholders we do not fill (empty prompts)
            if idx not in keep:
                tree.remove(kids[pos])
        self._next = _max_id(tree) + 1
        centred = s.layout == "Title Slide"
        th = self.theme
        if s.kind in ("title", "closing"):
            self._rect(tree, "Accent band", 0, 0, _emu(th.slides.width * 0.015), _emu(th.slides.height))
        title = title_el if title_el is not None else self._textbox(tree, None)
        self._place(title, s.boxes["title"])
        tx = self._tx_body(title)
        setup_frame(tx, MSO_ANCHOR.BOTTOM, s.title_size)  # the accent rule sits right under the title
        heading = th.fonts.heading
        fill(tx, "<a:p>" + ppr_xml(s.title_size, align=PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT)
             + run_xml(s.title, rpr_xml(s.title_size, th.colours.heading.hex, heading, self.lang, True))
             + end_xml(heading, self.lang) + "</a:p>")
        if s.kind not in ("title", "closing"):
            left, top, width, height = s.boxes["title"]
            self._rect(tree, "Title rule", _emu(left + 7.2), _emu(top + height + 3), _emu(72), _emu(3))
        if s.chart is not None and s.chart.image is not None:
            self._picture(part.slide, s.chart, s.boxes["chart"])
            self._next = _max_id(tree) + 1
        elif s.chart is not None:
            from .chart import add_chart  # XlsxWriter and python-pptx's chart modules: only for decks with charts

            add_chart(part.slide, s.chart, s.boxes["chart"], th, self.brief, self.fitter, self.when)
            self._next = _max_id(tree) + 1
        elif s.paras:
            body = body_el if body_el is not None else self._textbox(tree, None)
            self._place(body, s.boxes["body"])
            self._body(self._tx_body(body), s, centred)
        if "footer" in s.boxes:
            self._footer(tree, s, number)
        self._notes(part, s.notes)

    def _body(self, tx, s: SlidePlan, centred: bool) -> None:
        setup_frame(tx, MSO_ANCHOR.TOP)
        c = self.theme.colours
        body_font = self.theme.fonts.body
        lang = self.lang
        size = s.body_size
        align = PP_ALIGN.CENTER if centred else PP_ALIGN.LEFT
        accent = c.accent.hex
        end = end_xml(body_font, lang)
        out = []
        for i, para in enumerate(s.paras):
            gap = self.fitter.space_before(para, size) if i else 0.0
            indent = self.fitter.indent(para, size)
            colour, bold = c.text.hex, False
            if para.kind == "bullet" and not para.cont:
                ppr = ppr_xml(size, gap, indent, True, "•", None, accent, align)
            elif para.kind == "number" and not para.cont and not para.marker.endswith("是"):
                ppr = ppr_xml(size, gap, indent, True, None, int(para.marker.rstrip(".")), accent, align)
            else:
                ppr = ppr_xml(size, gap, indent, align=align)
            if para.kind == "lead":  # set apart by colour, not weight: the text was measured in the regular face
                colour = c.heading.hex if s.kind != "title" else c.muted.hex
            marker = ""
            if para.kind == "number" and para.marker.endswith("是") and not para.cont:
                marker = run_xml(para.marker, rpr_xml(size, accent, body_font, lang))
            out.append(f"<a:p>{ppr}{marker}{run_xml(para.text, rpr_xml(size, colour, body_font, lang, bold))}"
                       f"{end}</a:p>")
        fill(tx, "".join(out))

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

        footer = ("<a:p>" + ppr_xml(size) + run_xml(self.brief.running_title,
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

    @staticmethod
    def _tx_body(sp):
        tx = sp.find(_P_TXBODY)
        if tx is None:
            tx = parse_xml(f'<p:txBody {_NS}><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>')
            sp.append(tx)
        return tx

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
    # ------------------------------------------------------------ saving
    def save(self, path) -> None:
        """``prs.save(path)``, with every entry written reproducibly (:func:`builders.reproducible.add_entry`).

        Dated like the brief and free of host details as written, so the package is not rewritten
        afterwards (which cost a second compression of every part); the entries and their order are
        python-pptx's.
        """
        package = self.prs.part.package
        _ReproduciblePackageWriter(str(path), package._rels, tuple(package.iter_parts()),
                                   zip_timestamp(self.when))._write()

    # ------------------------------------------------------------ properties
    def properties(self) -> None:
        """Core properties from the brief, dates from the brief (never the clock), no python-pptx leftovers."""
        b = self.brief
        cp = self.prs.core_properties
        text, _ = core_text(b)  # shortened to the format's limit; the warnings are the build's (build.py)
        cp.title = text.title
        cp.subject = text.subject
        cp.author = text.author
        cp.last_modified_by = text.author
        cp.keywords = text.keywords
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


class _ReproduciblePackageWriter(PackageWriter):
    """python-pptx's package writer, each entry written by :func:`builders.reproducible.add_entry`."""

    def __init__(self, pkg_file, pkg_rels, parts, stamp):
        super().__init__(pkg_file, pkg_rels, parts)
        self._stamp = stamp

    def _write(self) -> None:
        with zipfile.ZipFile(self._pkg_file, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            writer = EntryWriter(zf, self._stamp)
            self._write_content_types_stream(writer)
            self._write_pkg_rels(writer)
            self._write_parts(writer)
