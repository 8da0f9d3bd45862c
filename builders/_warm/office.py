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
