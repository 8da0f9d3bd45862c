"""One test per rule for broken input: the exact message, and out/ exactly as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builders.yamlsource import MAX_BYTES, MAX_DEPTH

from .conftest import ENGLISH, ROOT


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


# Runs `brief build` with each builder replaced by one that writes half its file, reports on the pipe
# whose descriptor is argv[1] that it has started, and blocks: the interrupt then certainly comes mid-build.
BLOCKING_BUILD = textwrap.dedent('''
    import os, signal, sys
    from builders import cli, registry

    started = int(sys.argv[1])

    def build(document, theme, path, log):
        with open(path, "wb") as f:
            f.write(b"half a file")
        os.write(started, b"x")
        while True:
            signal.pause()

    for fmt in registry.FORMATS:
        registry.builder(fmt).build = build
    sys.exit(cli.main(sys.argv[2:]))
''')


def test_interrupted_build_leaves_nothing(previous, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for p in previous.iterdir():
        (out / p.name).write_bytes(p.read_bytes())
    before = snapshot(out)
    script = tmp_path / "blocking.py"
    script.write_text(BLOCKING_BUILD, encoding="utf-8")
    read_end, write_end = os.pipe()
    proc = subprocess.Popen([sys.executable, str(script), str(write_end), "build", str(ENGLISH), "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, pass_fds=(write_end,), env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as started:  # an event per builder that has begun writing its file
            assert len(started.read(1) + started.read(1) + started.read(1)) == 3
    finally:
        os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted; previous outputs left as they were" in err and "Traceback" not in err
    assert snapshot(out) == before  # no half file, no partial left


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
