"""Strings on their way into WordprocessingML: only XML-legal characters reach python-docx."""
from __future__ import annotations

import re

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
# python-docx raises on anything else, and a failed add leaves an empty paragraph behind.
# Spelled as what is refused: the complement class over all of Unicode costs 6 ms to compile.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """``text`` as a string without characters XML cannot carry (the loader strips most; be defensive)."""
    return _ILLEGAL.sub("", "" if text is None else str(text))
