"""Files a brief or a theme points to: confined to the project or the file's own folder, checked as data.

Images are identified by their header bytes and refused when too large *before* anything decodes them
(a 1 KB PNG can claim 100,000 x 100,000 pixels); templates and fonts are never executed, and
macro-enabled Office files are refused outright.

A picture is then decoded in full once, by :func:`picture`, both when the brief is checked and when
it is built, so a damaged file is the brief's error at check time rather than a builder's crash; the
same function turns it upright (EXIF orientation) and into RGB (a CMYK JPEG), so the three builders
place the same pixels at the same proportions.
"""
from __future__ import annotations

import functools
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Optional, Union

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
    try:
        picture(path)  # decoded exactly as the build will
    except BadImage as exc:
        return str(exc)
    return None


class BadImage(ValueError):
    """An image file whose pixels cannot be decoded (truncated, corrupt, an unsupported variant)."""


@dataclass(frozen=True)
class Picture:
    """A figure's image as every builder places it: upright, never CMYK, with its size in pixels.

    ``data`` is ``None`` when the file can be embedded as it is (most images: the output keeps the
    original bytes); otherwise it holds the re-encoded image.
    """

    path: Path
    width: int
    height: int
    data: Optional[bytes] = None

    def source(self) -> Union[str, BinaryIO]:
        """What ``add_picture`` (docx, pptx) or reportlab's ``Image`` takes: the file's path, or a fresh stream."""
        return str(self.path) if self.data is None else io.BytesIO(self.data)


@functools.lru_cache(maxsize=32)
def picture(path: Path) -> Picture:
    """Decode ``path`` in full (:class:`BadImage` if that fails) and normalise it for embedding.

    An EXIF orientation other than "upright" is applied to the pixels, as viewers do, and a CMYK JPEG
    becomes RGB through its embedded colour profile when it has one; either way the result is
    re-encoded (JPEG stays JPEG, at high quality) and the orientation tag dropped.
    """
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as img:
            img.load()
            fmt = img.format
            orientation = img.getexif().get(0x0112, 1)
            # Only what a reader would show differently is re-encoded; other modes (16-bit PNGs, say)
            # are embedded as they are, as before.
            changed = orientation not in (1, None) or img.mode == "CMYK"
            if not changed:
                return Picture(path, img.width, img.height)
            out = ImageOps.exif_transpose(img) if orientation not in (1, None) else img.copy()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, Image.DecompressionBombError) as exc:
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        raise BadImage(f"{path.name}: the image cannot be decoded ({reason}); re-export it as PNG or JPEG") from None
    extra = {}
    if out.mode == "CMYK":
        out = _cmyk_to_rgb(out)  # now sRGB: the CMYK profile no longer applies
    elif out.info.get("icc_profile"):
        extra["icc_profile"] = out.info["icc_profile"]  # an Adobe RGB photo stays Adobe RGB
    buf = io.BytesIO()
    if fmt == "JPEG" and out.mode in ("L", "RGB"):
        out.save(buf, "JPEG", quality=95, subsampling=0, optimize=False, **extra)
    else:
        out.save(buf, "PNG", **extra)
    return Picture(path, out.width, out.height, buf.getvalue())


def _cmyk_to_rgb(img):
    """CMYK pixels as sRGB: through the embedded ICC profile when there is one (what print software
    would show), else Pillow's plain formula."""
    profile = img.info.get("icc_profile")
    if profile:
        try:
            from PIL import ImageCms

            src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            return ImageCms.profileToProfile(img, src, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except Exception:  # noqa: BLE001 - a broken or exotic profile: the plain formula still gives a picture
            pass
    return img.convert("RGB")
