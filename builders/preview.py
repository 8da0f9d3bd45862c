"""Contact sheets: every page of the report, every slide of the deck and every page of the PDF, as PNG.

Office files go through LibreOffice (one start for all of a theme's files), pages are rasterised by
poppler's ``pdftoppm`` and tiled with Pillow (which python-pptx already needs).
"""
from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

from .errors import ToolFailure
from .office import convert_many
from .progress import step
from .registry import DESCRIPTORS, FORMATS, descriptor
from .tools import run_tool

THUMB_WIDTH = 320  # pixels per page or slide


def rasterise(pdf: Path, work: Path, prefix: str) -> list[Path]:
    """Each page of ``pdf`` as a PNG in ``work``; poppler failing is a one-line :class:`ToolFailure`."""
    run_tool(["pdftoppm", "-png", "-scale-to-x", str(THUMB_WIDTH), "-scale-to-y", "-1", str(pdf),
              str(work / prefix)], "poppler-utils")
    pages = sorted(work.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pages:
        raise ToolFailure(f"pdftoppm wrote no page for {pdf.name}")
    return pages


def sheet(pages: list[Path], columns: int, target: Path, gap: int = 12) -> Path:
    """Tile ``pages`` into one PNG with a thin frame around each page, written atomically."""
    from PIL import Image, ImageDraw

    images = [Image.open(p).convert("RGB") for p in pages]
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    cols = min(columns, len(images))
    rows = math.ceil(len(images) / cols)
    canvas = Image.new("RGB", (cols * (w + gap) + gap, rows * (h + gap) + gap), (200, 204, 210))
    draw = ImageDraw.Draw(canvas)
    for n, img in enumerate(images):
        x = gap + (n % cols) * (w + gap)
        y = gap + (n // cols) * (h + gap)
        canvas.paste(img, (x, y))
        draw.rectangle((x - 1, y - 1, x + img.width, y + img.height), outline=(120, 120, 120))
    tmp = target.with_name(f".{target.name}.partial")
    canvas.save(tmp, "PNG", optimize=True)
    tmp.replace(target)
    return target


def preview(out_dir: Path, names: list[str]) -> list[Path]:
    """Contact sheets for each brief ``name`` built in ``out_dir``, into ``out_dir/preview/``."""
    target_dir = out_dir / "preview"
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="brief-preview-") as tmp:
        work = Path(tmp)
        office = []
        for name in names:
            for fmt in (f.name for f in DESCRIPTORS if f.via_office):
                src = out_dir / f"{name}.{fmt}"
                if src.exists():  # distinct stems for one LibreOffice call
                    link = work / f"{name}--{fmt}.{fmt}"
                    shutil.copyfile(src, link)
                    office.append(link)
        with step(f"LibreOffice: converting {len(office)} file(s) in {out_dir}"):
            pdfs = {p.stem: p for p in convert_many(office, work / "pdf")} if office else {}
        for name in names:
            for fmt in FORMATS:
                pdf = pdfs.get(f"{name}--{fmt}") if fmt != "pdf" else out_dir / f"{name}.pdf"
                if pdf is None or not pdf.exists():
                    continue
                pages = rasterise(pdf, work, f"{name}-{fmt}")
                written.append(sheet(pages, descriptor(fmt).preview_columns, target_dir / f"{name}-{fmt}.png"))
    return written
