"""Building one brief in one theme to several formats, atomically.

Each format is written to a hidden temporary file beside its target; only when
every requested format has succeeded (and, with ``strict``, warned about
nothing) are the files renamed into place.  A failed build leaves the previous
good outputs untouched and no partial file behind.
"""
from __future__ import annotations

import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Optional, Sequence

from .diagnostics import Log
from .errors import BriefError, BuildError, Diagnostic
from .loader import load_brief
from .model import Brief
from .registry import FORMATS, builder
from .theme import Theme, load_theme


@dataclass
class Result:
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _build_one(fmt: str, brief: Brief, theme: Theme, tmp: Path) -> list[Diagnostic]:
    log = Log(str(brief.source or brief.name), fmt)
    try:
        builder(fmt).build(brief, theme, tmp, log)
    except BriefError:
        raise
    except Exception as exc:  # a bug, not the user's mistake: say so in one line
        if os.environ.get("BRIEF_DEBUG"):
            traceback.print_exc()
        raise BuildError(
            f"internal error in the {fmt} builder: {type(exc).__name__}: {exc} "
            "(set BRIEF_DEBUG=1 for the traceback, and please report it)", fmt
        ) from None
    return log.warnings


def build_brief(
    brief: Brief,
    theme: Theme,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    strict: bool = False,
    parallel: Optional[bool] = None,
    warnings: Sequence[Diagnostic] = (),
) -> Result:
    """Build ``formats`` of ``brief`` into ``out_dir``; all or nothing.

    ``warnings`` are earlier ones (from loading) that count towards ``strict``.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create output directory {out_dir}: {exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise BuildError(f"output directory {out_dir} is not writable")
    targets = {fmt: out_dir / f"{brief.name}.{fmt}" for fmt in formats}
    temps = {fmt: out_dir / f".{brief.name}.{fmt}.partial-{os.getpid()}" for fmt in formats}
    result = Result(warnings=list(warnings))
    if parallel is None:
        parallel = len(formats) > 1 and (os.cpu_count() or 1) > 1
    try:
        if parallel:
            with ProcessPoolExecutor(min(len(formats), os.cpu_count() or 1), mp_context=get_context("fork")) as pool:
                futures = [pool.submit(_build_one, fmt, brief, theme, temps[fmt]) for fmt in formats]
                for future in futures:
                    result.warnings.extend(future.result())
        else:
            for fmt in formats:
                result.warnings.extend(_build_one(fmt, brief, theme, temps[fmt]))
        if strict and result.warnings:
            raise BuildError(f"{len(result.warnings)} warning(s) with --strict; nothing written")
        for fmt in formats:
            os.replace(temps[fmt], targets[fmt])
            result.outputs.append(targets[fmt])
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return result


def build_file(
    path: Path,
    theme_name: str,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    strict: bool = False,
) -> Result:
    """Load ``path`` and ``theme_name`` and build; loader warnings come first in the result."""
    brief, warnings = load_brief(path)
    theme, theme_warnings = load_theme(theme_name)
    return build_brief(brief, theme, out_dir, formats, strict=strict, warnings=warnings + theme_warnings)
