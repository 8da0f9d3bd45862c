"""The deck as plain data: which slides, in which order, with which text and notes.

Nothing here imports python-pptx, so the plan can be tested on its own.  The
order follows :func:`builders.outline.outline`, so the deck's agenda and
numbering agree with the report and the PDF.  Text is not measured here:
:mod:`.measure` decides sizes and splits slides into marked continuations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

from ..i18n import format_value, labels, list_number
from ..model import Brief, Case, Figure, Lesson, Recommendation, Section, Text
from ..outline import Node, outline
from ..theme import Theme

# Layout names of PowerPoint's (and python-pptx's) default template; a corporate
# template is searched for the same names.
TITLE_SLIDE = "Title Slide"
TITLE_AND_CONTENT = "Title and Content"
SECTION_HEADER = "Section Header"
TITLE_ONLY = "Title Only"


@dataclass(frozen=True)
class Para:
    """One paragraph of a slide's text box.

    ``kind``: ``bullet`` (•), ``number`` (``marker`` is the label, 1. or 一是),
    ``plain`` (running text), ``lead`` (a case's region or a recommendation's
    lead: no bullet, set apart in colour), ``agenda``.  ``cont`` marks the rest
    of a paragraph carried over from the previous slide: same indent, no marker.
    """

    text: str
    kind: str = "bullet"
    level: int = 0
    marker: str = ""
    cont: bool = False


@dataclass(frozen=True)
class SlidePlan:
    """One slide before measuring; :mod:`.measure` fills the sizes and boxes."""

    kind: str  # title, agenda, summary, status, challenges, figures, section, case, lesson, recommendation, closing
    layout: str
    title: str
    paras: tuple[Para, ...] = ()
    notes: str = ""
    anchor: str = ""
    continued: bool = False  # a follow-on slide, its title carries the continuation mark
    chart: Optional[Figure] = None
    base_title: str = ""  # the title before any continuation mark
    # The notes are the slide's own list (agenda, section overview): a continued slide's notes hold
    # its own part of the list, not the whole of it again (a 1,000-case overview would repeat it 50 times).
    list_notes: bool = False
    title_size: float = 0.0
    body_size: float = 0.0
    # role (title, body, chart, footer, number) -> (left, top, width, height) in points; "footer_size" -> pt
    boxes: dict = field(default_factory=dict, compare=False)


_SENTENCE = re.compile(r"(?<=[。！？；!?])|(?<=[.;])\s+(?=[A-Z0-9“\"(（])")


def sentences(text: str) -> list[str]:
    """Split running text into sentences (Chinese full stops, or ". " before a capital)."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def body_lines(body: Text) -> list[Para]:
    """Bullet lines derived from a body when an item has no points: every sentence kept, in order."""
    out: list[Para] = []
    for para in body.paragraphs:
        out.extend(Para(s) for s in sentences(para))
    return out


def format_date(d: date, language: str) -> str:
    if language.lower().startswith("zh"):
        return f"{d.year}年{d.month}月{d.day}日"
    month = _MONTHS[d.month - 1]  # not strftime: it follows the machine's locale
    if language.lower() == "en-us":
        return f"{month} {d.day}, {d.year}"
    return f"{d.day} {month} {d.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _sep(language: str) -> str:
    return "，" if language.lower().startswith(("zh", "ja")) else ", "


def _colon(language: str) -> str:
    return "：" if language.lower().startswith(("zh", "ja")) else ": "


def author_lines(brief: Brief) -> list[str]:
    sep = _sep(brief.language)
    return [a.name + (sep + a.role if a.role else "") for a in brief.authors]


def list_notes(title: str, paras) -> str:
    """The notes of a slide whose notes are its own list (see :attr:`SlidePlan.list_notes`)."""
    return _notes(title, *(p.text for p in paras))


def _notes(*parts: str) -> str:
    """Speaker notes: the slide's heading first (the presenter knows where they are), then the full text."""
    return "\n".join(p for p in parts if p and p.strip())


def _points_or_body(points: tuple[str, ...], body: Text) -> list[Para]:
    return [Para(p) for p in points] if points else body_lines(body)


def _section(node: Node, sec: Section) -> SlidePlan:
    return SlidePlan(node.kind, TITLE_AND_CONTENT, node.label, tuple(_points_or_body(sec.points, sec.body)),
                     _notes(node.label, sec.body.plain, "\n".join(sec.points)), node.anchor)


def _case(node: Node, case: Case, brief: Brief) -> SlidePlan:
    paras = [Para(case.region, "lead")] if case.region else []
    paras += _points_or_body(case.points, case.body)
    lab = labels(brief.language)
    region = f"{lab.region}{_colon(brief.language)}{case.region}" if case.region else ""
    return SlidePlan("case", TITLE_AND_CONTENT, node.label, tuple(paras),
                     _notes(node.label, region, case.body.plain, "\n".join(case.points)), node.anchor)


def _lesson(node: Node, lesson: Lesson) -> SlidePlan:
    return SlidePlan("lesson", TITLE_AND_CONTENT, node.label, tuple(_points_or_body(lesson.points, lesson.body)),
                     _notes(node.label, lesson.body.plain, "\n".join(lesson.points)), node.anchor)


def _recommendation(node: Node, rec: Recommendation, brief: Brief, theme: Theme) -> SlidePlan:
    style = theme.numbering_for(brief.language)
    paras = [Para(p, "lead") for p in rec.body.paragraphs]
    numbered = []
    for i, action in enumerate(rec.actions, 1):
        marker = list_number(style, i, brief.language)
        paras.append(Para(action, "number", marker=marker))
        numbered.append(f"{marker}{'' if marker.endswith('是') else ' '}{action}")
    return SlidePlan("recommendation", TITLE_AND_CONTENT, node.label, tuple(paras),
                     _notes(node.label, rec.body.plain, "\n".join(numbered), rec.closing.plain), node.anchor)


def figure_notes(fig: Figure, brief: Brief) -> str:
    lab = labels(brief.language)
    colon = _colon(brief.language)
    lines = [fig.title + (f"（{fig.unit}）" if fig.unit and brief.is_cjk else f" ({fig.unit})" if fig.unit else "")]
    lines += [f"{d.name}{colon}{format_value(d, fig, brief.language)}" for d in fig.data]
    if fig.alt:
        lines.append(fig.alt)
    if fig.source:
        lines.append(f"{lab.source}{colon}{fig.source}")
    if fig.note:
        lines.append(f"{lab.note}{colon}{fig.note}")
    return "\n".join(lines)


def _figures(node: Node, brief: Brief) -> list[SlidePlan]:
    """One chart slide per charted figure, then the other figures as big-number lines."""
    out: list[SlidePlan] = []
    for fig in brief.charted_figures:
        out.append(SlidePlan("figures", TITLE_ONLY, node.label, (), _notes(node.label, figure_notes(fig, brief)),
                             node.anchor,
                             chart=fig))
    for fig in brief.figures:
        if fig.image is not None:  # a picture: its own slide, titled with the figure's title
            out.append(SlidePlan("figures", TITLE_ONLY, fig.title, (), _notes(fig.title, figure_notes(fig, brief)),
                                 node.anchor, chart=fig))
    colon = _colon(brief.language)
    others = [f for f in brief.figures if not f.chart and f.image is None]
    if others:
        paras: list[Para] = []
        for fig in others:
            paras.append(Para(fig.title, "lead"))
            paras += [Para(f"{format_value(d, fig, brief.language)}{colon}{d.name}") for d in fig.data]
        out.append(SlidePlan("figures", TITLE_AND_CONTENT, node.label, tuple(paras),
                             _notes(node.label, *(figure_notes(f, brief) for f in others)), node.anchor))
    return out


def _children(nodes: tuple[Node, ...], i: int) -> list[Node]:
    """The nodes directly below ``nodes[i]`` (the next level down, until a node at its level or above)."""
    out = []
    for n in nodes[i + 1:]:
        if n.level <= nodes[i].level:
            break
        if n.level == nodes[i].level + 1:
            out.append(n)
    return out


def plan(brief: Brief, theme: Theme) -> list[SlidePlan]:
    """The slides of the deck, in order, before measuring."""
    lab = labels(brief.language)
    nodes = outline(brief, theme, "pptx")
    when = brief.date
    title_paras = [Para(brief.subtitle, "lead")] if brief.subtitle else []
    title_paras += [Para(a, "plain") for a in author_lines(brief)]
    if when:
        title_paras.append(Para(format_date(when, brief.language), "plain"))
    slides = [SlidePlan("title", TITLE_SLIDE, brief.title, tuple(title_paras),
                        _notes(brief.title, brief.subtitle or "", "\n".join(author_lines(brief))), "title")]
    agenda = [n for n in nodes if n.kind not in ("case", "lesson", "recommendation")]
    slides.append(SlidePlan("agenda", TITLE_AND_CONTENT, lab.agenda,
                            tuple(Para(n.label, "agenda", level=min(n.level - 1, 1)) for n in agenda),
                            _notes(lab.agenda, *(n.label for n in agenda)), "agenda", list_notes=True))
    for i, node in enumerate(nodes):
        if node.kind == "summary":
            slides.append(SlidePlan("summary", TITLE_AND_CONTENT, node.label,
                                    tuple(Para(p, "plain") for p in node.item.paragraphs),
                                    _notes(node.label, node.item.plain), node.anchor))
        elif node.kind in ("status", "challenges"):
            slides.append(_section(node, node.item))
        elif node.kind == "figures":
            slides.extend(_figures(node, brief))
        elif node.kind in ("analysis", "cases", "lessons", "recommendations"):
            kids = _children(nodes, i)
            slides.append(SlidePlan("section", SECTION_HEADER, node.label,
                                    tuple(Para(k.label, "agenda") for k in kids),
                                    _notes(node.label, *(k.label for k in kids)), node.anchor, list_notes=True))
        elif node.kind == "case":
            slides.append(_case(node, node.item, brief))
        elif node.kind == "lesson":
            slides.append(_lesson(node, node.item))
        elif node.kind == "recommendation":
            slides.append(_recommendation(node, node.item, brief, theme))
    authors = author_lines(brief)
    slides.append(SlidePlan("closing", TITLE_SLIDE, lab.thank_you, tuple(Para(a, "plain") for a in authors),
                            "\n".join(authors), "closing"))
    return [replace(s, base_title=s.title) for s in slides]
