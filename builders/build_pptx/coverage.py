"""Characters no font can draw: named in a warning, since they would print as empty boxes.

The deck names fonts the presenter's machine is asked for (a:latin/a:ea); this
machine measures with the theme's PDF faces and their fallbacks.  A character
that none of those faces and no installed font covers (a rare CJK Extension B
ideograph, say) is left in the text, never dropped, but the build says so.
"""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

from ..diagnostics import Log
from ..model import Brief
from .measure import Fitter
from .plan import SlidePlan


def _installed(ch: str) -> bool:
    """True when some installed font has ``ch`` (fontconfig's charset query)."""
    if not shutil.which("fc-list"):
        return True  # cannot tell: do not cry wolf
    out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "family"], capture_output=True, text=True,
                         check=False).stdout
    return bool(out.strip())


def warn_uncovered(slides: list[SlidePlan], brief: Brief, fitter: Fitter, log: Log) -> list[str]:
    """Warn about characters of the deck's text that no face can draw; returns them."""
    text = "".join(s.title + "".join(p.text + p.marker for p in s.paras) + s.notes for s in slides)
    text += brief.running_title
    for s in slides:
        if s.chart is not None:
            text += s.chart.title + (s.chart.unit or "") + "".join(d.name for d in s.chart.data)
    faces = [fitter.body_faces, fitter.title_faces, fitter.caption_faces]
    missing = []
    for ch in sorted(set(text)):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Mn"):
            continue
        if any(m.covers(ch) for f in faces for m in f.metrics):
            continue
        if not _installed(ch):
            missing.append(ch)
    if missing:
        listed = ", ".join(f"U+{ord(c):04X} {c}" for c in missing)
        log.warn("fonts", f"no installed font has {listed}: these show as empty boxes unless the presenter's "
                          "machine has a font for them (e.g. SimSun-ExtB for rare hanzi)")
    return missing
