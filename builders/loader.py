"""The brief's contract: one definition that validates YAML, builds the model and emits JSON Schema."""
from __future__ import annotations

from pathlib import Path

from . import model as m
from .errors import Diagnostic
from .markup import Where, parse_blocks, parse_inlines
from .schema import Context, Date, Field, ListOf, MapOf, Number, Obj, OneOf, Plain, Str, _close
from .yamlsource import load

SLUG = r"[a-z0-9][a-z0-9-]*"
BCP47 = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"
SCHEMA_ID = "brief.schema.json"

TEXT_HELP = (
    "CommonMark: paragraphs separated by blank lines, '- ' and '1. ' lists (nested up to three levels), "
    "'> ' quotes, GFM pipe tables, '### ' sub-headings, *emphasis*, **strong**, `code`, [links](https://…), "
    "footnotes [^id] defined as '[^id]: text' or under the top-level 'notes:'."
)
INLINE_HELP = "Inline CommonMark: *emphasis*, **strong**, `code`, [links](https://…) and footnotes [^id]."


def _where(node, ctx: Context) -> Where:
    """Where the text of scalar ``node`` starts, and whether its lines keep their identity (see markup)."""
    mark = node.start_mark
    if node.style == "|":
        first = mark.line + 1
        for line in ctx.lines[first:first + 200]:
            if line.strip():
                return Where(first + 1, len(line) - len(line.lstrip(" ")) + 1, literal=True)
        return Where(first + 1, 1)
    if "\n" not in node.value and node.style in (None, "", '"', "'") and node.end_mark.line == mark.line:
        return Where(mark.line + 1, mark.column + 1 + (1 if node.style else 0), literal=True)
    return Where(mark.line + 1, mark.column + 1)


def _report(parsed, ctx: Context, path: str) -> None:
    for line, col, message in parsed.errors:
        ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"{path}: {message}"))
    for line, col, message in parsed.warnings:
        ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"{path}: {message}", "warning"))


def _parse_text(value: str, node, ctx: Context, path: str):
    """A block field; its problems are reported, and its text is kept so that the brief-wide checks
    (notes, order) still run and every problem is reported at once."""
    parsed = parse_blocks(value, _where(node, ctx))
    _report(parsed, ctx, path)
    defs = tuple((k, v, *parsed.def_pos[k]) for k, v in parsed.defs.items())
    return m.Text(parsed.blocks, value, tuple(parsed.refs), defs, tuple(parsed.cites))


def _parse_line(value: str, node, ctx: Context, path: str):
    parsed = parse_inlines(value, _where(node, ctx))
    _report(parsed, ctx, path)
    return m.Line(parsed.inlines, value, tuple(parsed.refs), tuple(parsed.cites))


def _text(description: str) -> Str:
    return Str(description=f"{description} {TEXT_HELP}", parse=_parse_text)


def _rich(description: str, max_len: int | None = None) -> Str:
    return Str(description=f"{description} {INLINE_HELP}", max_len=max_len, parse=_parse_line)


def _line(description: str, max_len: int | None = None) -> Str:
    return Str(description=description, max_len=max_len)


def _points(description: str) -> ListOf:
    return ListOf(_rich("One short line."), description=description)


def _slug(description: str) -> Str:
    return Str(description=description, pattern=SLUG, pattern_hint="a slug (lowercase letters, digits and '-')")


def _datum_rule(values: dict, node, ctx: Context, path: str) -> None:
    if "label" not in values and "year" not in values:
        ctx.error(node, path, "a datum needs a 'label' or a 'year'")
    value = values.get("value")
    if isinstance(value, tuple) and value[0] > value[1]:
        ctx.error(_value_node(node, "value"), f"{path}.value", f"a range is [low, high]; got [{value[0]:g}, {value[1]:g}]")


def _figure_rule(values: dict, node, ctx: Context, path: str) -> None:
    from .assets import IMAGE_SUFFIXES, check_image, confined

    where = lambda key: next((v for k, v in node.value if getattr(k, "value", None) == key), node)  # noqa: E731
    kinds = [k for k in ("data", "series", "table", "image") if k in values]
    if not kinds:
        ctx.error(node, path, "a figure needs 'data' or 'series' (a table or chart), a 'table' or an 'image'")
    elif len(kinds) > 1:
        ctx.error(where(kinds[1]), f"{path}.{kinds[1]}",
                  f"a figure is one of data, series, table or image; this one has {' and '.join(kinds)}: make two figures")
    if values.get("chart") and not ("data" in values or "series" in values):
        ctx.error(where("chart"), f"{path}.chart", "a chart needs 'data' or 'series'")
    if "series" in values:
        cats = values.get("categories")
        if not cats:
            ctx.error(where("series"), f"{path}.series", "series need 'categories': one label per value")
        else:
            for i, ser in enumerate(values["series"]):
                if len(ser.values) != len(cats):
                    ctx.error(where("series"), f"{path}.series[{i}]", f"series {ser.name!r} has {len(ser.values)} "
                              f"value(s) for {len(cats)} categories")
    elif "categories" in values:
        ctx.error(where("categories"), f"{path}.categories", "categories go with 'series'")
    if values.get("chart") and any(d.is_range for d in values.get("data", ())):
        ctx.error(where("chart"), f"{path}.chart", f"figure {values.get('id')!r} has a range ([low, high]): a range "
                  "cannot be charted; remove 'chart' to show it as a table")
    if "table" in values:
        if values.get("chart"):
            ctx.error(where("chart"), f"{path}.chart", "a text table cannot be charted")
        width = len(values["table"].header)
        for i, row in enumerate(values["table"].rows):
            if len(row) != width:
                ctx.error(where("table"), f"{path}.table.rows[{i}]", f"row has {len(row)} cell(s); the header has {width}")
    if "image" in values:
        if "alt" not in values:
            ctx.error(node, path, "an image needs 'alt': a description for readers who cannot see it")
        image, why = confined(values["image"], ctx.file, IMAGE_SUFFIXES)
        why = why or check_image(image)
        if why:
            ctx.error(where("image"), f"{path}.image", why)
        else:
            values["image"] = image
    if values.get("chart") and "data" in values:
        units = {d.unit or values.get("unit") for d in values["data"]}
        if len(units) > 1:
            ctx.error(node, path, f"a charted figure needs one unit for all its data; got {', '.join(sorted(map(str, units)))}")


AUTHOR = Obj(
    {"name": Field(_line("The author's name."), required=True), "role": Field(_rich("Position and organisation."))},
    build=m.Author,
    title="Author",
)

DATUM = Obj(
    {
        "label": Field(_line("What the number counts; defaults to the year.")),
        "year": Field(Number(description="The year the number refers to.", integer=True, minimum=1000, maximum=9999)),
        "value": Field(OneOf((Number(description="The number."),
                              ListOf(Number(), min_items=2, max_items=2, convert=tuple,
                                     description="A range: [low, high]."))),
                       required=True),
        "unit": Field(_line("Unit, overriding the figure's unit.")),
        "approx": Field(Str(description="The value is a bound or an estimate.", enum=("more_than", "about", "less_than"))),
    },
    build=m.Datum,
    rule=_datum_rule,
    title="Datum",
)

SERIES = Obj(
    {
        "name": Field(_line("The series' name, shown in the legend."), required=True),
        "values": Field(ListOf(Number(description="A value; null for a gap.", nullable=True),
                               description="One value per category; null for a gap.", min_items=1, convert=tuple),
                        required=True),
    },
    build=m.Series,
    title="Series",
)

TEXT_TABLE = Obj(
    {
        "header": Field(ListOf(_rich("A column heading."), min_items=1, convert=tuple), required=True),
        "rows": Field(ListOf(ListOf(_rich("A cell."), convert=tuple), min_items=1, convert=tuple), required=True),
    },
    build=m.TextTable,
    title="Text table",
)

FIGURE = Obj(
    {
        "id": Field(_slug("Unique identifier."), required=True),
        "title": Field(_rich("Caption text."), required=True),
        "unit": Field(_line("Default unit of the data, e.g. 亿元 or %.")),
        "chart": Field(Str(description="Draw a chart of this kind; omit for a table only.", enum=("column", "bar", "line", "pie"))),
        "source": Field(_rich("Where the numbers come from.")),
        "note": Field(_rich("A note printed under the figure.")),
        "data": Field(ListOf(DATUM, min_items=1, convert=tuple)),
        "image": Field(_line("A PNG or JPEG beside the brief (instead of data); checked before it is decoded.")),
        "alt": Field(_line("What the image shows, for readers who cannot see it (required with image).")),
        "categories": Field(ListOf(_line("A category (an x-axis label)."), min_items=1, convert=tuple)),
        "series": Field(ListOf(SERIES, min_items=1, convert=tuple)),
        "table": Field(TEXT_TABLE),
    },
    build=m.Figure,
    rule=_figure_rule,
    title="Figure",
)

SECTION = Obj(
    {
        "body": Field(_text("The section's text."), required=True),
        "points": Field(_points("Short lines for the slide.")),
    },
    build=m.Section,
    title="Section",
)

CASE = Obj(
    {
        "id": Field(_slug("Unique identifier (used for bookmarks and anchors)."), required=True),
        "title": Field(_rich("The case study's heading."), required=True),
        "region": Field(_rich("Where the case is.")),
        "body": Field(_text("The whole case study."), required=True),
        "points": Field(_points("Short lines for the case's slide.")),
    },
    build=m.Case,
    title="Case study",
)

LESSON = Obj(
    {
        "id": Field(_slug("Unique identifier."), required=True),
        "title": Field(_rich("The lesson's heading."), required=True),
        "body": Field(_text("The lesson."), required=True),
        "points": Field(_points("Short lines for the slide.")),
    },
    build=m.Lesson,
    title="Lesson",
)

RECOMMENDATION = Obj(
    {
        "id": Field(_slug("Unique identifier."), required=True),
        "title": Field(_rich("The recommendation's heading."), required=True),
        "body": Field(_text("The lead: why and what."), required=True),
        "actions": Field(ListOf(_rich("One action; a leading 一是 or 1. the theme would add is shown once."), min_items=1), required=True),
        "closing": Field(_text("Text after the actions.")),
    },
    build=m.Recommendation,
    title="Recommendation",
)

FREE_SECTION = Obj(
    {
        "id": Field(_slug("Unique identifier; names the section in 'order' and in cross-references."), required=True),
        "title": Field(_rich("The section's heading."), required=True),
        "body": Field(_text("The section's text."), required=True),
        "style": Field(Str(description="plain, or box for a framed call-out such as Key messages.",
                           enum=("plain", "box"))),
    },
    build=m.FreeSection,
    title="Section",
)

CSL_ITEM = Plain(
    description="A work cited, as a CSL-JSON item: id, type, author ({family, given} or {literal}), title, "
                "container-title, issued ({date-parts: [[2021]]}), volume, issue, page, publisher, "
                "publisher-place, URL, DOI, language …",
    required=("id", "type"),
)

HEADINGS = Obj(
    {
        key: Field(_rich(f"Heading of the {what}; omit for the language's default label."))
        for key, what in (
            ("summary", "summary"),
            ("status", "status section"),
            ("challenges", "challenges section"),
            ("analysis", "part that groups the case studies and the lessons (omit for no such part)"),
            ("cases", "case studies"),
            ("lessons", "lessons"),
            ("recommendations", "recommendations"),
        )
    },
    build=m.Headings,
    title="Headings",
)


def _brief_rule(values: dict, node, ctx: Context, path: str) -> None:
    """Ids are unique across the whole brief (they become bookmarks and anchors); every footnote
    reference has one definition; ``order`` names every top-level section once."""
    _unique_ids(values, node, ctx)
    _check_notes(values, node, ctx)
    _check_order(values, node, ctx)
    _check_references(values, node, ctx)


def _check_notes(values: dict, node, ctx: Context) -> None:
    from .lower import _texts

    texts = _texts(tuple(v for k, v in values.items() if k != "notes"))
    defs: dict[str, tuple[int, int]] = {}
    notes_node = _value_node(node, "notes")
    for key, text in values.get("notes", ()):
        key_node = next((k for k, _ in getattr(notes_node, "value", ()) if getattr(k, "value", None) == key), None)
        pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1) if key_node else (1, 1)
        defs[key] = pos
        texts.append(text)
    for text in texts:
        for note_id, _, line, col in getattr(text, "defs", ()):
            if note_id in defs:
                ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"duplicate note id {note_id!r} "
                                                  f"(also defined at line {defs[note_id][0]})"))
            else:
                defs[note_id] = (line, col)
    used: set[str] = set()
    for text in texts:
        for note_id, line, col in text.refs:
            used.add(note_id)
            if note_id not in defs:
                hint = _close(note_id, list(defs))
                extra = f" (did you mean [^{hint[0]}]?)" if hint else ""
                ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"undefined note [^{note_id}]{extra}; "
                                                  f"define it as '[^{note_id}]: text' or under 'notes:'"))
    for note_id, (line, col) in defs.items():
        if note_id not in used:
            ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"note {note_id!r} is never referenced",
                                              "warning"))


def _check_order(values: dict, node, ctx: Context) -> None:
    order = values.get("order")
    if not order:
        return
    from .lower import present_sections

    present = present_sections(m.Brief(**{k: v for k, v in values.items() if k in _BRIEF_FIELDS}))
    order_node = _value_node(node, "order")
    items = list(getattr(order_node, "value", ()))
    seen: set[str] = set()
    suggested: set[str] = set()
    for i, name in enumerate(order):
        where = items[i] if i < len(items) else order_node
        if name in seen:
            ctx.error(where, f"order[{i}]", f"{name!r} is named twice")
        elif name not in present:
            known = sorted(present - seen)
            hint = _close(name, known)
            extra = f" (did you mean {hint[0]!r}?)" if hint else f"; the brief has: {', '.join(known)}"
            suggested.update(hint[:1])
            built_in = " (the brief has no such section)" if name in m.BUILT_IN_SECTIONS else ""
            ctx.error(where, f"order[{i}]", f"no section {name!r}{built_in}{extra}")
        seen.add(name)
    for name in sorted(present - set(order) - suggested):
        ctx.error(order_node, "order", f"section {name!r} is missing from 'order'; add it where it should be read")


def _check_references(values: dict, node, ctx: Context) -> None:
    """Read the bibliography file and the CSL file, refuse duplicate ids, and check every citation and
    cross-reference key against what exists."""
    from .assets import confined
    from .cite import read_bibliography
    from .lower import _texts, xref_targets

    items = [dict(i) for i in values.get("references", ())]
    positions: dict[str, tuple[int, int]] = {}
    ref_nodes = list(getattr(_value_node(node, "references"), "value", ()))
    for i, item in enumerate(items):
        key = str(item["id"]).lower()
        where = _value_node(ref_nodes[i], "id") if i < len(ref_nodes) else node
        if key in positions:
            ctx.error(where, f"references[{i}].id", f"duplicate reference id {item['id']!r} "
                      f"(also at line {positions[key][0]})")
        positions.setdefault(key, (where.start_mark.line + 1, where.start_mark.column + 1))
    bib_keys: set[str] = set()
    if "bibliography" in values:
        where = _value_node(node, "bibliography")
        path, why = confined(values["bibliography"], ctx.file, (".json", ".bib"))
        file_items: list[dict] = []
        if not why:
            file_items, why = read_bibliography(path)
        if why:
            ctx.error(where, "bibliography", why)
        else:
            if path.suffix.lower() == ".bib":
                from .cite import _bibtex_items

                file_items = list(_bibtex_items(path).values())
                values["bibtex"] = path
            for item in file_items:
                key = str(item["id"]).lower()
                if key in positions or key in bib_keys:
                    ctx.error(where, "bibliography", f"duplicate reference id {item['id']!r} in {path.name}")
                bib_keys.add(key)
            if path.suffix.lower() == ".json":
                items += file_items
    if "csl" in values:
        where = _value_node(node, "csl")
        path, why = confined(values["csl"], ctx.file, (".csl",))
        if not why:
            why = _check_csl(path)
        if why:
            ctx.error(where, "csl", why)
        else:
            values["csl"] = path
    values.pop("bibliography", None)
    values["references"] = tuple(items)
    known = set(positions) | bib_keys
    targets = xref_targets(values)
    for text in _texts(tuple(v for k, v in values.items() if k not in ("references",))):
        for key, line, col in getattr(text, "cites", ()):
            low = key.lower()
            if key.startswith(("fig-", "tbl-", "sec-")):
                if key not in targets:
                    hint = _close(key, sorted(targets))
                    extra = f" (did you mean @{hint[0]}?)" if hint else ""
                    ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"no figure, table or section "
                                                      f"@{key}{extra}"))
            elif low not in known:
                hint = _close(low, sorted(known))
                extra = f" (did you mean @{hint[0]}?)" if hint else (
                    "" if known else "; add it under 'references:' or name a 'bibliography:' file")
                ctx.diagnostics.append(Diagnostic(ctx.file, line, col, f"unknown reference @{key}{extra}"))


def _check_csl(path) -> str | None:
    """A reason the CSL style file cannot be used, or None."""
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        return f"{path.name} is not a readable CSL file: {exc}"
    if root.tag != "{http://purl.org/net/xbiblio/csl}style":
        return f"{path.name} is not a CSL style (its root element is not a CSL <style>)"
    return None


def _value_node(node, key: str):
    return next((v for k, v in node.value if getattr(k, "value", None) == key), node)


def _unique_ids(values: dict, node, ctx: Context) -> None:
    seen: dict[str, str] = {}
    for key in ("cases", "lessons", "recommendations", "figures", "sections"):
        for i, item in enumerate(values.get(key, ())):
            where = f"{key}[{i}]"
            if item.id in seen:
                id_node = _find(node, key, i, "id")
                ctx.error(id_node or node, f"{where}.id", f"duplicate id {item.id!r} (also used by {seen[item.id]})")
            else:
                seen[item.id] = where


def _find(node, key: str, index: int, field: str):
    """The YAML node at ``key[index].field`` (for positioning a cross-field error)."""
    for k, v in node.value:
        if getattr(k, "value", None) == key and index < len(getattr(v, "value", ())):
            item = v.value[index]
            for ik, iv in getattr(item, "value", ()):
                if getattr(ik, "value", None) == field:
                    return iv
    return None


BRIEF = Obj(
    {
        "title": Field(_rich("The brief's title."), required=True),
        "subtitle": Field(_rich("A subtitle.")),
        "short_title": Field(_line("A short title for running heads and footers.", max_len=60)),
        "language": Field(Str(description="BCP 47 language tag, e.g. zh-CN or en-GB.", pattern=BCP47, pattern_hint="a BCP 47 language tag such as zh-CN or en-GB")),
        "date": Field(Date("Publication date (YYYY-MM-DD); also the documents' creation date.")),
        "keywords": Field(ListOf(_line("A keyword."), unique=True)),
        "authors": Field(ListOf(AUTHOR, min_items=1), required=True),
        "summary": Field(_text("The lead."), required=True),
        "headings": Field(HEADINGS),
        "status": Field(SECTION),
        "challenges": Field(SECTION),
        "cases": Field(ListOf(CASE, description="Case studies; optional. The deck gives each its own slide.")),
        "lessons": Field(ListOf(LESSON)),
        "recommendations": Field(ListOf(RECOMMENDATION, description="Recommendations; optional. The deck gives each its own slide.")),
        "figures": Field(ListOf(FIGURE)),
        "sections": Field(ListOf(FREE_SECTION, description="Sections the author names: Background, Method, "
                                 "Key messages (style: box) …; placed by 'order'.")),
        "notes": Field(MapOf(_text("The note's text."), description="Footnotes by id, referenced as [^id].",
                             key_pattern=r"[^\]\s]+", key_hint="a note id (no spaces or ']')")),
        "references": Field(ListOf(CSL_ITEM, description="Works cited with [@id] or @id (CSL-JSON items).")),
        "bibliography": Field(_line("A CSL-JSON (.json) or BibTeX (.bib) file beside the brief, of works cited.")),
        "csl": Field(_line("A CSL style file beside the brief (default: GB/T 7714—2025 numeric for Chinese, "
                           "Chicago author-date otherwise).")),
        "order": Field(ListOf(Str(description="summary, status, challenges, figures, cases, lessons, "
                                  "recommendations, or the id of a section."),
                              description="Reading order of every top-level section.", min_items=1)),
    },
    build=m.Brief,
    rule=_brief_rule,
    title="Policy brief",
    description="One policy brief: the master from which the report, the deck and the PDF are built.",
)


_BRIEF_FIELDS = {f.name for f in __import__("dataclasses").fields(m.Brief)}


def load_brief(path: str | Path) -> tuple[m.Brief, list[Diagnostic]]:
    """Load and validate a brief. Returns ``(brief, warnings)``; raises :class:`~builders.errors.InputError`."""
    path = Path(path)
    brief, warnings = load(path, BRIEF, display=str(path))
    return _with_source(brief, path), warnings


def _with_source(brief: m.Brief, path: Path) -> m.Brief:
    from dataclasses import replace

    return replace(brief, source=path)


def json_schema() -> dict:
    """The JSON Schema for briefs (draft 2020-12), for editors and other tools."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID}
    schema.update(BRIEF.json_schema())
    return schema


def json_schema_text() -> str:
    import json

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
