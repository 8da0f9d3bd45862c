"""Lowering: the validated brief becomes the typed :class:`~builders.document.Document`.

Every decision about what a reader sees and the author did not type is made
here, once, for all three formats: the order of sections (``order:``), their
levels, numbers (一、/（一）/1.1) and anchors, the labels (摘要, Keywords),
the date form, list markers (一是, 1.), note numbers (in order of first
reference), figure and table numbers and their formatted values.  Builders only
place what they are given.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Optional, assert_never

from . import document as d
from .i18n import (chinese_numeral, decimals, format_date, format_number, format_value, heading, heading_number,
                   labels, list_number, number_format)
from .key_figure import key_figure
from .model import Brief, Case, Figure, FreeSection, Lesson, Line, Recommendation, Section, Text
from .theme import Theme

DEFAULT_ORDER_HEAD = ("summary", "status", "challenges")
DEFAULT_ORDER_TAIL = ("figures", "cases", "lessons", "recommendations")


def reading_order(brief: Brief) -> tuple[str, ...]:
    """The top-level sections present in ``brief``, in reading order (``order:`` or the default)."""
    if brief.order:
        return brief.order
    present = present_sections(brief)
    free = tuple(s.id for s in brief.sections)
    return tuple(n for n in (*DEFAULT_ORDER_HEAD, *free, *DEFAULT_ORDER_TAIL) if n in present)


def present_sections(brief: Brief) -> set[str]:
    """Names of the top-level sections the brief has (built-in names and free section ids)."""
    have = {"summary"}
    for name in ("status", "challenges"):
        if getattr(brief, name) is not None:
            have.add(name)
    for name in ("figures", "cases", "lessons", "recommendations"):
        if getattr(brief, name):
            have.add(name)
    have.update(s.id for s in brief.sections)
    return have


def lower(brief: Brief, theme: Theme, fmt: str) -> d.Document:
    """The document of ``brief`` for output ``fmt`` in ``theme`` (a theme may leave sections out of a format)."""
    return _Lowering(brief, theme, fmt).document()


class _Lowering:
    def __init__(self, brief: Brief, theme: Theme, fmt: str):
        self.brief, self.theme, self.fmt = brief, theme, fmt
        self.lab = labels(brief.language)
        self.style = theme.numbering_for(brief.language)
        self.zh = brief.language.lower().startswith("zh")
        self.counters = [0, 0, 0]
        self.figure_blocks: list[d.FigureBlock] = []
        self.numbers = {"chart": 0, "table": 0}

    # ------------------------------------------------------------ the document

    def document(self) -> d.Document:
        b = self.brief
        omit = self.theme.omitted(self.fmt)
        sections = self._sections([n for n in reading_order(b) if n not in omit])
        sections = _place_figures(sections)
        sections, figures = _number_figures(sections, self.lab)
        self.figure_blocks = figures
        bib = None
        if b.references or b.bibtex:
            from .cite import Bibliography

            bib = Bibliography(list(b.references), b.language, b.csl or self.theme_csl(), b.bibtex)
        authors = tuple(d.Author((d.Str(a.name),), a.role.inlines if a.role else None) for a in b.authors)
        doc = d.Document(
            language=b.language,
            labels=self.lab,
            title=b.title.inlines,
            authors=authors,
            sections=sections,
            subtitle=b.subtitle.inlines if b.subtitle else None,
            running_title=b.short_title or d.heading_text(b.title.inlines),
            date=format_date(b.date, b.language) if b.date else None,
            date_value=b.date,
            keywords=b.keywords,
            keywords_line=self._keywords(),
            figures=tuple(self.figure_blocks),
            name=b.name,
            source=b.source,
            numbering=self.style,
        )
        targets = _targets(doc, self.brief)
        doc = _resolve(doc, dict(self._note_defs()), bib, targets, self)
        return replace(doc, sections=tuple(_with_key_figures(s) for s in doc.sections))

    def theme_csl(self):
        return getattr(self.theme, "csl", None)

    def references(self, bib) -> d.Section:
        """The bibliography, a last numbered-free section (参考文献 / References)."""
        from .cite import anchor

        head = self.section("references", 1, (d.Str(self.lab.references),), "references", numbered=False)
        blocks = tuple(d.Para(inlines, "reference", f"ref-{anchor(key)}") for key, inlines in bib.entries())
        return replace(head, blocks=blocks, body=blocks, where="references")

    def _note_defs(self):
        for note_id, text in self.brief.notes:
            yield note_id, self.blocks(text)
        for text in _texts(self.brief):
            for note_id, blocks, *_ in getattr(text, "defs", ()):
                yield note_id, self.blocks_raw(blocks, level=2)

    def _keywords(self) -> Optional[d.Para]:
        if not self.brief.keywords:
            return None
        return d.Para((d.Strong((d.Str(self.lab.keywords + self.lab.colon),)),
                       d.Str(self.lab.list_sep.join(self.brief.keywords))), "keywords")

    # ------------------------------------------------------------ sections

    def _sections(self, names: list[str]) -> tuple[d.Section, ...]:
        b = self.brief
        free = {s.id: s for s in b.sections}
        out: list[d.Section] = []
        grouped = bool(b.headings.analysis) and any(n in names for n in ("cases", "lessons"))
        i = 0
        while i < len(names):
            name = names[i]
            if grouped and name in ("cases", "lessons"):
                group = [name]
                if i + 1 < len(names) and names[i + 1] in ("cases", "lessons"):
                    group.append(names[i + 1])
                head = self.section("analysis", 1, b.headings.analysis.inlines, "analysis")
                kids = tuple(self._builtin(n, 2) for n in group)
                out.append(replace(head, children=kids))
                grouped = False  # one analysis part
                i += len(group)
                continue
            out.append(free_section(self, free[name], 1) if name in free else self._builtin(name, 1))
            i += 1
        return tuple(out)

    def section(self, role: d.Role, level: int, title: d.Inlines, anchor: str, numbered: bool = True,
                **parts) -> d.Section:
        number = ""
        if numbered:
            self.counters[level - 1] += 1
            for deeper in range(level, 3):
                self.counters[deeper] = 0
            number = heading_number(self.style, level, self.counters[level - 1], tuple(self.counters[: level - 1]))
        label = _label(number, d.heading_text(title))
        return d.Section(role, level, number, title, label, anchor, **parts)

    def _builtin(self, name: str, level: int) -> d.Section:
        b = self.brief
        title = (d.Str(heading(b, name)),) if name != "figures" else (d.Str(self.lab.figures),)
        if name == "summary":
            blocks = self.blocks(b.summary, level)
            if self.fmt != "pptx" and (kw := self._keywords()):
                blocks += (kw,)
            return self.section("summary", level, title, "summary", numbered=False, blocks=blocks,
                                body=self.blocks(b.summary, level), where="summary")
        if name in ("status", "challenges"):
            sec: Section = getattr(b, name)
            body = self.blocks(sec.body, level)
            points = tuple(p.inlines for p in sec.points)
            blocks = body + ((_points_box(points),) if points else ())
            return self.section(name, level, title, name, blocks=blocks, body=body, points=points, where=name)
        if name == "figures":
            head = self.section("figures", level, title, "figures")
            blocks = tuple(self.figure(f) for f in b.figures)
            return replace(head, blocks=blocks, body=blocks, where="figures")
        if name == "cases":
            head = self.section("cases", level, title, "cases")
            return replace(head, children=tuple(self.case(c, level + 1) for c in b.cases))
        if name == "lessons":
            head = self.section("lessons", level, title, "lessons")
            return replace(head, children=tuple(self.lesson(x, level + 1) for x in b.lessons))
        if name == "recommendations":
            head = self.section("recommendations", level, title, "recommendations")
            return replace(head, children=tuple(self.recommendation(r, level + 1) for r in b.recommendations))
        raise ValueError(f"unknown section {name!r}")  # the loader checked ``order``: a bug if reached

    def case(self, c: Case, level: int) -> d.Section:
        head = self.section("case", level, c.title.inlines, f"case-{c.id}")
        body = self.blocks(c.body, level)
        region = None
        blocks: list[d.Block] = []
        if c.region:
            region = c.region.inlines
            blocks.append(d.Para((d.Str(self.lab.region + self.lab.colon), *region), "region"))
        points = tuple(p.inlines for p in c.points)
        if points:
            blocks.append(_points_box(points))
        blocks.extend(body)
        return replace(head, blocks=tuple(blocks), body=body, region=region, points=points, where=f"cases[{c.id}]")

    def lesson(self, x: Lesson, level: int) -> d.Section:
        head = self.section("lesson", level, x.title.inlines, f"lesson-{x.id}")
        body = self.blocks(x.body, level)
        points = tuple(p.inlines for p in x.points)
        blocks = ((_points_box(points),) if points else ()) + body
        return replace(head, blocks=blocks, body=body, points=points, where=f"lessons[{x.id}]")

    def recommendation(self, r: Recommendation, level: int) -> d.Section:
        head = self.section("recommendation", level, r.title.inlines, f"rec-{r.id}")
        body = self.blocks(r.body, level)
        closing = self.blocks(r.closing, level)
        actions = self.ordered(tuple((d.Para(a.inlines),) for a in r.actions), depth=0)
        label = d.Para((d.Str(self.lab.actions),), "label")
        blocks = body + (label, actions) + closing
        return replace(head, blocks=blocks, body=body, actions=actions, closing=closing,
                       where=f"recommendations[{r.id}]")

    # ------------------------------------------------------------ blocks

    def blocks(self, text: Text, level: int = 1) -> d.Blocks:
        return self.blocks_raw(text.blocks, level)

    def blocks_raw(self, blocks: d.Blocks, level: int, depth: int = 0) -> d.Blocks:
        """Parsed blocks with the decisions made: absolute sub-heading levels and list markers."""
        out: list[d.Block] = []
        for block in blocks:
            match block:
                case d.Para():
                    out.append(block)
                case d.Heading(rel, inlines):
                    out.append(d.Heading(min(level + rel, 6), inlines))
                case d.BulletList(items):
                    out.append(d.BulletList(tuple(self.blocks_raw(i, level, depth + 1) for i in items)))
                case d.OrderedList(items):
                    out.append(self.ordered(tuple(self.blocks_raw(i, level, depth + 1) for i in items), depth))
                case d.Quote(inner):
                    out.append(d.Quote(self.blocks_raw(inner, level, depth)))
                case d.Table() | d.FigureBlock():
                    out.append(block)
                case d.Box(inner, title, role):
                    out.append(d.Box(self.blocks_raw(inner, level, depth), title, role))
                case _:
                    assert_never(block)
        return tuple(out)

    def ordered(self, items: tuple[d.Blocks, ...], depth: int) -> d.OrderedList:
        """A numbered list with the theme's markers; an item that already starts with its marker shows it once."""
        markers = tuple(self.marker(n, depth) for n in range(1, len(items) + 1))
        items = tuple(_strip_marker(item, marker, n) for n, (marker, item) in enumerate(zip(markers, items), 1))
        inline = depth == 0 and self.style == "chinese" and self.zh
        return d.OrderedList(items, markers, label_inline=inline)

    def marker(self, n: int, depth: int) -> str:
        if depth == 0:
            return list_number(self.style, n, self.brief.language)
        if depth == 1:
            return f"（{n}）" if self.brief.is_cjk else f"{chr(ord('a') + (n - 1) % 26)}."
        return _circled(n) if self.brief.is_cjk else f"{_roman(n)}."

    # ------------------------------------------------------------ figures

    def figure(self, f: Figure) -> d.Block:
        """The block of figure ``f``, numbered later (:func:`_number_figures`) in reading order."""
        lab, colon = self.lab, self.lab.colon
        notes = tuple(d.Para((d.Str(label + colon), *value.inlines), "caption")
                      for label, value in ((lab.source, f.source), (lab.note, f.note)) if value)
        if f.table is not None:  # a table of words: a numbered, captioned table
            return d.Table(tuple(c.inlines for c in f.table.header),
                           tuple(tuple(c.inlines for c in row) for row in f.table.rows),
                           (), f.title.inlines, f"tbl-{f.id}")
        alt = f.alt or _data_summary(f, self.brief.language)
        if f.image is not None:
            return d.FigureBlock(f, f"fig-{f.id}", 0, None, (), None, (), (), notes, alt)
        anchor = f"fig-{f.id}" if f.chart else f"tbl-{f.id}"
        lang = self.brief.language
        if f.series:
            # The unit once, in the header; a gap is an empty cell.
            unit = "" if not f.unit else f"（{f.unit}）" if self.brief.is_cjk else f" ({f.unit})"
            header = (lab.item, *(ser.name + unit for ser in f.series))
            values = [v for ser in f.series for v in ser.values]
            places = decimals(values)  # one number of decimals for the whole table, as its chart's axis
            rows = tuple((cat, *("" if ser.values[i] is None else format_number(ser.values[i], lang, places)
                                 for ser in f.series)) for i, cat in enumerate(f.categories))
        else:
            header = (lab.item, lab.value)
            rows = tuple((dt.name, format_value(dt, f, lang)) for dt in f.data)
            values = [dt.value for dt in f.data if not dt.is_range]
        # The theme shows a charted figure as its chart, its table, or both; "both" is one figure (图1) whose
        # data table stands under the chart unnumbered, so the next table is still 表1 (issue 19).
        shown = getattr(self.theme, "figures", "both") if f.chart else "table"
        chart_no = 0 if shown in ("chart", "both") else None
        table_no = 0 if shown == "table" else None
        return d.FigureBlock(f, anchor, chart_no, table_no,
                             () if chart_no is not None else None, (), header, rows, notes, alt,
                             number_format(values, lang))


def free_section(low: _Lowering, s: FreeSection, level: int) -> d.Section:
    """A section the author wrote: plain, or a framed call-out (``style: box``)."""
    head = low.section("free", level, s.title.inlines, f"sec-{s.id}")
    body = low.blocks(s.body, level)
    blocks = (d.Box(body, None, "box"),) if s.style == "box" else body
    return replace(head, blocks=blocks, body=body, style=s.style, where=f"sections[{s.id}]")


def _points_box(points: tuple[d.Inlines, ...]) -> d.Box:
    return d.Box((d.BulletList(tuple((d.Para(p),) for p in points)),), None, "points")


def _label(number: str, title: str) -> str:
    """Number and title as a heading shows them: 一、现状 / （一）… / 1. 标题 / 1.2 Title."""
    if not number:
        return title
    if number[-1] in "、）" or re.match(r"^\d+\.$", number) and title[:1] and "\u2e80" <= title[0] <= "\u9fff":
        return f"{number}{title}"
    return f"{number} {title}"


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _enumerators(n: int) -> tuple[str, ...]:
    """Ways an author may have numbered item ``n`` themselves: 一是, （一）, (一), 一、, 1., 1、, （1）, (1)."""
    c = chinese_numeral(n)
    return (f"{c}是", f"（{c}）", f"({c})", f"{c}、", f"{n}.", f"{n}、", f"（{n}）", f"({n})", f"{n})")


def _strip_marker(item: d.Blocks, marker: str, n: int) -> d.Blocks:
    """``item`` without a leading enumerator when the author already typed one (never 一是一是)."""
    if not item or not isinstance(item[0], d.Para) or not item[0].inlines:
        return item
    first = item[0].inlines[0]
    if not isinstance(first, d.Str):
        return item
    text = first.text.lstrip()
    for e in sorted({marker, *_enumerators(n)}, key=len, reverse=True):
        if text.startswith(e) and len(text) > len(e):
            rest = text[len(e):].lstrip(" \u3000，,")
            para = replace(item[0], inlines=((d.Str(rest),) if rest else ()) + item[0].inlines[1:])
            return (para,) + item[1:]
    return item


def _data_summary(f: Figure, language: str) -> str:
    """A figure's data as one sentence, its alt text when the author gave none."""
    lab = labels(language)
    values = lab.list_sep.join(f"{dt.name}{lab.colon}{format_value(dt, f, language)}" for dt in f.data)
    return f"{f.title.plain}{lab.colon}{values}" if values else f.title.plain


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
    from .markup import Cite

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
        from .cite import Cluster

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


def _place_figures(sections: tuple[d.Section, ...]) -> tuple[d.Section, ...]:
    """Each figure moves right after the block that first refers to it (``@fig-x`` / ``@tbl-x``); figures
    nothing refers to stay in the key-figures section, which goes when it is left empty."""
    from .markup import Cite

    figures = {_figure_id(b): b for s in sections if s.role == "figures" for b in s.blocks if _figure_id(b)}
    if not figures:
        return sections
    placed: set[str] = set()

    def refers(block: d.Block, wanted: set[str]) -> list[str]:
        """The ids among ``wanted`` that ``block`` refers to, in order; each is taken out of ``wanted``."""
        found = []
        for seq in d.block_inlines(block):
            for node in d.iter_inlines(seq):
                if isinstance(node, Cite) and node.xref and node.items[0][0][4:] in wanted:
                    found.append(node.items[0][0][4:])
                    wanted.discard(found[-1])
        return found

    def place(blocks: d.Blocks, wanted: set[str]) -> d.Blocks:
        return tuple(x for b in blocks for x in (b, *(figures[f] for f in refers(b, wanted))))

    def visit(s: d.Section) -> d.Section:
        if s.role == "figures":
            return s
        unplaced = set(figures) - placed
        blocks = place(s.blocks, unplaced)
        new = set(figures) - placed - unplaced
        placed.update(new)
        # The deck reads ``body``: the same figures after the same blocks.
        body = place(s.body, set(new)) if new else s.body
        return replace(s, blocks=blocks, body=body, children=tuple(visit(c) for c in s.children))

    result = []
    for s in map(visit, sections):
        if s.role == "figures":
            left = tuple(b for b in s.blocks if _figure_id(b) not in placed)
            if not left:
                continue
            s = replace(s, blocks=left, body=left)
        result.append(s)
    return tuple(result)


def _with_key_figures(s: d.Section) -> d.Section:
    """``s`` with each case's key figure decided (:func:`builders.key_figure.key_figure`): from its points
    first, then its body (figures placed and values formatted by now), note marks left out."""
    if s.role == "case":
        body = [line for b in s.body for line in d.block_text(_map_block(b, d.without_notes))]
        return replace(s, key_figure=key_figure([d.plain(d.without_notes(p)) for p in s.points] + body))
    if not s.children:
        return s
    return replace(s, children=tuple(_with_key_figures(c) for c in s.children))


def _figure_id(b: d.Block) -> str:
    if isinstance(b, d.FigureBlock):
        return b.figure.id
    if isinstance(b, d.Table) and b.anchor.startswith("tbl-"):
        return b.anchor[4:]
    return ""


def _number_figures(sections: tuple[d.Section, ...], lab) -> tuple[tuple[d.Section, ...], list[d.FigureBlock]]:
    """Number charts/pictures (图1) and tables (表1) in reading order and write their captions."""
    counts = {"chart": 0, "table": 0}
    done: dict[int, d.Block] = {}
    figures: list[d.FigureBlock] = []

    def number(b: d.Block) -> d.Block:
        if id(b) in done:
            return done[id(b)]
        new = b
        if isinstance(b, d.FigureBlock):
            title = b.figure.title.inlines
            chart_no = chart_caption = table_no = table_caption = None
            if b.chart_no is not None:
                counts["chart"] += 1
                chart_no = counts["chart"]
                chart_caption = (d.Str(lab.figure.format(n=chart_no) + " "), *title)
            if b.table_no is not None:
                counts["table"] += 1
                table_no = counts["table"]
                table_caption = (d.Str(lab.table.format(n=table_no) + " "), *title)
            new = replace(b, chart_no=chart_no, chart_caption=chart_caption, table_no=table_no,
                          table_caption=table_caption)
            figures.append(new)
        elif isinstance(b, d.Table) and b.anchor.startswith("tbl-") and b.caption is not None:
            counts["table"] += 1
            new = replace(b, caption=(d.Str(lab.table.format(n=counts["table"]) + " "), *b.caption))
        done[id(b)] = new
        return new

    def visit(s: d.Section) -> d.Section:
        blocks = tuple(number(b) for b in s.blocks)
        body = tuple(number(b) for b in s.body)
        return replace(s, blocks=blocks, body=body, children=tuple(visit(c) for c in s.children))

    return tuple(visit(s) for s in sections), figures


def _map_inlines(inlines: d.Inlines, fn: Callable[[d.Inline], d.Inline]) -> d.Inlines:
    out = []
    for node in inlines:
        match node:
            case d.Emph(kids):
                node = d.Emph(_map_inlines(kids, fn))
            case d.Strong(kids):
                node = d.Strong(_map_inlines(kids, fn))
            case d.Link(target, kids):
                node = d.Link(target, _map_inlines(kids, fn))
            case d.Sup(kids):
                node = d.Sup(_map_inlines(kids, fn))
            case d.Str() | d.Code() | d.NoteRef() | d.LineBreak() | d.Pending():
                pass
            case _:
                assert_never(node)
        out.append(fn(node))
    return tuple(out)


def _map_block(block: d.Block, visit: Callable[[d.Inlines], d.Inlines]) -> d.Block:
    """``block`` with ``visit`` applied to each inline sequence, in reading order."""
    mb = lambda bs: tuple(_map_block(b, visit) for b in bs)  # noqa: E731
    match block:
        case d.Para(inlines, role, anchor):
            return d.Para(visit(inlines), role, anchor)
        case d.Heading(level, inlines):
            return d.Heading(level, visit(inlines))
        case d.BulletList(items):
            return d.BulletList(tuple(mb(i) for i in items))
        case d.OrderedList(items, markers, inline):
            return d.OrderedList(tuple(mb(i) for i in items), markers, inline)
        case d.Quote(blocks):
            return d.Quote(mb(blocks))
        case d.Box(blocks, title, role):
            return d.Box(mb(blocks), visit(title) if title else None, role)
        case d.Table(header, rows, align, caption, anchor):
            return d.Table(tuple(visit(c) for c in header), tuple(tuple(visit(c) for c in r) for r in rows), align,
                           visit(caption) if caption else None, anchor)
        case d.FigureBlock():
            return replace(block, chart_caption=visit(block.chart_caption) if block.chart_caption else None,
                           table_caption=visit(block.table_caption) if block.table_caption else None,
                           notes=tuple(_map_block(n, visit) for n in block.notes))
        case _:
            assert_never(block)


def _map_section(s: d.Section, visit) -> d.Section:
    """The section with ``visit`` applied in reading order: heading, blocks, then the deck's parts
    (which hold the same nodes as ``blocks``, so they see already-numbered notes)."""
    title = visit(s.title)
    blocks = tuple(_map_block(b, visit) for b in s.blocks)
    children = tuple(_map_section(c, visit) for c in s.children)
    return replace(
        s, title=title, label=_label(s.number, d.heading_text(title)), blocks=blocks, children=children,
        body=tuple(_map_block(b, visit) for b in s.body),
        region=visit(s.region) if s.region else None,
        points=tuple(visit(p) for p in s.points),
        actions=_map_block(s.actions, visit) if s.actions else None,
        closing=tuple(_map_block(b, visit) for b in s.closing),
    )
