"""Progress of long builds: whole lines per tenth on a terminal, nothing in CI or pipes."""
from __future__ import annotations

import io
import sys

from builders import diagnostics
from builders.diagnostics import Log


def test_progress_lines_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(diagnostics, "interactive", lambda: True)
    log = Log("brief.yaml", "pptx")
    for i in range(1, 2001):
        log.progress(i, 2000, "slides")
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"[pptx] {n}/2000 slides" for n in range(200, 2001, 200)]


def test_quiet_in_ci_and_for_small_builds(monkeypatch, capsys):
    monkeypatch.setattr(diagnostics, "interactive", lambda: False)
    log = Log("brief.yaml", "pdf")
    for i in range(1, 2001):
        log.progress(i, 2000)
    monkeypatch.setattr(diagnostics, "interactive", lambda: True)
    small = Log("brief.yaml", "pdf")
    for i in range(1, 51):
        small.progress(i, 50)
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_interactive_means_a_terminal_outside_ci(monkeypatch):
    """Each condition decides on its own: a terminal outside CI is interactive; in CI, or piped, it is not."""
    from builders import progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert progress.interactive()
    monkeypatch.setenv("CI", "true")
    assert not progress.interactive()
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not progress.interactive()
