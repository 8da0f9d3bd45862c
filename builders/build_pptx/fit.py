"""Fitting the planned slides: one size per slide, or continuation slides when even the smallest is too big.

Text that does not fit at ``theme.sizes.slide_min`` continues on a follow-on slide
whose title carries the continuation mark; nothing is dropped.  Paragraphs split
between lines, tables between rows (the header row repeated).  The footnotes of
what a slide shows sit at its foot and count against its room like everything else.
"""
from __future__ import annotations

from dataclasses import replace

from .. import document as d
from ..diagnostics import Log
from ..theme import Theme
from .blocks import Item, TablePlan
from .faces import HEIGHT_SLACK
from .geometry import DESCENT, INSET_Y, PITCH, Geometry, title_type
from .feet import FOOT_GAP, Feet
from .measure import GROUP_GAP, Fitter
from .notes import para_line, slide_notes
from .plan import SlidePlan
from .runs import Para, cut_runs, notes_in

def _leads_on(item: Item) -> bool:
    return isinstance(item, Para) and (item.kind == "subhead" or item.text.rstrip().endswith((":", "：")))


def _refs(item: Item) -> list[int]:
    if isinstance(item, TablePlan):
        return [n for row in (item.header, *item.rows) for cell in row for n in notes_in(cell)]
    return notes_in(item.runs)


class Chunker:
    """Greedy chunks of a slide's items that each fit ``height`` at ``size``, footnotes included.

    ``used`` is the height the current chunk's items take (as :meth:`.Fitter.layout` stacks them) and
    ``refs`` the notes they cite (the slide title's too): its foot must fit beside them."""

    def __init__(self, fitter: Fitter, feet: Feet, width: float, height: float, size: float, title_refs):
        self.fitter, self.feet, self.width, self.size = fitter, feet, width, size
        self.room = height - HEIGHT_SLACK
        self.title_refs = list(title_refs)

    def split(self, items) -> list[list[Item]]:
        self.chunks: list[list[Item]] = [[]]
        self.used = 0.0
        self.refs = list(self.title_refs)
        self.queue = [self.fitter.prepared(i) if isinstance(i, TablePlan) else i for i in items]
        self.queue.reverse()  # popped from the end: O(1) per item
        while self.queue:
            item = self.queue.pop()
            if isinstance(item, TablePlan):
                self._table(item)
            else:
                self._para(item)
        return [c for c in self.chunks if c]

    def _add(self, item: Item, height: float, refs: list[int]) -> None:
        self.chunks[-1].append(item)
        self.used += height
        self.refs = refs

    def _next_slide(self, move: bool = True) -> None:
        # A sub-heading, a line that introduces what follows ("… three strands:") or a list item whose nested
        # items go on never ends a slide that continues: it moves on with what it heads.
        last = self.chunks[-1]
        while move and len(last) > 1 and (_leads_on(last[-1]) or self._parent_of_next(last[-1])):
            self.queue.append(last.pop())
        self.chunks.append([])
        self.used = 0.0
        self.refs = list(self.title_refs)

    def _parent_of_next(self, item: Item) -> bool:
        nxt = self.queue[-1] if self.queue else None
        return isinstance(item, Para) and isinstance(nxt, Para) and not nxt.cont and nxt.level > item.level

    def _para(self, item: Para) -> None:
        f, size, chunk = self.fitter, self.size, self.chunks[-1]
        pitch = PITCH * size
        if chunk and not isinstance(chunk[-1], TablePlan):  # the same text frame
            fixed = f.space_before(item, size)
        else:  # a new text frame (after a table: a gap first)
            fixed = (GROUP_GAP * size if chunk else 0.0) + f.frame(size, item)
        lines = f.lines(item, self.width, size)
        refs = self.refs + _refs(item)
        foot = self.feet.height(refs)
        if self.used + fixed + len(lines) * pitch + foot <= self.room or (not chunk and len(lines) < 3):
            # (an empty slide takes a paragraph too short to split even when it cannot hold it)
            self._add(item, fixed + len(lines) * pitch, refs)
            return
        fit = int((self.room - self.used - fixed - foot) // pitch)
        # A paragraph that fits a slide of its own moves there whole; a longer one is split only where
        # both parts keep two lines or more (a lone line at the foot or head of a slide reads as a mistake).
        fresh = (f.frame(size, item) + len(lines) * pitch + self.feet.height(self.title_refs + _refs(item))
                 <= self.room)
        if chunk and (fresh or fit < 2 or len(lines) - fit < 2):
            self.queue.append(item)
            self._next_slide()
            return
        fit = max(1, min(fit, len(lines) - 2))  # on an empty slide: the paragraph is taller than the slide
        head, tail = split_para(item, lines, fit)
        self.chunks[-1].append(head)
        self.queue.append(tail)
        self._next_slide(move=False)  # the head of a split paragraph stays where it was cut

    def _table(self, item: TablePlan) -> None:
        f, size, chunk = self.fitter, self.size, self.chunks[-1]
        ts = f.table_size(size)
        widths = f.column_widths(item, self.width)
        header = f.row_height(item.header, widths, ts, True) if item.header else 0.0
        gap = GROUP_GAP * size if chunk else 0.0
        fits, total = 0, gap + header
        refs = self.refs + [n for cell in item.header for n in notes_in(cell)]
        for row in item.rows:  # row by row: a long table is measured a slide at a time
            h = f.row_height(row, widths, ts)
            refs += [n for cell in row for n in notes_in(cell)]
            if self.used + total + h + self.feet.height(refs) > self.room:
                break
            total += h
            fits += 1
        if fits == len(item.rows):
            self._add(item, total, refs)
            return
        # As for paragraphs: a table that fits a slide of its own moves there whole; a longer one is split
        # only where both parts keep two rows or more.
        if chunk and (fits < 2 or len(item.rows) - fits < 2 or self._fits_fresh(item, widths, ts, header)):
            self.queue.append(item)
            self._next_slide()
            return
        if fits == 0:  # a row taller than a slide of its own: it is split between its lines
            head, tail = self._split_row(item.rows[0], widths, ts, self.room - header - self.feet.height(refs))
            chunk.append(replace(item, rows=(head,)))
            self.queue.append(replace(item, rows=(tail, *item.rows[1:]), cont=True))
        else:
            chunk.append(replace(item, rows=item.rows[:fits]))
            if item.rows[fits:]:
                self.queue.append(replace(item, rows=item.rows[fits:], cont=True))
        self._next_slide()

    def _fits_fresh(self, table: TablePlan, widths, ts: float, header: float) -> bool:
        """Whether ``table`` fits whole on a slide of its own (stops measuring once it cannot)."""
        total = header
        cited = list(self.title_refs) + [n for cell in table.header for n in notes_in(cell)]
        for row in table.rows:
            total += self.fitter.row_height(row, widths, ts)
            cited += [n for cell in row for n in notes_in(cell)]
            if total + self.feet.height(cited) > self.room:
                return False
        return True

    def _split_row(self, row, widths, ts: float, room: float) -> tuple[tuple, tuple]:
        """The lines of ``row``'s cells that fit ``room``, and the rest (at least one line stays)."""
        lines = max(1, int((room - 2 * INSET_Y - DESCENT * ts) // (PITCH * ts)))
        head, tail = [], []
        for cell, w in zip(row, widths):
            wrapped = self.fitter.cell_wrap(cell, w, ts)
            if len(wrapped) <= lines:
                head.append(cell)
                tail.append(())
            else:
                a, b = cut_runs(cell, wrapped, lines)
                head.append(a)
                tail.append(b)
        return tuple(head), tuple(tail)


def split_para(para: Para, lines: list[str], n: int) -> tuple[Para, Para]:
    """The paragraph's first ``n`` wrapped lines, and the rest marked as carried over."""
    head, tail = cut_runs(para.runs, lines, n, para.marker_text)
    said = para_line(replace(para, lead_in="")) if para.said is None else para.said
    return replace(para, runs=head, said=said), replace(para, runs=tail, cont=True, lead_in="", said="")


def fit_deck(slides: list[SlidePlan], theme: Theme, doc: d.Document, fitter: Fitter | None = None,
             log: Log | None = None) -> list[SlidePlan]:
    """Sizes, boxes, feet and notes for every slide; slides whose content does not fit become several,
    marked as continued.  ``log`` hears of notes too long for a slide's foot."""
    fitter = fitter or Fitter(theme)
    geo = Geometry(theme, doc.running_title, fitter)
    # A note may take a quarter of the slide at its foot, all the notes of a slide together a third; past
    # that they are shortened there (the speaker notes say them whole).
    feet = Feet(doc, fitter, geo.inner, theme.notes != "endnotes", theme.slides.height * 0.25,
                theme.slides.height / 3)
    # One title size per slide type (title, divider, content): the smallest any slide of the type needs.
    sizes: dict[str, float] = {}
    for s in slides:
        kind = title_type(s)
        sizes[kind] = min(sizes.get(kind, 1e9), geo.place(s, s.title).title_size)
    out: list[SlidePlan] = []
    for s in slides:
        size_t = sizes[title_type(s)]
        title_refs = notes_in(s.title_runs)
        first = geo.place(s, s.title, size_t)
        if s.chart is not None or not s.paras:
            out.append(_finish(first, (), 0.0, feet, title_refs, True, True))
            continue
        body = first.boxes["body"]
        items = tuple(fitter.prepared(i) if isinstance(i, TablePlan) else i for i in s.paras)
        size = fitter.best_size(items, body[2], body[3], geo.body_largest(s),
                                feet.height(title_refs + [n for i in items for n in _refs(i)]))
        if size is None and s.kind in ("title", "closing"):
            # A title slide never continues: what does not fit goes to the speaker notes, last line first.
            size, items = _title_items(fitter, s, items, body, geo.body_largest(s))
            first = replace(first, extra=(*first.extra, *(p.text for p in s.paras if p not in items)))
        if size is not None:
            size = _no_orphans(fitter, items, body[2], size)
            out.append(_finish(first, items, size, feet, title_refs, True, True))
            continue
        # Chunk with the smaller of the two bodies (a continued title may need one more line).
        mark = (s.base_title or s.title) + doc.labels.continued
        cont_body = geo.place(s, mark, size_t).boxes["body"]
        size, chunks = split_best(fitter, feet, items, body[2], min(body[3], cont_body[3]), geo.body_largest(s),
                                  title_refs)
        for i, chunk in enumerate(chunks):
            # One size for the whole run of slides: a continuation looks like the slide it continues.
            title = s.title if i == 0 else mark
            placed = geo.place(replace(s, continued=s.continued or i > 0), title, size_t)
            out.append(_finish(placed, tuple(chunk), size, feet, title_refs, i == 0, i == len(chunks) - 1))
    for note_id in feet.shortened if log is not None else ():
        log.warn(f"notes[{note_id}]", "too long for the foot of a slide (or one crowded with notes): shortened "
                                      "there with an ellipsis; the speaker notes hold it whole")
    return out


def _short_ends(fitter: Fitter, items, width: float, size: float) -> int:
    """How many paragraphs of ``items`` end on a line of one or two characters (a 字 alone on its line)."""
    n = 0
    for item in items:
        if isinstance(item, Para) and item.text:
            lines = fitter.lines(item, width, size)
            n += len(lines) > 1 and len(lines[-1].strip()) <= 2
    return n


def _no_orphans(fitter: Fitter, items, width: float, size: float) -> float:
    """``size``, or up to three points smaller (never under slide_min) when that leaves fewer paragraphs a
    last line of one or two characters (none, at best; a slide of several bullets may have no size that
    spares them all); a smaller size only takes less room, so the slide still fits."""
    best, fewest = size, _short_ends(fitter, items, width, size)
    for smaller in (size - 1, size - 2, size - 3):
        if not fewest or smaller < fitter.theme.sizes.slide_min:
            break
        n = _short_ends(fitter, items, width, smaller)
        if n < fewest:
            best, fewest = smaller, n
    return best


def _title_items(fitter: Fitter, s: SlidePlan, items: tuple, body, largest: float) -> tuple[float, tuple]:
    """(size, items) of a title or closing slide that fit its body, dropping lines before the last (the
    authors condensed already, :func:`.plan.author_paras`); the first line and a title slide's date stay."""
    keep_last = s.kind == "title"
    while len(items) > 1 + keep_last:
        items = items[:-2] + items[-1:] if keep_last else items[:-1]
        size = fitter.best_size(items, body[2], body[3], largest)
        if size is not None:
            return size, items
    return fitter.theme.sizes.slide_min, items


def split_best(fitter: Fitter, feet: Feet, items, width: float, height: float, largest: float,
               title_refs) -> tuple[float, list[list[Item]]]:
    """(size, chunks): as few slides as slide_min allows, at the largest size that needs no more slides.

    Filling every slide at the minimum size would leave the first slides cramped and the last one
    nearly empty; the same number of slides at a larger size reads better from the back of the room.
    """
    smallest = fitter.theme.sizes.slide_min
    least = Chunker(fitter, feet, width, height, smallest, title_refs).split(items)
    size = largest
    while size > smallest:
        chunks = Chunker(fitter, feet, width, height, size, title_refs).split(items)
        if len(chunks) <= len(least):
            return size, chunks
        size -= 1
    return smallest, least


def _finish(s: SlidePlan, items: tuple, size: float, feet: Feet, title_refs, first: bool, last: bool) -> SlidePlan:
    """The slide with its items, body size, footnotes (their box taken from the bottom of the body's) and notes."""
    cited = list(title_refs) + [n for i in items for n in _refs(i)]
    foot = feet.foot(cited)
    boxes = dict(s.boxes)
    if foot:
        h = feet.height(cited)
        key = "chart" if "chart" in boxes else "body"
        left, top, width, height = boxes[key]
        boxes[key] = (left, top, width, height - h)
        boxes["foot"] = (left, top + height - h + FOOT_GAP, width, h - FOOT_GAP)
    s = replace(s, paras=items, body_size=size or s.body_size, foot=foot, boxes=boxes)
    return replace(s, notes=slide_notes(s, first, last))
