"""Pictures already in the PDF brought into the output intent's colour space, alpha flattened.

The safety net behind :func:`.icc.picture_for`: whatever picture reaches the finishing step as RGB in a
CMYK theme (reportlab embeds a PNG's RGB as it is, ``enforceColorSpace`` notwithstanding), as CMYK in
an RGB theme, or with a soft mask (PDF/A-1 and PDF/X-1a allow no transparency), is converted through
the same profiles and re-embedded (a JPEG as a JPEG, anything else Flate-compressed).  A brief without
pictures pays nothing.
"""
from __future__ import annotations

import zlib
from io import BytesIO

import pikepdf

from . import icc

__all__ = ["fix_pictures"]

RGB_SPACES = ("/DeviceRGB", "/CalRGB")


def fix_pictures(pdf, colour_mode: str) -> list[str]:
    """Convert every image XObject of ``pdf`` that the output intent of ``colour_mode`` forbids.
    Returns what could not be converted, one line each."""
    problems = []
    for obj in list(pdf.objects):
        if not isinstance(obj, pikepdf.Stream) or obj.get("/Subtype") != pikepdf.Name.Image:
            continue
        if obj.get("/ImageMask", False) or obj.get("/Type") not in (None, pikepdf.Name.XObject):
            continue  # a stencil mask paints in the current colour, which is already right
        has_mask = obj.get("/SMask") is not None and obj.SMask != pikepdf.Name("/None")
        space = _space(obj.get("/ColorSpace"))
        wrong = (colour_mode == "cmyk" and space == "rgb") or (colour_mode != "cmyk" and space == "cmyk")
        if not (has_mask or wrong):
            continue
        try:
            _replace(obj, colour_mode, has_mask)
        except Exception as exc:  # noqa: BLE001 - an exotic image must not stop the build: it is reported
            problems.append(f"a {space} picture could not be converted for {colour_mode.upper()} output "
                            f"({type(exc).__name__}: {exc})")
    return problems


def _space(cs) -> str:
    """"rgb", "cmyk", "gray" or "other" for an image's /ColorSpace."""
    if cs is None:
        return "other"
    if isinstance(cs, pikepdf.Array) and len(cs) > 0:
        kind = cs[0]
        if kind == pikepdf.Name.ICCBased:
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(int(cs[1].get("/N", 0)), "other")
        if kind == pikepdf.Name.Indexed:
            return _space(cs[1])
        if kind == pikepdf.Name.CalRGB:
            return "rgb"
        if kind == pikepdf.Name.CalGray:
            return "gray"
        return "other"
    return {"/DeviceRGB": "rgb", "/DeviceCMYK": "cmyk", "/DeviceGray": "gray"}.get(str(cs), "other")


def _filters(obj) -> list:
    f = obj.get("/Filter")
    return [] if f is None else list(f) if isinstance(f, pikepdf.Array) else [f]


def _replace(obj, colour_mode: str, has_mask: bool) -> None:
    image = pikepdf.PdfImage(obj).as_pil_image()
    cs = obj.get("/ColorSpace")
    if isinstance(cs, pikepdf.Array) and cs[0] == pikepdf.Name.ICCBased:
        image.info["icc_profile"] = cs[1].read_bytes()
    if has_mask:
        alpha = pikepdf.PdfImage(obj.SMask).as_pil_image().convert("L")
        if alpha.size != image.size:
            alpha = alpha.resize(image.size)
        base = icc.cmyk_to_rgb(image) if image.mode == "CMYK" else image.convert("RGB")
        rgba = base.convert("RGBA")
        rgba.putalpha(alpha)
        image = rgba
    out = icc.picture_for(image, colour_mode)
    if out.mode not in ("CMYK", "L", "RGB"):
        out = out.convert("RGB")
    mode = {"CMYK": "/DeviceCMYK", "L": "/DeviceGray"}.get(out.mode, "/DeviceRGB")
    was_jpeg = pikepdf.Name.DCTDecode in _filters(obj)
    for key in ("/SMask", "/Decode", "/DecodeParms", "/Interpolate", "/Intent"):
        if key in obj:
            del obj[key]
    if was_jpeg:  # a photograph stays a JPEG: Flate would make it several times bigger
        buf = BytesIO()
        out.save(buf, "JPEG", quality=95, subsampling=0, optimize=False)  # as builders.assets re-encodes
        obj.write(buf.getvalue(), filter=pikepdf.Name.DCTDecode)
        if out.mode == "CMYK":  # Pillow writes Adobe-style inverted CMYK, as Photoshop does
            obj.Decode = pikepdf.Array([1, 0] * 4)
    else:
        obj.write(zlib.compress(out.tobytes(), 6), filter=pikepdf.Name.FlateDecode)
    obj.ColorSpace = pikepdf.Name(mode)
    obj.BitsPerComponent = 8
    obj.Width, obj.Height = out.size
