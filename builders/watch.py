"""``brief watch``: rebuild when a brief or a theme is saved, one line per rebuild.

Uses watchfiles (inotify through a Rust core) rather than a polling loop.  The
process stays warm, so a rebuild costs only the build, not the imports.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

from .build import build_brief
from .errors import BriefError, InputError
from .loader import load_brief
from .theme import THEMES_DIR, load_theme


def _affected(changed: set[Path], briefs: Sequence[Path]) -> tuple[list[Path], str]:
    """Which briefs to rebuild, and a description of what changed."""
    names = sorted({p.name for p in changed})
    if any(p.parent == THEMES_DIR.resolve() or THEMES_DIR.resolve() in p.parents for p in changed):
        return list(briefs), ", ".join(names)
    hit = [b for b in briefs if b.resolve() in changed]
    return hit, ", ".join(names)


def rebuild(briefs: Sequence[Path], theme_name: str, out_dir: Path, what: str,
            echo: Callable[[str], None] = print) -> None:
    """Rebuild ``briefs`` and print one line each: what changed, what was written, how long it took."""
    for path in briefs:
        start = time.perf_counter()
        stamp = time.strftime("%H:%M:%S")
        try:
            brief, warnings = load_brief(path)
            theme, theme_warnings = load_theme(theme_name)
            result = build_brief(brief, theme, out_dir, warnings=warnings + theme_warnings)
        except InputError as exc:
            echo(f"{stamp} {what}: {path.name} not rebuilt ({len(exc.diagnostics)} problem(s)); previous outputs kept")
            for line in exc.lines():
                echo(f"  {line}")
            continue
        except BriefError as exc:
            echo(f"{stamp} {what}: {path.name} not rebuilt: {exc}")
            continue
        formats = ", ".join(p.suffix[1:] for p in result.outputs)
        warn = f", {len(result.warnings)} warning(s)" if result.warnings else ""
        echo(f"{stamp} {what}: rebuilt {path.name} ({formats}) in {time.perf_counter() - start:.2f} s{warn}")


def watch(briefs: Sequence[Path], theme_name: str, out_dir: Path, stop_event=None) -> None:
    """Build once, then rebuild on every save until interrupted."""
    from watchfiles import watch as watch_files

    rebuild(briefs, theme_name, out_dir, "start")
    targets = [*{b.resolve().parent for b in briefs}, THEMES_DIR.resolve()]
    print(f"watching {', '.join(str(b) for b in briefs)} and themes/ (Ctrl-C to stop)", flush=True)
    for changes in watch_files(*targets, stop_event=stop_event, debounce=200, step=50):
        changed = {Path(p).resolve() for _, p in changes if p.endswith((".yaml", ".yml", ".docx", ".pptx", ".dotx", ".potx"))}
        hit, what = _affected(changed, briefs)
        if hit:
            rebuild(hit, theme_name, out_dir, f"{what} changed", echo=lambda s: print(s, flush=True))
