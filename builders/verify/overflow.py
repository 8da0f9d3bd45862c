"""Slides rendered by LibreOffice: does any line of text lie outside its box or the slide?

The deck's shapes give the boxes (EMU → points); ``pdftotext -bbox-layout`` on the
LibreOffice rendering gives where every line of text was actually drawn.  A line
that no text-bearing shape contains has run out of its box.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .extract import run

EMU_PER_PT = 12700
TOLERANCE = 2.0  # points: glyph bounding boxes may poke past the frame by a hair


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def contains(self, other: "Box", tol: float = TOLERANCE) -> bool:
        return (other.x0 >= self.x0 - tol and other.y0 >= self.y0 - tol
                and other.x1 <= self.x1 + tol and other.y1 <= self.y1 + tol)


def shape_boxes(pptx: Path) -> tuple[list[list[Box]], Box]:
    """Per slide, the boxes of shapes that carry text (text frames, tables, charts); and the slide."""
    from pptx import Presentation

    prs = Presentation(str(pptx))
    slide_box = Box(0, 0, prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT)
    pages = []
    for slide in prs.slides:
        boxes = []
        # A template's master and layout drawings (a wordmark, say) appear on the slide too.
        inherited = [sh for sh in (*slide.slide_layout.shapes, *slide.slide_layout.slide_master.shapes)
                     if not sh.is_placeholder]
        for shape in (*slide.shapes, *inherited):
            if shape.width is None or shape.left is None:
                continue
            if shape.has_text_frame or getattr(shape, "has_chart", False) or getattr(shape, "has_table", False):
                boxes.append(Box(shape.left / EMU_PER_PT, shape.top / EMU_PER_PT,
                                 (shape.left + shape.width) / EMU_PER_PT, (shape.top + shape.height) / EMU_PER_PT))
        pages.append(boxes)
    return pages, slide_box


def text_lines(pdf: Path) -> list[list[tuple[str, Box]]]:
    """Per page, each drawn line of text and its box (points, origin top-left)."""
    xml = run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"], "poppler-utils")
    xml = xml[xml.find("<html"):] if "<html" in xml else xml
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [w.text or "" for w in line.iter("{http://www.w3.org/1999/xhtml}word")]
            box = Box(*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            lines.append((" ".join(words), box))
        pages.append(lines)
    return pages


def overflowing(pptx: Path, rendered_pdf: Path) -> list[str]:
    """Problems, one per line of text outside its box or the slide, named by slide number and text."""
    boxes, slide = shape_boxes(pptx)
    pages = text_lines(rendered_pdf)
    problems = []
    if len(pages) != len(boxes):
        problems.append(f"LibreOffice rendered {len(pages)} pages for {len(boxes)} slides")
    for n, (lines, shapes) in enumerate(zip(pages, boxes), start=1):
        for text, box in lines:
            if not slide.contains(box, 0.5):
                problems.append(f"slide {n}: text outside the slide: {text[:40]!r}")
            elif not any(s.contains(box) for s in shapes):
                problems.append(f"slide {n}: text outside its box: {text[:40]!r}")
    return problems
