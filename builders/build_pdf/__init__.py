"""The print-ready PDF: reportlab platypus, embedded subset fonts, bookmarks, print boxes.

``build(doc, theme, path, log)`` walks the lowered document into a story plan
(:mod:`.story`, inline runs from :mod:`.inline`), checks every character
against the theme's fonts (:mod:`.coverage`), subsets and registers the fonts
(:mod:`.fontcache`), renders flowables (:mod:`.render`, body blocks in
:mod:`.blocks`) and lays them out on the theme's pages (:mod:`.page`) once.
Notes are set at the foot of the page that cites them as the layout goes
(:mod:`.notes`), or in a notes section when the theme asks for endnotes; the
contents' page numbers and the page totals are filled in when the last page is
done (:mod:`.later`).  The renderer builds the structure tree as it makes the
flowables (:mod:`.tags`), their drawing writes marked content (:mod:`.marking`),
and the finishing step (:mod:`.finish`) writes the tree (:mod:`.structure`) and
makes the file PDF/A-1a (PDF/X-1a as well in a CMYK theme).  Output is
byte-identical for the same input.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

from .._imports import PARAGRAPH_UNUSED, defer_modules, import_deferring

defer_modules("PIL.Image")  # reportlab imports Pillow (~12 ms) for pictures, which few briefs have

import_deferring("reportlab.platypus.paragraph", *PARAGRAPH_UNUSED)  # before anything else imports reportlab.platypus

from ..diagnostics import Log  # noqa: E402
from ..fontlang import for_language  # noqa: E402
from ..document import Document, NoteRef, blocks_text, plain  # noqa: E402
from ..reproducible import document_datetime  # noqa: E402
from ..theme import Theme  # noqa: E402
from . import kinsoku  # noqa: E402
from .coverage import KAI, FontSet, clean, installed  # noqa: E402
from .inline import Inliner  # noqa: E402
from .notes import FootNotes  # noqa: E402
from . import finish as finishing  # noqa: E402  PDF/A-1, PDF/X-1a (issue 18); the module keeps its name
from . import marking, structure, tags  # noqa: E402
from .page import BriefDoc, paint_page  # noqa: E402
from .contents import ContentsTitle  # noqa: E402
from .render import HeadingParagraph, Renderer, emphasis_dot  # noqa: E402
from .specs import runs_of  # noqa: E402
from .story import destinations, plan, text_without_notes  # noqa: E402
from . import grid  # noqa: E402
from .styles import colour, make_styles  # noqa: E402

__all__ = ["build", "note_placement", "cjk_emphasis"]


def note_placement(theme: Theme) -> str:
    """``footnotes`` (at the foot of the citing page, the default) or ``endnotes`` (a notes section at the end)."""
    return theme.notes


def cjk_emphasis(theme: Theme, log: Log) -> str:
    """How CJK text in emphasis is set: ``bold`` (the default; a slanted hanzi is no italic), ``kai`` (the Kai
    face, when installed; else bold, with a warning) or ``dots`` (a dot under each character, 着重号)."""
    if theme.cjk_emphasis == "kai" and not installed(KAI):
        log.warn("theme", f"cjk_emphasis: kai needs the font {KAI!r} (apt-get install fonts-arphic-ukai); "
                          "CJK emphasis is set bold")
        return "bold"
    return theme.cjk_emphasis


def build(doc: Document, theme: Theme, path: Path, log: Log) -> None:
    """Write the PDF of ``doc`` in ``theme`` to exactly ``path``."""
    from reportlab.platypus import Paragraph

    theme = for_language(theme, doc.language)  # Japanese and Korean faces (issue 18)
    kinsoku.install()
    tagged = tags.enabled()
    marking.install()
    endnotes = note_placement(theme) == "endnotes"
    anchors = {s.anchor: s.bookmark for s in doc.walk()}
    anchors.update((a, a) for a in destinations(doc))
    inliner = Inliner(anchors, log.warn, cjk_emphasis(theme, log))
    p = plan(doc, inliner, endnotes, lambda level: grid.heading_face(theme, level), theme.page.contents,
             theme.page.cover)
    lab = doc.labels
    fonts = FontSet(theme, log, cjk=doc.is_cjk, pitch=grid.pitch(theme))

    # Pass 1: every string that will be set, with its face and origin.
    for run in runs_of((*p.cover, *p.body, *p.notes.values())):
        fonts.use(run.face, run.text, run.where)
    for head in p.headings:  # contents entries below level 1 are set in the body face
        fonts.use("body", head.label, head.section.where or head.section.anchor)
    page = theme.page
    running = _shorten(running_title(doc), (page.width - page.margin_left - page.margin_right) / theme.sizes.caption)
    if theme.page.running_head:
        fonts.use("caption", running, "short_title")
    x_of_y = lab.page_x_of_y
    gbt_folio = theme.page.folio == "gbt9704"
    if gbt_folio:
        fonts.faces["folio"] = grid.folio_face(theme)
        fonts.use("folio", grid.folio_text(1234567890), "page numbers")
    else:
        fonts.use("caption", "".join(x_of_y) + "0123456789", "page numbers")
    govdoc = grid_parts = None
    if theme.govdoc is not None:
        from . import govdoc as grid_parts

        govdoc = theme.govdoc
        for face, text, where in grid_parts.strings(govdoc, lab):
            fonts.use(face, text, where)
    charted = [f.figure for f in doc.figures if f.chart_no is not None and f.figure.image is None]
    if charted:  # reportlab.graphics costs ~50 ms to import: only when there is a chart
        from . import chart
    for f in charted:
        for text, where in chart.chart_strings(doc, f):
            fonts.use_line("caption", text, where)
    fonts.register()

    styles = make_styles(doc, theme, fonts)
    grid.grid_styles(styles, theme, fonts)
    toc_markup = {h.section.bookmark: fonts.markup("heading" if h.section.level == 1 else "body", h.label)
                  for h in p.headings}
    run_para = Paragraph(f'<font name="{fonts.font_name("caption")}">{fonts.markup("caption", running)}</font>',
                         styles["running"]) if theme.page.running_head else None
    folio_odd, folio_even = grid.folio_styles(theme, fonts, colour(theme, theme.colours.text))

    def folio(page: int, total: int):
        if gbt_folio:  # — 4 —: odd pages at the right, even pages at the left
            return Paragraph(fonts.markup("folio", grid.folio_text(page)), folio_odd if page % 2 else folio_even)
        t = f"{x_of_y[0]}{page}{x_of_y[1]}{total}{x_of_y[2]}"
        return Paragraph(fonts.markup("caption", t), styles["folio"])

    def decorate(canvas, doc, kind):
        canvas.setNamedCB("brief_dot", emphasis_dot)
        tagger = getattr(canvas, "_brief_tagger", None)
        if tagger is None:
            paint_page(canvas, doc, kind, run_para)
        else:
            tagger.furniture(lambda: paint_page(canvas, doc, kind, run_para))

    def on_flowable(pdf, flowable):
        if isinstance(flowable, HeadingParagraph):
            pdf.canv.addOutlineEntry(clean(flowable.label), flowable.key, flowable.level - 1, closed=False)
            pdf.later.pages[flowable.key] = pdf.page
            if not theme.page.contents:
                pdf.canv.showOutline()  # open with the bookmarks panel: without contents, the outline is the map
        elif isinstance(flowable, ContentsTitle):
            pdf.canv.addOutlineEntry(clean(lab.contents), flowable.key, 0, closed=True)
            pdf.canv.showOutline()  # open with the bookmarks panel: the outline is the reader's map

    summary = next((s for s in doc.sections if s.role == "summary"), None)
    subject = text_without_notes(doc.subtitle) if doc.subtitle else blocks_text(summary.body)[:200] if summary else ""
    authors = ", ".join(text_without_notes(a.name) for a in doc.authors)
    made = BytesIO()  # reportlab's file, finished below: the PDF is written to ``path`` once
    pdf = BriefDoc(
        made, theme, decorate, on_flowable, folio,
        title=clean(text_without_notes(doc.title)), author=clean(authors), subject=clean(subject),
        keywords=[clean(k) for k in doc.keywords], creator="brief", producer="brief (reportlab)",
        invariant=1, lang=doc.language, initialFontName=fonts.font_name("body"),
        initialFontSize=theme.sizes.body, displayDocTitle=1,
        # A print theme: reportlab refuses any colour that is not CMYK rather than let RGB slip through.
        enforceColorSpace="cmyk" if theme.page.colour_mode == "cmyk" else None,
    )
    when = document_datetime(SimpleNamespace(date=doc.date_value))  # it reads only ``date``
    # Every contents entry is an outline node, known before layout: the contents are laid out at
    # full length at once, and only their page numbers wait for the end (see .later).
    entries = [(h.section.level - 1, toc_markup[h.section.bookmark], h.section.bookmark) for h in p.headings]
    if endnotes and p.notes:
        entries.append((0, fonts.markup("heading", lab.notes), "brief_notes"))
    tree = tags.Tree()
    r = Renderer(doc, theme, fonts, styles, pdf.later, entries, tree)
    if not endnotes:
        rule = colour(theme, theme.colours.rule)

        def draw_rule(canvas, x, y, width):
            canvas.saveState()
            canvas.setStrokeColor(rule)
            canvas.setLineWidth(0.5)
            canvas.line(x, y, x + width, y)
            canvas.restoreState()

        pdf.use_footnotes(FootNotes(lambda n: r.note(p.notes[n]), r.frame_width, theme.sizes.caption * 0.6,
                                    draw_rule))
    # Made in page order: each text flowable's structure element is added to the tree as it is made.
    banner = tags.tag_text(tree, grid_parts.header(govdoc, theme, fonts, styles)) if govdoc is not None else []
    if theme.page.cover:
        head = r.cover(p.cover, lambda message: log.warn("cover", message))
    else:  # the title heads the first page, the body follows under it (GB/T 9704)
        head = [tree.leaf(tags.cover_role(q.style), grid.BalancedParagraph(r.markup(q.runs), styles[q.style])) for q in p.cover]
    if theme.page.grid is not None:  # the 版头 takes whole lines: the title and the body stand on the grid
        banner = grid.snapped(banner, styles["body"].leading)
    story = [*banner, *head, *r.flowables(p.body)]
    if govdoc is not None:
        story += tags.tag_text(tree, grid_parts.colophon(govdoc, theme, fonts, styles, lab))
    kinsoku.reset()
    taggers: list = []
    try:
        pdf.build(story, canvasmaker=_canvasmaker(when, taggers if tagged else None))
    finally:
        kinsoku.reset()
    write = None
    if taggers:
        for text in taggers[0].untagged:  # a flowable made outside the renderer and the tree
            log.warn("PDF tags", f"text set as an artifact, outside the structure tree: {text!r}")

        def write(pdf, annotations):
            structure.apply(pdf, tree.root, taggers[0].bboxes, annotations, doc.language)
    for problem in finishing.finish(path, finishing.meta_of(pdf, doc.language), theme,
                                    conformance="A" if taggers else "B", structure=write,
                                    data=made.getvalue()):
        log.warn("PDF/A", problem)


def running_title(doc: Document) -> str:
    """The running head: the document's, without the note numbers of a title that cites a note.

    (The lowering takes it from the title before the notes are numbered, so a cited note shows as 0.)"""
    zeroed = "".join("0" if isinstance(n, NoteRef) else plain((n,)) for n in doc.title)
    return text_without_notes(doc.title) if doc.running_title == zeroed else doc.running_title


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


def _canvasmaker(when, taggers: list | None):
    """A canvas whose document dates are the brief's (reportlab's invariant mode would say 2000-01-01),
    writing marked content (:mod:`.marking`; its tagger appended to ``taggers``) unless that is None."""
    from reportlab.pdfgen.canvas import Canvas

    class DatedCanvas(marking.TaggingCanvas, Canvas):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            if when is not None:
                stamp = when.strftime("D:%Y%m%d%H%M%S+00'00'")
                self.setDateFormatter(lambda *_: stamp)
            if taggers is not None:
                taggers.append(self.start_tagging())

    return DatedCanvas
