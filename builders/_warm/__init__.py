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
* **Font programs that agree with their widths** (:func:`builders.build_pdf.fontprog.match_widths`, in the
  PDF/A step): keyed on the program's stored bytes and the font's /Widths; 2.9 ms a build without, 0.3 with.
* **The deck's wrapped lines** (:class:`builders.build_pptx.measure.Fitter`): its per-build tables of
  wrapped text, kept from one build to the next (keyed on the text, the room, the size and the faces).
* **Zip entries** of the report and the deck (:func:`builders.reproducible.add_entry`): a part a save
  did not change (styles, layouts, masters, charts' workbooks, most slides) is written from its deflated
  bytes instead of being deflated again; keyed on the entry's name and bytes.
* **The report's styles** (:func:`builders.build_docx.styles.apply`, without a template): the styles
  part as the theme made it, keyed on the theme, the brief's language and the part it started from.
* **Garbage collection** in a worker waits until every file of a rebuild is in place (:func:`collector`).

**Worth it, measured** (issue 20): CPU of a warm rebuild of the sample after a save that changes a
word of its summary, median of 10 saves in one process, the memos added one by one (two runs each, at a
load average of 3): the PDF 113/107 ms plain, 98/94 with the compressed streams, 95/95 with the font
subsets (their own time, measured directly: 2.4 ms a build), 89/88 with the parsed markup, 81/79 with
the line breaks; the deck 54/56 ms plain, 51/49 with its wrapped lines, 45/44 with its zip entries; the
report 46/42 ms plain, 40/39 with its zip entries, 37/35 with its styles.  In the government theme the
PDF took 168 ms plain and 94 ms with every memo.  Memory: each memo holds at most 64 MB (the sample
fills them with under 1 MB).

Installed only by the watcher of the ``brief`` command (:mod:`builders.speedups`; ``BRIEF_PLAIN=warm``
or ``BRIEF_PLAIN=1`` leaves it off); imported as a library, or in a one-shot ``brief build``, nothing
here runs.  In the watcher's own processes it replaces three reportlab methods
(``PDFStreamFilterZCompress.encode``, ``TTFontFile.makeSubset``, ``ParaParser.parse``) and hooks of our
own (the CJK splitter, the width check, the report's styles, the deck's fitter,
:data:`builders.reproducible.deflate`) with memoised versions that return what the originals return.
The outputs are byte-identical with and without (``tests/test_speedups.py``).
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
    for fmt, installers in _installers().items():
        if fmt in formats:
            for installer in installers:
                installer()


def collector() -> Callable[[], None]:
    """What a worker calls when a rebuild is over (every file renamed): with the memos installed, the
    garbage collector is off while a worker rebuilds and collects then, out of the rebuild's time, as
    the memos' own garbage (and reportlab's cycles) would otherwise trigger a collection mid-rebuild
    now and then; otherwise nothing.  Measured on the sample's PDF with every memo (10 edited saves, two
    runs): median 74/71 ms, worst 99/97 ms collecting as usual; 69/67 ms, worst 82/69 ms collecting
    after each rebuild (which then takes 3 to 13 ms, while the worker waits for the next save)."""
    import gc

    if not _installed:
        return lambda: None
    gc.disable()
    return gc.collect


def _installers() -> dict:
    """What each format's worker installs, in this order (a test harness may install them one by one)."""
    from . import office, pdf

    return {"pdf": (pdf.install_streams, pdf.install_subsets, pdf.install_parse, pdf.install_lines,
                    pdf.install_widths),
            "pptx": (office.install_fitter, office.install_zip),
            "docx": (office.install_zip, office.install_styles)}
