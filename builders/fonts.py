"""Finding the theme's font files, and reading their metrics.

A font reference is a fontconfig pattern (``Noto Serif CJK SC``,
``Noto Sans CJK SC:bold``) or a file path with an optional face index
(``/path/font.ttc#2``).  The PDF embeds these files; the deck measures text with
their advance widths, so both outputs agree on how wide a line is.
"""
from __future__ import annotations

import functools
import hashlib
import marshal
import struct
import sys
from array import array
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .cachedir import cache_root, discard, read_entry, write_entry
from .errors import MissingDependency

# Where a missing family is usually found on Debian/Ubuntu.
PACKAGES = {
    "noto sans cjk": "fonts-noto-cjk",
    "noto serif cjk": "fonts-noto-cjk",
    "dejavu": "fonts-dejavu-core",
    "wenquanyi": "fonts-wqy-zenhei",
    "wqy": "fonts-wqy-zenhei",
    "ar pl": "fonts-arphic-uming",
    "liberation": "fonts-liberation2",
    "noto sans symbols": "fonts-noto-extra",
    "symbola": "fonts-symbola",
}


# Faces no Debian font package ships: `make` (builders.sysdeps) extracts them from Debian's TeX Live
# package into :func:`local_fonts_dir`; a theme names them by family.  Family (lower case) → file.
LOCAL_FONTS = {
    "fandolfang": "FandolFang-Regular.otf",  # 仿宋 (GB/T 9704 body text); GPL with the font exception
    "fandolkai": "FandolKai-Regular.otf",
    "fandolsong": "FandolSong-Regular.otf",
    "fandolsong:bold": "FandolSong-Bold.otf",
    "fandolhei": "FandolHei-Regular.otf",
    "fandolhei:bold": "FandolHei-Bold.otf",
}


def local_fonts_dir() -> Path:
    """Where :data:`LOCAL_FONTS` live: ``$BRIEF_FONTS_DIR``, else ``~/.cache/brief/fonts/fandol``.

    Not under :func:`~builders.cachedir.cache_root`: a build with its own cache directory (the
    tests) still finds the fonts that `make` installed once."""
    explicit = os.environ.get("BRIEF_FONTS_DIR", "").strip()
    return Path(explicit) if explicit else Path.home() / ".cache" / "brief" / "fonts" / "fandol"


def _local(ref: str) -> Optional[Path]:
    name = LOCAL_FONTS.get(ref.lower().replace(" ", "")) or LOCAL_FONTS.get(ref.split(":", 1)[0].lower())
    return local_fonts_dir() / name if name else None


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0

    def __str__(self) -> str:
        return f"{self.path}#{self.index}" if self.index else str(self.path)


def _hint(ref: str) -> str:
    family = ref.split(":", 1)[0].lower()
    for key, package in PACKAGES.items():
        if key in family:
            return f"install it: apt-get install {package}"
    return "install the font, or point the theme's fonts at a font file"


# Where fontconfig's answer can change: its caches are rewritten by fc-cache whenever fonts are installed.
_FONTCONFIG_STATE = ("/var/cache/fontconfig", "~/.cache/fontconfig", "/etc/fonts/conf.d", "~/.config/fontconfig")


def _fontconfig_stamp() -> str:
    stamps = []
    for d in _FONTCONFIG_STATE:
        try:
            stamps.append(str(os.stat(os.path.expanduser(d)).st_mtime_ns))
        except OSError:
            stamps.append("-")
    return ":".join(stamps)


@functools.lru_cache(maxsize=1)
def _match_cache() -> tuple[Path, dict]:
    target = cache_root() / "fontconfig-2.marshal"  # 2: sealed with a checksum
    payload = read_entry(target)
    if payload is not None:
        try:
            stamp, answers = marshal.loads(payload)
            if stamp == _fontconfig_stamp():
                return target, answers
        except (ValueError, EOFError, TypeError):
            pass
    return target, {}


@functools.lru_cache(maxsize=None)
def match(pattern: str) -> Optional[tuple[str, str, int]]:
    """fontconfig's best (family, file, face index) for ``pattern``, or ``None`` without fontconfig.

    Each ``fc-match`` is a process (10–15 ms, several per build); answers are cached on disk until
    fontconfig's own caches change, i.e. until fonts are installed or removed.
    """
    target, answers = _match_cache()
    if pattern in answers:
        return answers[pattern]
    if not shutil.which("fc-match"):
        return None
    import subprocess  # a cold cache only: fontconfig's answers are cached

    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}\t%{index}", pattern],
                         capture_output=True, text=True, check=False).stdout.split("\t")
    answer = (out[0], out[1], int(out[2] or 0)) if len(out) == 3 and out[1] else None
    answers[pattern] = answer
    try:
        write_entry(target, marshal.dumps((_fontconfig_stamp(), answers)))
    except OSError:  # a read-only cache is only slower
        pass
    return answer


@functools.lru_cache(maxsize=None)
def resolve(ref: str) -> FontFile:
    """The file (and face) for a font reference; :class:`MissingDependency` if the machine lacks it."""
    file_part, _, face = ref.partition("#")
    if file_part.lower().endswith((".ttf", ".otf", ".ttc", ".otc")):
        path = Path(file_part)
        if not path.is_file():
            raise MissingDependency(f"font file {path} not found ({_hint(path.stem)})")
        return FontFile(path, int(face or 0))
    local = _local(ref)
    if local is not None:
        if not local.is_file():
            raise MissingDependency(f"font {ref!r} is not installed: run `make setup` (python3 -m builders.sysdeps "
                                    f"build), which extracts it from Debian's texlive-lang-chinese into {local.parent}")
        return FontFile(local, 0)
    found = match(ref)
    if found is None and not shutil.which("fc-match"):
        raise MissingDependency("fontconfig is missing: apt-get install fontconfig")
    family = ref.split(":", 1)[0]
    if found is None or family.lower() not in found[0].lower() or not Path(found[1]).is_file():
        raise MissingDependency(f"font {family!r} is not installed ({_hint(ref)})")
    return FontFile(Path(found[1]), found[2])


def file_key(font: FontFile, version: str = "1") -> str:
    """Changes when the font file (path, size, mtime, face) or the cache ``version`` does."""
    st = font.path.stat()
    h = hashlib.sha256()
    for part in (version, str(font.path.resolve()), str(st.st_size), str(st.st_mtime_ns), str(font.index)):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()[:24]


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside ``target`` and rename: a reader (another build) never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# On-disk layout of a face's metrics: magic, units per em, table length, then the advance table
# (uint16 per code point, 0 to the highest mapped one) and the coverage table (one byte per code
# point).  Loading is two memory copies (~0.2 ms for a CJK face) where a pickled dict took ~10 ms.
_MAGIC = b"BRM2"  # 2: sealed with a checksum (builders.cachedir)
_HEADER = struct.Struct("<4sII")


@functools.lru_cache(maxsize=None)
def _metrics(path: Path, index: int) -> tuple[array, bytes, int]:
    """(advance widths indexed by code point, coverage flags, units per em) of one face.

    Unmapped code points below the highest mapped one have width ``upem`` and flag 0.  Decoding a
    CJK face's cmap and hmtx with fontTools costs about 0.3 s; the tables are cached on disk, keyed
    on the font file, so warm builds skip it.
    """
    font_file = FontFile(path, index)
    target = cache_root() / "metrics" / f"{path.stem}-{index}-{file_key(font_file, _MAGIC.decode())}.bin"
    payload = read_entry(target)  # None when missing or damaged (then removed, with a warning)
    if payload is not None:
        try:
            return _read_tables(payload)
        except (ValueError, struct.error):
            discard(target, "not a metrics table")
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    cmap = font.getBestCmap() or {}
    hmtx = font["hmtx"].metrics
    upem = font["head"].unitsPerEm
    font.close()
    mapped = {cp: hmtx[glyph][0] for cp, glyph in cmap.items() if glyph in hmtx}
    size = max(mapped, default=-1) + 1
    widths = array("H", [upem]) * size
    flags = bytearray(size)
    for cp, advance in mapped.items():
        widths[cp] = advance
        flags[cp] = 1
    if sys.byteorder != "little":
        widths.byteswap()
    data = _HEADER.pack(_MAGIC, upem, size) + widths.tobytes() + bytes(flags)
    try:
        write_entry(target, data)
    except OSError:  # a read-only cache is only slower
        pass
    return _read_tables(data)


def _read_tables(data: bytes) -> tuple[array, bytes, int]:
    magic, upem, size = _HEADER.unpack_from(data)
    body = _HEADER.size + 2 * size
    if magic != _MAGIC or len(data) != body + size or not upem:
        raise ValueError("not a metrics table")
    widths = array("H")
    widths.frombytes(data[_HEADER.size:body])
    if sys.byteorder != "little":
        widths.byteswap()
    return widths, data[body:], upem


class Coverage:
    """The code points one face maps; ``cp in coverage`` is an index into a flag table."""

    __slots__ = ("_flags",)

    def __init__(self, flags: bytes):
        self._flags = flags

    def __contains__(self, cp: int) -> bool:
        return cp < len(self._flags) and self._flags[cp] == 1

    def __len__(self) -> int:
        return self._flags.count(1)


def codepoints(font: FontFile) -> Coverage:
    """The code points a face maps (from the same cache as its metrics)."""
    return Coverage(_metrics(font.path, font.index)[1])


class Metrics:
    """Advance widths of one face, in points at a given size."""

    def __init__(self, ref: str):
        self.file = resolve(ref)
        self._widths, self._flags, self._upem = _metrics(self.file.path, self.file.index)

    def covers(self, char: str) -> bool:
        cp = ord(char)
        return cp < len(self._flags) and self._flags[cp] == 1

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points; unknown characters count as 1 em (the fallback face's hanzi width)."""
        w = self._widths
        try:
            units = sum([w[ord(c)] for c in text])
        except IndexError:  # a code point above the face's highest: 1 em
            n, upem = len(w), self._upem
            units = sum([w[cp] if cp < n else upem for cp in map(ord, text)])
        return units * size / self._upem

    def char_width(self, char: str, size: float) -> float:
        cp = ord(char)
        w = self._widths
        return (w[cp] if cp < len(w) else self._upem) * size / self._upem


@functools.lru_cache(maxsize=None)
def metrics(ref: str) -> Metrics:
    """Cached :class:`Metrics` for a font reference."""
    return Metrics(ref)
