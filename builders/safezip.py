"""Reading a zip package without trusting it: sizes capped before anything is inflated, and counted while inflating.

A zip declares each member's inflated size, and a bomb declares a huge one: :func:`read_parts` refuses
those before inflating a byte.  A header may also understate a size; every part is therefore inflated a
chunk at a time and counted, so the cap holds whatever the header says.  At most one part's worth of
bytes beyond what is kept is ever in memory.
"""
from __future__ import annotations

import copy
import io
import zipfile
import zlib
from pathlib import Path

MB = 1 << 20
MAX_PART = 32 * MB  # inflated size of one part: far above any real template's largest picture
MAX_TOTAL = 96 * MB  # inflated size of all parts together (and the largest file read at all)
MAX_PARTS = 5000
_CHUNK = 1 * MB


class Unsafe(Exception):
    """The package cannot be read safely; ``problems`` says why, one sentence each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class NotAZip(Unsafe):
    """The file is not a zip package at all."""


def read_parts(path: Path) -> tuple[bytes, dict[str, bytes], dict[str, zipfile.ZipInfo]]:
    """The file's bytes, and each member's inflated bytes and zip entry by name, in zip order.

    Raises :class:`Unsafe` (or :class:`NotAZip`) listing every problem the declared sizes and entries show,
    or the first part that turns out larger, corrupt or encrypted while inflating.
    """
    size = Path(path).stat().st_size
    if size > MAX_TOTAL:  # the zip itself cannot be larger than what it may inflate to
        raise Unsafe([f"the file is {size / MB:.1f} MB; a template may be at most {MAX_TOTAL // MB} MB"])
    raw = Path(path).read_bytes()
    # zipfile reads the whole central directory into objects before anything can be checked: count
    # its entry signatures first, so a directory of millions of entries costs no memory.
    if raw.count(b"PK\x01\x02") > MAX_PARTS:
        raise Unsafe([f"the package has more than {MAX_PARTS} parts; a template may have at most {MAX_PARTS}"])
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise NotAZip(["the file is not a zip package"]) from None
    infos = [i for i in zf.infolist() if not i.is_dir()]
    _check_entries(infos)
    blobs, entries, total = {}, {}, 0
    for info in infos:
        blob = _inflate(zf, info, MAX_TOTAL - total)
        total += len(blob)
        blobs[info.filename], entries[info.filename] = blob, info
    return raw, blobs, entries


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse from the central directory alone: declared sizes, duplicates, encryption, odd compression."""
    problems, seen, total = [], set(), 0
    if len(infos) > MAX_PARTS:
        problems.append(f"the package has {len(infos)} parts; a template may have at most {MAX_PARTS}")
    for info in infos:
        name = info.filename
        if name.lower() in seen:  # OPC part names are case-insensitive: two readers could pick different ones
            problems.append(f"part {name} appears twice in the package")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            problems.append(f"part {name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(f"part {name} uses an unsupported compression method ({info.compress_type})")
        if info.file_size > MAX_PART:
            problems.append(_too_big(name, info.file_size))
        total += info.file_size
    if total > MAX_TOTAL and not problems:  # one part too large already says it
        problems.append(_too_big_total(total))
    if problems:
        raise Unsafe(problems)


def _too_big(name: str, size: int) -> str:
    return f"part {name} inflates to {size / MB:.1f} MB; a template part may inflate to at most {MAX_PART // MB} MB"


def _too_big_total(size: int) -> str:
    return f"the parts inflate to {size / MB:.1f} MB in all; a template may inflate to at most {MAX_TOTAL // MB} MB"


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """The part's bytes, inflated a chunk at a time and counted: a header that understates the size
    stops at the cap, not at the end of the data."""
    limit = min(MAX_PART, budget)
    probe = copy.copy(info)
    # zipfile stops at the declared size; declaring one byte more than the cap lets the counter see a
    # part that inflates beyond what its header says ...
    probe.file_size = limit + 1
    # ... and zipfile's own checksum test would fire at that byte, before the counter could say why;
    # the checksum is compared below instead.
    try:
        del probe.CRC
    except AttributeError:
        pass
    chunks, count = [], 0
    try:
        with zf.open(probe) as stream:
            while chunk := stream.read(_CHUNK):
                count += len(chunk)
                if count > limit:
                    if limit < MAX_PART:
                        raise Unsafe([_too_big_total(MAX_TOTAL - budget + count) + " (or more)"])
                    raise Unsafe([f"part {info.filename} inflates to more than {MAX_PART // MB} MB (its zip "
                                  f"header says {info.file_size} bytes); a template part may inflate to at most "
                                  f"{MAX_PART // MB} MB"])
                chunks.append(chunk)
    except Unsafe:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise Unsafe([f"part {info.filename} is corrupt: {exc}"]) from None
    blob = b"".join(chunks)
    if count != info.file_size or zlib.crc32(blob) != info.CRC:
        raise Unsafe([f"part {info.filename} is corrupt: it inflates to {count} bytes with a different checksum "
                      f"from the {info.file_size} bytes its zip header declares"])
    return blob
