"""The checks ``brief verify`` runs on each output.  Each returns a list of problems (empty: passed)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

from ..model import Brief, Recommendation, Text
from ..outline import Node, outline
from ..theme import Theme
from .extract import Extracted, norm, run


def item_name(node: Node) -> str:
    if node.kind in ("case", "lesson", "recommendation"):
        key = {"case": "cases", "lesson": "lessons", "recommendation": "recommendations"}[node.kind]
        return f"{key}[{node.item.id}]"
    return node.kind


def expected(brief: Brief, theme: Theme, fmt: str) -> Iterator[tuple[str, str]]:
    """(item, text) pairs every output of ``fmt`` must carry, in reading order."""
    for node in outline(brief, theme, fmt):
        name = item_name(node)
        yield name, node.title
        item = node.item
        text = item if isinstance(item, Text) else getattr(item, "body", None)
        if isinstance(text, Text):  # summary, status, challenges, a case, lesson or recommendation
            for i, para in enumerate(text.paragraphs):
                yield f"{name}.body[{i}]", para
        if isinstance(item, Recommendation):
            for i, action in enumerate(item.actions):
                yield f"{name}.actions[{i}]", action
            for i, para in enumerate(item.closing.paragraphs):
                yield f"{name}.closing[{i}]", para
        if node.kind == "figures":
            for fig in item:
                yield f"figures[{fig.id}]", fig.title


def parity(doc: Extracted, pairs: list[tuple[str, str]], drop: frozenset[str] = frozenset()) -> list[str]:
    """Every expected text present, in order. ``drop``: characters the format cannot show (checked elsewhere)."""
    haystack = norm(doc.text + "\n" + doc.notes)
    problems, cursor = [], 0
    for item, text in pairs:
        needle = norm("".join(c for c in text if c not in drop))
        if not needle:
            continue
        pos = haystack.find(needle, cursor)
        if pos >= 0:
            cursor = pos + len(needle)
        elif needle in haystack:
            problems.append(f"{item}: out of order: {_short(text)}")
        else:
            problems.append(f"{item}: missing: {_short(text)}")
    return problems


def one_slide_each(doc: Extracted, brief: Brief, theme: Theme) -> list[str]:
    """Exactly one slide per case study and recommendation (continuations are marked and don't count)."""
    problems = []
    titles = [norm(t) for t in doc.headings]
    for node in outline(brief, theme, "pptx"):
        if node.kind not in ("case", "recommendation"):
            continue
        t = norm(node.title)
        exact = sum(1 for s in titles if s == t or (s.endswith(t) and len(s) - len(t) <= 6))
        if exact != 1 and not any(t[:20] in s for s in titles):
            problems.append(f"{item_name(node)}: {'no slide' if exact == 0 else f'{exact} slides'}: {_short(node.title)}")
    return problems


def fonts_embedded(pdf: Path) -> list[str]:
    out = run(["pdffonts", str(pdf)], "poppler-utils").splitlines()[2:]
    bad = []
    for line in out:
        cols = line.split()
        # name type [encoding...] emb sub uni object ID: "emb" is the 5th column from the end.
        if len(cols) >= 7 and cols[-5] != "yes":
            bad.append(f"font {cols[0]} is not embedded")
    return bad


def qpdf_check(pdf: Path) -> list[str]:
    import subprocess

    proc = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    return [] if proc.returncode == 0 else [f"qpdf --check: {(proc.stdout + proc.stderr).strip().splitlines()[-1]}"]


def coverage(brief_strings: list[tuple[str, str]], theme: Theme) -> tuple[list[str], frozenset[str]]:
    """Characters no PDF font of the theme has, named with where they occur."""
    from ..fonts import metrics

    refs = [theme.fonts.body.pdf, theme.fonts.heading.pdf, theme.fonts.caption.pdf, *theme.fonts.fallback]
    faces = [metrics(r) for r in dict.fromkeys(refs)]
    missing: dict[str, str] = {}
    for item, text in brief_strings:
        for ch in text:
            if ch.isspace() or ch in missing:
                continue
            if not any(f.covers(ch) for f in faces):
                missing[ch] = item
    problems = [f"U+{ord(c):04X} {c!r} (in {where}) is in no font of the theme" for c, where in missing.items()]
    return problems, frozenset(missing)


def opens_in_libreoffice(path: Path) -> tuple[list[str], Path | None]:
    from ..errors import OfficeFailure
    from ..office import convert_to_pdf

    out = Path(tempfile.mkdtemp(prefix="brief-verify-"))
    try:
        return [], convert_to_pdf(path, out)
    except OfficeFailure as exc:
        return [f"LibreOffice cannot open it: {exc}"], None


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
