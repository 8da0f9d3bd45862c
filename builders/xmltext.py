"""Text and attribute values for XML written as strings (the deck's runs, the report's charts,
chart workbooks, reportlab's paragraph markup).

Not ``xml.sax.saxutils.escape``: importing it imports urllib and http (~25 ms), for a few
string replacements.
"""
from __future__ import annotations


def text(value: str) -> str:
    """``value`` as element content: ``&``, ``<`` and ``>`` escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(value: str) -> str:
    """``value`` for a double-quoted attribute (or markup that may become one): ``"`` escaped too."""
    return text(value).replace('"', "&quot;")
