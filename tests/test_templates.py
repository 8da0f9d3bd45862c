"""The example corporate templates: made by our code, reproducible, and used by the corporate theme."""
from __future__ import annotations


import docx
from pptx import Presentation

from builders.templates import HOUSE, make_docx, make_pptx
from builders.theme import load_theme

from .conftest import ROOT

CORPORATE = ROOT / "themes" / "corporate"


def test_committed_templates_are_what_the_code_makes(tmp_path):
    assert make_docx(tmp_path / "reference.docx").read_bytes() == (CORPORATE / "reference.docx").read_bytes()
    assert make_pptx(tmp_path / "template.pptx").read_bytes() == (CORPORATE / "template.pptx").read_bytes()


def test_corporate_theme_names_them():
    theme, _ = load_theme("corporate")
    assert theme.docx_template == (CORPORATE / "reference.docx").resolve()
    assert theme.pptx_template == (CORPORATE / "template.pptx").resolve()


def test_report_uses_the_reference_document(built):
    doc = docx.Document(str(built("sample", "corporate", "docx")))
    section = doc.sections[-1]
    assert round(section.page_width.inches, 2) == 8.5 and round(section.page_height.inches, 2) == 11
    headers = " ".join(p.text for s in doc.sections for p in s.header.paragraphs)
    assert f"{HOUSE} · Policy brief" in headers
    assert doc.styles["Heading 1"].font.name == "Verdana"


def test_deck_uses_the_template_master(built):
    prs = Presentation(str(built("sample", "corporate", "pptx")))
    names = {shape.name for shape in prs.slide_master.shapes}
    assert {"House band", "House rule", "House wordmark"} <= names
    used = {slide.slide_layout.name for slide in prs.slides}
    assert used <= {layout.name for layout in prs.slide_layouts}


def test_corporate_builds_without_warnings(build_cache):
    for fmt in ("docx", "pptx", "pdf"):
        assert build_cache.warnings("sample", "corporate", fmt) == [], fmt


def test_template_lacking_a_layout_falls_back_with_a_warning(tmp_path):
    from builders.build import build_brief
    from builders.loader import load_brief

    from .conftest import ENGLISH

    deck = Presentation(str(CORPORATE / "template.pptx"))
    layouts = deck.slide_layouts
    for layout in list(layouts):
        if layout.name == "Section Header":
            layouts.remove(layout)
    deck.save(str(tmp_path / "thin.pptx"))
    theme_file = tmp_path / "thin.yaml"
    theme_file.write_text("extends: default\ntemplates: {pptx: thin.pptx}\n", encoding="utf-8")
    theme, _ = load_theme(str(theme_file))
    brief, _ = load_brief(ENGLISH)
    result = build_brief(brief, theme, tmp_path / "out", ["pptx"], parallel=False)
    assert any("no layout named 'Section Header'" in str(w) for w in result.warnings), result.warnings
    assert (tmp_path / "out" / f"{brief.name}.pptx").exists()


def test_committed_templates_are_valid_open_xml():
    """ECMA-376 order matters (w:pBdr before w:jc in the letterhead): Microsoft's validator is the judge."""
    from .ooxml import validate, xml_problems

    files = [CORPORATE / "reference.docx", CORPORATE / "template.pptx"]
    assert [p for f in files for p in xml_problems(f)] == []
    assert validate(files) == {f: [] for f in files}
