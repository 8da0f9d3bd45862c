"""Import reportlab's paragraph module without compiling its URL pattern.

``reportlab.platypus.paragraph`` compiles, at import, a case-insensitive URL pattern over the
range U+00A1..U+FFFF; Python's regex compiler spends ~35 ms (a tenth of a PDF build's imports)
folding that range.  The pattern only serves hyphenation of URLs, which the briefs never ask for,
so while that module is imported the pattern becomes a stand-in compiled on first use.  Nothing
else changes: every other pattern is compiled as usual, and ``re.compile`` is restored at once.
"""
from __future__ import annotations

import re
import sys

_URL_HEAD = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class _Deferred:
    """A compiled pattern, compiled when first used."""

    def __init__(self, compile_, pattern, flags):
        self._compile, self._args, self._re = compile_, (pattern, flags), None

    def __getattr__(self, name):
        if self._re is None:
            self._re = self._compile(*self._args)
        return getattr(self._re, name)


def import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    real = re.compile

    def compile_(pattern, flags=0):
        if isinstance(pattern, str) and pattern.startswith(_URL_HEAD):
            return _Deferred(real, pattern, flags)
        return real(pattern, flags)

    re.compile = compile_
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = real
