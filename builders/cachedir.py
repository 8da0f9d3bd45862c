"""Where the build keeps what it can compute again: converted fonts, metrics, compiled code.

Every entry is *sealed*: its bytes are followed by a trailer holding their SHA-256, checked on every
read.  A truncated or garbled entry (a full disk, a crash mid-copy, a bad sector) is therefore never
used: it is deleted and computed again, with one warning.  The trailer goes after the payload, not
before it, so a sealed TrueType file is still a TrueType file that reportlab and fontTools read by
path (both find tables through the table directory and ignore bytes past the last one).

A cache directory that cannot be written (read-only, on a full disk, a file in its place) never stops
a build: the entry is kept in a private temporary directory instead, with one warning.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

_SEAL = b"BRIEFSUM"
_TRAILER = len(_SEAL) + 32
_warned: set[str] = set()


def cache_root() -> Path:
    """``$BRIEF_CACHE_DIR``, else ``$XDG_CACHE_HOME/brief``, else ``~/.cache/brief``."""
    explicit = os.environ.get("BRIEF_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return Path(xdg) / "brief" if xdg else Path.home() / ".cache" / "brief"


class DamagedEntry(ValueError):
    """A cache entry whose checksum does not match its contents."""


def seal(payload: bytes) -> bytes:
    """``payload`` followed by its checksum trailer."""
    import hashlib  # here: importing this module is on every start-up path (compiled code), sealing is not

    return payload + _SEAL + hashlib.sha256(payload).digest()


def unseal(data: bytes) -> bytes:
    """The payload of a sealed entry; :class:`DamagedEntry` if it is truncated or altered."""
    if len(data) < _TRAILER or data[-_TRAILER:-32] != _SEAL:
        raise DamagedEntry("truncated, or written by another version")
    import hashlib

    payload = data[:-_TRAILER]
    if hashlib.sha256(payload).digest() != data[-32:]:
        raise DamagedEntry("checksum mismatch")
    return payload


def warn_once(key: str, line: str) -> None:
    """Print ``line`` on stderr the first time ``key`` is seen in this process (and its forks after it)."""
    if key not in _warned:
        _warned.add(key)
        print(line, file=sys.stderr, flush=True)


def read_entry(path: Path) -> Optional[bytes]:
    """The payload of the entry at ``path``; ``None`` if there is none or it was damaged (then removed, warned)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return unseal(data)
    except DamagedEntry as exc:
        discard(path, str(exc))
        return None


def check_entry(path: Path) -> bool:
    """Whether ``path`` holds an intact sealed entry (a damaged one is removed, with a warning)."""
    return read_entry(path) is not None


def discard(path: Path, why: str) -> None:
    """Remove a damaged entry so that it is rebuilt, and say so once."""
    warn_once(f"damaged:{path}", f"{path}: warning: damaged cache entry ({why}); rebuilt")
    try:
        path.unlink()
    except OSError:  # read-only: it is rebuilt elsewhere every time, which is only slower
        pass


def fallback_root() -> Path:
    """A private cache in the temporary directory, for when :func:`cache_root` cannot be written."""
    import tempfile

    return Path(tempfile.gettempdir()) / f"brief-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def fallback_dir(sub: str) -> Optional[Path]:
    """``fallback_root()/sub`` if an earlier build made it (and it is this user's own), else ``None``."""
    import stat

    root = fallback_root()
    try:
        st = os.lstat(root)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None
    return root / sub


def writable_dir(sub: str) -> Path:
    """``cache_root()/sub``, created if need be; if that fails, the same under :func:`fallback_root`
    (with one warning: the build goes on without the configured cache)."""
    wanted = cache_root() / sub
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        if os.access(wanted, os.W_OK | os.X_OK):
            return wanted
        cause = "not writable"
    except OSError as exc:
        cause = exc.strerror or str(exc)
    root = cache_root()
    warn_once(f"unusable:{root}", f"{root}: warning: cache directory unusable ({cause}); building without it")
    fallback = _private(fallback_root()) / sub
    fallback.mkdir(exist_ok=True)
    return fallback


def _private(root: Path) -> Path:
    """``root``, created with mode 0700 if missing, if it is this user's own directory (not a symlink
    someone planted in the shared temporary directory); else a fresh private directory."""
    import stat
    import tempfile

    try:
        root.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(root)
        if stat.S_ISDIR(st.st_mode) and (not hasattr(os, "getuid") or st.st_uid == os.getuid()):
            return root
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="brief-cache-"))


def write_entry(target: Path, payload: bytes) -> None:
    """Seal ``payload`` and write it beside ``target``, then rename: readers never see half an entry."""
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(seal(payload))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
