"""The output formats: one descriptor each, the single list every part of the package reads.

A descriptor names the format, its file extension, its builder module (one entry point,
``build(document, theme, path, log)``), how ``brief verify`` reads its text back and how a preview
rasterises it.  Builder modules are imported only when their format is requested: python-docx,
python-pptx and reportlab together cost about 0.3 s to import.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Callable


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str  # the ``--to`` name: docx, pptx, pdf
    title: str  # what a user calls it
    extension: str
    module: str  # the builder package
    extract: str  # ``module:function`` reading the text back for ``brief verify``
    via_office: bool  # a preview renders it through LibreOffice first
    preview_columns: int  # pages or slides per row of its contact sheet

    def builder(self) -> ModuleType:
        return importlib.import_module(self.module)

    def extractor(self) -> Callable:
        module, function = self.extract.split(":")
        return getattr(importlib.import_module(module), function)


DESCRIPTORS = (
    Format("docx", "Word report", ".docx", "builders.build_docx", "builders.verify.extract:docx_text", True, 6),
    Format("pptx", "PowerPoint deck", ".pptx", "builders.build_pptx", "builders.verify.extract:pptx_text", True, 4),
    Format("pdf", "PDF", ".pdf", "builders.build_pdf", "builders.verify.extract:pdf_text", False, 6),
)
FORMATS = tuple(f.name for f in DESCRIPTORS)
BUILDERS = {f.name: f.module for f in DESCRIPTORS}


def descriptor(name: str) -> Format:
    """The descriptor of format ``name``."""
    return next(f for f in DESCRIPTORS if f.name == name)


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
    return descriptor(fmt).builder()


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
