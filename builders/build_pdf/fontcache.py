"""Subset a theme font to the characters a brief uses and give reportlab TrueType outlines.

reportlab refuses CFF (PostScript-outline) fonts such as Debian's Noto CJK, so
the face is subset with fontTools and its outlines converted to quadratic
TrueType curves (cu2qu, as in fontTools' otf2ttf example).  Converting a whole
CJK face costs over a minute and ~900 MB; a subset of the characters in use
costs about two seconds, once: results are cached on disk, keyed on the font
file and the character set, and written atomically so that parallel builds
never see half a file.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from ..fonts import FontFile

# Bump when the conversion changes, so stale cache entries are never reused.
CACHE_VERSION = "1"
# cu2qu tolerance in font units: 1/1000 em is invisible at any print size.
MAX_ERR = 1.0


def cache_dir() -> Path:
    """``$BRIEF_CACHE_DIR``, else ``$XDG_CACHE_HOME/brief``, else ``~/.cache/brief`` (``fonts`` beneath it)."""
    explicit = os.environ.get("BRIEF_CACHE_DIR", "").strip()
    if explicit:
        base = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) / "brief" if xdg else Path.home() / ".cache" / "brief"
    return base / "fonts"


def cache_key(font: FontFile, chars: str) -> str:
    """Same font file (path, size, mtime, face) and same characters → same key."""
    st = font.path.stat()
    h = hashlib.sha256()
    for part in (CACHE_VERSION, str(font.path.resolve()), str(st.st_size), str(st.st_mtime_ns), str(font.index)):
        h.update(part.encode("utf-8") + b"\0")
    h.update("".join(sorted(set(chars))).encode("utf-8"))
    return h.hexdigest()[:24]


def truetype_subset(font: FontFile, chars: str) -> Path:
    """A TrueType-outline font file holding ``chars`` of ``font`` (from the cache when possible)."""
    key = cache_key(font, chars)
    target = cache_dir() / f"{font.path.stem}-{font.index}-{key}.ttf"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".ttf")
    os.close(fd)
    try:
        _convert(font, chars, Path(tmp))
        os.replace(tmp, target)  # atomic: readers see the old state or the whole file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _convert(font: FontFile, chars: str, out: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tt = TTFont(str(font.path), fontNumber=font.index, lazy=False)
    options = subset.Options()
    options.drop_tables += ["FFTM"]  # FontForge's timestamp: fontTools would warn on stderr, reportlab ignores it
    options.layout_features = []  # reportlab shapes nothing: GSUB/GPOS would only add weight
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True  # cu2qu wants plain charstrings
    sub = subset.Subsetter(options)
    codepoints = sorted({ord(c) for c in chars} | {0x20})
    sub.populate(unicodes=codepoints)
    sub.subset(tt)
    if "CFF " in tt:
        _cff_to_glyf(tt)
    tt.save(str(out))
    tt.close()


def _cff_to_glyf(tt) -> None:
    """Replace CFF outlines by quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_order = tt.getGlyphOrder()
    glyph_set = tt.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    tt["loca"] = newTable("loca")
    glyf = tt["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del tt["CFF "]
    if "VORG" in tt:  # vertical origins belong to CFF fonts only; reportlab chokes on it
        del tt["VORG"]
    tt["maxp"] = _maxp_v1(tt)
    tt["head"].glyphDataFormat = 0
    post = tt["post"]
    post.formatType = 3.0  # no glyph names: smaller, and reportlab does not need them
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    tt.sfntVersion = "\x00\x01\x00\x00"


def _maxp_v1(tt):
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(tt.getGlyphOrder())
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)  # recalculated from the glyf table on save
    return maxp
