"""Reading a GB/T 9704 page back as grid lines (pdfplumber), for the government grid tests (issue 19).

The type area holds ``lines`` slots of one pitch each, counted from its top.  A body line (a
16 pt line of text outside tables and boxes) fills one slot; anything else (a table, a figure, a
box) fills the slots it reaches into.  :func:`short_pages` says which pages stop short of their
last slot without a reason a compositor would accept: the two-line widow and orphan rule, a
heading that moves with two lines of its text, or a figure or table taller than the room left.
Run as a script on PDFs to print each page's slots.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from builders.theme import load_theme

THEME, _ = load_theme("government")
P = THEME.page
LEFT, RIGHT = P.margin_left, P.width - P.margin_right
TOP, BOTTOM = P.margin_top, P.height - P.margin_bottom  # pdfplumber measures from the top
BODY = THEME.sizes.body
PITCH = P.depth / P.grid[1]  # the line pitch
CHAR = P.measure / P.grid[0]  # the character pitch
NOTE_GAP = THEME.sizes.caption * 0.6  # above and below the rule over the footnotes (build_pdf)
FUZZ = 0.05  # of a pitch


@dataclass
class BodyLine:
    baseline: float  # from the page top
    x0: float
    x1: float
    fonts: frozenset

    @property
    def heading(self) -> bool:
        """Set in a face other than the body's 仿宋: a heading (黑体, 楷体) or a label."""
        return not any(f.startswith("FandolFang") for f in self.fonts)

    @property
    def ends_paragraph(self) -> bool:
        """Short of the right edge: the last line of its paragraph (the others are justified)."""
        return self.x1 < RIGHT - 0.75 * CHAR


@dataclass
class Page:
    number: int
    lines: list[BodyLine]  # top to bottom
    floor: float  # where the body must stop: the type area's foot, or the top of the footnotes
    bottom: float  # the lowest thing set above the floor (TOP when the page is empty)
    blocks_top: float  # the highest thing above the first body line that is not one (a table, a chart)
    blocks_bottom: float  # the lowest such thing
    slots: int = field(init=False)  # slots the floor leaves
    used: int = field(init=False)  # slots down to ``bottom``

    def __post_init__(self):
        self.slots = math.floor((self.floor - TOP) / PITCH + FUZZ)
        self.used = max(0, math.ceil((self.bottom - TOP) / PITCH - FUZZ))

    @property
    def free(self) -> int:
        """Slots left for body lines (a block may reach into the part slot above the footnotes)."""
        return max(0, self.slots - self.used)

    @property
    def starts_with_block(self) -> bool:
        return not self.lines or self.blocks_top < self.lines[0].baseline - BODY


def _inside(c, boxes) -> bool:
    """Is the character ``c`` set in a table cell or a tinted box (its centre inside one of ``boxes``)?"""
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return any(b["x0"] <= x <= b["x1"] and b["top"] <= y <= b["bottom"] for b in boxes)


def read(pdf: Path) -> list[Page]:
    """Every page of ``pdf`` as grid slots."""
    out = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, 1):
            shapes = [*page.rects, *page.lines, *page.curves, *page.images]
            rules = [s for s in page.lines + page.rects if abs(s["width"] - P.measure / 3) < 2
                     and abs(s["x0"] - LEFT) < 1 and s["bottom"] - s["top"] < 2]
            floor = min([r["top"] - NOTE_GAP / 2 for r in rules], default=BOTTOM)
            boxes = [r for r in page.rects if r["bottom"] - r["top"] > BODY / 2]  # tables' cells, boxes
            area = [c for c in page.chars if TOP - 2 <= c["top"] and c["bottom"] <= floor + 2 and c["text"].strip()]
            rows: dict[float, list] = {}
            for c in area:
                if abs(c["size"] - BODY) < 0.6 and not _inside(c, boxes):
                    rows.setdefault(round(page.height - c["matrix"][5], 1), []).append(c)
            lines = [BodyLine(b, min(c["x0"] for c in rows[b]), max(c["x1"] for c in rows[b]),
                              frozenset(c["fontname"].split("+", 1)[-1] for c in rows[b])) for b in sorted(rows)]
            things = [x for x in [*area, *shapes] if x["bottom"] <= floor + 2 and x["top"] >= TOP - 2
                      and x not in rules]
            first = lines[0].baseline - BODY if lines else floor
            above = [x for x in things if x["bottom"] <= first + 1 and not (x in area and abs(x["size"] - BODY) < 0.6
                                                                         and not _inside(x, boxes))]
            out.append(Page(n, lines, floor, max([x["bottom"] for x in things], default=TOP),
                            min([x["top"] for x in above], default=floor),
                            max([x["bottom"] for x in above], default=TOP)))
    return out


def why_short(page: Page, after: Page) -> str | None:
    """Why ``page`` leaves slots free, given the page ``after`` it; ``None`` when there is no reason."""
    free = page.free
    if free <= 0:
        return "full"
    if after.starts_with_block:  # a figure, a table, a box that could not be set in the room
        need = math.ceil((after.blocks_bottom - TOP) / PITCH - FUZZ)
        return f"a block of {need} lines follows" if need > free else None
    lines = after.lines
    if lines[0].heading:  # the headings, what is tied to them (a region line, a box, a figure), two lines
        tied = 0  # a line of a run is tied to the next when it is a heading or a block follows it
        while tied < len(lines) and (lines[tied].heading or tied + 1 < len(lines)
                                     and lines[tied + 1].baseline - lines[tied].baseline > 1.5 * PITCH):
            tied += 1
        need = (math.floor((lines[tied + 1].baseline - TOP) / PITCH) + 1 if tied + 1 < len(lines)
                else after.used)
        return "a heading moves with two lines" if free < need else None
    continued = bool(page.lines) and page.lines[-1].baseline > page.bottom - BODY and not page.lines[-1].ends_paragraph
    n = _paragraph_lines(after.lines, continued)
    if continued:  # reportlab leaves two lines overleaf rather than one
        return "two lines carried overleaf" if free == 1 and n == 2 else None
    if free == 1 and n >= 2:
        return "no orphan"
    if free == 2 and n == 3:
        return "no widow"
    return None


def _paragraph_lines(lines: list[BodyLine], continued: bool) -> int:
    """Lines of the paragraph ``lines`` start with: a paragraph's first line is indented otherwise than
    the lines that follow it (two characters in for the body, out for a bibliography entry, the
    bullet for a list item); the lines of a paragraph ``continued`` from the page before all align."""
    first = lines[0]
    n = 1
    for ln in lines[1:]:
        same = abs(ln.x0 - first.x0) < 2
        if ln.heading or same != continued:
            break
        n += 1
    return n


def short_pages(pages: list[Page]) -> list[str]:
    """Pages but the last that leave slots free for no reason (see :func:`why_short`)."""
    return [f"page {p.number}: {p.free} of {p.slots} lines free" for p, after in zip(pages, pages[1:])
            if why_short(p, after) is None]


def off_grid(pages: list[Page]) -> list[str]:
    """Body lines whose baseline is not a whole number of pitches below page 1's first one (± 0.5 pt)."""
    origin = next(p.lines[0].baseline - PITCH * round((p.lines[0].baseline - TOP) / PITCH) for p in pages if p.lines)
    bad = []
    for p in pages:
        for ln in p.lines:
            k = (ln.baseline - origin) / PITCH
            if abs(k - round(k)) * PITCH > 0.5:
                bad.append(f"page {p.number}: a line at {ln.baseline:.1f} is {k % 1:.2f} of a pitch off")
    return bad


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        pages = read(Path(arg))
        print(arg)
        for p, after in zip(pages, pages[1:] + [None]):
            reason = why_short(p, after) if after else "last"
            print(f"  page {p.number}: {len(p.lines)} body lines, {p.used}/{p.slots} slots, {reason or 'SHORT'}")
        for bad in off_grid(pages):
            print("  " + bad)
