"""Issue 16, YAML: merge-key cycles, long merge and ``extends`` chains, and unbounded streams end in one
positioned error line and exit 2, never a RecursionError traceback or a read that never ends."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from builders.theme import THEMES_DIR
from builders.yamlsource import MAX_BYTES, MAX_MERGE_DEPTH
from builders.theme_loader import MAX_EXTENDS

from .conftest import MINIMAL, ROOT

BASE = MINIMAL.read_text(encoding="utf-8").replace("authors:\n  - name: A. Author\n", "")


def run(*args: str, stdin=None, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", *args], cwd=ROOT, capture_output=True,
                          stdin=stdin, input=input, timeout=600)


def lines(r: subprocess.CompletedProcess) -> list[str]:
    return r.stderr.decode().splitlines()


def test_merge_key_referring_to_itself(tmp_path):
    brief = tmp_path / "self.yaml"
    brief.write_text(BASE + "authors:\n  - &a\n    <<: *a\n    name: X\n", encoding="utf-8")
    line = BASE.count("\n") + 3
    message = f"{brief}:{line}:5: error: merge key (<<) refers to a mapping that contains it (a cycle)"
    r = run("check", str(brief))
    assert r.returncode == 2 and lines(r) == [message]
    out = tmp_path / "out"
    out.mkdir()
    (out / "self.pdf").write_bytes(b"previous")
    r = run("build", str(brief), "--out", str(out))
    assert r.returncode == 2 and lines(r) == [message]
    assert [(p.name, p.read_bytes()) for p in out.iterdir()] == [("self.pdf", b"previous")]


def test_thousand_merges_in_a_chain(tmp_path):
    items = ["  - &m0\n    name: A\n"] + [f"  - &m{i}\n    <<: *m{i - 1}\n" for i in range(1, 1000)]
    brief = tmp_path / "chain.yaml"
    brief.write_text(BASE + "authors:\n" + "".join(items), encoding="utf-8")
    # Item i's "<<" is on line base + 2 + 2 * i; the first one too deep is item MAX_MERGE_DEPTH + 1.
    line = BASE.count("\n") + 2 + 2 * (MAX_MERGE_DEPTH + 1) + 1
    r = run("check", str(brief))
    assert r.returncode == 2
    assert lines(r) == [f"{brief}:{line}:5: error: merge keys (<<) chained more than {MAX_MERGE_DEPTH} deep"]


def test_thousand_themes_extending_each_other(tmp_path):
    (tmp_path / "t0.yaml").write_text((THEMES_DIR / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for i in range(1, 1000):
        (tmp_path / f"t{i}.yaml").write_text(f"audience: level {i}\nextends: t{i - 1}\n", encoding="utf-8")
    top = tmp_path / "t999.yaml"
    r = run("build", str(MINIMAL), "--theme", str(top), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    stopped = tmp_path / f"t{999 - MAX_EXTENDS + 1}.yaml"  # the 20th theme of the chain may not extend a 21st
    assert lines(r) == [f"{stopped}:2:10: error: extends: more than {MAX_EXTENDS} themes in the chain"]
    assert not (tmp_path / "out").exists()


def test_theme_extends_cycle_points_at_the_extends_line(tmp_path):
    (tmp_path / "a.yaml").write_text("audience: a\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# b\n\nextends: a\n", encoding="utf-8")
    r = run("build", str(MINIMAL), "--theme", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out"))
    assert r.returncode == 2
    assert lines(r) == [f"{tmp_path / 'b.yaml'}:3:10: error: extends: cycle a -> b -> a"]


def test_dev_zero_stops_at_the_limit():
    r = run("check", "/dev/zero")
    assert r.returncode == 2
    assert lines(r) == [f"/dev/zero: error: input is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"]


def test_stdin_pipe_stops_at_the_limit():
    """A writer that never stops: the check must give up at the limit (the writer then sees a broken pipe)."""
    proc = subprocess.Popen([sys.executable, "-m", "builders", "check", "/dev/stdin"], cwd=ROOT,
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        block = b"# " + b"x" * 65533 + b"\n"
        try:
            while True:
                proc.stdin.write(block)
        except (BrokenPipeError, ValueError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=600) == 2
    assert err.splitlines() == [f"/dev/stdin: error: input is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"]


def test_fifo_stops_at_the_limit(tmp_path):
    fifo = tmp_path / "brief.yaml"
    os.mkfifo(fifo)
    proc = subprocess.Popen([sys.executable, "-m", "builders", "check", str(fifo)], cwd=ROOT, stderr=subprocess.PIPE)
    with open(fifo, "wb", buffering=0) as w:  # opens once the reader has; the write fails once it has given up
        try:
            while True:
                w.write(b"# " + b"y" * 65533 + b"\n")
        except BrokenPipeError:
            pass
    assert proc.wait(timeout=600) == 2
    assert proc.stderr.read().decode().splitlines() == [
        f"{fifo}: error: input is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}"]


def test_small_brief_through_a_pipe_is_fine():
    r = run("check", "/dev/stdin", input=MINIMAL.read_bytes())
    assert r.returncode == 0 and r.stderr == b""
