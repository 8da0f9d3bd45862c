"""Where the build keeps what it can compute again: converted fonts, metrics, compiled code."""
from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """``$BRIEF_CACHE_DIR``, else ``$XDG_CACHE_HOME/brief``, else ``~/.cache/brief``."""
    explicit = os.environ.get("BRIEF_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(xdg) / "brief" if xdg else Path.home() / ".cache" / "brief"
