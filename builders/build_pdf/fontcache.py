"""Subset a theme font to the characters a brief uses and give reportlab TrueType outlines.

reportlab refuses CFF (PostScript-outline) fonts such as Debian's Noto CJK, so
the face is subset with fontTools and its outlines converted to quadratic
TrueType curves (cu2qu, as in fontTools' otf2ttf example).  Converting a whole
CJK face costs over a minute and ~900 MB; a subset of the characters in use
costs about two seconds, once: results are cached on disk, keyed on the font
file and the character set, and written atomically so that parallel builds
never see half a file.  Each entry is sealed with its checksum (see
:mod:`builders.cachedir`): a damaged one is converted again, and a cache
directory that cannot be written means converting into a private one.
"""
from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from ..cachedir import cache_root, check_entry, seal, writable_dir
from ..fonts import Coverage, FontFile, codepoints, file_key
from ..lifeline import die_with_parent

# Bump when the conversion changes, so stale cache entries are never reused.
CACHE_VERSION = "4"  # 4: sealed with a checksum trailer; 3: head.modified kept from the source font
# cu2qu tolerance in font units: 1/1000 em is invisible at any print size.
MAX_ERR = 1.0


def cache_dir() -> Path:
    """Converted subsets live in ``fonts/`` under the shared cache root (see :func:`builders.cachedir.cache_root`)."""
    return cache_root() / "fonts"


def cache_key(font: FontFile, chars: str) -> str:
    """Same font file (path, size, mtime, face) and same characters → same key."""
    h = hashlib.sha256(_file_key(font).encode("ascii"))
    h.update("".join(sorted(set(chars))).encode("utf-8"))
    return h.hexdigest()[:24]


def _file_key(font: FontFile) -> str:
    return file_key(font, CACHE_VERSION)


@functools.lru_cache(maxsize=None)
def covered(font: FontFile) -> Coverage:
    """The code points ``font`` maps (cached on disk with its metrics)."""
    return codepoints(font)




def _target(font: FontFile, chars: str, folder: Path | None = None) -> tuple[str, Path]:
    key = cache_key(font, chars)
    return key, (folder or cache_dir()) / f"{font.path.stem}-{font.index}-{key}.ttf"


def _cached(font: FontFile, chars: str) -> Path | None:
    """The intact cached subset, in the cache or in the private fallback; ``None`` to convert it."""
    from ..cachedir import fallback_dir

    for folder in (cache_dir(), fallback_dir("fonts")):
        if folder is None:
            continue
        target = _target(font, chars, folder)[1]
        if target.is_file() and check_entry(target):
            if folder != cache_dir():
                writable_dir("fonts")  # the configured cache is still unusable: say so in this build too
            return target
    return None


def prepare(jobs: list[tuple[FontFile, str]]) -> None:
    """Convert the subsets of ``jobs`` that are not cached yet, in parallel processes (one per core).

    A CJK face takes about a second to subset and convert; a first build needs four of them.
    Each child writes its file atomically and exits; :func:`truetype_subset` then finds them all
    cached.  A child that fails leaves nothing behind, and the conversion is redone (and its
    error raised) in this process."""
    todo = [(font, chars) for font, chars in jobs if _cached(font, chars) is None]
    workers = min(len(todo), os.cpu_count() or 1)
    if workers < 2 or not hasattr(os, "fork"):
        return
    writable_dir("fonts")  # here, so that an unusable cache is warned about once, not once per child
    import fontTools.subset  # noqa: F401 - imported once here rather than in every child
    import fontTools.pens.cu2quPen  # noqa: F401
    import fontTools.pens.ttGlyphPen  # noqa: F401

    todo.sort(key=lambda job: -len(job[1]))  # the largest first, so the last to finish is small
    running: set[int] = set()
    for font, chars in todo:
        if len(running) >= workers:
            pid, _ = os.wait()
            running.discard(pid)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                die_with_parent(parent)  # a killed build's conversions are nobody's business
                truetype_subset(font, chars)
                status = 0
            finally:
                os._exit(status)
        running.add(pid)
    for pid in running:
        os.waitpid(pid, 0)


def truetype_subset(font: FontFile, chars: str) -> Path:
    """A TrueType-outline font file holding ``chars`` of ``font`` (from the cache when possible)."""
    cached = _cached(font, chars)
    if cached is not None:
        return cached
    key, target = _target(font, chars, writable_dir("fonts"))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".ttf")
    os.close(fd)
    try:
        _convert(font, chars, Path(tmp), key)
        sealed = seal(Path(tmp).read_bytes())  # TrueType readers ignore the trailer past the last table
        with open(tmp, "wb") as f:
            f.write(sealed)
        os.replace(tmp, target)  # atomic: readers see the old state or the whole file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _convert(font: FontFile, chars: str, out: Path, key: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    tt = TTFont(str(font.path), fontNumber=font.index, lazy=False, recalcTimestamp=False)
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
    _unique_postscript_name(tt, key)
    tt.save(str(out))
    tt.close()


def _unique_postscript_name(tt, key: str) -> None:
    """Give each subset its own PostScript name: reportlab maps every font registered with an
    already-seen face name to the first one, so a second brief built in the same process would
    draw with the first brief's subset (missing glyphs shown as empty boxes)."""
    names = tt["name"]
    ps = names.getDebugName(6) or "BriefFont"
    unique = f"{ps[:40]}_{key[:10]}"
    for rec in list(names.names):
        if rec.nameID == 6:
            names.setName(unique, 6, rec.platformID, rec.platEncID, rec.langID)
    if not any(r.nameID == 6 for r in names.names):
        names.setName(unique, 6, 3, 1, 0x409)


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


def _utf16_hex(cp: int) -> str:
    return cp.to_bytes(4, "big").hex().upper()[4:] if cp <= 0xFFFF else \
        chr(cp).encode("utf-16-be").hex().upper()


def fix_tounicode() -> None:
    """Make reportlab's ToUnicode maps right for characters beyond the BMP (emoji from a fallback
    font): it writes ``<1F600>``, five hex digits, so text extraction and search got U+1F60.
    The CMap wants UTF-16BE, i.e. a surrogate pair.  Idempotent."""
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "_brief", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def make(fontname, subset):
        text = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return text
        lines = text.split("\n")
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                old = "<%02X> <%04X>" % (i, v)
                lines[lines.index(old)] = "<%02X> <%s>" % (i, _utf16_hex(v))
        return "\n".join(lines)

    make._brief = True
    ttfonts.makeToUnicodeCMap = make
