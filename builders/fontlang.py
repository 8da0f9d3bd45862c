"""The theme's fonts for the brief's language: Japanese and Korean faces where the themes name Chinese ones.

The themes are written for Chinese and English briefs: SimSun and Microsoft YaHei for Word and PowerPoint,
Noto CJK SC in the PDF.  A Japanese brief set in them shows Chinese glyph forms (and YaHei has no kana
design of its own); SimSun and YaHei have no Hangul at all.  :func:`for_language` swaps in the faces a
Japanese or Korean reader expects: Yu Mincho and Meiryo, Batang and Malgun Gothic in Office; the JP and
KR faces of the same Noto CJK collection in the PDF (face 0 and 1 of the .ttc, where SC is face 2).
A theme that names no Chinese face is left as it is.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .theme import FontRole, Theme

__all__ = ["for_language"]

# (serif, sans) Office faces per language.  Yu Mincho ships with Windows 8.1 and later and with Office on
# macOS; Batang and Malgun Gothic with every Korean-capable Windows.
OFFICE = {"ja": ("Yu Mincho", "Meiryo"), "ko": ("Batang", "Malgun Gothic")}
NOTO = {"ja": ("JP", 0), "ko": ("KR", 1)}  # the Noto CJK .ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK

# Chinese Office faces of the serif (Song/Ming, Fang, Kai) kind; any other Chinese face is taken as sans.
_SERIF = re.compile(r"Sim(Sun|Fang)|NSimSun|FangSong|KaiTi|STSong|STFangsong|STKaiti|MingLiU|PMingLiU|宋|仿宋|楷|明",
                    re.I)
_CHINESE = re.compile(r"Sim(Sun|Hei|Fang)|NSimSun|FangSong|KaiTi|YaHei|DengXian|JhengHei|MingLiU|^ST[A-Z]|"
                      r"[宋黑楷仿雅等明]", re.I)
_NOTO_NAME = re.compile(r"(Noto (?:Sans|Serif) CJK) (?:SC|TC|HK)\b")
_NOTO_FILE = re.compile(r"(Noto(?:Sans|Serif)CJK[^/#]*\.ttc)#[234]$")


def for_language(theme: Theme, language: str) -> Theme:
    """``theme`` with Japanese or Korean faces when ``language`` is Japanese or Korean; else ``theme``."""
    lang = language.split("-")[0].lower()
    if lang not in OFFICE:
        return theme
    f = theme.fonts
    roles = {name: _role(getattr(f, name), lang) for name in ("heading", "body", "caption", "title", "heading2",
                                                               "heading3") if getattr(f, name, None) is not None}
    return replace(theme, fonts=replace(f, fallback=tuple(_pdf(r, lang) for r in f.fallback), **roles))


def _role(role: FontRole, lang: str) -> FontRole:
    serif, sans = OFFICE[lang]
    east_asian = role.east_asian
    if _CHINESE.search(east_asian):
        east_asian = serif if _SERIF.search(east_asian) else sans
    return replace(role, east_asian=east_asian, pdf=_pdf(role.pdf, lang), pdf_bold=_pdf(role.pdf_bold, lang))


def _pdf(ref: str, lang: str) -> str:
    """The same Noto CJK face in the language's variant (a fontconfig name or a .ttc face index)."""
    variant, index = NOTO[lang]
    ref = _NOTO_NAME.sub(rf"\1 {variant}", ref)
    return _NOTO_FILE.sub(rf"\1#{index}", ref)
