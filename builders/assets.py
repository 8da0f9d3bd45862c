"""Files a brief or a theme points to: confined to the project or the file's own folder, checked as data.

Images are identified by their header bytes and refused when too large *before* anything decodes them
(a 1 KB PNG can claim 100,000 x 100,000 pixels); templates and fonts are never executed, and
macro-enabled Office files are refused outright.
"""
from __future__ import annotations

import struct
from pathlib import Path
from typing import Optional

PROJECT_DIR = Path(__file__).resolve().parent.parent
MACRO_SUFFIXES = (".docm", ".dotm", ".pptm", ".potm", ".xlsm")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000


def confined(value: str, base_file: str, allowed: tuple[str, ...]) -> tuple[Optional[Path], Optional[str]]:
    """Resolve ``value`` relative to ``base_file``; ``(path, None)`` if permitted, else ``(None, why)``.

    It must name a file inside the project or ``base_file``'s folder (no ``../`` escape, no absolute
    path elsewhere), with one of the ``allowed`` suffixes, and never a macro-enabled Office file.
    """
    suffix = Path(value.split("#", 1)[0]).suffix.lower()
    if suffix in MACRO_SUFFIXES:
        return None, f"{value!r} is a macro-enabled file; macro-enabled templates are refused (save it as {allowed[0]})"
    if suffix not in allowed:
        return None, f"{value!r} is not one of {', '.join(allowed)}"
    base = Path(base_file).resolve().parent
    path = (base / value.split("#", 1)[0]).resolve()
    if not any(path.is_relative_to(root) for root in (PROJECT_DIR, base)):
        return None, f"{value!r} lies outside the project and the folder of {Path(base_file).name}; copy it beside it"
    if not path.is_file():
        return None, f"{value!r}: no such file"
    return path, None


def probe_image(path: Path) -> tuple[str, int, int]:
    """(format, width, height) from the header alone; ValueError if it is not a PNG or JPEG."""
    with path.open("rb") as f:
        head = f.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            return "png", width, height
        if head.startswith(b"\xff\xd8"):
            f.seek(2)
            while True:
                marker = f.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    break
                if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7:
                    continue
                length_bytes = f.read(2)
                if len(length_bytes) < 2:
                    break
                (length,) = struct.unpack(">H", length_bytes)
                if 0xC0 <= marker[1] <= 0xCF and marker[1] not in (0xC4, 0xC8, 0xCC):
                    height, width = struct.unpack(">xHH", f.read(5))
                    return "jpeg", width, height
                f.seek(length - 2, 1)
            raise ValueError("a JPEG without a frame header")
    raise ValueError("not a PNG or JPEG image")


def check_image(path: Path) -> Optional[str]:
    """Why ``path`` may not be used as an image, or ``None``: format, file size and pixel count."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"{path.name} is {size:,} bytes; images may be at most {MAX_IMAGE_BYTES:,}"
    try:
        kind, width, height = probe_image(path)
    except (ValueError, struct.error) as exc:
        return f"{path.name}: {exc}"
    if path.suffix.lower() not in ((".png",) if kind == "png" else (".jpg", ".jpeg")):
        return f"{path.name} is a {kind.upper()} file with the wrong suffix"
    if width == 0 or height == 0 or width * height > MAX_PIXELS:
        return f"{path.name} is {width} x {height} pixels; images may have at most {MAX_PIXELS:,} pixels"
    return None
