"""Notes, citations and cross-references resolved in reading order, after the sections are made."""
from __future__ import annotations

from dataclasses import replace

from .. import document as d
from ..model import Brief, Line, Text
from .walk import _map_block, _map_inlines, _map_section


# ---------------------------------------------------------------- notes


def _texts(obj) -> list:
    """Every :class:`Text` and :class:`Line` in a model object, in field order (depth first)."""
    from dataclasses import fields, is_dataclass

    out: list = []
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, (Text, Line)):
            out.append(o)
        elif isinstance(o, tuple):
            stack.extend(reversed(o))
        elif is_dataclass(o) and not isinstance(o, type):
            stack.extend(reversed([getattr(o, f.name) for f in fields(o)]))
    return out


def _resolve(doc: d.Document, defs: dict[str, d.Blocks], bib, targets: dict[str, str], low) -> d.Document:
    """Number notes in order of first reference and turn citations and cross-references into links, all in
    reading order; then add the bibliography of what was cited."""
    from ..markup import Cite

    clusters: list = []
    marks: list[d.Inline] = []

    def make(numbers: dict[str, int], collecting: bool):
        pending = iter(marks)

        def visit(node: d.Inline) -> d.Inline:
            if isinstance(node, d.NoteRef):
                return d.NoteRef(node.note_id, numbers.setdefault(node.note_id, len(numbers) + 1))
            if isinstance(node, Cite):
                if node.xref:
                    key = node.items[0][0]
                    return d.Link(f"#{_anchor_of(key, doc)}", (d.Str(targets.get(key, key)),))
                if collecting:
                    clusters.append(node)
                    return node
                return next(pending, d.Str(node.text))
            return node

        if collecting:
            return lambda inlines: _map_inlines(inlines, visit)
        return lambda inlines: _apart(_map_inlines(inlines, visit), low.lab.note_sep)

    # Twice over the same traversal: first to register the citations in reading order (numeric styles
    # number by first citation), then to put their marks in.
    first: dict[str, int] = {}
    _walk_document(doc, defs, make(first, True), first)
    if bib is not None and clusters:
        from ..cite import Cluster

        for c in clusters:
            bib.register(Cluster(c.items, c.bracketed))
        marks.extend(bib.marks())
    numbers: dict[str, int] = {}
    doc = _walk_document(doc, defs, make(numbers, False), numbers)
    if bib is not None and clusters:
        doc = replace(doc, sections=doc.sections + (low.references(bib),))
    return doc


def _apart(inlines: d.Inlines, sep: str) -> d.Inlines:
    """``inlines`` with a superscript ``sep`` between two adjacent note marks, so that notes 1 and 2 read
    "¹,²" in every output rather than "¹²" (note 12)."""
    out: list[d.Inline] = []
    for node in inlines:
        if isinstance(node, d.NoteRef) and out and isinstance(out[-1], d.NoteRef):
            out.append(d.Sup((d.Str(sep),)))
        out.append(node)
    return tuple(out)


def _walk_document(doc: d.Document, defs: dict[str, d.Blocks], visit, numbers: dict) -> d.Document:
    """``doc`` with ``visit`` applied to every inline sequence in reading order: title, subtitle, authors,
    sections, then the notes in number order (a note may refer to another note: that one comes after)."""
    title = visit(doc.title)
    subtitle = visit(doc.subtitle) if doc.subtitle else None
    authors = tuple(d.Author(visit(a.name), visit(a.role) if a.role else None) for a in doc.authors)
    sections = tuple(_map_section(s, visit) for s in doc.sections)
    notes: list[d.Note] = []
    done = 0
    while done < len(numbers):
        ids = sorted(numbers, key=numbers.get)[done:]
        done = len(numbers)
        for note_id in ids:
            blocks = tuple(_map_block(b, visit) for b in defs.get(note_id, ()))
            notes.append(d.Note(numbers[note_id], note_id, blocks))
    notes.sort(key=lambda n: n.number)
    figures = tuple(b for s in _all_sections(sections) for b in s.blocks if isinstance(b, d.FigureBlock))
    return replace(doc, title=title, subtitle=subtitle, authors=authors, sections=sections, figures=figures,
                   notes=tuple(notes))


def _all_sections(sections):
    for s in sections:
        yield s
        yield from _all_sections(s.children)


def _anchor_of(key: str, doc: d.Document) -> str:
    """The anchor a cross-reference key points at (``sec-boston`` → the case's anchor ``case-boston``)."""
    name = key[4:]
    for s in doc.walk():
        if key.startswith("sec-") and s.anchor in (f"sec-{name}", f"case-{name}", f"lesson-{name}", f"rec-{name}", name):
            return s.anchor
        for b in s.blocks:  # a figure has one anchor, whether it is referred to as a figure or as a table
            if isinstance(b, d.FigureBlock) and b.figure.id == name and not key.startswith("sec-"):
                return b.anchor
    return key


def xref_targets(values) -> set[str]:
    """Every ``@fig-``, ``@tbl-`` and ``@sec-`` key a brief (or the loader's values) can refer to."""
    get = (lambda k: values.get(k, ())) if isinstance(values, dict) else (lambda k: getattr(values, k, ()) or ())
    out: set[str] = set()
    for f in get("figures"):
        if f.chart or f.image is not None:
            out.add(f"fig-{f.id}")
        if f.image is None:
            out.add(f"tbl-{f.id}")
    for key in ("sections", "cases", "lessons", "recommendations"):
        out.update(f"sec-{x.id}" for x in get(key))
    out.update(f"sec-{name}" for name in ("summary", "status", "challenges", "figures", "cases", "lessons",
                                          "recommendations"))
    return out


def _targets(doc: d.Document, brief: Brief) -> dict[str, str]:
    """What each cross-reference reads: 图1 / Figure 1, 表2 / Table 2, 第一部分 / Section 2 / “标题”."""
    lab = doc.labels
    out: dict[str, str] = {}
    for s in doc.walk():
        for b in s.blocks:
            if isinstance(b, d.FigureBlock):
                fid = b.figure.id
                if b.chart_no:
                    out[f"fig-{fid}"] = lab.figure.format(n=b.chart_no)
                if b.table_no:
                    out[f"tbl-{fid}"] = lab.table.format(n=b.table_no)
                # Shown one way only (the theme's figures: chart, table, or both as one figure), it
                # answers to either name.
                shown = out.get(f"fig-{fid}") or out.get(f"tbl-{fid}")
                if shown:
                    out.setdefault(f"fig-{fid}", shown)
                    out.setdefault(f"tbl-{fid}", shown)
            elif isinstance(b, d.Table) and b.anchor and b.caption:
                out[b.anchor] = d.plain(b.caption[:1]).strip()
    cjk = doc.is_cjk
    for s in doc.walk():
        if s.number:
            n = s.number.rstrip("、. ")
            if cjk and s.level == 1 and s.number.endswith("、"):
                text = f"第{n}部分"
            elif not cjk and n[:1].isdigit():
                text = f"Section {n}"
            else:
                text = f"“{d.plain(s.title)}”" if cjk else f"‘{d.plain(s.title)}’"
        else:
            text = f"“{d.plain(s.title)}”" if cjk else f"‘{d.plain(s.title)}’"
        out[s.anchor] = text
        for alias in (s.anchor, s.anchor.split("-", 1)[-1]):
            out.setdefault(f"sec-{alias}", text)
    return out
