"""The brief's contract: one definition that validates YAML, builds the model and emits JSON Schema."""
from __future__ import annotations

from pathlib import Path

from . import model as m
from .errors import Diagnostic
from .markup import Where, parse_blocks, parse_inlines
from .schema import Context, Date, Field, ListOf, MapOf, Number, Obj, Str, _close
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
    return m.Text(parsed.blocks, value, tuple(parsed.refs), defs)


def _parse_line(value: str, node, ctx: Context, path: str):
    parsed = parse_inlines(value, _where(node, ctx))
    _report(parsed, ctx, path)
    return m.Line(parsed.inlines, value, tuple(parsed.refs))


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


def _figure_rule(values: dict, node, ctx: Context, path: str) -> None:
    from .assets import IMAGE_SUFFIXES, check_image, confined

    where = lambda key: next((v for k, v in node.value if getattr(k, "value", None) == key), node)  # noqa: E731
    if "data" not in values and "image" not in values:
        ctx.error(node, path, "a figure needs 'data' (a table or chart) or an 'image'")
    if "data" in values and "image" in values:
        ctx.error(where("image"), f"{path}.image", "a figure is either data or an image; make two figures")
    if values.get("chart") and "data" not in values:
        ctx.error(where("chart"), f"{path}.chart", "a chart needs 'data'")
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
        "value": Field(Number(description="The number."), required=True),
        "unit": Field(_line("Unit, overriding the figure's unit.")),
        "approx": Field(Str(description="The value is a bound or an estimate.", enum=("more_than", "about", "less_than"))),
    },
    build=m.Datum,
    rule=_datum_rule,
    title="Datum",
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
