"""Characters no font can draw: named in a warning, since they would print as empty boxes.

The deck names fonts the presenter's machine is asked for (a:latin/a:ea); this
machine measures with the theme's PDF faces and their fallbacks.  A character
that none of those faces and no installed font covers (a rare CJK Extension B
ideograph, say) is left in the text, never dropped, but the build says so.
"""
from __future__ import annotations

from ..diagnostics import Log
from ..document import Document
from ..glyphs import lacking
from .blocks import TablePlan
from .measure import Fitter
from .plan import SlidePlan


def warn_uncovered(slides: list[SlidePlan], doc: Document, fitter: Fitter, log: Log) -> list[str]:
    """Warn about characters of the deck's text that no face can draw; returns them."""
    # Distinct strings only: a section's continued slides repeat titles and footnotes.
    strings = {doc.running_title}
    for s in slides:
        strings.add(s.title)
        strings.add(s.notes)
        for p in (*s.paras, *s.foot):
            strings.add(p.text)
            if not isinstance(p, TablePlan):
                strings.add(p.marker)
        if s.chart is not None:
            fig = s.chart.figure
            strings.add(fig.title.plain)
            strings.add(fig.unit or "")
            strings.update(fig.all_categories)
            strings.update(ser.name for ser in fig.all_series)
    chars: set[str] = set()
    for text in strings:
        chars.update(text)
    faces = [m for f in (fitter.body_faces, fitter.title_faces, fitter.caption_faces) for m in f.metrics]
    missing = [ch for ch in sorted(chars) if lacking(ch, faces)]
    if missing:
        listed = ", ".join(f"U+{ord(c):04X} {c}" for c in missing)
        log.warn("fonts", f"no installed font has {listed}: these show as empty boxes unless the presenter's "
                          "machine has a font for them (e.g. SimSun-ExtB for rare hanzi)")
    return missing
