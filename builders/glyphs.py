"""Characters of a brief that no font can draw, for the builders' warnings and ``brief verify``.

The report and the deck name fonts the reader's machine is asked for; this machine
can only check the theme's PDF faces, their fallbacks and the fonts it has
installed.  A character none of those has (a rare CJK Extension B ideograph, an
emoji) is left in the text, never dropped, but the build says where it is.
"""
from __future__ import annotations

import functools
import shutil
import unicodedata

from .model import Brief
from .theme import Theme


def brief_strings(brief: Brief) -> list[tuple[str, str]]:
    """Every string of the brief with where it is, for the glyph-coverage check."""
    out = [("title", brief.title), ("subtitle", brief.subtitle or ""), ("short_title", brief.short_title or "")]
    out += [(f"authors[{i}]", f"{a.name} {a.role or ''}") for i, a in enumerate(brief.authors)]
    out += [(f"keywords[{i}]", k) for i, k in enumerate(brief.keywords)]
    out += [("summary", brief.summary.plain)]
    for key in ("status", "challenges"):
        sec = getattr(brief, key)
        if sec:
            out += [(key, sec.body.plain)] + [(f"{key}.points[{i}]", p) for i, p in enumerate(sec.points)]
    for c in brief.cases:
        out += [(f"cases[{c.id}]", f"{c.title} {c.region or ''} {c.body.plain} {' '.join(c.points)}")]
    for lesson in brief.lessons:
        out += [(f"lessons[{lesson.id}]", f"{lesson.title} {lesson.body.plain} {' '.join(lesson.points)}")]
    for r in brief.recommendations:
        out += [(f"recommendations[{r.id}]", f"{r.title} {r.body.plain} {' '.join(r.actions)} {r.closing.plain}")]
    for f in brief.figures:
        out += [(f"figures[{f.id}]", " ".join([f.title, f.unit or "", f.source or "", f.note or "",
                                               *(d.name + (d.unit or "") for d in f.data)]))]
    return out


@functools.lru_cache(maxsize=4096)
def installed(ch: str) -> bool:
    """True when some installed font has ``ch`` (fontconfig's charset query)."""
    if not shutil.which("fc-list"):
        return True  # cannot tell: do not cry wolf
    import subprocess

    out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"], capture_output=True, text=True,
                         check=False).stdout
    return bool(out.strip())


def lacking(ch: str, faces) -> bool:
    """True when ``ch`` is a visible character that none of ``faces`` (:class:`builders.fonts.Metrics`)
    and no installed font has."""
    if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Mn"):
        return False
    return not any(f.covers(ch) for f in faces) and not installed(ch)


def missing(brief: Brief, theme: Theme) -> dict[str, str]:
    """Characters (in first-seen order) that no face of the theme and no installed font has → where they first occur."""
    from .fonts import metrics

    refs = [theme.fonts.body.pdf, theme.fonts.heading.pdf, theme.fonts.caption.pdf, *theme.fonts.fallback]
    faces = [metrics(r) for r in dict.fromkeys(refs)]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for where, text in brief_strings(brief):
        for ch in text:
            if ch in seen:
                continue
            seen.add(ch)
            if lacking(ch, faces):
                out[ch] = where
    return out
