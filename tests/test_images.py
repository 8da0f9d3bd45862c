"""A figure that is a picture: in the report, the deck and the PDF, with its caption and alt text."""
from __future__ import annotations

import re

import pytest

from builders.build import build_brief
from builders.loader import load_brief
from builders.theme import load_theme

from .conftest import ENGLISH, SAMPLE, THEMES


def _image(path, width=640, height=360):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), (240, 244, 248))
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, width - 40, height - 40), outline=(31, 58, 95), width=6)
    draw.line((40, height - 40, width - 40, 40), fill=(168, 50, 45), width=8)
    img.save(path, "PNG")
    return path


@pytest.fixture(scope="module", params=[SAMPLE, ENGLISH], ids=["sample", "english"])
def with_image(request, tmp_path_factory):
    src = request.param
    folder = tmp_path_factory.mktemp("img")
    _image(folder / "corridor.png")
    text = src.read_text(encoding="utf-8").rstrip() + "\n"
    if "\nfigures:" not in text:
        text += "figures:\n"
    text = text.replace("\nfigures:\n", "\nfigures:\n  - id: corridor-map\n    title: Corridor sketch 走廊示意\n"
                                        "    image: corridor.png\n    alt: A rectangle crossed by a red diagonal line\n", 1)
    brief_file = folder / src.name
    brief_file.write_text(text, encoding="utf-8")
    brief, _ = load_brief(brief_file)
    return brief


@pytest.mark.parametrize("theme_name", THEMES)
def test_picture_in_every_format(with_image, theme_name, tmp_path):
    from docx import Document
    from pptx import Presentation
    from pypdf import PdfReader

    theme, _ = load_theme(theme_name)
    result = build_brief(with_image, theme, tmp_path, parallel=False)
    assert not [w for w in result.warnings if "corridor-map" in str(w)], result.warnings
    alt = "A rectangle crossed by a red diagonal line"

    doc = Document(str(tmp_path / f"{with_image.name}.docx"))
    descrs = [el.get("descr") for el in doc.element.body.iter() if el.tag.endswith("}docPr")]
    assert alt in descrs
    assert any("Corridor sketch" in p.text and re.search(r"(图|Figure ?)\d", p.text) for p in doc.paragraphs)

    prs = Presentation(str(tmp_path / f"{with_image.name}.pptx"))
    pictures = [sh for slide in prs.slides for sh in slide.shapes if sh.shape_type == 13]
    assert any(sh._element.nvPicPr.cNvPr.get("descr") == alt for sh in pictures)

    reader = PdfReader(str(tmp_path / f"{with_image.name}.pdf"))
    images = [img for page in reader.pages for img in page.images]
    assert images
    assert "Corridorsketch" in "".join(p.extract_text() for p in reader.pages).replace(" ", "")
