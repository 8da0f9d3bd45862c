"""builders.early: the PDF builder started before the brief is read gives the same file, and is
never left behind, whatever happens to the build."""
from __future__ import annotations

import os
import signal
import time

import pytest

from builders import cli
from builders.build import build_brief
from builders.early import Early
from builders.errors import BuildError
from builders.loader import load_brief
from builders.theme import load_theme

from .conftest import BRIEFS


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
        return False
    except ChildProcessError:
        return True


def test_early_pdf_is_the_same_file_as_a_plain_build(tmp_path):
    brief, _ = load_brief(BRIEFS["english"])
    theme, _ = load_theme("default")
    early = Early("pdf")
    a = build_brief(brief, theme, tmp_path / "early", ["docx", "pdf"], early=early)
    b = build_brief(brief, theme, tmp_path / "plain", ["pdf"], parallel=False)
    assert (tmp_path / "early" / f"{brief.name}.pdf").read_bytes() == b.outputs[0].read_bytes()
    assert [p.suffix for p in a.outputs] == [".docx", ".pdf"]
    assert early.pid is None and _no_children_left()


def test_unwanted_early_process_is_stopped(tmp_path):
    brief, _ = load_brief(BRIEFS["minimal"])
    theme, _ = load_theme("default")
    early = Early("pdf")
    result = build_brief(brief, theme, tmp_path, ["docx"], early=early)
    assert [p.suffix for p in result.outputs] == [".docx"]
    assert early.pid is None and _no_children_left()


def test_a_brief_that_does_not_load_leaves_no_process(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed\n", encoding="utf-8")
    assert cli.main(["build", str(bad), "--out", str(tmp_path / "out"), "-q"]) == cli.EXIT_INPUT
    assert "bad.yaml:" in capsys.readouterr().err
    assert _no_children_left()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_an_early_process_that_died_fails_the_build_and_keeps_the_old_files(tmp_path):
    brief, _ = load_brief(BRIEFS["minimal"])
    theme, _ = load_theme("default")
    good = build_brief(brief, theme, tmp_path, ["docx", "pdf"], parallel=False)
    before = {p.name: p.read_bytes() for p in good.outputs}
    early = Early("pdf")
    os.kill(early.pid, signal.SIGKILL)
    time.sleep(0.05)
    with pytest.raises(BuildError, match="pdf builder process died without a result"):
        build_brief(brief, theme, tmp_path, ["docx", "pdf"], early=early)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no partial file either
    assert _no_children_left()


def test_only_the_pdf_starts_early_and_only_with_cores_to_spare(monkeypatch):
    assert Early.worth_it(["docx", "pptx"]) is None
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert Early.worth_it(["docx", "pdf"]) is None
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert Early.worth_it(["pdf"]) == "pdf"


def test_nothing_stays_frozen_from_garbage_collection_after_a_parallel_build(tmp_path):
    """The parent freezes its objects only while it forks: a long-lived ``brief watch`` must not grow."""
    import gc

    brief, _ = load_brief(BRIEFS["minimal"])
    theme, _ = load_theme("default")
    build_brief(brief, theme, tmp_path, ["docx", "pptx"], parallel=True)
    assert gc.get_freeze_count() == 0


def test_builder_processes_never_import_the_yaml_parser_or_the_loaders():
    """Builders receive the model and never read YAML: what a builder process imports shows it."""
    import subprocess
    import sys

    code = ("import sys\n"
            "import builders.build, builders.build_docx.render, builders.build_pptx.render, builders.build_pdf\n"
            "print(sorted(m for m in ('yaml', 'builders.schema', 'builders.loader', 'builders.theme_loader',"
            " 'builders.yamlsource') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
