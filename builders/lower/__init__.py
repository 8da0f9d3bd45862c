"""Lowering: the validated brief becomes the typed :class:`~builders.document.Document`.

Every decision about what a reader sees and the author did not type is made
here, once, for all three formats: the order of sections (``order:``), their
levels, numbers (一、/（一）/1.1) and anchors, the labels (摘要, Keywords),
the date form, list markers (一是, 1.), note numbers (in order of first
reference), figure and table numbers and their formatted values.  Builders only
place what they are given.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, assert_never

from .. import document as d
from ..i18n import (decimals, format_date, format_number, format_value, heading, heading_number,
                   labels, list_number, number_format, roman_numeral)
from ..model import Brief, Case, Figure, FreeSection, Lesson, Recommendation, Section, Text
from ..theme import Theme
from .figures import _number_figures, _place_figures, _with_key_figures
from .markers import _circled, _data_summary, _label, _strip_marker
from .resolve import _resolve, _targets, _texts, xref_targets  # noqa: F401 - _texts, xref_targets: for the loader

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
            from ..cite import Bibliography

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
        from ..cite import anchor

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
        return _circled(n) if self.brief.is_cjk else f"{roman_numeral(n)}."

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


