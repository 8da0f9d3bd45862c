"""One test per rule for broken input: the exact message, and out/ exactly as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders.yamlsource import MAX_BYTES, MAX_DEPTH

from .conftest import ENGLISH, ROOT
from .synthetic import dump


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A previous good build of the English brief (all formats) to protect."""
    out = tmp_path_factory.mktemp("previous")
    r = run("build", str(ENGLISH), "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    return out


def write_theme(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "custom.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_theme(previous, tmp_path):
    before = snapshot(previous)
    theme = write_theme(tmp_path, "extends: default\ncolours:\n  txet: '#000000'\n")
    r = run("build", str(ENGLISH), "--theme", str(theme), "--out", str(previous))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"{theme}:3:3: error: colours: unknown key 'txet' (did you mean 'text'?)"]
    assert snapshot(previous) == before


def test_missing_font(previous, tmp_path):
    before = snapshot(previous)
    theme = write_theme(tmp_path, "extends: default\nfonts:\n  body: {pdf: Nonexistent Serif}\n")
    r = run("build", str(ENGLISH), "--theme", str(theme), "--out", str(previous))
    assert r.returncode == 3, r.stderr
    assert r.stderr.splitlines() == [
        "error: font 'Nonexistent Serif' is not installed (install the font, or point the theme's fonts at a font file)"]
    assert snapshot(previous) == before


def test_missing_cjk_font_names_the_package(tmp_path):
    theme = write_theme(tmp_path, "extends: default\nfonts:\n  body: {pdf: Noto Serif CJK XX}\n")
    r = run("build", str(ENGLISH), "--theme", str(theme), "--out", str(tmp_path / "o"), "--to", "pdf")
    assert r.returncode == 3
    assert "apt-get install fonts-noto-cjk" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run("build", str(ENGLISH), "--out", str(blocker / "sub"))
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"{ENGLISH}: error: cannot create output directory {blocker / 'sub'}: Not a directory"]


def test_interrupted_build_leaves_nothing(previous, tmp_path):
    big = tmp_path / "english-briefing.yaml"
    big.write_text(dump(300, "en-GB"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for p in previous.iterdir():  # pretend the previous good outputs are this brief's
        (out / p.name.replace(ENGLISH.stem, big.stem)).write_bytes(p.read_bytes())
    before = snapshot(out)
    proc = subprocess.Popen([sys.executable, "-m", "builders", "build", str(big), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted; previous outputs left as they were" in err and "Traceback" not in err
    assert snapshot(out) == before


def test_too_large(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (MAX_BYTES + 1) + b"\n")
    r = run("check", str(big))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [f"{big}: error: file is {MAX_BYTES + 4:,} bytes; the limit is {MAX_BYTES:,}"]


def test_too_deep(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("title: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", encoding="utf-8")
    r = run("check", str(deep))
    assert r.stderr.splitlines() == [f"{deep}:1:{7 + MAX_DEPTH}: error: nesting deeper than {MAX_DEPTH} levels"]


def test_missing_tool_named(tmp_path, previous):
    """Without LibreOffice on PATH, previews say which package to install."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("fc-match", "pdftoppm"):
        target = subprocess.run(["which", tool], capture_output=True, text=True).stdout.strip()
        if target:
            (bindir / tool).symlink_to(target)
    r = run("preview", str(ENGLISH), "--out", str(previous), env={"PATH": str(bindir)})
    assert r.returncode == 3
    assert r.stderr.splitlines() == [
        "error: LibreOffice is needed: apt-get install libreoffice-writer libreoffice-impress"]
