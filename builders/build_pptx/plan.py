"""The deck as plain data: which slides, in which order, with which content.

Nothing here imports python-pptx, so the plan can be tested on its own.  The
plan walks the lowered :class:`~builders.document.Document` in reading order, so
the deck's agenda and numbering agree with the report and the PDF; it reads each
section's ``role`` to keep one slide per case study and per recommendation.  Text
is not measured here: :mod:`.measure` decides sizes and splits slides into
marked continuations, and :mod:`.notes` writes each slide's speaker notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, assert_never

from .. import document as d
from .blocks import Item, body_lines, convert, note_paras, values_table
from .runs import Para, Run, Runs, lines_of, runs_of, strip_runs

# Layout names of PowerPoint's (and python-pptx's) default template; a corporate
# template is searched for the same names.
TITLE_SLIDE = "Title Slide"
TITLE_AND_CONTENT = "Title and Content"
SECTION_HEADER = "Section Header"
TITLE_ONLY = "Title Only"


@dataclass(frozen=True)
class SlidePlan:
    """One slide before measuring; :mod:`.measure` fills the sizes, boxes, foot and notes."""

    kind: str  # title, agenda, summary, status, challenges, free, figures, section, case, lesson, recommendation, closing
    layout: str
    title: str  # as shown (plain text), with the continuation mark on a follow-on slide
    paras: tuple[Item, ...] = ()  # paragraphs and tables, in order
    notes: str = ""
    anchor: str = ""
    continued: bool = False  # a follow-on slide, its title carries the continuation mark
    chart: Optional[d.FigureBlock] = None  # a chart or picture figure: the slide shows it instead of text
    base_title: str = ""  # the title before any continuation mark
    title_runs: Runs = ()
    # Notes-only lines: what the section says that its slides do not show (a body summarised by its points,
    # a closing paragraph, a figure's values).  They go into the first slide's notes, once.
    extra: tuple[str, ...] = ()
    after: tuple[str, ...] = ()  # notes-only lines said after the content (a closing paragraph), on the last slide
    boxed: bool = False  # a call-out (a free section with style: box)
    anchors: tuple[str, ...] = ()  # what internal links may jump to here besides ``anchor`` (fig-, tbl-, ref-)
    where: str = ""  # the brief's path to the section, for warnings (``cases[boston]``)
    foot: tuple[Para, ...] = ()  # the footnotes of what the slide shows, set small at its foot
    callout: str = ""  # a case's key number, shown large beside its points (the lowering chose it: key_figure)
    title_size: float = 0.0
    body_size: float = 0.0
    # role (title, body, chart, foot, footer, number) -> (left, top, width, height) in points; "footer_size" -> pt
    boxes: dict = field(default_factory=dict, compare=False)


def title_runs(s: d.Section) -> Runs:
    """The section's number and title as its heading shows them (``s.label``), title styling kept."""
    title = runs_of(s.title)
    shown = d.plain(s.title)
    if s.number and s.label.endswith(shown):
        return (Run(s.label[: len(s.label) - len(shown)]),) + title
    return title if not s.number else (Run(s.label),)


def agenda_para(s: d.Section, level: int) -> Para:
    """A section's line in a list of headings (agenda, overview): its label, without note numbers
    (the note belongs to the section's own slide)."""
    return Para(strip_runs(tuple(r for r in title_runs(s) if not r.note)), "agenda", level=level)


def _lines(blocks: d.Blocks) -> tuple[str, ...]:
    return tuple(line for b in blocks for line in d.block_text(b))


def _points(points: tuple[d.Inlines, ...]) -> list[Item]:
    out: list[Item] = []
    for p in points:
        for i, line in enumerate(lines_of(p)):
            out.append(Para(strip_runs(tuple(line)), "bullet", cont=bool(i)))
    return out


def _slide(s: d.Section, kind: str, items: list[Item], extra=(), layout: str = TITLE_AND_CONTENT,
           **kw) -> SlidePlan:
    return SlidePlan(kind, layout, s.label, tuple(items), anchor=s.anchor, title_runs=title_runs(s),
                     extra=tuple(e for e in extra if e.strip()), where=s.where or s.anchor, **kw)


def _summarised(s: d.Section) -> tuple[list[Item], tuple[str, ...]]:
    """Points as bullets (the body then goes to the notes), or the body's sentences as bullets."""
    if s.points:
        return _points(s.points), _lines(s.body)
    return body_lines(s.body), ()


def _figures(s: d.Section, colon: str) -> list[SlidePlan]:
    """One chart slide per charted figure, a slide per picture and per table of words, then the other
    figures: one series as big-number lines (value: item), several as a table."""
    out: list[SlidePlan] = []
    blocks = [b for b in s.body if isinstance(b, d.FigureBlock)]
    for b in blocks:
        if b.figure.chart and b.figure.image is None:
            out.append(_slide(s, "figures", [], (*d.block_text(b), b.alt), TITLE_ONLY, chart=b, anchors=(b.anchor,)))
    for b in blocks:
        if b.figure.image is not None:  # a picture: its own slide, titled with the figure's title
            runs = runs_of(b.chart_caption[1:]) if b.chart_caption else ()
            title = "".join(r.text for r in runs)
            out.append(SlidePlan("figures", TITLE_ONLY, title, (), anchor=s.anchor, chart=b, title_runs=runs,
                                 extra=tuple(x for x in (*d.block_text(b), b.alt) if x), anchors=(b.anchor,),
                                 where=s.where or s.anchor))
    for t in s.body:
        if isinstance(t, d.Table):  # a table of words: its caption, then the table
            out.append(_slide(s, "figures", convert((t,), "plain")))
    others = [b for b in blocks if not b.figure.chart and b.figure.image is None]
    if others:
        items: list[Item] = []
        extra: list[str] = []
        for b in others:
            caption = b.table_caption or b.chart_caption
            items.append(Para(runs_of(caption[1:]) if caption else (), "lead"))
            if len(b.header) == 2:
                items += [Para((Run(f"{value}{colon}{name}"),), "bullet") for name, value in b.rows]
            else:
                items.append(values_table(b))
            extra += [*d.block_text(b), b.alt]
        out.append(_slide(s, "figures", items, extra, anchors=tuple(b.anchor for b in others)))
    for b in s.body:
        if not isinstance(b, (d.FigureBlock, d.Table)):  # anything else the section holds, as text
            out.append(_slide(s, "figures", convert((b,), "plain")))
    return out


def _drawn(b: d.Block) -> bool:
    """A chart or a picture: a slide of its own (text figures stay in the text, as tables)."""
    return isinstance(b, d.FigureBlock) and (bool(b.figure.chart) or b.figure.image is not None)


def _figure_slide(b: d.FigureBlock) -> SlidePlan:
    """A chart or picture placed in a section's text: its own slide after the section's, titled by its caption."""
    runs = runs_of(b.chart_caption) if b.chart_caption else ()
    return SlidePlan("figures", TITLE_ONLY, "".join(r.text for r in runs), (), anchor=b.anchor, chart=b,
                     title_runs=runs, extra=tuple(x for x in (*d.block_text(b), b.alt) if x))


def body_chars(items) -> int:
    """The characters of body text ``items`` show (paragraphs; a table is counted as the figure it is)."""
    return sum(len(i.marker_text) + len(i.text.strip()) for i in items if isinstance(i, Para))


def _section(s: d.Section, doc: d.Document, limit: int = 10**9) -> list[SlidePlan]:
    """The slides of section ``s`` and of the sections below it."""
    drawn = [b for b in s.body if _drawn(b)] if s.role != "figures" else []
    if drawn:  # the text first (on its own slides), then each chart or picture
        text = replace(s, body=tuple(b for b in s.body if not _drawn(b)))
        return _section(text, doc, limit) + [_figure_slide(b) for b in drawn]
    role = s.role
    match role:
        case "summary":
            return [_slide(s, "summary", convert(s.body, "plain"))]
        case "status" | "challenges" | "lesson":
            items, extra = _summarised(s)
            return [_slide(s, role, items, extra)]
        case "free":
            return [_slide(s, "free", convert(s.body, "plain"), boxed=s.style == "box")]
        case "figures":
            return _figures(s, doc.labels.colon)
        case "case":
            items, extra = _summarised(s)
            region = [b for b in s.blocks if isinstance(b, d.Para) and b.role == "region"]
            lead = [Para(strip_runs(runs_of(s.region)), "lead")] if s.region else []
            return [_slide(s, "case", lead + items, (*_lines(tuple(region)), *extra), callout=s.key_figure.value if s.key_figure else "")]
        case "recommendation":
            items = convert(s.body, "lead")
            label = "\n".join(_lines(tuple(b for b in s.blocks if isinstance(b, d.Para) and b.role == "label")))
            extra: tuple[str, ...] = ()
            if s.actions is not None:
                actions = convert((s.actions,), "plain")
                if actions and isinstance(actions[0], Para):  # the label (主要举措) is said, not shown
                    actions[0] = replace(actions[0], lead_in=label)
                if actions and body_chars(items + actions) > limit:
                    # Too much to read on one slide: the slide shows the actions, the presenter says the lead.
                    extra, items = _lines(s.body), []
                items += actions
            return [_slide(s, "recommendation", items, extra, after=_lines(s.closing))]
        case "references":  # the bibliography: its entries as running text, each a jump target
            refs = tuple(b.anchor for b in s.body if isinstance(b, d.Para) and b.anchor)
            return [_slide(s, "references", convert(s.body, "plain"), anchors=refs)]
        case "analysis" | "cases" | "lessons" | "recommendations":
            out = [_slide(s, "section", [agenda_para(k, 0) for k in s.children], layout=SECTION_HEADER)]
            for child in s.children:
                out += _section(child, doc, limit)
            return out
        case _:
            assert_never(role)


def author_paras(doc: d.Document) -> list[Para]:
    """A line per author: the name, then the role after the language's separator (张三，研究员); past three
    authors one line of names, the first three and "等" / "and N others" (a title slide never continues)."""
    lab = doc.labels
    if len(doc.authors) > 3:
        runs: Runs = ()
        for i, a in enumerate(doc.authors[:3]):
            runs += ((Run(lab.names_sep),) if i else ()) + runs_of(a.name)
        before, after = lab.authors_more.split("{names}", 1)
        n = len(doc.authors) - 3
        return [Para(strip_runs((Run(before.format(n=n)), *runs, Run(after.format(n=n)))), "plain")]
    out = []
    for a in doc.authors:
        runs = runs_of(a.name)
        if a.role:
            runs += (Run(doc.labels.name_sep),) + runs_of(a.role)
        out.append(Para(runs, "plain"))
    return out


def plan(doc: d.Document, endnotes: bool = False, limit: int = 10**9) -> list[SlidePlan]:
    """The slides of the deck, in order, before measuring.  ``endnotes`` (the theme's choice): the notes on a
    slide of their own before the closing one, instead of at the foot of the slides that cite them.
    ``limit``: the most body characters a slide shows (a recommendation's lead goes to the notes past it)."""
    lab = doc.labels
    title_paras = [Para(runs_of(doc.subtitle), "lead")] if doc.subtitle else []
    title_paras += author_paras(doc)
    if doc.date:
        title_paras.append(Para((Run(doc.date),), "plain"))
    title = runs_of(doc.title)
    # A condensed author list: the presenter's notes name everyone, with their roles.
    everyone = tuple(d.plain(a.name) + (lab.name_sep + d.plain(a.role) if a.role else "") for a in doc.authors
                     ) if len(doc.authors) > 3 else ()
    # The keywords are no slide text (a title slide is no abstract); its notes say them, as the report does.
    keywords = (d.plain(doc.keywords_line.inlines),) if doc.keywords_line is not None else ()
    slides = [SlidePlan("title", TITLE_SLIDE, "".join(r.text for r in title), tuple(title_paras), anchor="title",
                        title_runs=title, extra=everyone, after=keywords)]
    agenda = [(s, min(s.level - 1, 1)) for s in doc.walk() if s.role not in ("case", "lesson", "recommendation")]
    slides.append(SlidePlan("agenda", TITLE_AND_CONTENT, lab.agenda, tuple(agenda_para(s, lv) for s, lv in agenda),
                            anchor="agenda", title_runs=(Run(lab.agenda),)))
    for s in doc.sections:
        slides += _section(s, doc, limit)
    if endnotes and doc.notes:
        paras = tuple(p for n in doc.notes for p in note_paras(n, "plain"))
        slides.append(SlidePlan("notes", TITLE_AND_CONTENT, lab.notes, paras, anchor="notes",
                                title_runs=(Run(lab.notes),)))
    slides.append(SlidePlan("closing", TITLE_SLIDE, lab.thank_you, tuple(author_paras(doc)), anchor="closing",
                            title_runs=(Run(lab.thank_you),), after=everyone))
    return [replace(s, base_title=s.title) for s in slides]
