"""``brief verify``: prove the built outputs carry the whole brief and look right.

For each format found in the output folder: every section, case study,
recommendation and paragraph present and in order; the deck with one slide per
case study and recommendation and no text outside its box or the slide
(rendered through LibreOffice); the PDF with every font embedded, every
character in a font and a clean ``qpdf --check``; the Office files opening in
LibreOffice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..glyphs import document_strings
from ..lower import lower
from ..model import Brief
from ..progress import step
from ..theme import Theme
from . import checks, tagged
from ..registry import descriptor
from .extract import norm
from .overflow import overflowing


@dataclass
class Check:
    fmt: str
    name: str
    problems: list[str] = field(default_factory=list)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def furniture(brief: Brief):  # noqa: D401
    """A test for the lines every page repeats: the running title (perhaps cut short with …) and the
    page-number line."""
    import re

    from ..i18n import labels

    # Compared without spaces: text extraction keeps or drops the spaces of "第 7 页 共 9 页" as it pleases.
    before, between, after = (re.escape(norm(x)) for x in labels(brief.language).page_x_of_y)
    page = re.compile(before + r"\d+" + between + r"\d+" + after)
    folio = re.compile(r"[—–-]\d+[—–-]")  # GB/T 9704's "— 7 —"
    title = norm(brief.running_title)

    def is_furniture(line: str) -> bool:
        text = norm(line)
        if not text:
            return False
        if page.fullmatch(text) or folio.fullmatch(text) or text == title:
            return True
        return text.endswith(("…", "...")) and len(text) > 4 and title.startswith(text.rstrip("….").rstrip())

    return is_furniture


def verify(brief: Brief, theme: Theme, out_dir: Path, formats: Sequence[str] = ("docx", "pptx", "pdf"),
           render: bool = True) -> list[Check]:
    """Run every check on the outputs of ``brief`` in ``out_dir``; a missing output is itself a failure."""
    results: list[Check] = []
    uncovered_problems, uncovered = checks.coverage(document_strings(lower(brief, theme, "pdf")), theme)
    for fmt in formats:
        path = out_dir / f"{brief.name}.{fmt}"
        if not path.exists():
            results.append(Check(fmt, "output exists", [f"{path} not found: run brief build first"]))
            continue
        doc = lower(brief, theme, fmt)
        pairs = list(checks.expected(doc))
        n_links = len(checks.links(doc))
        extracted = descriptor(fmt).extractor()
        if fmt == "docx":
            report = extracted(path)
            results.append(Check(fmt, "content parity", checks.parity(report, pairs), f"{len(pairs)} items"))
            results.append(Check(fmt, "links clickable", checks.clickable(report.links, doc), f"{n_links} links"))
        elif fmt == "pptx":
            deck = extracted(path)
            results.append(Check(fmt, "content parity", checks.parity(deck, pairs, ordered=False),
                                 f"{len(pairs)} items"))
            results.append(Check(fmt, "links clickable", checks.clickable(deck.links, doc), f"{n_links} links"))
            results.append(Check(fmt, "one slide each", checks.one_slide_each(deck, doc),
                                 f"{len(deck.headings)} slides"))
        else:
            text = extracted(path, furniture(brief))
            results.append(Check(fmt, "content parity", checks.parity(text, pairs, uncovered), f"{len(pairs)} items"))
            if theme.page.colour_mode == "cmyk":  # PDF/X-1a: no annotation, links included, on the page (issue 18)
                results.append(Check(fmt, "links clickable", [], "none in a PDF/X print file"))
            else:
                results.append(Check(fmt, "links clickable", checks.clickable(text.links, doc), f"{n_links} links"))
            results.append(Check(fmt, "fonts embedded", checks.fonts_embedded(path)))
            results.append(Check(fmt, "glyph coverage", uncovered_problems))
            results.append(Check(fmt, "qpdf --check", checks.qpdf_check(path)))
            tags = tagged.read(path)  # issue 18: the structure tree carries the brief, in order
            results.append(Check(fmt, "tagged PDF", tagged.problems(tags)))
            results.append(Check(fmt, "content parity through the tags", checks.parity(tags.reading(), pairs, uncovered),
                                 f"{len(pairs)} items"))
        if render and fmt in ("docx", "pptx"):
            with step(f"LibreOffice: opening {path.name}"):
                problems, rendered = checks.opens_in_libreoffice(path)
            results.append(Check(fmt, "opens in LibreOffice", problems))
            if fmt == "pptx" and rendered is not None:
                results.append(Check(fmt, "no text overflow", overflowing(path, rendered)))
    return results


def table(results: list[Check]) -> str:
    """A short table per format, then every problem on its own line."""
    lines = []
    for r in results:
        status = "ok" if r.ok else "FAIL"
        lines.append(f"{r.fmt:<5} {r.name:<22} {status:<5} {r.detail if r.ok else f'{len(r.problems)} problem(s)'}")
    for r in results:
        lines += [f"{r.fmt}: {r.name}: {p}" for p in r.problems]
    return "\n".join(lines)
