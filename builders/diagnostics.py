"""Warnings and progress from builders: whatever a builder cannot render is named, never dropped silently."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

from .errors import Diagnostic
from .progress import interactive

PROGRESS_MIN_ITEMS = 200  # small builds finish before a progress line would help


@dataclass
class Log:
    """Collects a builder's warnings. ``item`` names what is affected (``cases[boston]``)."""

    file: str
    fmt: str
    warnings: list[Diagnostic] = field(default_factory=list)
    _next_report: float = 0.1

    def warn(self, item: str, message: str) -> None:
        text = f"[{self.fmt}] {item}: {message}" if item else f"[{self.fmt}] {message}"
        d = Diagnostic(self.file, 0, 0, text, "warning")
        if d not in self.warnings:
            self.warnings.append(d)

    def progress(self, done: int, total: int, what: str = "items") -> None:
        """On a terminal, one line per tenth of a long build (``[pptx] 600/2000 slides``); silent in CI.

        Whole lines, not a redrawn counter: the formats build in parallel processes sharing stderr.
        """
        if total < PROGRESS_MIN_ITEMS or not interactive():
            return
        if done >= total or done / total >= self._next_report:
            print(f"[{self.fmt}] {done}/{total} {what}", file=sys.stderr, flush=True)
            self._next_report = (int(done * 10 / total) + 1) / 10
