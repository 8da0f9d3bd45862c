"""Reproducible outputs: dates from the brief or SOURCE_DATE_EPOCH, never the clock; fixed zip entries."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .model import Brief

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def document_datetime(brief: Brief) -> Optional[datetime]:
    """The documents' date: the brief's ``date``, else ``SOURCE_DATE_EPOCH``, else ``None`` (leave dates out)."""
    if brief.date:
        return datetime(brief.date.year, brief.date.month, brief.date.day, tzinfo=timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return None


def zip_timestamp(when: Optional[datetime]) -> tuple[int, int, int, int, int, int]:
    if when is None or when.year < 1980:
        return ZIP_EPOCH
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def normalize_zip(path: Path, when: Optional[datetime] = None) -> None:
    """Rewrite an OOXML package in place with fixed timestamps and attributes, entries in their written order."""
    stamp = zip_timestamp(when)
    import zipfile  # not for the PDF

    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    tmp = path.with_name(path.name + ".zip-tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            add_entry(dst, name, data, stamp)
    os.replace(tmp, path)


class EntryWriter:
    """The physical-writer interface of python-docx's and python-pptx's package writers
    (``write(pack_uri, blob)``), each entry written by :func:`add_entry`."""

    def __init__(self, zf, stamp: tuple[int, int, int, int, int, int]):
        self.zf, self.stamp = zf, stamp

    def write(self, pack_uri, blob: bytes) -> None:
        add_entry(self.zf, pack_uri.membername, blob, self.stamp)


# ``(name, data) -> (deflated data, CRC-32)``, set by a warm watcher's memos (builders._warm), else None.
deflate = None


def add_entry(zf, name: str, data: bytes, stamp: tuple[int, int, int, int, int, int]) -> None:
    """One zip entry as every package here is written: deflated, dated ``stamp``, no host or permission noise."""
    import zipfile

    info = zipfile.ZipInfo(name, stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info.create_system = 0
    if deflate is not None and _write_deflated(zf, info, data, *deflate(name, data)):
        return
    zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


def _write_deflated(zf, info, data: bytes, deflated: bytes, crc: int) -> bool:
    """Write an entry whose data is deflated already, byte for byte as ``writestr`` would (header with the
    final sizes and CRC, then the data); False, writing nothing, where zipfile would do otherwise
    (an unseekable file, Zip64 sizes) or is not the zipfile this was written against."""
    import zipfile

    if (not getattr(zf, "_seekable", False) or zf._writing or len(data) * 1.05 > zipfile.ZIP64_LIMIT
            or not all(hasattr(zf, a) for a in ("start_dir", "_writecheck", "_didModify", "_lock"))):
        return False
    info._compresslevel = 6
    info.file_size, info.compress_size, info.CRC, info.flag_bits = len(data), len(deflated), crc, 0
    with zf._lock:
        zf.fp.seek(zf.start_dir)
        info.header_offset = zf.fp.tell()
        zf._writecheck(info)
        zf._didModify = True
        zf.fp.write(info.FileHeader(False))
        zf.fp.write(deflated)
        zf.start_dir = zf.fp.tell()
        zf.filelist.append(info)
        zf.NameToInfo[info.filename] = info
    return True
