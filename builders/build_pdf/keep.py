"""Keeping a heading with what follows it.

reportlab's keepWithNext chains a heading to the next flowable only, and a case's heading is followed
by its region line and its key-points box before the body starts: with the chain ending at the box,
heading, region and box could stand at a page foot with the body overleaf.  Each heading run is
guarded by one :class:`~reportlab.platypus.CondPageBreak`; :func:`guard` sets its height, once the
flowables exist, to what the run and everything tied to it measure, plus the body's first lines.
"""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, Paragraph

from .blocks import PointsBox
from .grid import GridSnap
from .notes import Destination

FIRST_LINES = 3  # of the body, under a heading run and its boxes (two would be a bare orphan pair)
GRID_FIRST_LINES = 2  # on a GB/T 9704 grid the body flows: two lines are the least a paragraph splits at


def first_lines(theme) -> int:
    """Lines of the body a heading run asks for under it before it may stand at a page foot."""
    return GRID_FIRST_LINES if theme.page.grid is not None else FIRST_LINES


def _tied(f) -> bool:
    """Does ``f`` belong with what follows (a heading, a region or label line, a key-points box)?"""
    return isinstance(f, (PointsBox, Destination, GridSnap)) or isinstance(f, Paragraph) and bool(getattr(f.style, "keepWithNext", 0))


def guard(flowables: list, guards: list[CondPageBreak], width: float, height: float, line: float,
          lines: int = FIRST_LINES) -> None:
    """Raise each heading guard in ``guards`` (elements of ``flowables``) to the height of the run it
    stands before, with ``lines`` lines of ``line`` leading after it; capped at ``height`` so a run
    taller than a page still starts somewhere.  Measures only the flowables after each guard: linear."""
    where = {id(g): i for i, g in enumerate(flowables) if isinstance(g, CondPageBreak)}
    for g in guards:
        i = where.get(id(g))
        if i is None:
            continue
        need, j = 0.0, i + 1
        while j < len(flowables) and _tied(flowables[j]):
            f = flowables[j]
            if isinstance(f, GridSnap):  # the run started on a grid line: it ends on the next whole line
                need = -(-round(need, 3) // f.pitch) * f.pitch
                j += 1
                continue
            _, h = f.wrap(width, height)
            need += h + (f.getSpaceBefore() if j > i + 1 else 0) + f.getSpaceAfter()
            j += 1
        if j < len(flowables):
            need += lines * line
        g.height = min(max(g.height, need), height * 0.9)
