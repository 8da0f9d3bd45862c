"""Issue 16, files a brief or theme points to: pictures are decoded at check time exactly as the build
decodes them (a damaged one is the brief's error at its key; a CMYK JPEG is fine), EXIF orientation is
honoured in every format, and ``fonts.fallback`` files are confined like other font paths."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from .conftest import MINIMAL, ROOT

FIGURE = "figures:\n  - id: pic\n    title: A picture\n    image: {name}\n    alt: something\n"
IMAGE_LINE = MINIMAL.read_text(encoding="utf-8").count("\n") + 4  # the "image:" line of FIGURE


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def brief_with(tmp_path: Path, name: str) -> Path:
    brief = tmp_path / "pic.yaml"
    brief.write_text(MINIMAL.read_text(encoding="utf-8") + FIGURE.format(name=name), encoding="utf-8")
    return brief


def gradient(width: int = 200, height: int = 100) -> Image.Image:
    img = Image.new("RGB", (width, height))
    img.putdata([(x % 256, (2 * y) % 256, (x * y) % 256) for y in range(height) for x in range(width)])
    return img


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_truncated_png_is_an_error_at_the_image_key(tmp_path):
    buf = io.BytesIO()
    gradient().save(buf, "PNG")
    (tmp_path / "cut.png").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    brief = brief_with(tmp_path, "cut.png")
    line = (f"{brief}:{IMAGE_LINE}:12: error: figures[0].image: cut.png: the image cannot be decoded "
            "(image file is truncated); re-export it as PNG or JPEG")
    checked = run("check", str(brief))
    assert checked.returncode == 2 and checked.stderr.splitlines() == [line]
    out = tmp_path / "out"
    out.mkdir()
    (out / "pic.docx").write_bytes(b"previous")
    built = run("build", str(brief), "--out", str(out))
    assert built.returncode == 2 and built.stderr.splitlines() == [line]
    assert snapshot(out) == {"pic.docx": b"previous"}


def test_cmyk_jpeg_becomes_rgb_in_every_format(tmp_path):
    Image.new("CMYK", (120, 80), (0, 255, 255, 0)).save(tmp_path / "red.jpg", "JPEG")
    brief = brief_with(tmp_path, "red.jpg")
    assert run("check", str(brief)).returncode == 0
    out = tmp_path / "out"
    built = run("build", str(brief), "--out", str(out), "-q")
    assert built.returncode == 0 and built.stderr == ""
    for fmt, folder in (("docx", "word/media/"), ("pptx", "ppt/media/")):
        with zipfile.ZipFile(out / f"pic.{fmt}") as z:
            media = [n for n in z.namelist() if n.startswith(folder)]
            images = [Image.open(io.BytesIO(z.read(n))) for n in media]
        assert [(im.mode, im.size) for im in images] == [("RGB", (120, 80))], fmt
        r, g, b = images[0].getpixel((60, 40))
        assert r > 200 and g < 60 and b < 60, (fmt, (r, g, b))


def test_exif_orientation_is_honoured_in_every_format(tmp_path):
    import docx
    import pptx
    from pypdf import PdfReader

    exif = Image.Exif()
    exif[0x0112] = 6  # stored 200 x 100, shown turned a quarter clockwise: 100 wide, 200 high
    gradient().save(tmp_path / "turned.jpg", "JPEG", exif=exif)
    brief = brief_with(tmp_path, "turned.jpg")
    out = tmp_path / "out"
    assert run("build", str(brief), "--out", str(out), "-q").returncode == 0
    shape = docx.Document(str(out / "pic.docx")).inline_shapes[0]
    assert shape.height == 2 * shape.width
    pics = [sh for s in pptx.Presentation(str(out / "pic.pptx")).slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pics) == 1 and abs(pics[0].height - 2 * pics[0].width) <= 2
    sizes = [im.image.size for page in PdfReader(str(out / "pic.pdf")).pages for im in page.images]
    assert sizes == [(100, 200)]


def test_upright_rgb_images_are_embedded_as_they_are(tmp_path):
    from builders.assets import picture

    gradient().save(tmp_path / "plain.png", "PNG")
    pic = picture(tmp_path / "plain.png")
    assert (pic.width, pic.height, pic.data) == (200, 100, None) and pic.source() == str(tmp_path / "plain.png")


def test_fallback_fonts_are_confined(tmp_path):
    theme = tmp_path / "fb.yaml"
    theme.write_text("extends: default\nfonts:\n  fallback:\n    - DejaVu Sans\n"
                     "    - /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n    - ../x.ttf\n", encoding="utf-8")
    r = run("build", str(MINIMAL), "--theme", str(theme), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"{theme}:5:7: error: fonts.fallback[1]: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' lies outside "
        "the project and the folder of fb.yaml; copy it beside it",
        f"{theme}:6:7: error: fonts.fallback[2]: '../x.ttf' lies outside the project and the folder of fb.yaml; "
        "copy it beside it",
    ]
    assert not (tmp_path / "out").exists()


