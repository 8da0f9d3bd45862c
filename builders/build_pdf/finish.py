"""The finishing step: reportlab's PDF made PDF/A-1 (every theme) and PDF/X-1a:2003 (a CMYK theme).

Archives (GB/T 23286.1 = ISO 19005-1, PDF/A-1) and print shops (ISO 15930-4, PDF/X-1a:2003) read
declarations reportlab does not write: XMP metadata that repeats the Info dictionary, an output intent
with an embedded ICC profile, printable annotations, CIDSets.  pikepdf (qpdf) adds them and rewrites the
file, which also gives every stream the end-of-line before ``endstream`` that PDF/A-1 requires.

``finish(path, meta, theme)`` edits ``path`` in place and returns what stands in the way of the claimed
conformance (transparency, JavaScript, ...), one line each, for the builder to warn about; the
conformance is claimed all the same, so a warning here is a bug to fix in the builder or the theme.

The output stays byte-reproducible: dates come from the Info dictionary reportlab wrote (the brief's
date), the trailer /ID is a hash of the content, and object order is qpdf's, which is deterministic.
"""
from __future__ import annotations

import dataclasses
import os
import re
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Sequence

from .._imports import import_deferring

# pikepdf's XMP helpers compile a regex class over most of Unicode at import (~5 ms); we write the XMP
# ourselves, so it stays a stand-in.  Imported here, at module level, so that the PDF builder's early
# process (builders.early) pays for pikepdf (~25 ms) while the brief is still being read.
import_deferring("pikepdf", "(?u)[^\\x09\\x0A\\x0D\\x20-")
import pikepdf  # noqa: E402

from . import fontprog, icc, pictures, xmp  # noqa: E402

__all__ = ["PdfMeta", "finish", "meta_of"]

PDFX_VERSION = "PDF/X-1a:2003"  # ISO 15930-4:2003 names itself in GTS_PDFXVersion; its GTS_PDFXConformance is gone


@dataclass(frozen=True)
class PdfMeta:
    """The document information both the Info dictionary and the XMP packet carry."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: Sequence[str] = ()
    creator: str = "brief"
    producer: str = "brief (reportlab)"
    language: str = ""  # BCP 47, e.g. "zh-CN"


def meta_of(doc, language: str = "") -> PdfMeta:
    """The metadata a reportlab doc template was given (``title=``, ``author=``, ...)."""
    keywords = doc.keywords or ()
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    return PdfMeta(doc.title or "", doc.author or "", doc.subject or "", tuple(keywords),
                   doc.creator or "", getattr(doc, "producer", "") or "", language)


def finish(path: Path, meta: PdfMeta, theme, conformance: str = "B", structure=None,
           data: bytes | None = None) -> list[str]:
    """Make the PDF at ``path`` PDF/A-1 of level ``conformance`` ("B"; "A" for a tagged PDF),
    and PDF/X-1a:2003 as well when ``theme`` prints in CMYK.  Returns the problems found, one line each.

    ``data``, when given, is reportlab's PDF, made in memory: the file is written once, finished
    (writing it first and then over itself cost ~4 ms: ext4 flushes a file truncated to be rewritten).

    ``structure(pdf, annotations)``, when given, writes the structure tree (:mod:`.structure`);
    ``annotations`` are each page's annotations as reportlab wrote them, None for one removed here.

    ``BRIEF_PDF_FINISH=0`` in the environment leaves reportlab's file as it is (for timing the step)."""
    if os.environ.get("BRIEF_PDF_FINISH", "1") == "0":
        if data is not None:
            Path(path).write_bytes(data)
        return []
    if conformance not in ("A", "B"):
        raise ValueError(f"PDF/A-1 conformance is A or B, not {conformance!r}")
    cmyk = theme.page.colour_mode == "cmyk"
    meta = _xml_safe(meta)
    problems: list[str] = []
    out = BytesIO()
    with pikepdf.open(BytesIO(data) if data is not None else path) as pdf:
        info = _info(pdf, meta, pdfx=cmyk)
        _output_intents(pdf, icc.condition(theme.page.colour_mode), pdfx=cmyk)
        pdf.Root.Metadata = _metadata_stream(pdf, xmp.packet(meta, info, conformance, pdfx=cmyk))
        annotations = [list(p.obj.get("/Annots", ())) for p in pdf.pages]
        for page in pdf.pages:
            problems += _annotations(page, pdfx=cmyk)
            if cmyk and ("/TrimBox" not in page.obj or "/BleedBox" not in page.obj):
                problems.append(f"page {page.index + 1} has no TrimBox or BleedBox (PDF/X)")
        # The structure tree's thousands of objects are ours and hold no font, picture or graphics state:
        # the checks below look at the objects that were there before it (~7 ms less for the sample).
        theirs = list(pdf.objects)
        if structure is not None:
            kept = [{a.objgen for a in p.obj.get("/Annots", ())} for p in pdf.pages]
            structure(pdf, [[a if a.objgen in k else None for a in old] for old, k in zip(annotations, kept)])
        if conformance == "A" and "/MarkInfo" not in pdf.Root:
            problems.append("PDF/A-1a claimed but the PDF is not tagged (no /MarkInfo)")
        problems += pictures.fix_pictures(pdf, theme.page.colour_mode)
        problems += _fonts_and_images(pdf, theirs)
        problems += _document_actions(pdf)
        # Into memory, then over ``path``: pikepdf's own overwrite leaves a ``.pikepdf.*`` temporary
        # file behind when the build is interrupted, which the builder's clean-up cannot know about.
        pdf.save(out, deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable,  # PDF 1.4 for PDF/A-1 and PDF/X-1a
                 fix_metadata_version=False, min_version="1.4", force_version="1.4")
    Path(path).write_bytes(out.getvalue())
    return list(dict.fromkeys(problems))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(meta: PdfMeta) -> PdfMeta:
    """``meta`` without the characters XML 1.0 cannot carry, so that Info and XMP can still be equal."""
    def clean(s: str) -> str:
        return _NOT_XML.sub("", s)

    return dataclasses.replace(meta, title=clean(meta.title), author=clean(meta.author), subject=clean(meta.subject),
                               keywords=tuple(clean(k) for k in meta.keywords), creator=clean(meta.creator),
                               producer=clean(meta.producer), language=clean(meta.language))


def _info(pdf, meta: PdfMeta, pdfx: bool) -> dict[str, str]:
    """Rewrite the Info dictionary from ``meta`` (reportlab's dates kept); the text values, for the XMP."""
    old = pdf.trailer.get("/Info") or pikepdf.Dictionary()
    dates = {k: str(old[k]) for k in ("/CreationDate", "/ModDate") if k in old}
    if "/ModDate" not in dates and "/CreationDate" in dates:
        dates["/ModDate"] = dates["/CreationDate"]
    text = {"/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject,
            "/Keywords": ", ".join(meta.keywords), "/Creator": meta.creator, "/Producer": meta.producer}
    text = {k: v for k, v in text.items() if v}
    new = pikepdf.Dictionary({k: pikepdf.String(v) for k, v in {**text, **dates}.items()})
    # Print shops: trapping is theirs to do (ISO 15930-4 wants True or False, never Unknown).
    new.Trapped = pikepdf.Name("/False")
    if pdfx:
        new.GTS_PDFXVersion = pikepdf.String(PDFX_VERSION)
    pdf.trailer.Info = pdf.make_indirect(new)
    return {**text, **dates}


def _output_intents(pdf, cond: icc.Condition, pdfx: bool) -> None:
    """One ICC stream, referenced by the PDF/A intent and, for print, by the PDF/X intent."""
    # Level 1: 2 ms for the CMYK profile and 1 % bigger than level 6 (4.5 ms); level 9 takes 19 ms.
    profile = pikepdf.Stream(pdf, zlib.compress(cond.data(), 1))
    profile.Filter, profile.N = pikepdf.Name.FlateDecode, cond.components
    profile = pdf.make_indirect(profile)

    def intent(subtype: str):
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name(subtype),
            OutputConditionIdentifier=pikepdf.String(cond.identifier), OutputCondition=pikepdf.String(cond.info),
            RegistryName=pikepdf.String(cond.registry), Info=pikepdf.String(cond.info), DestOutputProfile=profile))

    pdf.Root.OutputIntents = pikepdf.Array([intent("/GTS_PDFA1"), *([intent("/GTS_PDFX")] if pdfx else [])])


def _metadata_stream(pdf, xmp: bytes):
    # PDF/A-1 6.7.2: the metadata stream is not filtered, so any archive tool can read it.
    stream = pikepdf.Stream(pdf, xmp)
    stream.Type, stream.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    return pdf.make_indirect(stream)


def _annotations(page, pdfx: bool) -> list[str]:
    """Annotations printable (PDF/A-1 6.5.3: /F with Print set, Hidden/Invisible/NoView clear); none inside
    the BleedBox of a PDF/X page (ISO 15930-4 allows only TrapNet and PrinterMark there)."""
    annots = page.obj.get("/Annots")
    if annots is None:
        return []
    problems, kept = [], []
    box = page.obj.get("/BleedBox") or page.obj.get("/TrimBox") if pdfx else None
    for a in annots:
        sub = a.get("/Subtype")
        printers = sub in (pikepdf.Name.TrapNet, pikepdf.Name.PrinterMark)
        if box is not None and not printers and _overlaps(a.get("/Rect"), box):
            continue  # a print shop has no use for a link; the bookmarks still navigate
        action = a.get("/A")
        if action is not None and action.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
            problems.append(f"page {page.index + 1}: a {action.S} action on an annotation (not allowed in PDF/A)")
            del a["/A"]
        if sub != pikepdf.Name.Popup:
            a.F = (int(a.get("/F", 0)) | 4) & ~(1 | 2 | 32)
        if "/CA" in a and float(a.CA) != 1.0:
            problems.append(f"page {page.index + 1}: a transparent annotation (CA {float(a.CA)})")
        kept.append(a)
    if kept:
        page.obj.Annots = pikepdf.Array(kept)
    else:
        del page.obj["/Annots"]
    return problems


def _overlaps(rect, box) -> bool:
    if rect is None:
        return True
    r, b = [float(v) for v in rect], [float(v) for v in box]
    return min(r[0], r[2]) < max(b[0], b[2]) and max(r[0], r[2]) > min(b[0], b[2]) and \
        min(r[1], r[3]) < max(b[1], b[3]) and max(r[1], r[3]) > min(b[1], b[3])


def _fonts_and_images(pdf, objects) -> list[str]:
    """Every font embedded, CIDSets for subset CID fonts, font programs matching /Widths; no
    transparency and no LZW anywhere in ``objects`` (or in the graphics states of ``pdf``)."""
    problems = []
    for obj in objects:
        if not isinstance(obj, pikepdf.Dictionary) and not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter") if isinstance(obj, pikepdf.Stream) else None
        if filters is not None:
            names = filters if isinstance(filters, pikepdf.Array) else [filters]
            if pikepdf.Name.LZWDecode in names:
                problems.append("an LZW-compressed stream (not allowed in PDF/A-1)")
        kind = obj.get("/Type")
        sub = obj.get("/Subtype")
        if sub == pikepdf.Name.Image and "/SMask" in obj:
            problems.append("a picture with an alpha channel (soft mask: transparency, not allowed in PDF/A-1 "
                            "or PDF/X-1a) was left as it is")
        elif "/Group" in obj and obj.Group.get("/S") == pikepdf.Name.Transparency:
            problems.append("a transparency group")
        elif kind == pikepdf.Name.FontDescriptor:
            if not any(k in obj for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {obj.get('/FontName')} is not embedded")
        elif kind == pikepdf.Name.Font and sub in (pikepdf.Name.Type1, pikepdf.Name.TrueType) \
                and "/FontDescriptor" not in obj:
            problems.append(f"font {obj.get('/BaseFont')} is not embedded (a standard 14 font)")
        elif kind == pikepdf.Name.Font and sub in (pikepdf.Name.CIDFontType0, pikepdf.Name.CIDFontType2):
            fontprog.add_cidset(pdf, obj)
        elif kind == pikepdf.Name.Font and sub == pikepdf.Name.TrueType and "/Widths" in obj:
            fontprog.match_widths(obj)
    return problems + _graphics_states(pdf, objects)


def _graphics_states(pdf, objects) -> list[str]:
    """No constant alpha, soft mask or blend mode in any graphics state (PDF/A-1 6.4, PDF/X-1a: no
    transparency).  Graphics states are often direct objects, so they are found through resources."""
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    resources += [o.get("/Resources") for o in objects
                  if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Form]
    problems = []
    for res in resources:
        states = res.get("/ExtGState") if isinstance(res, pikepdf.Dictionary) else None
        for _, gs in (states.items() if isinstance(states, pikepdf.Dictionary) else ()):
            for key in ("/CA", "/ca"):
                if key in gs and float(gs[key]) < 1.0:
                    problems.append(f"transparency: a graphics state with {key[1:]} {float(gs[key])}")
            if gs.get("/SMask", pikepdf.Name("/None")) != pikepdf.Name("/None"):
                problems.append("transparency: a graphics state with a soft mask")
            if gs.get("/BM", pikepdf.Name.Normal) not in (pikepdf.Name.Normal, pikepdf.Name.Compatible):
                problems.append(f"transparency: a graphics state with blend mode {gs.BM}")
    return problems


def _document_actions(pdf) -> list[str]:
    """No JavaScript and no document-level additional actions (PDF/A-1 6.6)."""
    problems = []
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        del names["/JavaScript"]
        problems.append("document JavaScript removed (not allowed in PDF/A-1)")
    if "/AA" in pdf.Root:
        del pdf.Root["/AA"]
        problems.append("document additional actions removed (not allowed in PDF/A-1)")
    action = pdf.Root.get("/OpenAction")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
        del pdf.Root["/OpenAction"]
        problems.append("an open action that runs a script removed (not allowed in PDF/A-1)")
    return problems
