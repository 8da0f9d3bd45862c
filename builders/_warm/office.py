"""The report's and the deck's memos for a warm watcher (see :mod:`builders._warm`)."""
from __future__ import annotations

from . import MEMOS, Bounded, Memo


def install_fitter() -> None:
    """The deck fitter's wrapped lines, kept from one build to the next."""
    from ..build_pptx import measure

    # The deck's fitter keeps the lines it wrapped, keyed on the text, the room, the size and the
    # faces (which live as long as the process: faces_for caches them): kept from one build to the next.
    wrapped, titles = Bounded(), Bounded()
    plain_init = measure.Fitter.__init__

    def init(self, theme) -> None:
        plain_init(self, theme)
        self._wrapped, self._title_lines = wrapped, titles

    measure.Fitter.__init__ = init


def install_zip() -> None:
    """Deflated zip entries of the report and the deck, keyed on name and bytes."""
    from .. import reproducible

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


def install_styles() -> None:
    """The report's styles part as the theme made it, keyed on the theme, the language and the part before."""
    import copy

    from lxml import etree

    from ..build_docx import styles

    made = MEMOS["report-styles"] = Memo()
    plain_apply = styles.apply

    # Defining the styles (~11 ms a build) reads the theme, the brief's language and whether it is CJK,
    # and changes nothing but the styles part: without a template, the part it ends as is kept.
    def apply(doc, brief, theme, log, from_template: bool) -> None:
        if from_template:  # a corporate template: its warnings are the build's, every time
            return plain_apply(doc, brief, theme, log, from_template)
        part = doc.part._styles_part
        before = etree.tostring(part.element)
        key = (theme, brief.language, brief.is_cjk, before)
        hit = made.entries.get(key)
        if hit is not None:
            made.entries.move_to_end(key)
            made.hits += 1
            part._element = copy.deepcopy(hit[0])
            return None
        plain_apply(doc, brief, theme, log, from_template)
        made.get(key, 2 * len(before), lambda: copy.deepcopy(part.element), lambda _: 2 * len(before))
        return None

    styles.apply = apply
