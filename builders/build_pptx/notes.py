"""Speaker notes: each slide's notes say what that slide shows, under its heading.

Notes grow linearly with the brief (issue 16): a slide's notes hold its heading,
the text it shows (a continued slide: only its own part) and the footnotes at its
foot; what a section says that its slides do not show (the body a case's points
summarise, a recommendation's closing, a figure's values) is said once, in the
notes of its first slide.  A paragraph split over slides is said whole in the notes
of the slide where it starts, so the presenter reads it as one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .blocks import TablePlan

if TYPE_CHECKING:
    from .plan import SlidePlan
    from .runs import Para


def para_line(p: "Para") -> str:
    """A paragraph as the presenter reads it: its marker (1., 一是) before the text (its lead-in above)."""
    if p.said is not None:
        line = p.said
    elif p.kind == "number" and p.marker and not p.cont and not p.inline_marker:
        line = f"{p.marker} {p.text}"
    else:
        line = p.marker_text + p.text
    return f"{p.lead_in}\n{line}" if p.lead_in else line


def shown_lines(items) -> Iterator[str]:
    """The text of a slide's items, a line per paragraph and per table row (cells tab-separated)."""
    for item in items:
        if isinstance(item, TablePlan):
            rows = item.rows if item.cont else (item.header, *item.rows)  # a repeated header is said once
            for row in rows:
                yield "\t".join("".join(r.text for r in cell) for cell in row)
        else:
            line = para_line(item)
            if line:
                yield line


def slide_notes(s: "SlidePlan", first: bool, last: bool) -> str:
    """The notes of fitted slide ``s``: ``first`` and ``last`` of its run say what no slide shows (before
    and after what they show)."""
    parts = [s.base_title or s.title]
    if first:
        parts += s.extra
    parts += shown_lines(s.paras)
    if last:
        parts += s.after
    parts += (para_line(p) for p in s.foot)  # a note shortened at the foot is said whole
    return "\n".join(p for p in parts if p and p.strip())
