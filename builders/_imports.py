"""Importing the libraries for less: what they load at import time that our builds never use.

Imports are most of a build's time (issue 10).  Three measured costs are avoided here, each
without changing what the library does if the skipped part is used after all:

**Regular expressions.**  Python's regex compiler spends milliseconds folding a character class
that spans most of Unicode, and some libraries compile such classes at import time for code paths
our builds never take:

* ``reportlab.platypus.paragraph`` compiles a case-insensitive URL pattern over U+00A1..U+FFFF
  (~35 ms) that only serves hyphenation of URLs, which the briefs never ask for, and
  ``reportlab.lib.textsplit`` (which it imports) a CJK class for ``cjkwrap`` (~4 ms), which our
  own line breaking replaces;
* ``yaml.reader`` compiles its non-printable class (~5 ms) for the pure-Python reader, which the
  libyaml loader we use does not run.

While such a module is imported, the named patterns become stand-ins compiled on first use, so
nothing breaks if they are used after all.  Every other pattern is compiled as usual, and
``re.compile`` is restored at once.

**Modules imported for one rarely used function.**  ``xml.sax.saxutils`` (imported by python-pptx
for ``escape``) imports ``urllib.request``, which imports ``http.client``, ``email`` and ``ssl``
(~25 ms) for ``prepare_input_source``, which nothing here calls; python-pptx and reportlab import
Pillow (~12 ms) at start for pictures, which only a picture figure brings.  :func:`defer_modules` puts
a stand-in for such a module in ``sys.modules``: the real one loads on first attribute access.

**XlsxWriter.**  ``pptx.chart.xlsx`` imports it (~30 ms) to write a chart's embedded workbook;
we write that workbook ourselves (:mod:`builders.workbook`).
:func:`import_pptx_chart_data` imports python-pptx's chart data with a stand-in ``Workbook``
that imports the real class when first called.

**Worth it, measured** (issue 20): one three-format build of the sample takes 73 to 86 ms more CPU
without these, 13 to 16 % (medians of 15 and 20 builds, alternating: 628 against 555 ms, 632 against
546 ms; ``BRIEF_PLAIN=imports``; ``make bench`` prints the figure of the day).

**Fenced in.**  Nothing here happens unless :func:`enable` was called, which only the ``brief``
command does (:mod:`builders.speedups`; ``BRIEF_PLAIN=1`` leaves it off): imported as a library, the
builders call these functions and get plain imports.  While a module is imported with deferred
patterns, ``re.compile`` is replaced for the whole process, but only the importing thread gets
stand-ins, and the replacement is undone under a lock; the stand-ins are not ``re.Pattern``
objects (they forward every attribute to the real pattern), which is why this stays off in a
program that may inspect them.
"""
from __future__ import annotations

import importlib
import re
import sys
import threading
import types

_enabled = False
_patching = threading.RLock()  # re-entrant: a module imported with deferred patterns may import another so


def enable() -> None:
    """Let the functions below skip what they skip (the ``brief`` command calls this at start)."""
    global _enabled
    _enabled = True

PARAGRAPH_UNUSED = ("(^(?:[a-z0-9\\.\\-\\+]*)://)", "([\u2e80-\uffff])")
YAML_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85"


class _Deferred:
    """A compiled pattern, compiled when first used."""

    def __init__(self, compile_, pattern, flags):
        self._compile, self._args, self._re = compile_, (pattern, flags), None

    def __getattr__(self, name):
        if self._re is None:
            self._re = self._compile(*self._args)
        return getattr(self._re, name)


def import_deferring(module: str, *heads: str) -> None:
    """Import ``module`` (once) with the patterns that start with one of ``heads`` deferred.

    Not enabled: a plain import.
    """
    if not _enabled:
        importlib.import_module(module)
        return
    if module in sys.modules:
        return
    with _patching:
        real = re.compile
        importer = threading.get_ident()

        def compile_(pattern, flags=0):
            if (isinstance(pattern, str) and pattern.startswith(heads)
                    and threading.get_ident() == importer):  # other threads get real patterns
                return _Deferred(real, pattern, flags)
            return real(pattern, flags)

        re.compile = compile_
        try:
            importlib.import_module(module)
        finally:
            re.compile = real


def defer_modules(*names: str) -> None:
    """Make each module in ``names`` load when one of its attributes is first used.

    A stand-in module takes its place in ``sys.modules``; its ``__getattr__`` imports the real
    module, which then replaces it.  (:class:`importlib.util.LazyLoader` would be the textbook
    tool, but in Python 3.11 a second ``import`` of the module already loads it.)  Not enabled: nothing.
    """
    if not _enabled:
        return
    for name in names:
        if name in sys.modules:
            continue
        stand_in = types.ModuleType(name)

        def __getattr__(attr: str, name: str = name, stand_in: types.ModuleType = stand_in):  # noqa: N807
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
            module = importlib.import_module(name)
            return getattr(module, attr)

        stand_in.__getattr__ = __getattr__
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent:  # ``import urllib.request`` then ``urllib.request.x`` looks the module up on its package
            setattr(importlib.import_module(parent), child, stand_in)


def import_pptx_chart_data() -> None:
    """Import ``pptx.chart.data`` without importing XlsxWriter (enabled; else with it, plainly)."""
    if not _enabled or "pptx.chart.xlsx" in sys.modules or "xlsxwriter" in sys.modules:
        importlib.import_module("pptx.chart.data")
        return
    stand_in = types.ModuleType("xlsxwriter")

    def Workbook(*args, **kwargs):  # noqa: N802 - the name pptx.chart.xlsx imports
        from xlsxwriter import Workbook as real

        return real(*args, **kwargs)

    stand_in.Workbook = Workbook
    sys.modules["xlsxwriter"] = stand_in
    try:
        importlib.import_module("pptx.chart.xlsx")
    finally:
        if sys.modules.get("xlsxwriter") is stand_in:  # a real import of xlsxwriter finds the real one
            del sys.modules["xlsxwriter"]
    importlib.import_module("pptx.chart.data")
