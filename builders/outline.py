"""The brief's section tree, shared by every builder (and by ``verify``).

One place decides the order of sections, their levels, their numbers in the
theme's convention, their anchors and which sections a theme leaves out of a
format, so that the report's TOC, the PDF's bookmarks and the deck's agenda
always agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from .i18n import heading, heading_number, labels
from .model import Brief
from .theme import Theme


@dataclass(frozen=True)
class Node:
    """One heading of the document and the content that belongs to it.

    ``kind`` is one of summary, status, challenges, figures, analysis, cases, case,
    lessons, lesson, recommendations, recommendation.  ``item`` is the model object
    (a Section, Case, Lesson, Recommendation, the summary Text, or the figures tuple).
    """

    kind: str
    level: int
    title: str
    number: str
    anchor: str
    item: Any = None

    @property
    def label(self) -> str:
        """Number and title as a heading shows them: 一、现状 / （一）… / 1.2 Title."""
        if not self.number:
            return self.title
        if self.number[-1] in "、）" or re.match(r"^\d+\.$", self.number) and _cjk(self.title):
            return f"{self.number}{self.title}"
        return f"{self.number} {self.title}"

    @property
    def bookmark(self) -> str:
        """A Word/PDF-safe bookmark name (letters, digits, underscores; at most 40 characters)."""
        name = re.sub(r"[^A-Za-z0-9_]", "_", self.anchor)
        return ("_" + name if not name[:1].isalpha() else name)[:40]


def _cjk(text: str) -> bool:
    return bool(text) and "\u2e80" <= text[0] <= "\u9fff"


def outline(brief: Brief, theme: Theme, fmt: str) -> tuple[Node, ...]:
    """The sections of ``brief`` for output ``fmt``, in order, with the theme's omissions applied."""
    omit = theme.omitted(fmt)
    style = theme.numbering_for(brief.language)
    nodes: list[Node] = []
    counters = [0, 0, 0]

    def add(kind: str, level: int, title: str, anchor: str, item: Any = None, numbered: bool = True) -> None:
        number = ""
        if numbered:
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            number = heading_number(style, level, counters[level - 1], tuple(counters[: level - 1]))
        nodes.append(Node(kind, level, title, number, anchor, item))

    if "summary" not in omit:
        add("summary", 1, heading(brief, "summary"), "summary", brief.summary, numbered=False)
    if brief.status and "status" not in omit:
        add("status", 1, heading(brief, "status"), "status", brief.status)
    if brief.challenges and "challenges" not in omit:
        add("challenges", 1, heading(brief, "challenges"), "challenges", brief.challenges)
    if brief.figures and "figures" not in omit:
        add("figures", 1, labels(brief.language).figures, "figures", brief.figures)

    cases = brief.cases if "cases" not in omit else ()
    lessons = brief.lessons if "lessons" not in omit else ()
    grouped = bool(brief.headings.analysis) and bool(cases or lessons)
    base = 1
    if grouped:
        add("analysis", 1, brief.headings.analysis, "analysis")
        base = 2
    if cases:
        add("cases", base, heading(brief, "cases"), "cases", cases)
        for case in cases:
            add("case", base + 1, case.title, f"case-{case.id}", case)
    if lessons:
        add("lessons", base, heading(brief, "lessons"), "lessons", lessons)
        for lesson in lessons:
            add("lesson", base + 1, lesson.title, f"lesson-{lesson.id}", lesson)
    if "recommendations" not in omit:
        add("recommendations", 1, heading(brief, "recommendations"), "recommendations", brief.recommendations)
        for rec in brief.recommendations:
            add("recommendation", 2, rec.title, f"rec-{rec.id}", rec)
    return tuple(nodes)


def find(nodes: tuple[Node, ...], kind: str) -> Optional[Node]:
    return next((n for n in nodes if n.kind == kind), None)
