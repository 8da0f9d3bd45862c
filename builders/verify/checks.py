"""The checks ``brief verify`` runs on each output.  Each returns a list of problems (empty: passed)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

from .. import document as d
from ..theme import Theme
from .extract import Extracted, norm, run


def expected(doc: d.Document) -> Iterator[tuple[str, str]]:
    """(item, text) pairs every output of ``doc`` must carry, in reading order: each heading, paragraph,
    list item, quote, table cell, figure caption and free section, then every note text."""
    for s in doc.walk():
        name = s.where or s.anchor
        yield name, d.plain(s.title)
        blocks = tuple(b for b in s.blocks if not (isinstance(b, d.Para) and b.role == "keywords"))
        for i, b in enumerate(blocks):
            if isinstance(b, d.FigureBlock):  # its caption stands above or below it, as the format decides
                cells = [d.plain(c) for c in (b.chart_caption, b.table_caption) if c]
                cells += [cell for row in b.rows for cell in row] + [d.plain(n.inlines) for n in b.notes]
                for text in cells:
                    yield f"{ANYWHERE}{name}.figures[{b.figure.id}]", text
                continue
            for j, text in enumerate(_lines((b,))):
                yield f"{name}.text[{i}.{j}]", text
    for note in doc.notes:
        for text in _lines(note.blocks):
            yield f"notes[{note.note_id}]", text
    if doc.keywords_line is not None:  # after the summary or on the cover, as the format decides
        yield f"{ANYWHERE}keywords", d.plain(doc.keywords_line.inlines)


ANYWHERE = "~"  # an item whose place the format chooses (checked for presence only) has this prefix


def _lines(blocks: d.Blocks) -> Iterator[str]:
    """Each paragraph, item and cell of ``blocks`` on its own (a table's cells one by one)."""
    for block in blocks:
        match block:
            case d.Table(header, rows, _, caption):
                if caption:
                    yield d.plain(caption)
                for row in (header, *rows):
                    yield from (d.plain(c) for c in row)
            case d.Quote(inner) | d.Box(inner):
                if isinstance(block, d.Box) and block.title:
                    yield d.plain(block.title)
                yield from _lines(inner)
            case d.BulletList(items) | d.OrderedList(items):
                for item in items:
                    yield from _lines(item)
            case d.Para() | d.Heading() | d.FigureBlock():
                yield from d.block_text(block)
            case _:
                from typing import assert_never

                assert_never(block)


def links(doc: d.Document) -> list[str]:
    """Every external link target of ``doc`` (each must be clickable in every format)."""
    out: list[str] = []
    sequences: list[d.Inlines] = [doc.title, doc.subtitle or ()]
    sequences += [a.role for a in doc.authors if a.role]
    for s in doc.walk():
        sequences.append(s.title)
        sequences += [seq for b in s.blocks for seq in d.block_inlines(b)]
    for n in doc.notes:
        sequences += [seq for b in n.blocks for seq in d.block_inlines(b)]
    for seq in sequences:
        for node in d.iter_inlines(seq):
            if isinstance(node, d.Link) and not node.internal and node.target not in out:
                out.append(node.target)
    return out


def clickable(found: set[str], doc: d.Document) -> list[str]:
    """Every link of ``doc`` among the link targets ``found`` in an output."""
    return [f"link {target} is not clickable" for target in links(doc) if target not in found]


def parity(doc: Extracted, pairs: list[tuple[str, str]], drop: frozenset[str] = frozenset(),
           ordered: bool = True) -> list[str]:
    """Every expected text present, in order (``ordered``). ``drop``: characters the format cannot show
    (checked elsewhere).  A deck summarises on its slides and says the rest in its notes, so its text is
    checked for presence only."""
    haystack = norm(doc.text + "\n" + doc.notes)
    problems: list[str] = []
    cursor = 0
    for item, text in pairs:
        needle = norm("".join(c for c in text if c not in drop))
        if not needle:
            continue
        anywhere = not ordered or item.startswith(ANYWHERE)
        item = item.removeprefix(ANYWHERE)
        pos = haystack.find(needle, 0 if anywhere else cursor)
        if pos >= 0:
            if not anywhere:
                cursor = pos + len(needle)
        elif needle in haystack:
            problems.append(f"{item}: out of order: {_short(text)}")
        else:
            problems.append(f"{item}: missing: {_short(text)}")
    return problems


def one_slide_each(deck: Extracted, doc: d.Document) -> list[str]:
    """Exactly one slide per case study and recommendation (continuations are marked and don't count)."""
    problems = []
    titles = [norm(t) for t in deck.headings]
    for s in doc.walk():
        if s.role not in ("case", "recommendation"):
            continue
        t = norm(d.plain(s.title))
        exact = sum(1 for x in titles if x == t or (x.endswith(t) and len(x) - len(t) <= 6))
        if exact != 1 and not any(t[:20] in x for x in titles):
            problems.append(f"{s.where}: {'no slide' if exact == 0 else f'{exact} slides'}: {_short(d.plain(s.title))}")
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
    from ..tools import run_tool

    proc = run_tool(["qpdf", "--check", str(pdf)], "qpdf", ok=range(256))  # a damaged file is a finding, not a failure
    said = (proc.stdout + proc.stderr).strip().splitlines() or [f"exit status {proc.returncode}"]
    return [] if proc.returncode == 0 else [f"qpdf --check: {said[-1]}"]


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
