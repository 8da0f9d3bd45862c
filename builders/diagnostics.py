"""Warnings from builders: whatever a builder cannot render is named, never dropped silently."""
from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Diagnostic


@dataclass
class Log:
    """Collects a builder's warnings. ``item`` names what is affected (``cases[boston]``)."""

    file: str
    fmt: str
    warnings: list[Diagnostic] = field(default_factory=list)

    def warn(self, item: str, message: str) -> None:
        text = f"[{self.fmt}] {item}: {message}" if item else f"[{self.fmt}] {message}"
        d = Diagnostic(self.file, 0, 0, text, "warning")
        if d not in self.warnings:
            self.warnings.append(d)
