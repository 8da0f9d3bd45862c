"""Embedded font programs made to agree with their PDF font dictionaries, as PDF/A-1 requires.

Two repairs for :mod:`.finish`: advance widths that contradict /Widths (a reportlab subsetting bug) and
the /CIDSet a subset CID font must carry.  Neither changes what is drawn.
"""
from __future__ import annotations

import struct
import zlib
from io import BytesIO
from typing import Optional

__all__ = ["add_cidset", "match_widths"]


def match_widths(font) -> bool:
    """Give a simple TrueType font's embedded program the advances of its /Widths (PDF/A-1 6.3.6);
    True if it had to change.

    reportlab's subsetter (``TTFontFile.makeSubset`` in ttfonts.py, 4.x and 5.x) writes, for every glyph
    past the source font's ``numberOfHMetrics``, the advance already scaled to 1/1000 em instead of font
    units (DejaVu Sans' quotes: 317 for 651).  Viewers place glyphs by /Widths, which are right, so
    correcting the font program moves nothing on the page."""
    fd = font.get("/FontDescriptor")
    stream = fd.get("/FontFile2") if fd is not None else None
    if stream is None:
        return False
    data = stream.read_bytes()
    first, widths = int(font.get("/FirstChar", 0)), [float(w) for w in font.Widths]
    if _agrees(data, first, widths) is True:  # the usual case, decided without fontTools (~20 ms to import)
        return False
    import pikepdf
    from fontTools.ttLib import TTFont

    tt = TTFont(BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    upm, hmtx = tt["head"].unitsPerEm, tt["hmtx"]
    changed = False
    for table in tt["cmap"].tables:
        for code, glyph in table.cmap.items():
            if first <= code < first + len(widths) and glyph in hmtx.metrics:
                want = round(widths[code - first] * upm / 1000)
                advance, lsb = hmtx.metrics[glyph]
                if abs(advance - want) > 1:
                    hmtx.metrics[glyph] = (want, lsb)
                    changed = True
    if changed:
        out = BytesIO()
        tt.save(out)
        fixed = out.getvalue()
        stream.write(zlib.compress(fixed, 6), filter=pikepdf.Name.FlateDecode)
        stream.Length1 = len(fixed)
    return changed


def _agrees(data: bytes, first: int, widths: list[float]) -> Optional[bool]:
    """Whether every code's advance in the font program matches /Widths (within a font unit), read
    straight from the tables reportlab writes (a format-6 cmap); None when the font is not that shape."""
    try:
        (n,) = struct.unpack_from(">H", data, 4)
        tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">LL", data, 20 + 16 * i) for i in range(n)}
        upm = struct.unpack_from(">H", data, tables[b"head"][0] + 18)[0]
        metrics = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)[0]
        hmtx = tables[b"hmtx"][0]
        cmap = tables[b"cmap"][0]
        (subtables,) = struct.unpack_from(">H", data, cmap + 2)
        glyphs: dict[int, int] = {}
        for i in range(subtables):
            _, _, at = struct.unpack_from(">HHL", data, cmap + 4 + 8 * i)
            at += cmap
            fmt = struct.unpack_from(">H", data, at)[0]
            if fmt == 0:  # byte encoding table: 256 one-byte glyph ids
                glyphs.update(enumerate(data[at + 6:at + 262]))
            elif fmt == 6:  # trimmed table mapping, what reportlab writes: firstCode, count, two-byte ids
                start, count = struct.unpack_from(">HH", data, at + 6)
                glyphs.update(zip(range(start, start + count), struct.unpack_from(f">{count}H", data, at + 10)))
            else:
                return None
        if not glyphs or not metrics:
            return None
        for i, width in enumerate(widths):
            glyph = glyphs.get(first + i, 0)
            if not glyph:
                continue
            advance = struct.unpack_from(">H", data, hmtx + 4 * min(glyph, metrics - 1))[0]
            if abs(advance - width * upm / 1000) > 1:
                return False
        return True
    except (struct.error, KeyError):
        return None


def add_cidset(pdf, cidfont) -> None:
    """PDF/A-1 6.3.5: a subset CID font's descriptor lists, in /CIDSet, every CID its font program has."""
    import pikepdf

    fd = cidfont.get("/FontDescriptor")
    if fd is None or "/CIDSet" in fd or "+" not in str(cidfont.get("/BaseFont", "")):
        return
    font_file = fd.get("/FontFile2")
    if font_file is None:  # CFF CID fonts: nothing here writes them
        return
    from fontTools.ttLib import TTFont

    glyphs = TTFont(BytesIO(font_file.read_bytes()), lazy=True)["maxp"].numGlyphs
    to_gid = cidfont.get("/CIDToGIDMap", pikepdf.Name.Identity)
    if isinstance(to_gid, pikepdf.Stream):
        table = to_gid.read_bytes()
        cids = [0] + [i // 2 for i in range(2, len(table), 2) if 0 < int.from_bytes(table[i:i + 2], "big") < glyphs]
    else:
        cids = range(glyphs)
    bits = bytearray((max(cids, default=0) // 8) + 1)
    for c in cids:
        bits[c // 8] |= 0x80 >> (c % 8)
    stream = pikepdf.Stream(pdf, zlib.compress(bytes(bits), 6))
    stream.Filter = pikepdf.Name.FlateDecode
    fd.CIDSet = pdf.make_indirect(stream)
