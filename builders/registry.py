"""Format name → builder module. Each module has one entry point, ``build(brief, theme, path, log)``.

Modules are imported only when their format is requested: python-docx, python-pptx
and reportlab together cost about 0.3 s to import.
"""
from __future__ import annotations

import importlib
from types import ModuleType

BUILDERS = {
    "docx": "builders.build_docx",
    "pptx": "builders.build_pptx",
    "pdf": "builders.build_pdf",
}
FORMATS = tuple(BUILDERS)

# What each builder imports that another builder imports too (beyond what every process has
# before the builders start).  When the parent forks several builders at once it imports what
# they share first, so the children inherit one copy instead of each importing its own: about
# 20 ms of the two Office builders' time (lxml, zipfile, our text and font modules).  A test
# checks that each builder really imports what is listed for it.
_OFFICE = ("lxml.etree", "zipfile", "gzip", "unicodedata", "builders.lower", "builders.i18n",
           "builders.fonts", "builders.glyphs", "builders.reproducible", "builders.workbook")
IMPORTS = {
    "docx": _OFFICE,
    "pptx": _OFFICE,
    "pdf": ("unicodedata", "builders.lower", "builders.i18n", "builders.fonts", "builders.reproducible"),
}


def builder(fmt: str) -> ModuleType:
    """The builder module for ``fmt`` (imported on first use)."""
    return importlib.import_module(BUILDERS[fmt])


def import_shared(formats) -> list[str]:
    """Import the modules that two or more of ``formats`` use (see ``IMPORTS``); return their names."""
    seen: set[str] = set()
    shared: list[str] = []
    for fmt in formats:
        for name in IMPORTS[fmt]:
            if name in seen and name not in shared:
                shared.append(name)
            seen.add(name)
    for name in shared:
        importlib.import_module(name)
    return shared
