"""Deck-wide design rules applied to the plan, before measuring (issue 19).

- No two section dividers in a row: a divider followed at once by its first child's
  divider becomes one, listing the child's items under the child's line.
- Every slide title is unique: a chart titled like its section takes its figure's
  caption; any other repeat is numbered.  Continuations ("（续）" / "(cont.)") are
  told apart by their mark.
- No slide shows more body text than the theme's budget
  (:meth:`builders.theme.Slides.body_limit`): past it the text continues on a marked
  slide, cut between paragraphs (consecutive ones grouped as evenly as the budget
  allows: short actions share a slide, a long one has its own), else between
  sentences.  A single sentence longer than the budget stays whole on a slide of its
  own when it fits there at a legible size (the theme's ``slide_min`` or more); only
  then is it cut, after a clause ("; ", ", ", "；", "，"), never inside a word.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Callable, Optional

from .. import document as d
from .blocks import Item, TablePlan, sentence_runs
from .plan import SlidePlan, body_chars
from .runs import Para, Run, Runs, runs_of, slice_runs, strip_runs

# After a Latin comma or semicolon only before a space (so never inside "1,200"); after a Chinese one always.
_CLAUSE = re.compile(r"(?<=[,;])\s+|(?<=[，；])\s*")
Fits = Callable[["SlidePlan", Para], bool]  # whether a paragraph fits whole on a slide of its own, legibly

_DIVIDER_ITEMS = 7  # a divider listing more lines than this drops the nested ones (the agenda has them)
SLACK = 1.1  # how far past the budget a paragraph's part may run rather than leave a short tail alone
# (The bibliography is looked up, not presented: its entries stay on one slide with their jump targets.)
BUDGETED = frozenset({"summary", "status", "challenges", "free", "figures", "case", "lesson", "recommendation"})


def design(slides: list[SlidePlan], doc: d.Document, limit: int, fits: Optional[Fits] = None) -> list[SlidePlan]:
    """``slides`` with dividers merged, titles unique and bodies within ``limit`` characters.  ``fits``
    (measured, :func:`.fit.whole_fits`) lets a sentence longer than ``limit`` stay whole on its slide."""
    slides = merge_dividers(slides)
    slides = unique_titles(slides, doc)
    out: list[SlidePlan] = []
    for s in slides:
        out += within_budget(s, doc.labels.continued, limit, fits) if s.kind in BUDGETED else [s]
    return out


def merge_dividers(slides: list[SlidePlan]) -> list[SlidePlan]:
    """One divider where two follow each other: the first's list, the second's items nested under its first
    line (the second divider is its first child's); an empty divider before another is dropped."""
    out: list[SlidePlan] = []
    for s in slides:
        prev = out[-1] if out else None
        if prev is None or prev.kind != "section" or s.kind != "section":
            out.append(s)
            continue
        if not prev.paras:  # a section with nothing under it: its divider gives way
            out[-1] = replace(s, anchors=(*s.anchors, prev.anchor, *prev.anchors))
            continue
        nested = tuple(replace(p, level=min(p.level + 1, 2)) for p in s.paras if isinstance(p, Para))
        paras = (prev.paras[0], *nested, *prev.paras[1:])
        if len(paras) > _DIVIDER_ITEMS:
            paras = prev.paras
        out[-1] = replace(prev, paras=paras, anchors=(*prev.anchors, s.anchor, *s.anchors))
    return out


def unique_titles(slides: list[SlidePlan], doc: d.Document) -> list[SlidePlan]:
    """Titles told apart: a chart slide takes its figure's caption, a remaining repeat its ordinal."""
    counts = Counter(s.title for s in slides)
    out = []
    for s in slides:
        if counts[s.title] > 1 and s.chart is not None and s.chart.chart_caption:
            runs = runs_of(s.chart.chart_caption)
            s = replace(s, title="".join(r.text for r in runs), base_title="".join(r.text for r in runs),
                        title_runs=runs)
        out.append(s)
    counts = Counter(s.title for s in out)
    seen: Counter = Counter()
    ordinal = "（{n}）" if doc.labels.colon == "：" else " ({n})"
    for i, s in enumerate(out):
        if s.title and counts[s.title] > 1:
            seen[s.title] += 1
            if seen[s.title] > 1:
                mark = ordinal.format(n=seen[s.title])
                out[i] = replace(s, title=s.title + mark, base_title=s.title + mark,
                                 title_runs=(*s.title_runs, Run(mark)))
    return out


def _pieces(p: Para, limit: int, whole: Callable[[Runs], bool]) -> list[Para]:
    """``p`` cut between sentences into parts of at most ``limit`` characters (a longer sentence stays
    whole where ``whole`` says it fits a slide); the notes say the paragraph once, where it starts."""
    sentences = [c for runs in sentence_runs(p.runs) for c in _clauses(runs, limit, whole)]
    if len(sentences) < 2:
        return [p]
    sizes = [sum(len(r.text) for r in runs) for runs in sentences]
    sizes[0] += len(p.marker_text)
    cuts = balanced(sizes, limit)
    if len(cuts) == 1:
        return [p]
    groups = [sentences[a:b] for a, b in zip((0, *cuts), cuts)]
    from .notes import para_line

    said = para_line(replace(p, lead_in="")) if p.said is None else p.said
    out = []
    for i, group in enumerate(groups):
        runs: Runs = ()
        for sentence in group:  # the space that stood between Latin sentences comes back
            gap = runs and runs[-1].text and runs[-1].text[-1] < "\u2e80"
            runs += ((Run(" "),) if gap else ()) + tuple(sentence)
        out.append(replace(p, runs=runs, said=said) if i == 0 else
                   replace(p, runs=runs, cont=True, lead_in="", said=""))
    return out


def balanced(sizes: list[int], limit: int, good: frozenset[int] = frozenset()) -> tuple[int, ...]:
    """Where to cut a run of sentences of ``sizes`` characters: the fewest parts of at most ``limit`` (a
    longer sentence is a part of its own), as even as can be (a short tail alone on a slide reads as a
    mistake); between equally even ways, the one cutting most often at the indices in ``good`` (before a
    lead line).  The ends of the parts, as indices; a paragraph has a few dozen sentences, so the
    quadratic search is cheap."""
    n = len(sizes)
    parts = 1
    used = 0
    room = limit * SLACK  # a budget is a guide: a clause a few characters over it does not get a slide
    for x in sizes:  # the fewest parts: greedy
        if used and used + x > room:
            parts, used = parts + 1, 0
        used += x
    # best[k][i]: (the smallest possible largest part, cuts not at a good index) when the first i sentences
    # make k parts
    inf = (float("inf"), 0)
    best = [[inf] * (n + 1) for _ in range(parts + 1)]
    back = [[0] * (n + 1) for _ in range(parts + 1)]
    best[0][0] = (0, 0)
    prefix = [0]
    for x in sizes:
        prefix.append(prefix[-1] + x)
    for k in range(1, parts + 1):
        for i in range(1, n + 1):
            stray = int(i < n and i not in good)
            for j in range(k - 1, i):
                worst = (max(best[k - 1][j][0], prefix[i] - prefix[j]), best[k - 1][j][1] + stray)
                if worst < best[k][i]:
                    best[k][i], back[k][i] = worst, j
    cuts, i = [], n
    for k in range(parts, 0, -1):
        cuts.append(i)
        i = back[k][i]
    return tuple(reversed(cuts))


def _clauses(runs: Runs, limit: int, whole: Callable[[Runs], bool]) -> list[Runs]:
    """A sentence longer than ``limit`` kept whole if it fits a slide of its own (``whole``), else cut after
    its commas and semicolons (kept whole when it has none)."""
    text = "".join(r.text for r in runs)
    if len(text) <= limit or whole(runs):
        return [runs]
    out, start = [], 0
    for m in _CLAUSE.finditer(text):
        if 0 < m.start() < len(text) and m.start() > start:
            out.append(strip_runs(slice_runs(runs, start, m.start())))
            start = m.end()
    out.append(strip_runs(slice_runs(runs, start, len(text))))
    return [r for r in out if r]


def within_budget(s: SlidePlan, mark: str, limit: int, fits: Optional[Fits] = None) -> list[SlidePlan]:
    """``s``, or ``s`` and its marked continuations, each showing at most ``limit`` body characters (a single
    sentence that ``fits`` a slide of its own stays whole past it)."""
    if body_chars(s.paras) <= limit:
        return [s]
    queue: list[Item] = []
    for item in s.paras:
        if isinstance(item, Para) and body_chars((item,)) > limit:
            queue += _pieces(item, limit, lambda runs, p=item: fits is not None and fits(s, replace(p, runs=runs)))
        else:
            queue.append(item)
    # Consecutive paragraphs (a recommendation's actions) share slides as evenly as the budget allows: the
    # fewest slides, then the smallest largest one, so short actions are not left one to a sparse slide.
    sizes = [body_chars((i,)) if not isinstance(i, TablePlan) else 0 for i in queue]
    chunks: list[list[Item]] = []
    start = 0
    leads = frozenset(i for i, item in enumerate(queue) if _heads(item))
    for end in balanced(sizes, limit, leads):
        chunk = queue[start:end]
        if chunks and len(chunks[-1]) > 1 and _heads(chunks[-1][-1]):  # a lead line moves on with what it heads
            chunk.insert(0, chunks[-1].pop())
        chunks.append(chunk)
        start = end
    out = []
    for i, chunk in enumerate(chunks):
        first, last = i == 0, i == len(chunks) - 1
        out.append(replace(s, paras=tuple(chunk), continued=not first,
                           title=s.title if first else s.base_title + mark,
                           extra=s.extra if first else (), after=s.after if last else ()))
    return out


def _heads(item: Item) -> bool:
    return isinstance(item, Para) and (item.kind in ("subhead", "lead") or item.text.rstrip().endswith((":", "：")))
