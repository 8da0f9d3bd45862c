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

from . import document as d
from .theme import Theme


def document_strings(doc: d.Document) -> list[tuple[str, str]]:
    """Every string a reader of ``doc`` sees, with where it comes from, for the glyph-coverage check."""
    out = [("title", d.plain(doc.title)), ("subtitle", d.plain(doc.subtitle or ())),
           ("short_title", doc.running_title), ("date", doc.date or "")]
    out += [(f"authors[{i}]", f"{d.plain(a.name)} {d.plain(a.role or ())}") for i, a in enumerate(doc.authors)]
    out += [(f"keywords[{i}]", k) for i, k in enumerate(doc.keywords)]
    for s in doc.walk():
        parts = [s.label, d.blocks_text(s.blocks), d.plain(s.region or ()), *(d.plain(p) for p in s.points)]
        out.append((s.where or s.anchor, " ".join(parts)))
    for f in doc.figures:
        out.append((f"figures[{f.figure.id}]", " ".join([*(d.block_text(f)), f.figure.unit or "",
                                                           *(dt.unit or "" for dt in f.figure.data)])))
    for n in doc.notes:
        out.append((f"notes[{n.note_id}]", d.blocks_text(n.blocks)))
    lab = doc.labels
    out.append(("labels", " ".join(str(getattr(lab, f)) for f in lab.__dataclass_fields__)))
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


def missing(doc: d.Document, theme: Theme) -> dict[str, str]:
    """Characters (in first-seen order) that no face of the theme and no installed font has → where they first occur."""
    from .fonts import metrics

    refs = [theme.fonts.body.pdf, theme.fonts.heading.pdf, theme.fonts.caption.pdf, *theme.fonts.fallback]
    faces = [metrics(r) for r in dict.fromkeys(refs)]
    out: dict[str, str] = {}
    seen: set[str] = set()
    for where, text in document_strings(doc):
        for ch in text:
            if ch in seen:
                continue
            seen.add(ch)
            if lacking(ch, faces):
                out[ch] = where
    return out
