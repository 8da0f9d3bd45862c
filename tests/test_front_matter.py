"""The front matter a reader sees is the same in the report, the deck and the PDF: title, subtitle, authors,
date and keywords, as the lowering decided them once (builders/lower/), for every language of the fixtures.

Read back as a reader gets them: the report with python-docx, the deck with python-pptx (its title slide),
the PDF with pdfplumber (its first page).  Whitespace is ignored (a long title wraps differently in each)
and note numbers are left out (Word keeps a note mark out of the paragraph's text).  Keywords are shown in
the report and the PDF, and carried by all three as a document property.
"""
from __future__ import annotations

import re

import docx
import pdfplumber
import pptx
import pytest

from builders import document as d
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS

FRONT = ("sample", "english", "rich-en", "rich-zh", "minimal")


def visible(inlines: d.Inlines) -> str:
    """The text of ``inlines`` without note numbers."""
    out = []
    for node in inlines:
        if isinstance(node, d.NoteRef):
            continue
        children = d.inline_children(node)
        out.append(visible(children) if children else d.plain((node,)))
    return "".join(out)


def squeeze(text: str) -> str:
    return "".join(text.split())


def front(key: str) -> tuple[d.Document, dict[str, list[str]]]:
    """The lowered document of each format (they must agree) and the strings a reader must find."""
    brief, _ = load_brief(BRIEFS[key])
    theme, _ = load_theme("default")
    docs = {fmt: lower(brief, theme, fmt) for fmt in ("docx", "pptx", "pdf")}
    decided = {(x.title_text, x.subtitle and visible(x.subtitle), x.date, x.keywords,
                tuple(visible(a.name) for a in x.authors)) for x in docs.values()}
    assert len(decided) == 1, decided  # one decision for all three formats
    doc = docs["pdf"]
    wanted = {
        "title": [visible(doc.title)],
        "subtitle": [visible(doc.subtitle)] if doc.subtitle else [],
        "authors": [visible(a.name) for a in doc.authors],
        "date": [doc.date] if doc.date else [],
    }
    return doc, wanted


def test_the_fixtures_cover_every_language():
    languages = {load_brief(path)[0].language for path in BRIEFS.values()}
    assert languages <= {load_brief(BRIEFS[k])[0].language for k in FRONT}


def _docx_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _keywords_property(value: str) -> list[str]:
    return [k.strip() for k in re.split(r"[;,；，]", value or "") if k.strip()]


@pytest.mark.parametrize("key", FRONT)
def test_title_subtitle_authors_date_and_keywords_agree_in_all_three(built, key):
    doc, wanted = front(key)
    report = squeeze(_docx_text(built(key, "default", "docx")))
    deck = pptx.Presentation(built(key, "default", "pptx"))
    title_slide = squeeze("\n".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame))
    with pdfplumber.open(built(key, "default", "pdf")) as pdf:
        cover = squeeze(pdf.pages[0].extract_text() or "")
        whole = squeeze("".join(page.extract_text() or "" for page in pdf.pages))
        pdf_keywords = pdf.metadata.get("Keywords", "")
    for what, strings in wanted.items():
        for s in strings:
            assert squeeze(s) in report, f"report lacks the {what} {s!r}"
            assert squeeze(s) in title_slide, f"deck's title slide lacks the {what} {s!r}"
            assert squeeze(s) in cover, f"PDF's first page lacks the {what} {s!r}"
    if doc.keywords_line is not None:  # the whole line, label and separators: single words occur in the body too
        line = squeeze("".join(d.block_text(doc.keywords_line)))
        assert line in report, f"report lacks the keywords line {line!r}"
        assert line in whole, f"PDF lacks the keywords line {line!r}"
    for k in doc.keywords:
        assert squeeze(k) in report, f"report lacks the keyword {k!r}"
        assert squeeze(k) in whole, f"PDF lacks the keyword {k!r}"
    properties = {
        "docx": docx.Document(built(key, "default", "docx")).core_properties.keywords,
        "pptx": deck.core_properties.keywords,
        "pdf": pdf_keywords,
    }
    assert {fmt: _keywords_property(v) for fmt, v in properties.items()} == {
        fmt: list(doc.keywords) for fmt in properties}
