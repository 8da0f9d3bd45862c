"""Fitting text into the slides' boxes: sizes, wrapping, shrinking, continuations.

PowerPoint and LibreOffice only apply autofit after an edit, so the deck is
fitted here, before rendering, and every text frame is written with autofit
off.  Widths come from fontTools advance widths (:mod:`builders.fonts`) of the
theme's PDF faces *and* of the face this machine substitutes for the deck's
font names (LibreOffice draws "Arial" with whatever fontconfig offers), taking
the wider per character; lines are broken with :func:`builders.linebreak.wrap`.
Text that does not fit at ``theme.sizes.slide_min`` continues on a follow-on
slide whose title carries the continuation mark; nothing is dropped.
"""
from __future__ import annotations

import functools
from dataclasses import replace
from typing import Callable, Optional

from ..fonts import match, metrics
from ..linebreak import wrap
from ..i18n import labels
from ..model import Brief
from ..theme import FontRole, Theme
from .geometry import DESCENT, INSET_X, INSET_Y, PITCH, Geometry
from .plan import Para, SlidePlan, list_notes

SLACK = 1.04  # widths are multiplied by this: hinting, kerning and rounding in the renderers
UNKNOWN_EM = 1.3  # a character no known face covers (emoji): LibreOffice's fallback faces run wide
HEIGHT_SLACK = 2.0  # points kept free at the bottom of every box


@functools.lru_cache(maxsize=None)
def _substitute(family: str) -> Optional[str]:
    """The font file fontconfig gives for ``family`` (what LibreOffice draws with when it lacks the face)."""
    found = match(family)
    return f"{found[1]}#{found[2]}" if found else None


class Faces:
    """Per-character widths (in em) as the widest of several faces that cover the character."""

    def __init__(self, refs: list[str]):
        """``refs[0]`` is the theme's own face: if it is missing, say so (MissingDependency names the
        package).  The others (fallbacks, this machine's substitutes) only ever widen the measure."""
        self.metrics = [metrics(refs[0])]
        for ref in refs[1:]:
            try:
                self.metrics.append(metrics(ref))
            except Exception:  # noqa: BLE001 - an unreadable substitute: the theme's face still measures
                continue
        self._em: dict[str, float] = {}
        # Line breaking measures a growing line again and again ("ab", "abc", "abcd" …): the sum for the last
        # longer string measured is kept and extended; short strings (tokens, carried characters) are kept
        # in a dict without breaking that chain.  Sums are added left to right either way, as sum() does,
        # so the widths are exactly those of measuring each string from scratch.
        self._last = ""
        self._last_sum: float = 0
        self._short: dict[str, float] = {}

    def em(self, ch: str) -> float:
        w = self._em.get(ch)
        if w is None:
            covering = [m.char_width(ch, 1.0) for m in self.metrics if m.covers(ch)]
            w = max(covering) if covering else (0.0 if ch in "\u200b\u200c\u200d\ufe0f" else UNKNOWN_EM)
            self._em[ch] = w
        return w

    def em_sum(self, text: str) -> float:
        """The widths of ``text``'s characters in em, added left to right."""
        if len(text) <= _SHORT:
            got = self._short.get(text)
            if got is not None:
                return got
            total = self._add(0, text)
            if len(self._short) > 100_000:
                self._short.clear()
            self._short[text] = total
            return total
        last = self._last
        if last and text.startswith(last):
            total = self._add(self._last_sum, text[len(last):])
        else:
            total = self._add(0, text)
        self._last, self._last_sum = text, total
        return total

    def _add(self, total, text: str):
        em = self._em
        for c in text:
            w = em.get(c)
            total += w if w is not None else self.em(c)
        return total

    def width(self, text: str, size: float) -> float:
        return self.em_sum(text) * size * SLACK

    def fn(self, size: float) -> Callable[[str], float]:
        """``lambda text: self.width(text, size)``, with :meth:`em_sum` inlined (it runs millions of times)."""
        short, em, em_of, em_sum = self._short, self._em, self.em, self.em_sum

        def width(text: str) -> float:
            if len(text) <= _SHORT:
                total = short.get(text)
                if total is None:
                    total = em_sum(text)
                return total * size * SLACK
            last = self._last
            if last and text.startswith(last):
                total = self._last_sum
                rest = text[len(last):]
            else:
                total = 0
                rest = text
            for c in rest:
                w = em.get(c)
                total += w if w is not None else em_of(c)
            self._last, self._last_sum = text, total
            return total * size * SLACK

        return width


_SHORT = 8  # strings this short are cached whole (see Faces.em_sum)


_prefetching: list = []


def prefetch(theme: Theme) -> None:
    """Start the fontconfig look-ups the deck's faces need, each in its own thread.

    Every look-up is a process (``fc-match``, some 10 ms); run one after the other they cost more than
    rendering a small deck.  Started before python-pptx is imported, they overlap that import and each
    other; :func:`faces_for` waits for them.  A failed look-up is left for the real call to report.
    """
    import threading

    from ..fonts import resolve

    f = theme.fonts
    jobs = [(resolve, ref) for ref in dict.fromkeys((f.heading.pdf_bold, f.body.pdf, f.caption.pdf, *f.fallback))]
    for role, bold in ((f.heading, True), (f.body, False), (f.caption, False)):
        for name in (role.latin, role.east_asian):
            jobs.append((_substitute, name + (":bold" if bold else "")))

    def run(fn, arg):
        try:
            fn(arg)
        except Exception:  # noqa: BLE001 - reported by the call that needs it
            pass

    for fn, arg in dict.fromkeys(jobs):
        t = threading.Thread(target=run, args=(fn, arg), daemon=True)
        t.start()
        _prefetching.append(t)


def _wait_prefetch() -> None:
    while _prefetching:
        _prefetching.pop().join()


@functools.lru_cache(maxsize=None)
def faces_for(role: FontRole, fallback: tuple[str, ...], bold: bool) -> Faces:
    _wait_prefetch()
    refs = [role.pdf_bold if bold else role.pdf, *fallback]
    for name in (role.latin, role.east_asian):
        sub = _substitute(name + (":bold" if bold else ""))
        if sub:
            refs.append(sub)
    return Faces(refs)


def safe_wrap(text: str, avail: float, width: Callable[[str], float]) -> list[str]:
    """:func:`builders.linebreak.wrap`, then any line still wider than ``avail`` split by character.

    wrap() carries an opening bracket down with the next word without re-measuring, so "“Boston" can
    come out wider than a narrow line (found by fuzzing; reported).  A line that is too wide would make
    LibreOffice or PowerPoint wrap once more than we counted, so it is never let through.
    """
    out: list[str] = []
    for line in wrap(text, avail, width):
        if width(line) <= avail:
            out.append(line)
            continue
        piece = ""
        for ch in line:
            if piece and width(piece + ch) > avail:
                out.append(piece)
                piece = ""
            piece += ch
        out.append(piece)
    return out


class Fitter:
    """Measures titles and paragraphs for one theme."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.title_faces = faces_for(theme.fonts.heading, theme.fonts.fallback, True)
        self.body_faces = faces_for(theme.fonts.body, theme.fonts.fallback, False)
        self.caption_faces = faces_for(theme.fonts.caption, theme.fonts.fallback, False)
        self._wrapped: dict[tuple[str, float, float], list[str]] = {}
        self._title_lines: dict[tuple[str, float, float, int], int] = {}

    # ------------------------------------------------------------ titles
    def text_height(self, text: str, width: float, size: float, faces: Faces) -> float:
        key = (text, width, size, id(faces))
        n = self._title_lines.get(key)
        if n is None:  # every slide tries its title at several sizes, and continued slides repeat it
            n = self._title_lines[key] = len(safe_wrap(text, width - 2 * INSET_X, faces.fn(size)) or [""])
        return n * PITCH * size + 2 * INSET_Y + DESCENT * size

    def fit_title(self, text: str, width: float, height: float, largest: float) -> tuple[float, float]:
        """(size, height needed): the largest size from ``largest`` down to slide_min that fits ``height``;
        at slide_min the box grows instead (the caller takes the room from the body)."""
        smallest = self.theme.sizes.slide_min
        size = largest
        while size >= smallest:
            need = self.text_height(text, width, size, self.title_faces)
            if need <= height - HEIGHT_SLACK:
                return size, need
            size -= 1
        return smallest, self.text_height(text, width, smallest, self.title_faces) + HEIGHT_SLACK

    # ------------------------------------------------------------ paragraphs
    def indent(self, para: Para, size: float) -> float:
        """Left margin of the paragraph's lines (hanging indent for bullets and decimal numbers)."""
        if para.kind == "bullet":
            return 1.1 * size
        if para.kind == "number" and not para.marker.endswith("是"):
            return self.body_faces.width("00.", size) + 0.4 * size
        if para.kind == "agenda":
            return 1.5 * size * para.level
        return 0.0

    def measured_text(self, para: Para) -> str:
        # Chinese official numbering (一是) is written inline, so it takes room on the first line.
        if para.kind == "number" and para.marker.endswith("是") and not para.cont:
            return para.marker + para.text
        return para.text

    def lines(self, para: Para, width: float, size: float) -> list[str]:
        avail = width - 2 * INSET_X - self.indent(para, size)
        key = (self.measured_text(para), round(avail, 3), size)
        got = self._wrapped.get(key)
        if got is None:  # splitting tries every size on the same paragraphs: remember the wrapping
            got = self._wrapped[key] = safe_wrap(key[0], avail, self.body_faces.fn(size)) or [""]
        return got

    @staticmethod
    def space_before(para: Para, size: float) -> float:
        return 0.25 * size if para.kind == "agenda" else 0.5 * size

    def height(self, paras: tuple[Para, ...] | list[Para], width: float, size: float) -> float:
        h = 2 * INSET_Y + DESCENT * size
        for i, p in enumerate(paras):
            if i:
                h += self.space_before(p, size)
            h += len(self.lines(p, width, size)) * PITCH * size
        return h

    def best_size(self, paras, width: float, height: float, largest: float) -> Optional[float]:
        size = largest
        while size >= self.theme.sizes.slide_min:
            if self.height(paras, width, size) <= height - HEIGHT_SLACK:
                return size
            size -= 1
        return None

    def split_best(self, paras: tuple[Para, ...], width: float, height: float,
                   largest: float) -> tuple[float, list[list[Para]]]:
        """(size, chunks): as few slides as slide_min allows, at the largest size that needs no more slides.

        Filling every slide at the minimum size would leave the first slides cramped and the last one
        nearly empty; the same number of slides at a larger size reads better from the back of the room.
        """
        smallest = self.theme.sizes.slide_min
        least = len(self.split(paras, width, height, smallest))
        size = largest
        while size > smallest:
            chunks = self.split(paras, width, height, size)
            if len(chunks) <= least:
                return size, chunks
            size -= 1
        return smallest, self.split(paras, width, height, smallest)

    def split(self, paras: tuple[Para, ...], width: float, height: float, size: float) -> list[list[Para]]:
        """Greedy chunks of ``paras`` that each fit ``height`` at ``size``; paragraphs split by line."""
        room = height - HEIGHT_SLACK - 2 * INSET_Y - DESCENT * size
        chunks: list[list[Para]] = [[]]
        used = 0.0
        queue = list(paras)
        while queue:
            p = queue.pop(0)
            gap = self.space_before(p, size) if chunks[-1] else 0.0
            lines = self.lines(p, width, size)
            need = gap + len(lines) * PITCH * size
            if used + need <= room:
                chunks[-1].append(p)
                used += need
                continue
            fit = int((room - used - gap) // (PITCH * size))
            # A paragraph that fits a slide of its own moves there whole; a longer one is split only where
            # both parts keep two lines or more (a lone line at the foot or head of a slide reads as a mistake).
            fresh = len(lines) * PITCH * size <= room
            if chunks[-1] and (fresh or fit < 2 or len(lines) - fit < 2):
                chunks.append([])
                used = 0.0
                queue.insert(0, p)
                continue
            fit = max(1, min(fit, len(lines) - 2))  # on an empty slide: the paragraph is taller than the slide
            head, tail = split_para(p, lines, fit)
            chunks[-1].append(head)
            chunks.append([])
            used = 0.0
            queue.insert(0, tail)
        return [c for c in chunks if c]


def split_para(para: Para, lines: list[str], n: int) -> tuple[Para, Para]:
    """The paragraph's first ``n`` wrapped lines, and the rest marked as carried over."""
    text = para.text
    measured = "".join(lines[:n])
    if para.kind == "number" and para.marker.endswith("是") and not para.cont:
        measured = measured[len(para.marker):] if measured.startswith(para.marker) else measured
    # Walk the original text, skipping the spaces wrap() dropped at line ends.
    i = j = 0
    while i < len(text) and j < len(measured):
        if text[i] == measured[j]:
            i += 1
            j += 1
        elif text[i].isspace():
            i += 1
        else:
            j += 1
    head, tail = text[:i].rstrip(), text[i:].lstrip()
    return replace(para, text=head), replace(para, text=tail, cont=True)


def fit_deck(slides: list[SlidePlan], theme: Theme, brief: Brief) -> list[SlidePlan]:
    """Sizes and boxes for every slide; slides whose text does not fit become several, marked as continued."""
    fitter = Fitter(theme)
    geo = Geometry(theme, brief, fitter)
    mark = labels(brief.language).continued
    out: list[SlidePlan] = []
    for s in slides:
        if s.chart is not None or not s.paras:
            out.append(geo.place(s, s.title))
            continue
        first = geo.place(s, s.title)
        body = first.boxes["body"]
        size = fitter.best_size(s.paras, body[2], body[3], geo.body_largest(s))
        if size is not None:
            out.append(replace(first, body_size=size))
            continue
        # Chunk with the smaller of the two bodies (a continued title may need one more line).
        cont_body = geo.place(s, s.title + mark).boxes["body"]
        size, chunks = fitter.split_best(s.paras, body[2], min(body[3], cont_body[3]), geo.body_largest(s))
        for i, chunk in enumerate(chunks):
            # One size for the whole run of slides: a continuation looks like the slide it continues.
            title = s.title if i == 0 else s.title + mark
            notes = list_notes(s.title, chunk) if s.list_notes else s.notes
            placed = geo.place(replace(s, paras=tuple(chunk), continued=i > 0, notes=notes), title)
            out.append(replace(placed, body_size=size))
    return out
