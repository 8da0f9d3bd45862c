"""The example corporate templates shipped with the ``corporate`` theme, made by this code (not copied).

``python -m builders.templates themes/corporate`` writes ``reference.docx`` (a Word reference document
with the house styles, a letterhead header and US Letter page set-up) and ``template.pptx`` (a slide
master with a colour band, a wordmark and the five standard layouts).  Both are reproducible to the byte,
so a test can rebuild them and compare with the committed files.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

HOUSE = "Example Policy Institute"
GREEN, AMBER, INK = "14532D", "B45309", "1F2937"
STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)
# The children of w:pPr that come after w:pBdr (ECMA-376 Part 1, CT_PPrBase, then CT_PPr's own).
_PPR_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def make_docx(path: Path) -> Path:
    """A reference .docx: house fonts and colours on the styles, a header, Letter pages with 1 in margins."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt, RGBColor

    from .reproducible import normalize_zip

    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Inches(1))
    for name, font, east, size, colour, bold in (
        ("Normal", "Georgia", "DengXian", 10.5, INK, False),
        ("Title", "Georgia", "DengXian", 28, GREEN, True),
        ("Subtitle", "Georgia", "DengXian", 14, AMBER, False),
        ("Heading 1", "Verdana", "Microsoft YaHei", 15, GREEN, True),
        ("Heading 2", "Verdana", "Microsoft YaHei", 12.5, GREEN, True),
        ("Heading 3", "Verdana", "Microsoft YaHei", 11, AMBER, True),
        ("Caption", "Verdana", "Microsoft YaHei", 9, AMBER, False),
    ):
        style = doc.styles[name]
        style.font.name, style.font.size, style.font.bold = font, Pt(size), bold
        style.font.color.rgb = RGBColor.from_string(colour)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), east)
    header = section.header.paragraphs[0]
    header.text = f"{HOUSE} · Policy brief"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.color.rgb = RGBColor.from_string(GREEN)
    header.runs[0].font.size = Pt(8)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", AMBER)):
        bottom.set(qn(k), v)
    border.append(bottom)
    # ECMA-376 fixes the order of pPr's children: the border goes before the alignment, not after it.
    header._p.get_or_add_pPr().insert_element_before(border, *_PPR_AFTER_PBDR)
    # A reference document carries styles, not text.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _house_properties(doc.core_properties, "reference document")
    doc.save(str(path))
    normalize_zip(path, STAMP)
    return path


def make_pptx(path: Path) -> Path:
    """A template .pptx: 16:9, a green band and amber rule on the master, the house wordmark, standard layouts."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu, Pt

    from .reproducible import normalize_zip

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    master = prs.slide_master
    w, h = prs.slide_width, prs.slide_height
    # python-pptx cannot add shapes to a master: draw them on a scratch slide, then move them over.
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, w, Emu(int(h * 0.035)))
    rule = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Emu(int(h * 0.035)), w, Emu(int(h * 0.006)))
    for shape, colour in ((band, GREEN), (rule, AMBER)):
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(colour)
        shape.line.fill.background()
        shape.name = "House band" if colour == GREEN else "House rule"
    mark = scratch.shapes.add_textbox(Emu(int(w * 0.70)), Emu(int(h * 0.935)), Emu(int(w * 0.27)), Emu(int(h * 0.05)))
    mark.name = "House wordmark"
    para = mark.text_frame.paragraphs[0]
    para.text = HOUSE.upper()
    para.runs[0].font.size, para.runs[0].font.bold = Pt(9), True
    para.runs[0].font.color.rgb = RGBColor.from_string(GREEN)
    para.alignment = 3  # right
    tree = master.shapes._spTree
    for shape in (band, rule, mark):
        tree.append(shape._element)  # after the placeholders: drawn last, never covered
    slide_id = prs.slides._sldIdLst[0]
    prs.part.drop_rel(slide_id.rId)
    prs.slides._sldIdLst.remove(slide_id)
    # Placeholders on every layout line up with the new slide size.
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            ph.left, ph.width = Emu(int(ph.left * w / 9144000)), Emu(int(ph.width * w / 9144000))
    _house_properties(prs.core_properties, "slide template")
    prs.save(str(path))
    normalize_zip(path, STAMP)
    return path


def _house_properties(props, what: str) -> None:
    """Fixed authorship and dates: the files are reproducible to the byte."""
    props.author, props.title, props.last_modified_by = HOUSE, f"{HOUSE} {what}", HOUSE
    props.created = props.modified = STAMP.replace(tzinfo=None)
    props.revision = 1


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "themes/corporate")
    target.mkdir(parents=True, exist_ok=True)
    for made in (make_docx(target / "reference.docx"), make_pptx(target / "template.pptx")):
        print(f"wrote {made}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
