"""The chart picture of a figure: a PNG drawn in the theme's colours and caption face.

Column, bar, line and pie charts of one series.  Drawn at twice the size and
averaged down, which gives anti-aliased edges without a vector renderer.
"""
from __future__ import annotations

import io
import math
import zlib

from PIL import Image, ImageDraw

from ..diagnostics import Log
from ..i18n import format_value
from ..model import Brief, Figure
from ..theme import Theme
from .glyphs import Faces

WIDTH, HEIGHT = 1600, 880  # final pixels: 16 cm by 8.8 cm at about 254 dpi
SCALE = 2


def png(figure: Figure, brief: Brief, theme: Theme, log: Log) -> bytes:
    """The chart of ``figure`` as PNG bytes; unsupported or unsuitable data degrade to a column chart."""
    W, H = WIDTH * SCALE, HEIGHT * SCALE
    img = Image.new("RGB", (W, H), theme.colours.background.rgb)
    canvas = ImageDraw.Draw(img)
    reported: set[str] = set()

    def missing(ch: str) -> None:
        if ch not in reported:
            reported.add(ch)
            log.warn(f"figures[{figure.id}]", f"no theme font has U+{ord(ch):04X} {ch!r}; "
                     "it is left out of the chart picture (the table shows it)")

    refs = (theme.fonts.caption.pdf, *theme.fonts.fallback)
    label = Faces(refs, 30 * SCALE, missing)
    small = Faces(refs, 26 * SCALE, missing)
    kind = figure.chart or "column"
    values = [d.value for d in figure.data]
    if kind == "pie" and (any(v < 0 for v in values) or not sum(values)):
        log.warn(f"figures[{figure.id}]", "a pie needs positive values; drawn as a column chart")
        kind = "column"
    if kind not in ("column", "bar", "line", "pie"):
        log.warn(f"figures[{figure.id}]", f"unknown chart type {kind!r}; drawn as a column chart")
        kind = "column"
    texts = [format_value(d, figure, brief.language) for d in figure.data]
    names = [d.name for d in figure.data]
    if kind == "pie":
        _pie(canvas, W, H, values, names, texts, theme, label)
    else:
        _axes_chart(canvas, W, H, kind, values, names, texts, theme, label, small)
    # Each final pixel is the mean of its SCALE x SCALE samples (supersampling); a Lanczos resize looks
    # the same and costs ten times as much.
    img = img.reduce(SCALE)
    out = io.BytesIO()
    # Named, not format="PNG": Pillow then loads only its PNG plugin, not five.  Run-length deflate suits
    # the flat fills of a chart: within 8 % of optimize=True's size in a quarter of the time.
    out.name = "chart.png"
    img.save(out, dpi=(254, 254), compress_type=zlib.Z_RLE)
    return out.getvalue()


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _tick_text(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")


def _axes_chart(canvas, W, H, kind, values, names, texts, theme: Theme, label: Faces, small: Faces) -> None:
    c = theme.colours
    lo, hi = min(0.0, *values), max(0.0, *values)
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    n = len(values)
    pad = 40 * SCALE
    horizontal = kind == "bar"
    if horizontal:
        name_w = min(W * 0.36, max(label.width(s) for s in names) + pad)
        value_w = max(label.width(t) for t in texts) + 16 * SCALE  # value labels sit past the bar ends
        left, right, top, bottom = pad + name_w, W - pad - value_w, pad, H - pad - 60 * SCALE
    else:
        left = pad + max(small.width(_tick_text(t)) for t in ticks) + 20 * SCALE
        right, top = W - pad, pad + 50 * SCALE
        bottom = H - pad - 3 * 38 * SCALE
    span = hi - lo

    def pos(v: float) -> float:  # value → pixel along the value axis
        if horizontal:
            return left + (v - lo) / span * (right - left)
        return bottom - (v - lo) / span * (bottom - top)

    for t in ticks:  # gridlines and tick labels
        p = pos(t)
        if horizontal:
            canvas.line([(p, top), (p, bottom)], fill=c.rule.rgb, width=2 * SCALE if t == 0 else SCALE)
            small.draw(canvas, (p, bottom + 30 * SCALE), _tick_text(t), c.muted.rgb, "m")
        else:
            canvas.line([(left, p), (right, p)], fill=c.rule.rgb, width=2 * SCALE if t == 0 else SCALE)
            small.draw(canvas, (left - 14 * SCALE, p), _tick_text(t), c.muted.rgb, "r")
    slot = ((bottom - top) if horizontal else (right - left)) / n
    colour = theme.colours.chart[0].rgb
    points = []
    for i, (v, name, text) in enumerate(zip(values, names, texts)):
        mid = (top if horizontal else left) + slot * (i + 0.5)
        thick = slot * 0.55
        if horizontal:
            x0, x1 = sorted((pos(0), pos(v)))
            canvas.rectangle([x0, mid - thick / 2, x1, mid + thick / 2], fill=colour)
            lines = label.wrap(name, name_w - pad, 2)
            for j, line in enumerate(lines):
                label.draw(canvas, (left - 16 * SCALE, mid + (j - (len(lines) - 1) / 2) * 36 * SCALE), line,
                           c.text.rgb, "r")
            label.draw(canvas, (x1 + 12 * SCALE, mid), text, c.text.rgb, "l")
            continue
        if kind == "column":
            y0, y1 = sorted((pos(0), pos(v)))
            canvas.rectangle([mid - thick / 2, y0, mid + thick / 2, y1], fill=colour)
            label.draw(canvas, (mid, y0 - 24 * SCALE), text, c.text.rgb, "m")
        else:
            points.append((mid, pos(v)))
        lines = label.wrap(name, slot - 12 * SCALE, 3)
        for j, line in enumerate(lines):
            label.draw(canvas, (mid, bottom + (30 + 38 * j) * SCALE), line, c.text.rgb, "m")
    if points:
        if len(points) > 1:
            canvas.line(points, fill=colour, width=6 * SCALE, joint="curve")
        r = 10 * SCALE
        for (x, y), text in zip(points, texts):
            canvas.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            label.draw(canvas, (x, y - 36 * SCALE), text, c.text.rgb, "m")


def _pie(canvas, W, H, values, names, texts, theme: Theme, label: Faces) -> None:
    total = sum(values)
    size = H - 160 * SCALE
    x0, y0 = 80 * SCALE, (H - size) / 2
    colours = theme.colours.chart
    angle = -90.0
    for i, v in enumerate(values):
        sweep = 360 * v / total
        canvas.pieslice([x0, y0, x0 + size, y0 + size], angle, angle + sweep,
                        fill=colours[i % len(colours)].rgb, outline=theme.colours.background.rgb, width=3 * SCALE)
        angle += sweep
    lx = x0 + size + 80 * SCALE
    row = min(70 * SCALE, (H - 80 * SCALE) / max(len(values), 1))
    ly = H / 2 - row * (len(values) - 1) / 2
    for i, (name, text) in enumerate(zip(names, texts)):
        y = ly + i * row
        canvas.rectangle([lx, y - 16 * SCALE, lx + 32 * SCALE, y + 16 * SCALE], fill=colours[i % len(colours)].rgb)
        line = label.wrap(f"{name}  {text}", W - lx - 80 * SCALE, 1)[0]
        label.draw(canvas, (lx + 50 * SCALE, y), line, theme.colours.text.rgb, "l")
