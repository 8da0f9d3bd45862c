"""The presentation package: template, slides made in O(1) each, notes pages, properties, reproducible saving.

Slides use the template's layouts by name (python-pptx's default template when
the theme names none).

Speed: python-pptx's ``add_slide`` and ``notes_slide`` clone the layout's and
the notes master's placeholders and scan every part of the package for the next
part name, which makes a deck of n slides cost O(n²).  The first slide of each
layout (and the first notes page) is made by python-pptx; later ones copy that
pristine XML and are numbered from counters, with the same part names, ids and
relationships python-pptx would give them.
"""
from __future__ import annotations

import zipfile
from copy import deepcopy
from datetime import datetime
from typing import Optional

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.parts.slide import SlidePart
from pptx.util import Pt

from .. import document as d
from ..diagnostics import Log
from ..docprops import core_text
from ..reproducible import EntryWriter, zip_timestamp
from ..theme import Theme
from .runs import without_notes
from .text import fill, notes_xml

_BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
_TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
_P_TXBODY, _P_CSLD, _P_SPTREE = qn("p:txBody"), qn("p:cSld"), qn("p:spTree")
_NOTES_MARK = "<a:p><a:r><a:t>brief-notes-marker</a:t></a:r></a:p>"


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


class DeckFile:
    """The package being written: slides of a layout, their notes pages, the document properties."""

    def __init__(self, doc: d.Document, theme: Theme, log: Log, when: Optional[datetime]):
        self.doc, self.theme, self.log, self.when = doc, theme, log, when
        self.lang = doc.language
        self.prs = self._open()
        self.layouts = {layout.name: layout for layout in self.prs.slide_layouts}
        self._protos: dict[int, _Layout] = {}
        self._notes_head: Optional[bytes] = None
        self._notes_tail = b""
        self._notes_master_part = None
        self._sld_ids = self.prs.slides._sldIdLst
        self._last_id = 0
        self._count = 0

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

    @staticmethod
    def _tx_body(sp):
        from pptx.oxml import parse_xml
        from pptx.oxml.ns import nsdecls

        tx = sp.find(_P_TXBODY)
        if tx is None:
            tx = parse_xml(f'<p:txBody {nsdecls("a", "p")}><a:bodyPr/><a:lstStyle/><a:p/></p:txBody>')
            sp.append(tx)
        return tx

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
        cp = self.prs.core_properties
        doc = self.doc
        text, _ = core_text(_property_source(doc))  # shortened to the format's limit; the build warns
        cp.title = text.title
        cp.subject = text.subject
        cp.author = text.author
        cp.last_modified_by = text.author
        cp.keywords = text.keywords
        cp.language = doc.language
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


def _property_source(doc: d.Document):
    """What :func:`builders.docprops.core_text` reads, as plain text from the document (note numbers left out)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        title=without_notes(doc.title), subtitle=without_notes(doc.subtitle) if doc.subtitle else None,
        running_title=doc.running_title, short_title=None, keywords=doc.keywords, source=doc.source, name=doc.name,
        authors=tuple(SimpleNamespace(name=without_notes(a.name)) for a in doc.authors))


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
