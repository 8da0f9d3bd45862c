"""Character widths for fitting: the theme's faces and the faces this machine draws the deck with.

Widths come from fontTools advance widths (:mod:`builders.fonts`) of the theme's
PDF faces *and* of the face this machine substitutes for the deck's font names
(LibreOffice draws "Arial" with whatever fontconfig offers), taking the wider per
character.  A paragraph with styled runs (bold, italic, code) is measured with
every face it uses, again the widest per character: never narrower than drawn.
"""
from __future__ import annotations

import functools
from typing import Callable, Optional

from ..fonts import match, metrics
from ..linebreak import wrap
from ..theme import FontRole, Theme

CODE_LATIN = "Courier New"  # what code runs ask for (LibreOffice substitutes the metric-compatible Liberation Mono)

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
_asked: set = set()  # the look-ups started before in this process (each function caches its answers)


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
    jobs += [(_substitute, f.body.latin + ":italic"), (_substitute, f.body.latin + ":bold"),
             (_substitute, CODE_LATIN)]

    def run(fn, arg):
        try:
            fn(arg)
        except Exception:  # noqa: BLE001 - reported by the call that needs it
            pass

    for fn, arg in dict.fromkeys(jobs):
        if (fn, arg) in _asked:  # a warm process (brief watch) asked before: the answer is cached
            continue
        _asked.add((fn, arg))
        t = threading.Thread(target=run, args=(fn, arg), daemon=True)
        t.start()
        _prefetching.append(t)


def _wait_prefetch() -> None:
    while _prefetching:
        _prefetching.pop().join()


@functools.lru_cache(maxsize=None)
def faces_for(role: FontRole, fallback: tuple[str, ...], bold: bool, styles: frozenset[str] = frozenset()) -> Faces:
    """The faces text of ``role`` is measured with: regular or ``bold``, plus those of the run ``styles``
    in it (``b`` bold, ``i`` italic, ``c`` code)."""
    _wait_prefetch()
    refs = [role.pdf_bold if bold else role.pdf, *fallback]
    if "b" in styles and not bold:
        refs.append(role.pdf_bold)
    variants = [":bold" if bold else ""] + [v for k, v in (("b", ":bold"), ("i", ":italic")) if k in styles]
    for name in (role.latin, role.east_asian):
        for variant in dict.fromkeys(variants):
            sub = _substitute(name + variant)
            if sub:
                refs.append(sub)
    if "c" in styles:
        sub = _substitute(CODE_LATIN)
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


