"""Strings on their way into WordprocessingML: only XML-legal characters reach python-docx."""
from __future__ import annotations

import re
from datetime import date

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
# python-docx raises on anything else, and a failed add leaves an empty paragraph behind.
# Spelled as what is refused: the complement class over all of Unicode costs 6 ms to compile.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string without characters XML cannot carry (the loader strips most; be defensive)."""
    return _ILLEGAL.sub("", "" if text is None else str(text))


def human_date(when: date, language: str) -> str:
    """A date as the brief's readers write it: 2025年3月1日 / 1 March 2025 (en-GB) / March 1, 2025 (en-US)."""
    lang = language.lower()
    if lang.startswith(("zh", "ja")):
        return f"{when.year}年{when.month}月{when.day}日"
    month = _MONTHS[when.month - 1]  # not strftime: the locale of the machine must not matter
    if lang in ("en-us", "en"):
        return f"{month} {when.day}, {when.year}"
    return f"{when.day} {month} {when.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
