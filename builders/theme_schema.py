"""What a theme file may say: the schema every theme file is validated against, and its JSON Schema."""
from __future__ import annotations

import re

from .assets import confined
from .schema import Bool, Field, ListOf, Number, Obj, Str
from .theme import COLOUR_ROLES, FORMATS, PAGE_SIZES_MM, SECTIONS, SLIDE_SIZES_MM

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
TEMPLATE_SUFFIXES = {"docx": (".docx", ".dotx"), "pptx": (".pptx", ".potx")}


def _files_rule(kinds: dict[str, tuple[str, ...]], only_if_suffix: bool = False, check=None):
    """An Obj rule checking that the listed keys name permitted files (see :func:`builders.assets.confined`);
    ``check(path, key)`` then says why a permitted file is still unusable, or ``None``."""

    def rule(values: dict, node, ctx, path: str) -> None:
        for key, allowed in kinds.items():
            value = values.get(key)
            if value is None:
                continue
            if only_if_suffix and not value.split("#", 1)[0].lower().endswith(FONT_SUFFIXES):
                continue  # a fontconfig family, not a file
            found, why = confined(value, ctx.file, allowed)
            if not why and check is not None:
                why = check(found, key)
            if why:
                value_node = next((v for k, v in node.value if getattr(k, "value", None) == key), node)
                ctx.error(value_node, f"{path}.{key}" if path else key, why)

    return rule


def _fallback_rule(values: dict, node, ctx, path: str) -> None:
    """``fonts.fallback`` entries that are font files are confined like every other font path."""
    seq = next((v for k, v in node.value if getattr(k, "value", None) == "fallback"), node)
    items = getattr(seq, "value", None)
    for i, value in enumerate(values.get("fallback", ())):
        if not value.split("#", 1)[0].lower().endswith(FONT_SUFFIXES):
            continue  # a fontconfig family, not a file
        _, why = confined(value, ctx.file, FONT_SUFFIXES)
        if why:
            where = items[i] if isinstance(items, list) and i < len(items) else seq
            ctx.error(where, f"{path}.fallback[{i}]" if path else f"fallback[{i}]", why)


HEX = r"#[0-9A-Fa-f]{6}"
_colour = Str(description="An sRGB colour, #RRGGBB.", pattern=HEX, pattern_hint="a colour like #1F3A5F")
_cmyk = ListOf(Number(minimum=0, maximum=100), min_items=4, max_items=4, description="C, M, Y, K in percent.")
_font_role = Obj(
    {
        "latin": Field(Str(description="Latin font name for Word and PowerPoint, as the reader's machine knows it.")),
        "east_asian": Field(Str(description="East Asian font name for Word and PowerPoint (e.g. SimSun, Microsoft YaHei).")),
        "pdf": Field(Str(description="Font embedded in the PDF: a fontconfig family/pattern or a font file (path#face).")),
        "pdf_bold": Field(Str(description="Bold face for the PDF; defaults to the pdf font with :bold.")),
    },
    description="Fonts for one role.",
    rule=_files_rule({"pdf": FONT_SUFFIXES, "pdf_bold": FONT_SUFFIXES}, only_if_suffix=True),
)
# Optional roles: each key left out is the heading role's.
OPTIONAL_ROLES = {"title": "the document title (GB/T 9704: 小标宋)",
                  "heading2": "second-level headings (GB/T 9704: 楷体)",
                  "heading3": "third-level headings (GB/T 9704: 仿宋, bold)"}


def _font_role_over(what: str) -> Obj:
    return Obj(dict(_font_role.fields), description=f"Fonts for {what}; keys left out are the heading role's.",
               rule=_font_role.rule)


_mm = Number(minimum=0, maximum=200, description="Millimetres.")
_pt = Number(minimum=4, maximum=200, description="Points.")
_size = Str(
    description="A named size or WIDTHxHEIGHTmm.",
    pattern=r"(" + "|".join(re.escape(k) for k in {**PAGE_SIZES_MM, **SLIDE_SIZES_MM}) + r"|\d+(\.\d+)?x\d+(\.\d+)?mm)",
    pattern_hint="a size such as A4, Letter, 16:9 or 210x297mm",
)
_sections = ListOf(Str(enum=SECTIONS), unique=True)

THEME = Obj(
    {
        "extends": Field(Str(description="The parent theme's name; this file states only what differs.")),
        "audience": Field(Str(description="Who the theme is for, in one line.")),
        "colours": Field(Obj(
            {**{r: Field(_colour) for r in COLOUR_ROLES}, "chart": Field(ListOf(_colour, min_items=1))},
            description="sRGB colours by role.",
        )),
        "cmyk": Field(Obj(
            {**{r: Field(_cmyk) for r in COLOUR_ROLES}, "chart": Field(ListOf(_cmyk, min_items=1))},
            description="CMYK values for print, by the same roles as colours.",
        )),
        "fonts": Field(Obj(
            {
                "heading": Field(_font_role),
                "body": Field(_font_role),
                "caption": Field(_font_role),
                "fallback": Field(ListOf(Str(), description="PDF faces for characters the role fonts lack.")),
                **{r: Field(_font_role_over(what)) for r, what in OPTIONAL_ROLES.items()},
            },
            description="Fonts per role.",
            rule=_fallback_rule,
        )),
        "sizes": Field(Obj(
            {k: Field(_pt) for k in ("title", "subtitle", "heading1", "heading2", "heading3", "body", "caption",
                                      "slide_title", "slide_body", "slide_min")}
            | {"line_spacing": Field(Number(minimum=0.8, maximum=3, description="Line spacing as a multiple."))},
            description="Type sizes in points.",
        )),
        "page": Field(Obj(
            {
                "size": Field(_size),
                "orientation": Field(Str(enum=("portrait", "landscape"))),
                "margins_mm": Field(Obj({k: Field(_mm) for k in ("top", "bottom", "left", "right")})),
                "bleed_mm": Field(Number(minimum=0, maximum=20, description="Bleed in millimetres (print).")),
                "crop_marks": Field(Bool(description="Draw crop marks in the bleed (print).")),
                "colour_mode": Field(Str(enum=("rgb", "cmyk"), description="Colour space of the PDF.")),
                "cover": Field(Bool(description="A cover page before the body (default true; false: the title "
                                                "heads the first page, as in a GB/T 9704 document).")),
                "contents": Field(Bool(description="A contents page in the report and the PDF (default true).")),
                "running_head": Field(Bool(description="The short title at the head of each page (default true).")),
                "folio": Field(Str(enum=("x_of_y", "gbt9704"),
                                   description="Page numbers: x_of_y (第 4 页 共 17 页, centred) or gbt9704 "
                                               "(— 4 — in 14 pt at the outer edge, 7 mm below the type area).")),
                "grid": Field(Obj({"chars": Field(Number(minimum=10, maximum=80, description="Characters a line.")),
                                   "lines": Field(Number(minimum=10, maximum=80, description="Lines a page."))},
                                  description="A character grid for body text: every full line holds `chars` "
                                              "characters and a page `lines` lines (GB/T 9704: 28 × 22).")),
            },
            description="Page set-up of the report and the PDF.",
        )),
        "slides": Field(Obj(
            {"size": Field(_size),
             "max_body_chars": Field(Number(integer=True, minimum=40, maximum=5000, description=(
                 "Most characters of body text a slide shows; the rest continues on a marked slide or goes to "
                 "the speaker notes. Default by language: 120 for Chinese, Japanese, Korean; 320 otherwise.")))},
            description="Slide size and text budget of the deck.")),
        "numbering": Field(Str(enum=("auto", "chinese", "decimal", "none"),
                               description="Section numbering: chinese is 一、/（一）/1.; auto picks by the brief's language.")),
        "templates": Field(Obj(
            {"docx": Field(Str(description="Reference .docx/.dotx, relative to the theme file.")),
             "pptx": Field(Str(description="Template .pptx/.potx, relative to the theme file."))},
            description="Optional corporate templates.",
            rule=_files_rule(TEMPLATE_SUFFIXES),  # what is inside is checked by builders.sanitize
        )),
        "omit": Field(Obj({f: Field(_sections) for f in FORMATS},
                          description="Sections to leave out of a given output.")),
        "text": Field(Obj(
            {
                "notes": Field(Str(enum=("footnotes", "endnotes"),
                                   description="Notes at the foot of their page (footnotes) or in a Notes "
                                               "section at the end (endnotes).")),
                "cjk_emphasis": Field(Str(enum=("bold", "kai", "dots"),
                                          description="How *emphasis* looks in Chinese, Japanese and Korean "
                                                      "text: bold, a Kai face, or emphasis dots (never a "
                                                      "slanted CJK face).")),
                "figures": Field(Str(enum=("chart", "table", "both"),
                                     description="How a figure of numbers is shown in the report and the PDF: "
                                                 "its chart, its table, or both as one figure (the chart, "
                                                 "one caption, and its data directly under it).")),
            },
            description="Text treatments the theme chooses.",
        )),
        "government": Field(Obj(
            {
                "issuer": Field(Str(description="发文机关标志: the issuing body, set in red 小标宋 above a red rule "
                                                "(版头); leave out for no header.")),
                "red_header": Field(Bool(description="Set the issuer in red over a red rule (default true).")),
                "colophon": Field(Obj(
                    {"cc": Field(Str(description="抄送: who receives copies.")),
                     "printer": Field(Str(description="印发机关: the office that prints the document.")),
                     "date": Field(Str(description="印发日期, as printed (e.g. 2026年12月1日)."))},
                    description="版记 at the end of the document, between rules.")),
            },
            description="Parts of a GB/T 9704 document that belong to the issuing office.",
        )),
        "csl": Field(Str(description="A CSL style file for references, relative to the theme file; default: "
                                     "GB/T 7714-2025 numeric for Chinese briefs, Chicago author-date otherwise.")),
    },
    title="Theme",
    description="A theme: how the report, the deck and the PDF look.",
)


def json_schema() -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "theme.schema.json"}
    schema.update(THEME.json_schema())
    return schema


def json_schema_text() -> str:
    import json

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
