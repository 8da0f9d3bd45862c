"""Reading theme files: each validated against :mod:`.theme_schema`, the ``extends`` chain, and the
:class:`~builders.theme.Theme` built from them.

Each file is validated on its own (so errors point into the right file), the
validated mappings are merged parent-first, and the result must be complete.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError, ThemeNotFound
from .theme import (COLOUR_ROLES, DEFAULT_THEME, MM, PAGE_SIZES_MM, SLIDE_SIZES_MM, THEMES_DIR, Colophon, Colour,
                    FontRole, Fonts, GovDoc, Page, Palette, Sizes, Slides, Theme)
from .theme_schema import OPTIONAL_ROLES, THEME
from .yamlsource import load_node


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
