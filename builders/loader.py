"""The brief's contract: one definition that validates YAML, builds the model and emits JSON Schema."""
from __future__ import annotations

from pathlib import Path

from . import model as m
from .errors import Diagnostic
from .schema import Context, Date, Field, ListOf, Number, Obj, Str
from .yamlsource import load

SLUG = r"[a-z0-9][a-z0-9-]*"
BCP47 = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"
SCHEMA_ID = "brief.schema.json"

TEXT_HELP = (
    "Paragraphs separated by blank lines. A block whose every line starts with '- ' is a bullet list; "
    "with '1. ', '2. ' ... a numbered list (one item per line)."
)


def _text(description: str) -> Str:
    return Str(description=f"{description} {TEXT_HELP}", convert=m.parse_text)


def _line(description: str, max_len: int | None = None) -> Str:
    return Str(description=description, max_len=max_len)


def _points(description: str) -> ListOf:
    return ListOf(_line("One short line."), description=description)


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
    {"name": Field(_line("The author's name."), required=True), "role": Field(_line("Position and organisation."))},
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
        "title": Field(_line("Caption text."), required=True),
        "unit": Field(_line("Default unit of the data, e.g. 亿元 or %.")),
        "chart": Field(Str(description="Draw a chart of this kind; omit for a table only.", enum=("column", "bar", "line", "pie"))),
        "source": Field(_line("Where the numbers come from.")),
        "note": Field(_line("A note printed under the figure.")),
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
        "title": Field(_line("The case study's heading."), required=True),
        "region": Field(_line("Where the case is.")),
        "body": Field(_text("The whole case study."), required=True),
        "points": Field(_points("Short lines for the case's slide.")),
    },
    build=m.Case,
    title="Case study",
)

LESSON = Obj(
    {
        "id": Field(_slug("Unique identifier."), required=True),
        "title": Field(_line("The lesson's heading."), required=True),
        "body": Field(_text("The lesson."), required=True),
        "points": Field(_points("Short lines for the slide.")),
    },
    build=m.Lesson,
    title="Lesson",
)

RECOMMENDATION = Obj(
    {
        "id": Field(_slug("Unique identifier."), required=True),
        "title": Field(_line("The recommendation's heading."), required=True),
        "body": Field(_text("The lead: why and what."), required=True),
        "actions": Field(ListOf(_line("One action, without its number."), min_items=1), required=True),
        "closing": Field(_text("Text after the actions.")),
    },
    build=m.Recommendation,
    title="Recommendation",
)

HEADINGS = Obj(
    {
        key: Field(_line(f"Heading of the {what}; omit for the language's default label."))
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
    """Ids are unique across the whole brief: they become bookmarks and anchors."""
    seen: dict[str, str] = {}
    for key in ("cases", "lessons", "recommendations", "figures"):
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
        "title": Field(_line("The brief's title."), required=True),
        "subtitle": Field(_line("A subtitle.")),
        "short_title": Field(_line("A short title for running heads and footers.", max_len=60)),
        "language": Field(Str(description="BCP 47 language tag, e.g. zh-CN or en-GB.", pattern=BCP47, pattern_hint="a BCP 47 language tag such as zh-CN or en-GB")),
        "date": Field(Date("Publication date (YYYY-MM-DD); also the documents' creation date.")),
        "keywords": Field(ListOf(_line("A keyword."), unique=True)),
        "authors": Field(ListOf(AUTHOR, min_items=1), required=True),
        "summary": Field(_text("The lead."), required=True),
        "headings": Field(HEADINGS),
        "status": Field(SECTION),
        "challenges": Field(SECTION),
        "cases": Field(ListOf(CASE, min_items=1), required=True),
        "lessons": Field(ListOf(LESSON)),
        "recommendations": Field(ListOf(RECOMMENDATION, min_items=1), required=True),
        "figures": Field(ListOf(FIGURE)),
    },
    build=m.Brief,
    rule=_brief_rule,
    title="Policy brief",
    description="One policy brief: the master from which the report, the deck and the PDF are built.",
)


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
