"""Half-width punctuation fonts, so that the PDF can draw a squeezed mark (see :mod:`builders.squeeze`).

A squeezed mark is drawn from a small companion font of its face that holds only
the squeezable marks, each advancing half its full width: a closing mark's
outline stays where it is (its ink is in the left half), an opening mark's moves
left by half an advance (its ink is in the right half).  A glyph whose ink
crosses the middle of its box (FandolFang's centred ？) is left out, so it is
never squeezed.  Drawing from a real font keeps the page honest: the PDF's width
table says where each glyph ends (no ink past the margin, and a reader measuring
the file sees the same), and the text extracts as the characters themselves.
"""
from __future__ import annotations

import hashlib
import os
from io import BytesIO
from pathlib import Path
from typing import Callable, Optional

from ..cachedir import check_entry, write_entry
from ..squeeze import CLOSING, SQUEEZABLE

# Bump when the companion fonts change, so that stale cached ones are never used.
VERSION = "2"  # 2: with a space, which reportlab appends to the last word of a split line
# Registered font name → (its half-width companion's name, the marks that companion holds).
HALF: dict[str, tuple[str, frozenset[str]]] = {}
_savings: dict[tuple[str, float, str], float] = {}


def variant(path: Path, tag: str, edit: Callable) -> Path:
    """A copy of the font ``path`` changed by ``edit(ttfont)``, cached beside it as ``<stem><tag>.ttf``
    (or in this build's writable cache when that folder is read-only); its PostScript name gets ``tag``
    too, since reportlab maps a face name it has seen to the first font of that name."""
    target = path.with_name(f"{path.stem}{tag}.ttf")
    if target.is_file() and check_entry(target):
        return target
    if not os.access(target.parent, os.W_OK):
        from ..cachedir import writable_dir

        target = writable_dir("fonts") / target.name
        if target.is_file() and check_entry(target):
            return target
    from fontTools.ttLib import TTFont

    tt = TTFont(str(path), recalcTimestamp=False)
    edit(tt)
    names = tt["name"]
    ps = names.getDebugName(6) or "BriefFont"
    for rec in list(names.names):
        if rec.nameID == 6:
            names.setName(f"{ps[:50]}{tag}", 6, rec.platformID, rec.platEncID, rec.langID)
    out = BytesIO()
    tt.save(out)
    tt.close()
    write_entry(target, out.getvalue())
    return target


def half_font(path: Path, chars: str) -> Optional[Path]:
    """The half-width companion of the font ``path`` for the squeezable marks among ``chars``
    (``None`` when there are none)."""
    marks = "".join(sorted(set(chars) & SQUEEZABLE))
    if not marks:
        return None
    tag = "h" + hashlib.sha256((VERSION + marks).encode("utf-8")).hexdigest()[:8]
    return variant(path, tag, lambda tt: _halve(tt, marks))


def _halve(tt, marks: str) -> None:
    from fontTools import subset

    cmap = tt.getBestCmap()
    glyf, hmtx = tt["glyf"], tt["hmtx"].metrics
    keep = []
    for ch in marks:
        name = cmap.get(ord(ch))
        if name is None or not hasattr(glyf[name], "numberOfContours") or glyf[name].numberOfContours == 0:
            continue
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        advance = hmtx[name][0]
        half = advance // 2  # the saving, advance - half, is never less than half an advance
        if advance < 0.9 * tt["head"].unitsPerEm:
            continue  # a proportional mark (a Latin quote): nothing to squeeze
        if ch in CLOSING:
            if glyph.xMax > half:
                continue
            hmtx[name] = (half, glyph.xMin)
        else:
            shift = advance - half
            if glyph.xMin < shift:
                continue
            if glyph.isComposite():
                for comp in glyph.components:
                    comp.x -= shift
            else:
                glyph.coordinates.translate((-shift, 0))
            glyph.recalcBounds(glyf)
            hmtx[name] = (half, glyph.xMin)
        keep.append(ord(ch))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    sub = subset.Subsetter(options)
    sub.populate(unicodes=keep + [0x20])  # reportlab appends a space to the last word of a split line
    sub.subset(tt)


def register(name: str, path: Path, chars: str) -> None:
    """Register the half-width companion of the registered font ``name`` (file ``path``, drawing
    ``chars``) and remember it for the line breaker."""
    if name in HALF or not SQUEEZABLE.intersection(chars):
        return
    half = half_font(path, chars)
    if half is None:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name + "-h", str(half))
    held = frozenset(ch for ch in SQUEEZABLE.intersection(chars) if font.face.charWidths.get(ord(ch)))
    if held:
        pdfmetrics.registerFont(font)
    HALF[name] = (name + "-h", held)


def saving(ch: str, frag, width: float) -> float:
    """What drawing ``ch`` (of ``frag``, ``width`` points wide) at half width saves; 0 when it cannot be."""
    entry = HALF.get(frag.fontName)
    if entry is None or ch not in entry[1] or getattr(frag, "rise", 0) or hasattr(frag, "cbDefn"):
        return 0.0
    key = (frag.fontName, frag.fontSize, ch)
    s = _savings.get(key)
    if s is None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        s = _savings[key] = width - stringWidth(ch, entry[0], frag.fontSize)
    return s


def half_frag(frag):
    """``frag`` drawn from its half-width companion font (one clone per fragment)."""
    half = frag.__dict__.get("_brief_half")
    if half is None:
        half = frag.clone(fontName=HALF[frag.fontName][0])
        half.__dict__.pop("_brief_half", None)
        frag._brief_half = half
    return half
