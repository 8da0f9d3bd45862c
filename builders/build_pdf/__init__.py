"""The print-ready PDF: reportlab platypus, embedded subset fonts, bookmarks, print boxes.

``build(brief, theme, path, log)`` plans the story (:mod:`.story`), checks every
character against the theme's fonts (:mod:`.coverage`), subsets and registers
the fonts (:mod:`.fontcache`), renders flowables (:mod:`.render`) and lays them
out on the theme's pages (:mod:`.page`) once; the contents' page numbers and the
page totals are filled in when the last page is done (:mod:`.later`).  Output is byte-identical for the same input.
"""
from __future__ import annotations

from pathlib import Path

from .._imports import PARAGRAPH_UNUSED, defer_modules, import_deferring

defer_modules("PIL.Image")  # reportlab imports Pillow (~12 ms) for pictures, which few briefs have

import_deferring("reportlab.platypus.paragraph", *PARAGRAPH_UNUSED)  # before anything else imports reportlab.platypus

from ..diagnostics import Log  # noqa: E402
from ..i18n import labels  # noqa: E402
from ..model import Brief  # noqa: E402
from ..reproducible import document_datetime  # noqa: E402
from ..theme import Theme  # noqa: E402
from . import kinsoku  # noqa: E402
from .coverage import FontSet, clean  # noqa: E402
from . import finish as finishing  # noqa: E402  PDF/A-1, PDF/X-1a (issue 18); the module keeps its name
from .page import BriefDoc, paint_page  # noqa: E402
from .render import ContentsTitle, HeadingParagraph, Renderer  # noqa: E402
from .story import plan, runs_of  # noqa: E402
from .styles import make_styles  # noqa: E402

__all__ = ["build"]



def build(brief: Brief, theme: Theme, path: Path, log: Log) -> None:
    """Write the PDF of ``brief`` in ``theme`` to exactly ``path``."""
    from reportlab.platypus import Paragraph

    kinsoku.install()
    cover, specs, nodes = plan(brief, theme)
    lab = labels(brief.language)
    fonts = FontSet(theme, log, cjk=brief.is_cjk)

    # Pass 1: every string that will be set, with its face and origin.
    for spec in (*cover, *specs):
        for run in runs_of(spec):
            fonts.use(run.face, run.text, run.where)
    for node in nodes:  # contents entries below level 1 are set in the body face
        fonts.use("body", node.label, node.anchor)
    page = theme.page
    running = _shorten(brief.running_title, (page.width - page.margin_left - page.margin_right) / theme.sizes.caption)
    fonts.use("caption", running, "short_title" if brief.short_title else "title")
    x_of_y = lab.page_x_of_y
    fonts.use("caption", "".join(x_of_y) + "0123456789", "page numbers")
    if brief.charted_figures:  # reportlab.graphics costs ~50 ms to import: only when there is a chart
        from . import chart
    for f in brief.charted_figures:
        for text, where in chart.chart_strings(brief, f):
            fonts.use_line("caption", text, where)
    fonts.register()

    styles = make_styles(brief, theme, fonts)
    toc_markup = {n.anchor: fonts.markup("heading" if n.level == 1 else "body", n.label) for n in nodes}
    run_para = Paragraph(f'<font name="{fonts.font_name("caption")}">{fonts.markup("caption", running)}</font>',
                         styles["running"])

    def folio(page: int, total: int):
        t = f"{x_of_y[0]}{page}{x_of_y[1]}{total}{x_of_y[2]}"
        return Paragraph(fonts.markup("caption", t), styles["folio"])

    def decorate(canvas, doc, kind):
        paint_page(canvas, doc, kind, run_para)

    def on_flowable(doc, flowable):
        if isinstance(flowable, HeadingParagraph):
            n = flowable.node
            doc.canv.addOutlineEntry(clean(n.label), n.bookmark, n.level - 1, closed=False)
            doc.later.pages[n.bookmark] = doc.page
        elif isinstance(flowable, ContentsTitle):
            doc.canv.addOutlineEntry(clean(lab.contents), flowable.key, 0, closed=True)
            doc.canv.showOutline()  # open with the bookmarks panel: the outline is the reader's map

    authors = ", ".join(a.name for a in brief.authors)
    doc = BriefDoc(
        str(path), theme, decorate, on_flowable, folio,
        title=clean(brief.title), author=clean(authors), subject=clean(brief.subtitle or brief.summary.plain[:200]),
        keywords=[clean(k) for k in brief.keywords], creator="brief", producer="brief (reportlab)",
        invariant=1, lang=brief.language, initialFontName=fonts.font_name("body"),
        initialFontSize=theme.sizes.body, displayDocTitle=1,
        # A print theme: reportlab refuses any colour that is not CMYK rather than let RGB slip through.
        enforceColorSpace="cmyk" if theme.page.colour_mode == "cmyk" else None,
    )
    when = document_datetime(brief)
    # Every contents entry is an outline node, known before layout: the contents are laid out at
    # full length at once, and only their page numbers wait for the end (see .later).
    r = Renderer(brief, theme, fonts, styles, doc.later,
                 [(n.level - 1, toc_markup[n.anchor], n.bookmark) for n in nodes])
    story = [*r.cover(cover, lambda message: log.warn("cover", message)), *r.flowables(specs)]
    kinsoku.reset()
    try:
        doc.build(story, canvasmaker=_canvasmaker(when))
    finally:
        kinsoku.reset()
    for problem in finishing.finish(path, finishing.meta_of(doc, brief.language), theme):
        log.warn("PDF/A", problem)


def _shorten(text: str, ems: float) -> str:
    """``text`` cut (with …) to fit one line of ``ems`` em: the running head must not wrap into the margin.

    Estimated before fonts exist: wide (CJK) characters 1 em, others 0.6 em, which errs on the short side."""
    text = clean(text)
    width = lambda t: sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in t)  # noqa: E731
    if width(text) <= ems:
        return text
    while text and width(text) + 1 > ems:
        text = text[:-1]
    return text.rstrip() + "…"


def _canvasmaker(when):
    """A canvas whose document dates are the brief's (reportlab's invariant mode would say 2000-01-01)."""
    from reportlab.pdfgen.canvas import Canvas

    class DatedCanvas(Canvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            if when is not None:
                stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
                self.setDateFormatter(lambda *_: stamp)

    return DatedCanvas
