"""Memos for a warm process: what one save of a brief leaves as it was is not computed again.

``brief watch`` (:mod:`builders.watch`) rebuilds in long-lived worker processes, and a save usually
changes one paragraph: most of what the builders compute from one rebuild to the next is the same.
:func:`install`, called by the watcher before it forks its workers, keeps these results in bounded
per-process memos keyed on everything they depend on, so a hit returns exactly the bytes a miss
would compute:

* **Compressed PDF streams** (reportlab's Flate filter): the page contents a save did not touch, the
  embedded font programs, the ToUnicode maps; keyed on the uncompressed bytes.
* **Font subsets** (reportlab's ``TTFontFile.makeSubset``): the program of each 256-glyph subset
  changes only when the set of glyphs used changes; keyed on the face and the glyph list.
* **Parsed paragraph markup** (reportlab's ``ParaParser.parse``, html.parser underneath): keyed on the
  markup and the paragraph style's values; a hit hands out a copy of the fragments, which layout changes.
* **CJK line breaks** (:func:`builders.build_pdf.kinsoku.cjk_frag_split`): keyed on the fragments'
  values and the line widths; a hit hands out a copy of the lines, which a page split changes.
* **The deck's wrapped lines** (:class:`builders.build_pptx.measure.Fitter`): its per-build tables of
  wrapped text, kept from one build to the next (keyed on the text, the room, the size and the faces).
* **Zip entries** of the report and the deck (:func:`builders.reproducible.add_entry`): a part a save
  did not change (styles, layouts, masters, charts' workbooks, most slides) is written from its deflated
  bytes instead of being deflated again; keyed on the entry's name and bytes.
* **Garbage collection** in a worker waits until every file of a rebuild is in place (:func:`collector`).

**Worth it, measured** (issue 20): CPU of a warm rebuild of the sample after a save that changes a
word of its summary, median of 10 saves in one process, the memos added one by one (two runs each, at a
load average of 3): the PDF 113/107 ms plain, 98/94 with the compressed streams, 95/95 with the font
subsets (their own time, measured directly: 2.4 ms a build), 89/88 with the parsed markup, 81/79 with
the line breaks; the deck 54/56 ms plain, 51/49 with its wrapped lines, 45/44 with its zip entries; the
report 48/45 ms plain, 44/41 with its zip entries.  In the government theme the PDF took 168 ms plain and
94 ms with every memo.  Memory: each memo holds at most 64 MB (the sample fills them with under 1 MB).

Installed only by the watcher of the ``brief`` command (:mod:`builders.speedups`; ``BRIEF_PLAIN=warm``
or ``BRIEF_PLAIN=1`` leaves it off); imported as a library, or in a one-shot ``brief build``, nothing here
runs.  The outputs are byte-identical with and without (``tests/test_speedups.py``).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Hashable

_enabled = False
_installed = False

# Each memo holds at most this many bytes of keys and values (a brief's PDF and Office parts are
# a few MB; the 1,000-item synthetic brief's about 20 MB): the oldest entries go first.
LIMIT = 64 << 20


class Memo:
    """A least-recently-used map of bytes-sized entries, bounded by their total size."""

    def __init__(self, limit: int = LIMIT):
        self.limit, self.size = limit, 0
        self.entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable, size: int, compute: Callable[[], object], cost: Callable[[object], int] = len):
        """The value for ``key``, computing (and keeping) it on a miss; ``size`` is the key's share of the bound."""
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            return hit[0]
        self.misses += 1
        value = compute()
        weight = size + cost(value)
        if weight <= self.limit // 4:  # one huge entry would only push the rest out
            self.entries[key] = (value, weight)
            self.size += weight
            while self.size > self.limit:
                _, (_, w) = self.entries.popitem(last=False)
                self.size -= w
        return value


class Bounded(dict):
    """A dict of at most ``limit`` entries, the oldest dropped first, for memos of small values."""

    def __init__(self, limit: int = 50_000):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit:
            del self[next(iter(self))]
        super().__setitem__(key, value)


def enable() -> None:
    """Allow :func:`install` (the ``brief`` command calls this at start; see :mod:`builders.speedups`)."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    """Whether the command line allowed these memos."""
    return _enabled


MEMOS: dict[str, Memo] = {}


def install(formats) -> None:
    """Install the memos for ``formats`` if :func:`enable` was called; idempotent.  For the watcher only."""
    global _installed
    if not _enabled or _installed:
        return
    _installed = True
    for fmt, installers in INSTALLERS.items():
        if fmt in formats:
            for installer in installers:
                installer()


def collector() -> Callable[[], None]:
    """What a worker calls when a rebuild is over (every file renamed): with the memos installed, the
    garbage collector is off while a worker rebuilds and collects then, out of the rebuild's time, as
    the memos' own garbage (and reportlab's cycles) would otherwise trigger a collection mid-rebuild
    now and then; otherwise nothing."""
    import gc

    if not _installed:
        return lambda: None
    gc.disable()
    return gc.collect


def _install_streams() -> None:
    from reportlab.pdfbase import pdfdoc

    streams = MEMOS["pdf-streams"] = Memo()
    plain_encode = pdfdoc.PDFStreamFilterZCompress.encode

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        return streams.get(text, len(text), lambda: plain_encode(self, text))

    pdfdoc.PDFStreamFilterZCompress.encode = encode


def _install_subsets() -> None:
    from reportlab.pdfbase import ttfonts

    subsets = MEMOS["font-subsets"] = Memo()
    plain_subset = ttfonts.TTFontFile.makeSubset

    def make_subset(self, subset):
        # The face object is part of the key (kept alive by it): a registered font name always means
        # the same file (see builders.build_pdf.coverage), and its face object the same program.
        key = (self, tuple(subset))
        return subsets.get(key, 8 * len(subset), lambda: plain_subset(self, subset))

    ttfonts.TTFontFile.makeSubset = make_subset


def _install_parse() -> None:
    from reportlab.platypus import paraparser

    parsed = MEMOS["paragraph-markup"] = Memo()
    plain_parse = paraparser.ParaParser.parse

    def parse(self, text, style):
        if "<seq" in text:  # numbering tags count across paragraphs: parsed every time
            return plain_parse(self, text, style)
        key = (text, _style_key(style), self.caseSensitive)
        hit = parsed.entries.get(key)
        if hit is None:
            out = plain_parse(self, text, style)
            if out[0] is not style or out[1] is None:
                return out  # a <para> with attributes or an error: nothing to keep
            parsed.get(key, 2 * len(text), lambda: (_frags_copy(out[1]), out[2] and _frags_copy(out[2])),
                       lambda v: 200 * (len(v[0]) + len(v[1] or ())))
            return out
        parsed.entries.move_to_end(key)
        parsed.hits += 1
        frags, bullet = hit[0]
        return style, _frags_copy(frags), bullet and _frags_copy(bullet)

    paraparser.ParaParser.parse = parse


def _style_key(style) -> tuple:
    """Everything a paragraph style says, its parents' included (by value: styles are made per build)."""
    parts = []
    while style is not None:
        parts.append(tuple(item for item in style.__dict__.items() if item[0] != "parent"))
        style = style.__dict__.get("parent")
    return tuple(parts)


def _frags_copy(frags: list) -> list:
    """A copy of parsed fragments that layout may change without touching the memo: each fragment, its
    lists (shared between fragments as the parser shared them) and its callback definition."""
    lists: dict[int, list] = {}
    out = []
    for f in frags:
        n = f.clone()
        d = n.__dict__
        for k, v in d.items():
            if type(v) is list:
                c = lists.get(id(v))
                if c is None:
                    c = lists[id(v)] = list(v)
                d[k] = c
        if "cbDefn" in d:
            d["cbDefn"] = d["cbDefn"].clone()
        out.append(n)
    return out


def _install_lines() -> None:
    from .build_pdf import kinsoku

    broken = MEMOS["line-breaks"] = Memo()
    plain_split = kinsoku.cjk_frag_split

    def split(frags, maxWidths, calcBounds, encoding="utf8"):
        try:
            key = (tuple(_value(f.__dict__) for f in frags), tuple(maxWidths), calcBounds, encoding)
            hash(key)
        except TypeError:  # something in a fragment that has no value to compare: broken every time
            return plain_split(frags, maxWidths, calcBounds, encoding)
        hit = broken.entries.get(key)
        if hit is not None:
            broken.entries.move_to_end(key)
            broken.hits += 1
            return _lines_copy(hit[0])
        lines = plain_split(frags, maxWidths, calcBounds, encoding)
        broken.get(key, 100 * len(frags), lambda: _lines_copy(lines), lambda v: 300 * len(v.lines))
        return lines

    kinsoku.cjk_frag_split = split


def _value(d: dict) -> tuple:
    """A fragment's attributes as a hashable value (lists and attribute bags by their contents)."""
    out = []
    for k, v in d.items():
        if type(v) is list:
            v = tuple(tuple(x) if type(x) is list else x for x in v)
        elif hasattr(v, "__dict__") and type(v).__hash__ is object.__hash__:
            v = (type(v).__name__, _value(v.__dict__))  # an identity hash would never match
        out.append((k, v))
    return tuple(out)


def _lines_copy(lines):
    """Broken lines that layout may change (a split appends spaces to words) without touching the memo."""
    out = lines.clone()
    out.lines = [line.clone(words=_frags_copy(line.words)) for line in lines.lines]
    return out


def _install_fitter() -> None:
    from .build_pptx import measure

    # The deck's fitter keeps the lines it wrapped, keyed on the text, the room, the size and the
    # faces (which live as long as the process: faces_for caches them): kept from one build to the next.
    wrapped, titles = Bounded(), Bounded()
    plain_init = measure.Fitter.__init__

    def init(self, theme) -> None:
        plain_init(self, theme)
        self._wrapped, self._title_lines = wrapped, titles

    measure.Fitter.__init__ = init


def _install_zip() -> None:
    from . import reproducible

    if reproducible.deflate is not None:  # the report's and the deck's workers share the one hook
        return
    entries = MEMOS["zip-entries"] = Memo()
    reproducible.deflate = lambda name, data: entries.get(
        (name, data), len(data), lambda: _deflate(data), lambda v: len(v[0]))


def _deflate(data: bytes) -> tuple[bytes, int]:
    """``data`` deflated as zipfile deflates an entry at level 6 (raw deflate), and its CRC-32."""
    import zlib

    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data)


# What each format's worker installs, in this order (a test harness may install them one by one).
INSTALLERS = {"pdf": (_install_streams, _install_subsets, _install_parse, _install_lines),
              "pptx": (_install_fitter, _install_zip), "docx": (_install_zip,)}
