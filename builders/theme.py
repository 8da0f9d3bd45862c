"""Themes are data: colours, fonts, sizes, page and slide set-up, numbering, templates.

A theme is ``themes/<name>.yaml``; ``extends: parent`` makes it state only what
differs.  Each file is validated on its own (so errors point into the right
file), the validated mappings are merged parent-first, and the result must be
complete.  Builders receive a frozen :class:`Theme`.

This module is the theme *model*; reading and validating theme files is
:mod:`builders.theme_loader`, imported only by :func:`load_theme`, so a builder
process that receives a theme never loads the YAML parser or the validator.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from .errors import Diagnostic

THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"
MM = 72 / 25.4

PAGE_SIZES_MM = {  # ISO 216, US, and the Chinese 16开 common for policy journals
    "A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "B5": (176, 250),
    "Letter": (215.9, 279.4), "Legal": (215.9, 355.6), "16K": (185, 260),
}
SLIDE_SIZES_MM = {"16:9": (338.667, 190.5), "16:10": (304.8, 190.5), "4:3": (254, 190.5)}
from .registry import FORMATS  # noqa: E402,F401 - the one list of formats, for the theme schema

SECTIONS = ("summary", "status", "challenges", "cases", "lessons", "recommendations", "figures")
COLOUR_ROLES = ("text", "heading", "accent", "muted", "background", "surface", "on_accent", "rule")


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Colour:
    rgb: str  # "#RRGGBB"
    cmyk: Optional[tuple[float, float, float, float]] = None  # percentages, for print

    @property
    def hex(self) -> str:
        """``RRGGBB`` without the hash, as OOXML wants it."""
        return self.rgb[1:].upper()

    @property
    def rgb_floats(self) -> tuple[float, float, float]:
        return tuple(int(self.rgb[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


@dataclass(frozen=True)
class Palette:
    """Text/background pairs the builders may use: text, heading, muted and accent on background;
    text on surface; on_accent on accent.  The accessible theme's test checks exactly these."""

    text: Colour
    heading: Colour
    accent: Colour
    muted: Colour
    background: Colour
    surface: Colour
    on_accent: Colour
    rule: Colour
    chart: tuple[Colour, ...]

    def pairs(self) -> list[tuple[str, Colour, Colour]]:
        return [
            ("text/background", self.text, self.background),
            ("heading/background", self.heading, self.background),
            ("muted/background", self.muted, self.background),
            ("accent/background", self.accent, self.background),
            ("text/surface", self.text, self.surface),
            ("heading/surface", self.heading, self.surface),
            ("on_accent/accent", self.on_accent, self.accent),
        ]


@dataclass(frozen=True)
class FontRole:
    """One role's faces: names for Word/PowerPoint (the reader's machine) and files for the PDF (embedded).

    ``pdf`` and ``pdf_bold`` are fontconfig patterns (``Noto Serif CJK SC``) or
    font file paths (relative to the theme file, ``#N`` selects a face in a .ttc).
    """

    latin: str
    east_asian: str
    pdf: str
    pdf_bold: str


@dataclass(frozen=True)
class Fonts:
    heading: FontRole
    body: FontRole
    caption: FontRole
    fallback: tuple[str, ...] = ()  # PDF faces tried for characters the role's face lacks
    # Optional roles (GB/T 9704: a 小标宋 title, 楷体 second-level and 仿宋 third-level headings);
    # None: the heading role's faces.
    title: Optional[FontRole] = None
    heading2: Optional[FontRole] = None
    heading3: Optional[FontRole] = None

    def for_heading(self, level: int) -> FontRole:
        """The role that sets a heading of ``level`` (1 = a section)."""
        role = {2: self.heading2, 3: self.heading3}.get(min(level, 3))
        return role or self.heading

    @property
    def title_role(self) -> FontRole:
        """The role of the document title."""
        return self.title or self.heading


@dataclass(frozen=True)
class Sizes:
    """Type sizes in points; ``line_spacing`` is a multiple of the size."""

    title: float
    subtitle: float
    heading1: float
    heading2: float
    heading3: float
    body: float
    caption: float
    line_spacing: float
    slide_title: float
    slide_body: float
    slide_min: float


@dataclass(frozen=True)
class Page:
    """Trimmed page size, margins and bleed, all in points."""

    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    bleed: float
    crop_marks: bool
    colour_mode: str  # "rgb" | "cmyk"
    cover: bool = True  # a cover page before the body (False: the title heads page 1)
    contents: bool = True  # a contents page (report and PDF)
    running_head: bool = True
    folio: str = "x_of_y"  # "x_of_y": 第 4 页 共 17 页 centred; "gbt9704": — 4 — at the outer edge
    grid: Optional[tuple[int, int]] = None  # (characters a line, lines a page) of body text, e.g. (28, 22)

    @property
    def measure(self) -> float:
        """Width of the type area in points."""
        return self.width - self.margin_left - self.margin_right

    @property
    def depth(self) -> float:
        """Height of the type area in points."""
        return self.height - self.margin_top - self.margin_bottom


@dataclass(frozen=True)
class Colophon:
    """版记: who receives copies (抄送), who prints the document (印发机关) and when (印发日期)."""

    cc: str = ""
    printer: str = ""
    date: str = ""


@dataclass(frozen=True)
class GovDoc:
    """Parts of a GB/T 9704 document that are the issuing office's, not the brief's."""

    issuer: str = ""  # 发文机关标志, e.g. "××市人民政府办公室文件"
    red_header: bool = True  # the issuer in red over a red rule (版头)
    colophon: Optional[Colophon] = None


@dataclass(frozen=True)
class Slides:
    width: float  # points
    height: float
    max_body_chars: int = 0  # body characters a slide shows at most; 0: by the brief's language (120 CJK, 320)

    def body_limit(self, language: str) -> int:
        """The most body characters one slide shows: the theme's, or 120 for CJK text and 320 otherwise
        (a Chinese character carries about as much as a short English word and a half)."""
        if self.max_body_chars:
            return self.max_body_chars
        return 120 if language.split("-")[0].lower() in ("zh", "ja", "ko") else 320


@dataclass(frozen=True)
class Theme:
    name: str
    audience: str
    colours: Palette
    fonts: Fonts
    sizes: Sizes
    page: Page
    slides: Slides
    numbering: str  # "auto" | "chinese" | "decimal" | "none"
    docx_template: Optional[Path] = None
    pptx_template: Optional[Path] = None
    omit: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((format, (section, ...)), ...)
    notes: str = "footnotes"  # "footnotes" | "endnotes"
    cjk_emphasis: str = "bold"  # "bold" | "kai" | "dots": *emphasis* in CJK text, never a slanted face
    csl: Optional[Path] = None  # the theme's CSL style for references
    path: Optional[Path] = None
    figures: str = "both"  # "chart" | "table" | "both": how a figure of numbers is shown in the report and PDF
    govdoc: Optional[GovDoc] = None  # 版头 and 版记 of a government document

    def omitted(self, fmt: str) -> frozenset[str]:
        """Sections this theme leaves out of ``fmt`` (e.g. lessons from an executive deck)."""
        return frozenset(dict(self.omit).get(fmt, ()))

    def numbering_for(self, language: str) -> str:
        """The section-numbering convention for a brief in ``language``."""
        zh = language.lower().startswith("zh")
        if self.numbering == "chinese" and not zh:
            return "decimal"  # 一、/（一） numbers Chinese text only; an English brief gets 1 / 1.1
        if self.numbering != "auto":
            return self.numbering
        return "chinese" if zh else "decimal"


def available() -> dict[str, Path]:
    """Theme names and files, sorted by name."""
    return {p.stem: p for p in sorted(THEMES_DIR.glob("*.yaml"))}


def load_theme(name: str = DEFAULT_THEME, themes_dir: Path | None = None) -> tuple[Theme, list[Diagnostic]]:
    """Load theme ``name`` (resolving ``extends``). Raises :class:`ThemeNotFound` or :class:`InputError`.

    ``name`` may also be the path of a theme file outside ``themes/``; its ``extends`` then finds
    themes beside it first, then the shipped ones.  (See :mod:`builders.theme_loader`.)
    """
    from .theme_loader import load_theme as load

    return load(name, themes_dir)


def json_schema_text() -> str:
    """The JSON Schema of a theme file, for editors (``brief schema theme``)."""
    from .theme_schema import json_schema_text as text

    return text()
