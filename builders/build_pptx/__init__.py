"""The PowerPoint deck: plan the slides, fit their text, render them with python-pptx.

``build(doc, theme, path, log)`` writes exactly ``path`` from the lowered
:class:`~builders.document.Document`.  The pipeline is :func:`.plan.plan` (which
slides, plain Python) → :func:`.design.design` (deck-wide rules: no two dividers in a row,
unique titles, the theme's body budget) → :func:`.fit.fit_deck` (one title size per slide
type, sizes, wrapping, continuations,
footnotes, speaker notes) → :class:`.render.Renderer` (python-pptx), written with
reproducible bytes.
"""
from __future__ import annotations

from pathlib import Path

from .._imports import defer_modules

# python-pptx imports xml.sax.saxutils for escape(), which imports urllib.request (and http,
# email, ssl: ~25 ms) for a function nothing here calls; and Pillow (~12 ms), which only a picture
# figure needs.
defer_modules("urllib.request", "PIL.Image")

from ..diagnostics import Log  # noqa: E402
from ..document import Document  # noqa: E402
from ..theme import Theme  # noqa: E402


def document_when(doc: Document):
    """The deck's date for its properties and zip entries (:func:`builders.reproducible.document_datetime`)."""
    from types import SimpleNamespace

    from ..reproducible import document_datetime

    return document_datetime(SimpleNamespace(date=doc.date_value))


def slides(doc: Document, theme: Theme, fitter=None, log: Log | None = None):
    """The fitted slide plans of the deck (no python-pptx needed)."""
    from .design import design
    from .fit import fit_deck
    from .geometry import Geometry, whole_fits
    from .measure import Fitter
    from .plan import plan

    limit = theme.slides.body_limit(doc.language)
    fitter = fitter or Fitter(theme)
    fits = whole_fits(Geometry(theme, doc.running_title, fitter), doc.labels.continued)
    return fit_deck(design(plan(doc, theme.notes == "endnotes", limit), doc, limit, fits), theme, doc, fitter, log)


def build(doc: Document, theme: Theme, path: Path, log: Log) -> None:
    from ..fontlang import for_language
    from .faces import prefetch

    theme = for_language(theme, doc.language)  # Japanese, Korean faces (issue 18)
    prefetch(theme)  # fontconfig look-ups in the background while python-pptx is imported
    from .coverage import warn_uncovered
    from .measure import Fitter
    from .render import Renderer

    when = document_when(doc)
    fitter = Fitter(theme)  # one measure for fitting and drawing: the renderer finds every wrapping done
    fitted = slides(doc, theme, fitter, log)
    warn_uncovered(fitted, doc, fitter, log)
    renderer = Renderer(doc, theme, log, fitter, when)
    for number, s in enumerate(fitted, 1):
        renderer.add(s, number)
    renderer.links.resolve()
    if renderer.writer.dots_used:
        log.warn("theme", "cjk_emphasis: dots: PowerPoint has no emphasis dots; emphasised Chinese text is set "
                          "bold in the deck")
    renderer.properties()
    renderer.save(path)
