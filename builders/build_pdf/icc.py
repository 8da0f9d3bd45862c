"""The output-intent colour profiles (see ``profiles/README.md``) and pictures converted to match them.

An RGB theme's PDF declares sRGB; a CMYK theme's declares FOGRA39 (coated offset), and a picture placed in
a CMYK PDF must be CMYK through that same profile, or the print shop's RIP converts it by guesswork.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROFILES = Path(__file__).resolve().parent / "profiles"
RELATIVE_COLORIMETRIC = 1  # ImageCms.Intent / lcms values, as plain ints for every Pillow >= 10
BLACK_POINT_COMPENSATION = 0x2000


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
    """``image`` (a Pillow image) ready to place in a PDF of ``colour_mode``: no alpha, and in the
    output intent's space, converted through the profiles (PDF/X-1a allows no RGB, PDF/A-1 no soft
    mask and no colour space the output intent does not characterise).  Gray stays gray.

    The PDF builder should call this where it hands a picture to reportlab (``Renderer.picture`` in
    render.py: ``Image(ImageReader(picture_for(PIL.Image.open(path), theme.page.colour_mode)), ...)``)
    when the picture has alpha or is not already in the theme's space; :mod:`.pictures` converts
    whatever still arrives at the finishing step."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))  # the paper is white under a transparent pixel
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info = dict(image.info)
        image = flat
    if image.mode in ("1", "I;16", "I"):
        image = image.convert("L")
    if image.mode == "L":
        return image
    if colour_mode == "cmyk":
        if image.mode == "CMYK":
            return image
        return _convert(image.convert("RGB"), image.info.get("icc_profile"), _srgb(), _cmyk(), "CMYK")
    if image.mode == "CMYK":
        return cmyk_to_rgb(image)
    return image if image.mode == "RGB" else image.convert("RGB")


def cmyk_to_rgb(image):
    """A CMYK Pillow image in sRGB, read as FOGRA39 unless it carries its own profile."""
    return _convert(image, image.info.get("icc_profile"), _cmyk(), _srgb(), "RGB")


def _convert(image, embedded, default_src, dst, mode: str):
    from PIL import ImageCms

    src = default_src
    if embedded:
        try:
            src = ImageCms.ImageCmsProfile(_bytes_io(embedded))
        except (OSError, ImageCms.PyCMSError):  # a broken embedded profile: the usual assumption
            src = default_src
    # Relative colorimetric with black-point compensation: what a print shop's RIP would do.
    return ImageCms.profileToProfile(image, src, dst, outputMode=mode, renderingIntent=RELATIVE_COLORIMETRIC,
                                     flags=BLACK_POINT_COMPENSATION)


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
