"""brief watch: workers forked once before any thread, only changed formats rebuilt, a dead worker replaced by
building in the main thread, Ctrl-C in one line.  No test here waits for time to pass: each waits for a line
the watcher prints (the time limits only stop a broken watcher from hanging the suite)."""
from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
import threading
import types
from dataclasses import replace
from pathlib import Path

import pytest

from builders import registry, watch

from .conftest import MINIMAL, ROOT

# A builder per format that writes the process it ran in and the document's title: cheap, and it tells
# which process built what.
FAKE = '''
import os
from pathlib import Path


def build(document, theme, path, log):
    Path(path).write_text(f"{os.getpid()} {document.title_text}", encoding="utf-8")
'''


@pytest.fixture
def fake_builders(monkeypatch):
    module = types.ModuleType("builders._fake")
    exec(FAKE, module.__dict__)
    monkeypatch.setitem(sys.modules, "builders._fake", module)
    monkeypatch.setattr(registry, "DESCRIPTORS", tuple(replace(f, module="builders._fake")
                                                      for f in registry.DESCRIPTORS))


@pytest.fixture
def brief(tmp_path) -> Path:
    path = tmp_path / "minimal.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def outputs(out: Path, name: str) -> dict[str, str]:
    return {fmt: (out / f"{name}.{fmt}").read_text(encoding="utf-8") for fmt in registry.FORMATS}


def test_workers_build_and_only_changed_outputs_are_rewritten(fake_builders, brief, tmp_path):
    out, lines = tmp_path / "out", []
    workers = watch.Workers()
    workers.start()
    try:
        pids = {fmt: w.pid for fmt, w in workers.workers.items()}
        assert sorted(pids) == sorted(registry.FORMATS) and os.getpid() not in pids.values()
        rebuilder = watch.Rebuilder("default", out, workers, lines.append)

        rebuilder.rebuild([brief], "start", everything=True)
        first = outputs(out, brief.stem)
        assert first == {fmt: f"{pids[fmt]} Minimal brief" for fmt in registry.FORMATS}  # each in its worker
        stats = {fmt: (out / f"{brief.stem}.{fmt}").stat().st_mtime_ns for fmt in registry.FORMATS}

        rebuilder.rebuild([brief], "minimal.yaml changed")  # saved without a change
        assert "minimal.yaml changed: outputs of minimal.yaml unchanged in " in lines[-1]
        assert {fmt: (out / f"{brief.stem}.{fmt}").stat().st_mtime_ns for fmt in registry.FORMATS} == stats

        (out / f"{brief.stem}.pptx").unlink()  # a file in place that is not the one written: rebuilt
        rebuilder.rebuild([brief], "minimal.yaml changed")
        assert "rebuilt minimal.yaml (pptx); docx, pdf unchanged in " in lines[-1]

        brief.write_text(brief.read_text(encoding="utf-8").replace("Minimal brief", "Renamed brief"), encoding="utf-8")
        rebuilder.rebuild([brief], "minimal.yaml changed")
        assert "rebuilt minimal.yaml (docx, pptx, pdf) in " in lines[-1]
        assert outputs(out, brief.stem) == {fmt: f"{pids[fmt]} Renamed brief" for fmt in registry.FORMATS}

        brief.write_text("title: [unclosed\n", encoding="utf-8")
        rebuilder.rebuild([brief], "minimal.yaml changed")
        assert "minimal.yaml not rebuilt (1 problem(s)); previous outputs kept" in lines[-2]
        assert outputs(out, brief.stem)["pdf"].endswith("Renamed brief")
        assert not [p for p in out.iterdir() if ".partial-" in p.name]
    finally:
        workers.stop()
    assert all(w.pid is None for w in workers.workers.values())


def test_a_dead_worker_is_not_forked_again_its_format_is_built_here(fake_builders, brief, tmp_path):
    out, lines = tmp_path / "out", []
    workers = watch.Workers()
    workers.start()
    try:
        dead = workers.workers["pdf"].pid
        os.kill(dead, signal.SIGKILL)
        watch.Rebuilder("default", out, workers, lines.append).rebuild([brief], "start", everything=True)
        assert "rebuilt minimal.yaml (docx, pptx, pdf)" in lines[-1]
        assert outputs(out, brief.stem)["pdf"] == f"{os.getpid()} Minimal brief"
        assert "pdf" not in workers.workers
    finally:
        workers.stop()


def test_no_fork_once_a_thread_runs(fake_builders, brief, tmp_path):
    """As with watchfiles' thread running: no worker is forked, every format is built in this process."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert watch.os_threads() >= 2
        workers = watch.Workers()
        workers.start()
        assert workers.workers == {}
        lines = []
        watch.Rebuilder("default", tmp_path / "out", workers, lines.append).rebuild([brief], "start", everything=True)
        assert set(outputs(tmp_path / "out", brief.stem).values()) == {f"{os.getpid()} Minimal brief"}
    finally:
        release.set()
        thread.join()


def _watcher(change: str = "") -> str:
    """A script running ``brief`` with every format built by the fake builder (``FAKE``), changed by
    ``change`` (code run on ``module``, the fake, before the command starts)."""
    return textwrap.dedent(f'''
        import os, signal, sys, types
        from dataclasses import replace
        from pathlib import Path
        from builders import registry, cli
        module = types.ModuleType("builders._fake")
        exec({FAKE!r}, module.__dict__)
        exec({textwrap.dedent(change)!r})
        sys.modules["builders._fake"] = module
        registry.DESCRIPTORS = tuple(replace(f, module="builders._fake") for f in registry.DESCRIPTORS)
        sys.exit(cli.main(sys.argv[1:]))
    ''')


def test_watch_rebuilds_on_save_and_stops_on_ctrl_c_in_one_line(brief, tmp_path):
    script = tmp_path / "watcher.py"
    script.write_text(_watcher(), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-W", "error", str(script), "watch", str(brief), "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert "rebuilt minimal.yaml (docx, pptx, pdf)" in _line(proc)
        assert _line(proc).startswith("watching ")
        brief.write_text(brief.read_text(encoding="utf-8").replace("Minimal brief", "Saved brief"), encoding="utf-8")
        line = _line(proc)
        assert "minimal.yaml changed: rebuilt minimal.yaml (docx, pptx, pdf) in " in line
        assert set(outputs(out, brief.stem).values()) != {f"{proc.pid} Saved brief"}  # built in the workers
        assert all(v.endswith(" Saved brief") for v in outputs(out, brief.stem).values())
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == ""  # no traceback, no warning (-W error), workers quiet
    assert not [p for p in out.iterdir() if ".partial-" in p.name]


# The save that names the brief "Blocked brief" blocks every builder until the watcher is interrupted.
BLOCKING = '''
fast = module.build

def build(document, theme, path, log):
    if document.title_text != "Blocked brief":
        return fast(document, theme, path, log)
    Path(path).write_bytes(b"half a file")
    os.write(1, b"blocked\\n")  # the test's event (one write: the workers share the pipe)
    while True:
        signal.pause()

module.build = build
'''


def test_ctrl_c_during_a_rebuild_stops_the_workers_and_keeps_the_outputs(brief, tmp_path):
    script = tmp_path / "watcher.py"
    script.write_text(_watcher(BLOCKING), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(script), "watch", str(brief), "--out", str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert "rebuilt minimal.yaml" in _line(proc) and _line(proc).startswith("watching ")
        before = outputs(out, brief.stem)
        brief.write_text(brief.read_text(encoding="utf-8").replace("Minimal brief", "Blocked brief"), encoding="utf-8")
        assert [_line(proc) for _ in registry.FORMATS] == ["blocked\n"] * len(registry.FORMATS)
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C in a terminal: the whole group
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == ""
    assert outputs(out, brief.stem) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{brief.stem}.{fmt}" for fmt in registry.FORMATS)


_pending: dict[int, bytes] = {}  # per watcher: what was read past the last whole line


def _line(proc: subprocess.Popen, limit: float = 120) -> str:
    """The watcher's next line of output (the limit only stops a broken watcher from hanging the suite).

    Read from the descriptor, not the buffered file: lines that arrive together must not hide in a
    buffer that select() cannot see.
    """
    fd = proc.stdout.fileno()
    data = _pending.get(proc.pid, b"")
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while b"\n" not in data:
            if not sel.select(limit):
                pytest.fail(f"the watcher printed nothing more (so far: {data!r})")
            chunk = os.read(fd, 65536)
            if not chunk:
                pytest.fail(f"the watcher ended (so far: {data!r})")
            data += chunk
    line, _, _pending[proc.pid] = data.partition(b"\n")
    return line.decode("utf-8") + "\n"
