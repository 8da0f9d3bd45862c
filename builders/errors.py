"""The package's errors: one root, a few kinds. The CLI turns each into one-line messages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence


@dataclass(frozen=True)
class Diagnostic:
    """One problem or warning, located in a file: ``FILE:LINE:COL: severity: message``."""

    file: str
    line: int  # 1-based; 0 when the problem has no position (e.g. an unreadable file)
    col: int  # 1-based
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


class BriefError(Exception):
    """Root of every error this package raises on purpose (the user's mistake or machine's lack)."""

    def lines(self) -> list[str]:
        return [f"error: {self}"]


class InputError(BriefError):
    """A brief or theme file is invalid; carries every problem found, not just the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]

    def __reduce__(self):  # survives the trip back from a build worker process
        return (InputError, (self.diagnostics,))


class ThemeNotFound(BriefError):
    """The requested theme does not exist."""


class MissingDependency(BriefError):
    """A font, program or package the build needs is not on this machine; the message says how to get it."""


class EnvironmentFailure(BriefError):
    """The machine, not the input, failed the build: a full disk, an I/O error, a tool that broke down.

    The message is one line naming the cause; the CLI exits 1.
    """


class ToolFailure(EnvironmentFailure, RuntimeError):
    """An external program (LibreOffice, poppler) failed.

    Also a ``RuntimeError``, what these failures were before, so callers catching that still work.
    """


class OfficeFailure(ToolFailure):
    """LibreOffice could not convert a file (it crashed, timed out or wrote nothing)."""


class BuildError(BriefError):
    """A builder could not produce its output (including warnings turned into errors by ``--strict``)."""

    def __init__(self, message: str, fmt: Optional[str] = None):
        self.fmt = fmt
        super().__init__(message)

    def __reduce__(self):
        return (BuildError, (str(self), self.fmt))
