"""The PowerPoint deck: plan the slides, fit their text, render them with python-pptx.

``build(brief, theme, path, log)`` writes exactly ``path``.  The pipeline is
:func:`.plan.plan` (which slides, plain Python) → :func:`.measure.fit_deck`
(sizes, wrapping, continuations) → :class:`.render.Renderer` (python-pptx),
written with reproducible bytes.
"""
from __future__ import annotations

from pathlib import Path

from .._imports import defer_modules

# python-pptx imports xml.sax.saxutils for escape(), which imports urllib.request (and http,
# email, ssl: ~25 ms) for a function nothing here calls; and Pillow (~12 ms), which only a picture
# figure needs.
defer_modules("urllib.request", "PIL.Image")

from ..diagnostics import Log  # noqa: E402
from ..model import Brief  # noqa: E402
from ..reproducible import document_datetime  # noqa: E402
from ..theme import Theme  # noqa: E402


def slides(brief: Brief, theme: Theme):
    """The fitted slide plans of the deck (no python-pptx needed)."""
    from .measure import fit_deck
    from .plan import plan

    return fit_deck(plan(brief, theme), theme, brief)


def build(brief: Brief, theme: Theme, path: Path, log: Log) -> None:
    from ..fontlang import for_language
    from .measure import prefetch

    theme = for_language(theme, brief.language)  # Japanese, Korean faces (issue 18)
    prefetch(theme)  # fontconfig look-ups in the background while python-pptx is imported
    from .coverage import warn_uncovered
    from .measure import Fitter
    from .render import Renderer

    when = document_datetime(brief)
    fitted = slides(brief, theme)
    fitter = Fitter(theme)
    warn_uncovered(fitted, brief, fitter, log)
    renderer = Renderer(brief, theme, log, fitter, when)
    for number, s in enumerate(fitted, 1):
        renderer.add(s, number)
    renderer.properties()
    renderer.save(path)
