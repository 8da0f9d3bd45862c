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


class Counter:
    """``done/total`` for a loop over items (e.g. slides), redrawn in place on a terminal."""

    def __init__(self, label: str, total: int, every: int = 25):
        self.label, self.total, self.every, self.done = label, total, every, 0
        self.enabled = interactive() and total >= every * 4

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.enabled and (self.done % self.every == 0 or self.done == self.total):
            sys.stderr.write(f"\r{self.label}: {self.done}/{self.total}")
            if self.done == self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()
