"""Text for the chart picture: the theme's faces through FreeType, with fallbacks, never an empty box.

reportlab's renderPM needs a backend this project does not ship (rlPyCairo), and
reportlab refuses the CFF outlines of Noto CJK; Pillow (already installed with
reportlab and python-pptx) draws CFF and TrueType faces alike through FreeType.
"""
from __future__ import annotations

import functools
from typing import Callable

from PIL import ImageDraw, ImageFont

from ..fonts import metrics, resolve


class Faces:
    """The caption face and the theme's fallback faces at one pixel size."""

    def __init__(self, refs: tuple[str, ...], size: int, missing: Callable[[str], None]):
        self._all = tuple(refs)
        self.size = size
        self._missing = missing

    @property
    def refs(self) -> list[str]:
        """The faces that are installed, in order of preference."""
        return [r for r in self._all if _usable(r)]

    def _face_for(self, ch: str) -> str | None:
        # Fallback faces are looked up (fc-match, metrics) only when an earlier face lacks a character.
        return next((r for r in self._all if _usable(r) and metrics(r).covers(ch)), None)

    def _font(self, ref: str) -> ImageFont.FreeTypeFont:
        return _load(ref, self.size)

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` split into (face ref, chars) runs; characters no face has are reported and left out."""
        out: list[tuple[str, str]] = []
        for ch in text:
            if ch in "\n\r\t":
                ch = " "
            ref = self._face_for(ch)
            if ref is None:
                if not ch.isspace():
                    self._missing(ch)
                    continue
                ref = self.refs[0]
            if out and out[-1][0] == ref:
                out[-1] = (ref, out[-1][1] + ch)
            else:
                out.append((ref, ch))
        return out

    def width(self, text: str) -> float:
        return sum(self._font(ref).getlength(chunk) for ref, chunk in self.runs(text))

    def draw(self, canvas: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, fill: str,
             anchor: str = "l") -> None:
        """Draw one line; ``anchor`` l/m/r is its horizontal alignment, ``xy`` its vertical middle."""
        x, y = xy
        w = self.width(text)
        x -= {"l": 0, "m": w / 2, "r": w}[anchor]
        for ref, chunk in self.runs(text):
            font = self._font(ref)
            canvas.text((x, y), chunk, font=font, fill=fill, anchor="lm")
            x += font.getlength(chunk)

    def wrap(self, text: str, width: float, max_lines: int = 3) -> list[str]:
        """Greedy wrap: at spaces for Latin words, anywhere between CJK characters; an ellipsis ends the
        last line when the text does not fit ``max_lines``."""
        tokens = _tokens(text)
        lines: list[str] = []
        line = ""
        for tok in tokens:
            trial = line + tok
            # Closing punctuation never starts a line (Chinese line-breaking rule): it stays, hanging.
            if line and tok[:1] not in _NO_LINE_START and self.width(trial.rstrip()) > width:
                lines.append(line.rstrip())
                line = tok.lstrip()
            else:
                line = trial
        if line.strip():
            lines.append(line.rstrip())
        if len(lines) > max_lines:
            last = lines[max_lines - 1]
            while last and self.width(last + "…") > width:
                last = last[:-1]
            lines = lines[: max_lines - 1] + [last + "…"]
        return lines or [""]


_NO_LINE_START = set("，。、；：！？）》〉」』】”’…％,.;:!?)]}%")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) >= 0x2E80:  # CJK: every character is a break opportunity
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


@functools.lru_cache(maxsize=None)
def _usable(ref: str) -> bool:
    try:
        resolve(ref)
        return True
    except Exception:  # a missing fallback face is not fatal; the label check reports real gaps
        return False


@functools.lru_cache(maxsize=64)
def _load(ref: str, size: int) -> ImageFont.FreeTypeFont:
    f = resolve(ref)
    return ImageFont.truetype(str(f.path), size, index=f.index)
