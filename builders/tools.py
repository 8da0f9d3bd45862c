"""Running the external programs the checks and previews need (poppler, qpdf): every failure is one line.

A program that is missing is a :class:`MissingDependency` naming the package to install; one that fails,
hangs or cannot be started is a :class:`ToolFailure` (an environment failure: exit 1) whose message is
the program's last line of complaint.  Never a ``CalledProcessError`` traceback.
"""
from __future__ import annotations

import subprocess
from typing import Sequence

from .errors import MissingDependency, ToolFailure


def run_tool(cmd: Sequence[str], package: str, timeout: float = 300, ok: Sequence[int] = (0,),
             text: bool = True) -> subprocess.CompletedProcess:
    """Run ``cmd`` (its program from Debian's ``package``); its completed process if it exits with a status in ``ok``."""
    try:
        proc = subprocess.run(list(cmd), capture_output=True, timeout=timeout,
                              **({"text": True, "encoding": "utf-8", "errors": "replace"} if text else {}))
    except FileNotFoundError:
        raise MissingDependency(f"{cmd[0]} is needed: apt-get install {package}") from None
    except subprocess.TimeoutExpired:
        raise ToolFailure(f"{cmd[0]} did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise ToolFailure(f"{cmd[0]} could not be started: {exc.strerror or exc}") from None
    if proc.returncode not in ok:
        raise ToolFailure(f"{cmd[0]} failed: {last_line(proc.stderr, proc.returncode)}")
    return proc


def last_line(stderr, status: int) -> str:
    """The last non-empty line a program wrote to stderr, or its exit status."""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", errors="replace")
    lines = [ln.strip() for ln in (stderr or "").splitlines() if ln.strip()]
    return lines[-1] if lines else f"exit status {status}"
