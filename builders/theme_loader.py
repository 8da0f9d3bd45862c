"""Reading theme files: their schema, the ``extends`` chain, and the :class:`~builders.theme.Theme` built from them.

Each file is validated on its own (so errors point into the right file), the
validated mappings are merged parent-first, and the result must be complete.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .assets import confined
from .errors import Diagnostic, InputError, ThemeNotFound
from .schema import Bool, Field, ListOf, Number, Obj, Str
from .theme import (COLOUR_ROLES, DEFAULT_THEME, FORMATS, MM, PAGE_SIZES_MM, SECTIONS, SLIDE_SIZES_MM, THEMES_DIR,
                    Colophon, Colour, FontRole, Fonts, GovDoc, Page, Palette, Sizes, Slides, Theme)
from .yamlsource import load_node


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


# ---------------------------------------------------------------- loading


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# A theme extends a handful of others at most; a longer chain is a mistake (or a generated attack).
MAX_EXTENDS = 20


def _extends_at(node, file: str) -> tuple[str, int, int]:
    """``(file, line, col)`` of the ``extends`` value in a theme's root node, for errors about it."""
    for k, v in getattr(node, "value", ()):
        if getattr(k, "value", None) == "extends":
            return file, v.start_mark.line + 1, v.start_mark.column + 1
    return file, 1, 1


def _read_chain(name: str, themes: dict[str, Path]) -> tuple[dict, list, Path]:
    """The merged data of theme ``name`` and its ``extends`` ancestors, parent first.

    A loop, not recursion: the chain is bounded by :data:`MAX_EXTENDS` and reported at the
    ``extends`` line that goes one step too far or closes a cycle.
    """
    chain: list[tuple[str, dict, list]] = []  # (name, data, warnings), child first
    seen: list[str] = []
    current = name
    while True:
        path = themes[current]
        data, warnings, node = load_node(path, THEME, display=_display(path))
        chain.append((current, data, warnings))
        seen.append(current)
        parent = data.pop("extends", None)
        if parent is None:
            break
        where = _extends_at(node, _display(path))
        if parent in seen:
            raise InputError([Diagnostic(*where, f"extends: cycle {' -> '.join(seen + [parent])}")])
        if parent not in themes:
            raise InputError([Diagnostic(*where, f"extends: unknown theme {parent!r}; available: {', '.join(themes)}")])
        if len(seen) >= MAX_EXTENDS:  # the parent would be one theme too many
            raise InputError([Diagnostic(*where, f"extends: more than {MAX_EXTENDS} themes in the chain")])
        current = parent
    merged: dict = {}
    all_warnings: list = []
    parent_name = name
    for theme_name, data, warnings in reversed(chain):
        # Template paths are relative to the file that names them.
        if "templates" in merged:
            merged["templates"] = {k: str((themes[parent_name].parent / v).resolve())
                                   for k, v in merged["templates"].items()}
        merged = _merge(merged, data)
        all_warnings = all_warnings + warnings
        parent_name = theme_name
    return merged, all_warnings, themes[name]


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_theme(name: str = DEFAULT_THEME, themes_dir: Path | None = None) -> tuple[Theme, list[Diagnostic]]:
    """Load theme ``name`` (resolving ``extends``). Raises :class:`ThemeNotFound` or :class:`InputError`.

    ``name`` may also be the path of a theme file outside ``themes/``; its ``extends`` then finds
    themes beside it first, then the shipped ones.
    """
    themes = {p.stem: p for p in sorted((themes_dir or THEMES_DIR).glob("*.yaml"))}
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
        if not path.is_file():
            raise ThemeNotFound(f"theme file {name} not found")
        themes.update({p.stem: p for p in sorted(path.resolve().parent.glob("*.y*ml"))})
        name = path.stem
    if name not in themes:
        raise ThemeNotFound(f"unknown theme {name!r}; available themes: {', '.join(themes) or '(none)'}")
    data, warnings, path = _read_chain(name, themes)
    return _build(name, data, path), warnings


def _require(data: dict, dotted: str, file: str) -> Any:
    cur: Any = data
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            raise InputError([Diagnostic(file, 1, 1, f"missing {dotted} (state it, or extend a theme that does)")])
        cur = cur[part]
    return cur


def _size_pt(spec: str, table: dict) -> tuple[float, float]:
    if spec in table:
        w, h = table[spec]
    else:
        w, h = (float(x) for x in spec[:-2].split("x"))
    return w * MM, h * MM


REQUIRED = (
    [f"colours.{r}" for r in COLOUR_ROLES] + ["colours.chart"]
    + [f"fonts.{r}.{k}" for r in ("heading", "body", "caption") for k in ("latin", "east_asian", "pdf")]
    + [f"sizes.{k}" for k in Sizes.__dataclass_fields__]
    + ["page.size"] + [f"page.margins_mm.{k}" for k in ("top", "bottom", "left", "right")] + ["slides.size"]
)


def _build(name: str, data: dict, path: Path) -> Theme:
    file = _display(path)
    missing = []
    for dotted in REQUIRED:
        try:
            _require(data, dotted, file)
        except InputError:
            missing.append(dotted)
    if missing:
        raise InputError([Diagnostic(file, 1, 1, f"missing {m} (state it, or extend a theme that does)") for m in missing])
    req = lambda dotted: _require(data, dotted, file)  # noqa: E731
    cmyk = data.get("cmyk", {})

    def colour(role: str) -> Colour:
        c = cmyk.get(role)
        return Colour(req(f"colours.{role}").upper(), tuple(c) if c else None)

    chart_cmyk = cmyk.get("chart", ())
    chart = tuple(
        Colour(c.upper(), tuple(chart_cmyk[i]) if i < len(chart_cmyk) else None)
        for i, c in enumerate(req("colours.chart"))
    )
    palette = Palette(**{r: colour(r) for r in COLOUR_ROLES}, chart=chart)

    def role(r: str) -> FontRole:
        pdf = req(f"fonts.{r}.pdf")
        bold = data["fonts"][r].get("pdf_bold") or (pdf if "/" in pdf or "." in pdf.rsplit("/", 1)[-1] else f"{pdf}:bold")
        return FontRole(req(f"fonts.{r}.latin"), req(f"fonts.{r}.east_asian"), _font_ref(pdf, path), _font_ref(bold, path))

    def optional_role(r: str):
        over = data["fonts"].get(r)
        if not over:
            return None
        base = {k: v for k, v in data["fonts"]["heading"].items() if k != "pdf_bold" or "pdf" not in over}
        merged = {**base, **over}
        pdf = merged["pdf"]
        bold = merged.get("pdf_bold") or (pdf if "/" in pdf or "." in pdf.rsplit("/", 1)[-1] else f"{pdf}:bold")
        return FontRole(merged["latin"], merged["east_asian"], _font_ref(pdf, path), _font_ref(bold, path))

    fonts = Fonts(role("heading"), role("body"), role("caption"),
                  tuple(_font_ref(f, path) for f in data.get("fonts", {}).get("fallback", ())),
                  **{r: optional_role(r) for r in OPTIONAL_ROLES})
    sizes = Sizes(**{k: float(req(f"sizes.{k}")) for k in Sizes.__dataclass_fields__})
    w, h = _size_pt(req("page.size"), PAGE_SIZES_MM)
    if data["page"].get("orientation") == "landscape":
        w, h = max(w, h), min(w, h)
    margins = {k: float(req(f"page.margins_mm.{k}")) * MM for k in ("top", "bottom", "left", "right")}
    page = Page(w, h, margins["top"], margins["bottom"], margins["left"], margins["right"],
                float(data["page"].get("bleed_mm", 0)) * MM, bool(data["page"].get("crop_marks", False)),
                data["page"].get("colour_mode", "rgb"), bool(data["page"].get("cover", True)),
                bool(data["page"].get("contents", True)), bool(data["page"].get("running_head", True)),
                data["page"].get("folio", "x_of_y"), _grid(data["page"].get("grid")))
    sw, sh = _size_pt(req("slides.size"), SLIDE_SIZES_MM)
    templates = data.get("templates", {})
    if page.colour_mode == "cmyk":
        missing = [r for r in COLOUR_ROLES if r not in cmyk] + (["chart"] if len(chart_cmyk) < len(chart) else [])
        if missing:
            raise InputError([Diagnostic(file, 1, 1, f"colour_mode cmyk needs cmyk values for: {', '.join(missing)}")])
    theme = Theme(
        name=name,
        audience=data.get("audience", ""),
        colours=palette,
        fonts=fonts,
        sizes=sizes,
        page=page,
        slides=Slides(sw, sh, int(data["slides"].get("max_body_chars", 0))),
        numbering=data.get("numbering", "auto"),
        docx_template=(path.parent / templates["docx"]).resolve() if "docx" in templates else None,
        pptx_template=(path.parent / templates["pptx"]).resolve() if "pptx" in templates else None,
        omit=tuple((f, tuple(s)) for f, s in sorted(data.get("omit", {}).items())),
        notes=data.get("text", {}).get("notes", "footnotes"),
        cjk_emphasis=data.get("text", {}).get("cjk_emphasis", "bold"),
        csl=(path.parent / data["csl"]).resolve() if data.get("csl") else None,
        path=path,
        figures=data.get("text", {}).get("figures", "both"),
        govdoc=_govdoc(data.get("government")),
    )
    # Both templates checked (and sanitised, once per process) before any build starts: a hostile or
    # broken one is refused here with every problem at once; what is merely dropped, each builder warns of.
    if theme.docx_template or theme.pptx_template:
        from .sanitize import check_templates

        check_templates({"docx": theme.docx_template, "pptx": theme.pptx_template})
    return theme


def _grid(data) -> tuple[int, int] | None:
    if not data or "chars" not in data or "lines" not in data:
        return None
    return int(data["chars"]), int(data["lines"])


def _govdoc(data) -> GovDoc | None:
    if not data:
        return None
    col = data.get("colophon")
    colophon = Colophon(col.get("cc", ""), col.get("printer", ""), col.get("date", "")) if col else None
    return GovDoc(data.get("issuer", ""), bool(data.get("red_header", True)), colophon)


def _font_ref(ref: str, theme_path: Path) -> str:
    """Font file paths become absolute (relative to the theme file); fontconfig patterns stay as they are."""
    file_part = ref.split("#", 1)[0]
    if file_part.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
        resolved = (theme_path.parent / file_part).resolve()
        return str(resolved) + (("#" + ref.split("#", 1)[1]) if "#" in ref else "")
    return ref


def json_schema() -> dict:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "theme.schema.json"}
    schema.update(THEME.json_schema())
    return schema


def json_schema_text() -> str:
    import json

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
