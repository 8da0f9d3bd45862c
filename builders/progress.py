"""Progress for long steps, on a terminal only: CI logs and pipes stay quiet."""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def step(message: str) -> Iterator[None]:
    """Show ``message…`` while a long step runs, then its duration."""
    if not interactive():
        yield
        return
    start = time.perf_counter()
    sys.stderr.write(f"{message}…")
    sys.stderr.flush()
    try:
        yield
    finally:
        sys.stderr.write(f" {time.perf_counter() - start:.1f} s\n")
