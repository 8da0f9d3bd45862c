"""Typographic settings of the report that are no single style's business (issue 19).

- An English report hyphenates (``w:autoHyphenation``), so even a ragged right edge stays even and
  a justified template's lines keep their word gaps; headings never hyphenate.
- Every paragraph style keeps widow and orphan control (two lines at a page's head and foot).
- A key-points box travels with the body it introduces: its paragraphs keep with the next, its row
  does not split (:func:`keep_box`).
"""
from __future__ import annotations

import math

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..document import Document
from ..linebreak import pause_break
from . import xml

# CT_Settings children after w:autoHyphenation (schema order).
_AFTER_AUTO_HYPHENATION = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope", "w:summaryLength",
    "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFold",
    "w:bookFoldPrinting", "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData", "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent", "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt",
    "w:showXMLTags", "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator")

# CT_PPrBase children after w:suppressAutoHyphens.
_AFTER_SUPPRESS_HYPHENS = (
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def settings(doc, brief: Document) -> None:
    """Hyphenation for a report in a Latin-script language (Chinese has no hyphens), none in headings."""
    if brief.is_cjk:
        return
    hyph = xml.child(doc.settings.element, "w:autoHyphenation", before=_AFTER_AUTO_HYPHENATION)
    hyph.set(qn("w:val"), "true")
    # Word's default hyphenation zone (0.25 in) and no limit on consecutive hyphens: at most two in a row.
    xml.child(doc.settings.element, "w:consecutiveHyphenLimit",
              before=_AFTER_AUTO_HYPHENATION[1:]).set(qn("w:val"), "2")
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title", "Subtitle", "Cover Title",
                 "Caption", "TOC 1", "TOC 2", "TOC 3"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        ppr = style.element.get_or_add_pPr()
        xml.child(ppr, "w:suppressAutoHyphens", before=_AFTER_SUPPRESS_HYPHENS)


# An author's box of up to this many paragraphs moves whole to the next page rather than split (the PDF
# keeps a box under 40 % of a page whole); a longer one may split, or Word would clip it.
WHOLE_BOX_PARAGRAPHS = 8


def keep_box(tc) -> None:
    """A key-points box (one cell ``tc``) is not left at a page foot: each of its paragraphs keeps with
    the next (Word carries that into the paragraph after the table) and its row does not split."""
    from docx.text.paragraph import Paragraph

    for p in tc.iter(qn("w:p")):
        Paragraph(p, None).paragraph_format.keep_with_next = True
    tr = tc.getparent()
    if tr is not None and tr.tag == qn("w:tr"):
        from .tables import keep_row

        keep_row(tr)


# ---------------------------------------------------------------- headings of two lines

def break_heading(p, label: str, cells: float, first: float, cell_pt: float, latin: float) -> None:
    """Break the heading ``p`` (reading ``label``) where a reader expects it, since Word cannot balance
    lines: after its comma when that leaves two even enough lines (a ``w:br`` there), else at even
    lengths (a right indent), so its last line is never a stub ("…集聚发" / "展", "…提供良好" / "环境").

    Estimated in cells of ``cell_pt`` points, ``cells`` a line, the first indented ``first``: a CJK
    character one cell, a Latin one ``latin``; with a cell to spare, since LibreOffice sets digits and
    marks a little wider than Word."""
    widths = [(c, 1.0 if ord(c) >= 0x2E80 else latin) for c in label]
    length = sum(w for _, w in widths)
    room = cells - 1
    if length + first <= room:
        return
    at = pause_break(widths, first, room)
    if at is not None and _break_after(p, label, at):
        return
    lines = 1 + math.ceil((length - (room - first)) / room)
    per_line = math.ceil((length + first) / lines) + 0.5  # cells a line when all lines are even
    right = max(0, cells - per_line)
    if right >= 1:
        ind = xml.child(p._p.get_or_add_pPr(), "w:ind", before=_AFTER_IND)
        ind.set(qn("w:right"), str(round(right * cell_pt * 20)))


_AFTER_IND = ("w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
              "w:pPrChange")


def _break_after(p, label: str, at: int) -> bool:
    """A line break (``w:br``) after the first ``at`` characters of ``p``'s text, which must read
    ``label``; False (nothing changed) when it does not."""
    texts = list(p._p.iter(qn("w:t")))
    if "".join(t.text or "" for t in texts) != label:
        return False
    seen = 0
    for t in texts:
        text = t.text or ""
        if seen < at <= seen + len(text):
            cut = at - seen
            t.text = text[:cut]
            br = OxmlElement("w:br")
            t.addnext(br)
            if text[cut:]:
                rest = OxmlElement("w:t")
                rest.text = text[cut:]
                rest.set(qn("xml:space"), "preserve")
                br.addnext(rest)
            return True
        seen += len(text)
    return False
