"""What a page shows but only the finished document knows: the contents' page numbers and the page total.

The document is laid out once.  Where such a number belongs, a form XObject is
drawn by name; the forms are defined when the last page is done, with the page
every heading landed on and the number of pages.  Nothing on the page moves:
a contents entry's leader and number are drawn right-aligned from where the
entry's text ends, and a folio from where the folio would be drawn, so a
number's width never has to be guessed before it is known.  (reportlab's
multiBuild would lay the whole document out twice to learn the same numbers.)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

DOT = " . "


@dataclass
class Later:
    """Forms referenced while drawing, defined by :meth:`finish`."""

    entries: list[tuple[str, str, ParagraphStyle, float]] = field(default_factory=list)  # form, key, style, width
    folios: list[tuple[str, int, float]] = field(default_factory=list)  # form, page, width
    pages: dict[str, int] = field(default_factory=dict)  # bookmark key → page

    def contents_entry(self, canvas, key: str, style: ParagraphStyle, x: float, y: float, avail: float) -> None:
        """Leader and page number of the contents entry for ``key``, from ``(x, y)`` to ``avail``."""
        name = f"brief-toc-{len(self.entries)}"
        self.entries.append((name, key, style, avail - x))
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(name)
        canvas.restoreState()
        canvas.linkRect("", key, (x, y, avail, y + style.leading), relative=1)

    def folio(self, canvas, page: int, x: float, y: float, width: float) -> None:
        """The folio of ``page`` (it names the page total), its box's lower left at ``(x, y)``."""
        name = f"brief-folio-{page}"
        self.folios.append((name, page, width))
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(name)
        canvas.restoreState()

    def finish(self, canvas, total: int, folio: Callable[[int, int], object]) -> None:
        """Define every form: the pages are known (:attr:`pages`) and there are ``total`` of them."""
        for name, key, style, width in self.entries:
            number = str(self.pages[key])
            font, size = style.fontName, style.fontSize
            while stringWidth(number, font, size) > width and size > 1:  # as reportlab: shrink rather than overflow
                size *= 0.9
            number_width = stringWidth(number, font, size)
            dot_width = stringWidth(DOT, font, size)
            dots = max(0, int((width - number_width) / dot_width))
            canvas.beginForm(name, lowerx=0, lowery=-size, upperx=max(width, 1), uppery=size * 2)
            text = canvas.beginText(width - dots * dot_width - number_width, 0)
            text.setFont(font, size)
            text.setFillColor(style.textColor)
            text.textLine(dots * DOT + number)
            canvas.drawText(text)
            canvas.endForm()
        for name, page, width in self.folios:
            para = folio(page, total)
            _, height = para.wrap(width, 1000)
            canvas.beginForm(name, lowerx=0, lowery=-height, upperx=width, uppery=height * 2)
            para.drawOn(canvas, 0, 0)
            canvas.endForm()
