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


def builder(fmt: str) -> ModuleType:
    """The builder module for ``fmt`` (imported on first use)."""
    return importlib.import_module(BUILDERS[fmt])
