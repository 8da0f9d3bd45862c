"""The output-intent colour profiles (see ``profiles/README.md``) and pictures converted to match them.

An RGB theme's PDF declares sRGB; a CMYK theme's declares FOGRA39 (coated offset), and a picture placed in
a CMYK PDF must be CMYK through that same profile, or the print shop's RIP converts it by guesswork.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROFILES = Path(__file__).resolve().parent / "profiles"


@dataclass(frozen=True)
class Condition:
    """A printing condition: what an output intent names and the profile that characterises it."""

    identifier: str  # OutputConditionIdentifier: a name in the ICC registry
    info: str  # human-readable, shown by preflight tools
    file: str  # in profiles/
    components: int  # /N of the ICC stream

    @property
    def registry(self) -> str:
        return "http://www.color.org"

    def data(self) -> bytes:
        """The ICC profile's bytes."""
        return _read(self.file)


SRGB = Condition("sRGB IEC61966-2.1", "sRGB IEC61966-2.1", "sRGB-v2.icc", 3)
FOGRA39 = Condition("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), offset, paper type 1 or 2, 115 g/m2",
                    "FOGRA39-brief.icc", 4)


def condition(colour_mode: str) -> Condition:
    """The printing condition of a theme's colour mode ("rgb" or "cmyk")."""
    return FOGRA39 if colour_mode == "cmyk" else SRGB


@lru_cache(maxsize=None)
def _read(name: str) -> bytes:
    return (PROFILES / name).read_bytes()


def picture_for(image, colour_mode: str):
    """``image`` (a Pillow image) ready to place in a PDF of ``colour_mode``: no alpha, and CMYK through
    the FOGRA39 profile for a CMYK theme (PDF/X-1a allows no RGB; PDF/A-1 no soft mask).

    The PDF builder should call this where it hands a picture to reportlab (``Image``/``drawImage``) and
    embed the result as is; an RGB picture in an RGB theme only loses its alpha."""
    from PIL import Image, ImageCms

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))  # the page is white under a transparent pixel
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    if colour_mode != "cmyk":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("CMYK", "L", "1"):
        return image.convert("CMYK") if image.mode == "1" else image
    source = image.info.get("icc_profile")
    src = ImageCms.ImageCmsProfile(_bytes_io(source)) if source else _srgb()
    return ImageCms.profileToProfile(image.convert("RGB"), src, _cmyk(), outputMode="CMYK",
                                     renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                     flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@lru_cache(maxsize=1)
def _srgb():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(str(PROFILES / SRGB.file))


@lru_cache(maxsize=1)
def _cmyk():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(str(PROFILES / FOGRA39.file))


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)
