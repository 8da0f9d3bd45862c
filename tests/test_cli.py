"""The `brief` command: exit statuses, one-line messages, never a traceback; atomic outputs."""
from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from builders import registry
from builders.build import build_brief
from builders.errors import BuildError
from builders.loader import load_brief
from builders.theme import load_theme

from .conftest import ENGLISH, ROOT, SAMPLE


def brief(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_help_for_every_command():
    for cmd in ([], ["check"], ["build"], ["themes"], ["schema"]):
        r = brief(*cmd, "--help")
        assert r.returncode == 0 and "usage: brief" in r.stdout


def test_check_good_briefs():
    r = brief("check", str(SAMPLE), str(ENGLISH))
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout == "checked 2 briefs: no problems\n"


def test_check_without_a_file_checks_source_under_the_current_directory(tmp_path):
    (tmp_path / "source").mkdir()
    for path in (SAMPLE, ENGLISH):
        (tmp_path / "source" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "source" / "broken.yaml").write_text("title: T\n", encoding="utf-8")
    r = brief("check", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("source/broken.yaml:")
    assert r.stdout == "checked 3 briefs: 1 invalid\n"


def test_check_without_a_file_and_no_source_folder_is_one_line(tmp_path):
    r = brief("check", cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert r.returncode == 2
    assert r.stderr.splitlines() == ["source: error: no brief given, and no source/*.yaml in the current directory"]


def test_build_help_says_where_the_outputs_go_and_build_does_so(tmp_path):
    text = " ".join(brief("build", "--help").stdout.split())
    assert "into out/<theme>/, or into DIR itself with --out DIR" in text
    assert "--out DIR write the outputs into DIR itself (default: out/<theme>)" in text
    r = brief("build", str(ENGLISH), "--to", "docx", "--out", str(tmp_path / "here"))
    assert r.returncode == 0, r.stderr
    assert [p.name for p in (tmp_path / "here").iterdir()] == [f"{ENGLISH.stem}.docx"]
    assert r.stdout.startswith(f"built {tmp_path / 'here' / ENGLISH.stem}.docx in ")


def test_check_bad_brief_exit_2_all_problems_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nauthors: []\nsumary: S\n", encoding="utf-8")
    r = brief("check", str(bad), str(SAMPLE))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert f"{bad}:2:10: error: authors: expected at least 1 item(s), got 0" in lines
    assert f"{bad}:3:1: error: unknown key 'sumary' (did you mean 'summary'?)" in lines
    assert all(ln.startswith(f"{bad}:") and ": error: " in ln for ln in lines)


def test_check_strict_fails_on_warnings(tmp_path):
    p = tmp_path / "ctl.yaml"
    p.write_text(SAMPLE.read_text(encoding="utf-8").replace("title: ", "title: \x07", 1), encoding="utf-8")
    assert brief("check", str(p)).returncode == 0
    r = brief("check", "--strict", str(p))
    assert r.returncode == 2 and "warning: control character(s) U+0007 removed" in r.stderr


def test_unknown_theme_lists_available():
    r = brief("build", str(SAMPLE), "--theme", "nosuch", "--out", "/tmp/never")
    assert r.returncode == 2
    from builders.theme import available

    assert r.stderr == f"error: unknown theme 'nosuch'; available themes: {', '.join(available())}\n"


def test_unknown_format():
    r = brief("build", str(SAMPLE), "--to", "odt")
    assert r.returncode == 2 and "unknown format 'odt'; choose from docx,pptx,pdf" in r.stderr


def test_themes_lists_one_line_each():
    r = brief("themes")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines and all(len(ln.split(None, 1)) == 2 for ln in lines)


def test_build_all_formats(tmp_path):
    r = brief("build", str(ENGLISH), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{ENGLISH.stem}.{ext}" for ext in ("docx", "pdf", "pptx")]


def test_build_bad_brief_keeps_previous_outputs(tmp_path):
    out = tmp_path / "out"
    src = tmp_path / "b.yaml"
    src.write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    assert brief("build", str(src), "--out", str(out), "--to", "docx").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    src.write_text("title: [unclosed\n", encoding="utf-8")
    r = brief("build", str(src), "--out", str(out), "--to", "docx")
    assert r.returncode == 2 and r.stderr.startswith(f"{src}:")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = brief("build", str(ENGLISH), "--out", str(blocker / "sub"), "--to", "docx")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "cannot create output directory" in r.stderr


def _use_builder(monkeypatch, fmt: str, module: str) -> None:
    """Make ``module`` the builder of ``fmt`` (the descriptors are the one list the build reads)."""
    from dataclasses import replace

    monkeypatch.setattr(registry, "DESCRIPTORS", tuple(
        replace(f, module=module) if f.name == fmt else f for f in registry.DESCRIPTORS))


@pytest.fixture
def failing_pdf(monkeypatch):
    """A pdf builder that writes half a file and then fails."""
    mod = types.ModuleType("builders._failing")

    def build(brief, theme, path, log):
        Path(path).write_bytes(b"%PDF-half")
        raise BuildError("simulated failure", "pdf")

    mod.build = build
    sys.modules["builders._failing"] = mod
    _use_builder(monkeypatch, "pdf", "builders._failing")
    yield
    del sys.modules["builders._failing"]


def test_failed_format_changes_nothing(tmp_path, failing_pdf):
    b, _ = load_brief(ENGLISH)
    t, _ = load_theme()
    (tmp_path / f"{b.name}.docx").write_bytes(b"previous good docx")
    with pytest.raises(BuildError):
        build_brief(b, t, tmp_path, ["docx", "pdf"], parallel=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{b.name}.docx"]
    assert (tmp_path / f"{b.name}.docx").read_bytes() == b"previous good docx"


def test_strict_turns_warnings_into_failure(tmp_path, monkeypatch):
    mod = types.ModuleType("builders._warning")
    mod.build = lambda brief, theme, path, log: (Path(path).write_bytes(b"x"), log.warn("cases[x]", "cannot render"))
    sys.modules["builders._warning"] = mod
    _use_builder(monkeypatch, "pdf", "builders._warning")
    b, _ = load_brief(ENGLISH)
    t, _ = load_theme()
    result = build_brief(b, t, tmp_path / "lax", ["pdf"], parallel=False)
    assert [str(w) for w in result.warnings] == [f"{ENGLISH}: warning: [pdf] cases[x]: cannot render"]
    with pytest.raises(BuildError, match="with --strict"):
        build_brief(b, t, tmp_path / "strict", ["pdf"], strict=True, parallel=False)
    assert list((tmp_path / "strict").iterdir()) == []
    del sys.modules["builders._warning"]
