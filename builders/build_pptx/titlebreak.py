"""A slide title of two lines breaks after its comma (，、；：), not inside a word.

PowerPoint wraps a title wherever the box ends: "2.日本东京都市圈建立了完善的创新生态系统，为区域协同发展奠" /
"定了良好基础".  The same rule as the report's and the PDF's headings (:func:`..linebreak.pause_break`)
chooses the break from the title face's widths; the deck then ends line 1 with an ``a:br`` there.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..linebreak import pause_break
from .faces import safe_wrap
from .runs import Run, Runs


def title_break(runs: Runs, width: float, size: float, measure: Callable[[str], float]) -> Optional[int]:
    """How many characters of ``runs`` go on line 1 when the title takes two lines of ``width`` points
    at ``size`` (``measure`` gives a string's width there), or ``None`` to leave the wrapping to the
    reader's application (one line, or more than two).  Each line keeps half an em spare: PowerPoint
    and LibreOffice measure a little apart."""
    text = "".join(r.text for r in runs)
    if len(safe_wrap(text, width, measure) or ()) != 2:  # as the fitter measured the title's height
        return None
    return pause_break([(ch, measure(ch)) for ch in text], 0, width - size / 2)


def split_runs(runs: Runs, at: int) -> tuple[Runs, Runs]:
    """``runs`` cut after their first ``at`` characters, each side keeping its styles."""
    before: list[Run] = []
    after: list[Run] = []
    seen = 0
    for r in runs:
        if seen + len(r.text) <= at:
            before.append(r)
        elif seen >= at:
            after.append(r)
        else:
            cut = at - seen
            before.append(Run(r.text[:cut], *r.style))
            after.append(Run(r.text[cut:], *r.style))
        seen += len(r.text)
    return tuple(before), tuple(after)
