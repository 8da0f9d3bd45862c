"""Issue 16, all or nothing even when killed: builder processes die with their parent, a killed build's
partial files are removed by the next build, a rename that fails midway is undone, and environment
failures (a full disk, LibreOffice) are one plain line with exit 1.

No test waits for a time to pass: a fake builder announces itself by creating a file and then blocks
until killed, and process deaths are awaited by a bounded poll of the process table.
"""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from builders import cli
from builders.build import build_brief, remove_stale_partials
from builders.errors import EnvironmentFailure, OfficeFailure
from builders.loader import load_brief
from builders.theme import load_theme

from .conftest import MINIMAL, ROOT

# A parent that builds in forked children, where the docx and PDF builders are fakes: each writes part
# of its output, announces its pid (an event the test waits for) and blocks until killed.
PARENT = textwrap.dedent('''
    import os, signal, sys
    import builders.build_docx as docx_builder
    import builders.build_pdf as pdf_builder
    from builders import cli

    events = sys.argv[1]

    def build(brief, theme, path, log):
        with open(path, "wb") as f:
            f.write(b"half a report")
        with open(os.path.join(events, f"child-{os.getpid()}.tmp"), "w") as f:
            f.write(str(os.getppid()))
        os.rename(os.path.join(events, f"child-{os.getpid()}.tmp"), os.path.join(events, f"child-{os.getpid()}"))
        while True:
            signal.pause()

    docx_builder.build = pdf_builder.build = build
    os.cpu_count = lambda: 4  # children even on a one-core machine
    sys.exit(cli.main(sys.argv[2:]))
''')


def gone(pid: int) -> bool:
    """No such process, or only its zombie (dead, waiting for whoever reaps orphans)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_for(condition, what: str, limit: float = 120.0):
    """Poll ``condition`` until it holds; the limit only stops a broken build from hanging the suite."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.01)
    return condition()


def start_parent(tmp_path: Path, out: Path, formats: str = "docx,pptx") -> tuple[subprocess.Popen, list[int]]:
    """The parent, once every fake builder in ``formats`` has started (and blocked); their pids."""
    events = tmp_path / "events"
    events.mkdir()
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(events), "build", str(MINIMAL), "--to", formats,
                             "--out", str(out), "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    blocking = len({"docx", "pdf"} & set(formats.split(",")))
    started = wait_for(lambda: len([p for p in events.iterdir() if not p.name.endswith(".tmp")]) == blocking
                       and [p for p in events.iterdir() if not p.name.endswith(".tmp")], "the fake builders started")
    assert all(int(p.read_text()) == proc.pid for p in started)
    return proc, [int(p.name.split("-")[1]) for p in started]


def previous_outputs(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    files = {f"{MINIMAL.stem}.docx": b"previous report", f"{MINIMAL.stem}.pptx": b"previous deck"}
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def listing(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.mark.parametrize("formats", ["docx,pptx", "docx,pdf"], ids=["docx-pptx", "docx-pdf"])
def test_children_die_with_a_killed_parent_and_the_next_build_cleans_up(tmp_path, formats):
    out = tmp_path / "out"
    before = previous_outputs(out)
    proc, children = start_parent(tmp_path, out, formats)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    wait_for(lambda: all(gone(child) for child in children), "the blocked builder processes died with their parent")
    _, err = proc.communicate(timeout=60)
    assert err == ""  # no BrokenPipeError traceback from a child
    partials = sorted(p.name for p in out.iterdir() if ".partial-" in p.name)
    assert f".{MINIMAL.stem}.docx.partial-{proc.pid}" in partials  # what the killed build left
    assert {k: v for k, v in listing(out).items() if ".partial-" not in k} == before

    r = subprocess.run([sys.executable, "-m", "builders", "build", str(MINIMAL), "--to", formats,
                        "--out", str(out), "-q"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    wanted = {f"{MINIMAL.stem}.{fmt}" for fmt in formats.split(",")} | set(before)
    assert sorted(listing(out)) == sorted(wanted)  # no partial left


def test_sigterm_stops_the_children_and_keeps_the_old_files(tmp_path):
    out = tmp_path / "out"
    before = previous_outputs(out)
    proc, children = start_parent(tmp_path, out, "docx,pptx,pdf")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.splitlines() == ["terminated; previous outputs left as they were"]
    assert len(children) == 2 and all(gone(child) for child in children)  # reaped by the parent before it exited
    assert listing(out) == before


def test_a_child_whose_parent_is_gone_exits_quietly(tmp_path, monkeypatch):
    """Without PR_SET_PDEATHSIG (other systems) the closed pipe ends the child: status 1, nothing printed."""
    from builders import build

    brief, _ = load_brief(MINIMAL)
    theme, _ = load_theme("default")
    monkeypatch.setattr(build, "_build_one", lambda fmt, brief, theme, tmp: tmp.write_bytes(b"done") and [])
    err_file = tmp_path / "stderr"
    tmp = tmp_path / ".minimal.docx.partial-1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the parent has gone
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: never back into pytest
        try:
            fd = os.open(err_file, os.O_WRONLY | os.O_CREAT)
            os.dup2(fd, 2)
            build._child("docx", brief, theme, tmp, write_end)
        finally:
            os._exit(2)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 1
    assert err_file.read_text() == ""
    assert not tmp.exists()


def test_stale_partials_of_dead_builds_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    live_pid = os.getppid()  # pytest's parent is alive while this runs
    names = [f".minimal.docx.partial-{dead_pid}", f".minimal.pdf.partial-{dead_pid}",
             f".minimal.docx.old-{dead_pid}",  # its output is there: a leftover
             f".minimal.pptx.partial-{live_pid}", f".other.docx.partial-{dead_pid}", "minimal.docx"]
    for n in names:
        (tmp_path / n).write_bytes(b"x")
    (tmp_path / f".minimal.pdf.old-{dead_pid}").write_bytes(b"previous pdf")  # killed before it was replaced
    removed = remove_stale_partials(tmp_path, "minimal")
    assert sorted(p.name for p in removed) == sorted(names[:3] + [f".minimal.pdf.old-{dead_pid}"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[3:] + ["minimal.pdf"])
    assert (tmp_path / "minimal.pdf").read_bytes() == b"previous pdf"


def test_a_rename_that_fails_midway_is_rolled_back(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{MINIMAL.stem}.docx").write_bytes(b"previous report")
    (out / f"{MINIMAL.stem}.pptx").write_bytes(b"previous deck")
    (out / f"{MINIMAL.stem}.pdf").mkdir()  # the PDF's rename fails, after the docx and pptx ones succeeded
    (out / f"{MINIMAL.stem}.pdf" / "keep").write_bytes(b"mine")
    status = cli.main(["build", str(MINIMAL), "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.splitlines() == [f"{MINIMAL}: error: cannot replace {out / MINIMAL.stem}.pdf: Is a directory; "
                                "previous outputs left as they were"]
    assert listing(out) == {f"{MINIMAL.stem}.docx": b"previous report", f"{MINIMAL.stem}.pptx": b"previous deck"}
    assert (out / f"{MINIMAL.stem}.pdf" / "keep").read_bytes() == b"mine"
    assert sorted(p.name for p in out.iterdir()) == [f"{MINIMAL.stem}.docx", f"{MINIMAL.stem}.pdf",
                                                     f"{MINIMAL.stem}.pptx"]


def test_disk_full_is_an_environment_error(tmp_path, capsys, monkeypatch):
    import builders.build_docx as docx_builder

    def full(brief, theme, path, log):
        with open(path, "wb") as f:
            f.write(b"the start of a report")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(docx_builder, "build", full)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{MINIMAL.stem}.docx").write_bytes(b"previous report")
    status = cli.main(["build", str(MINIMAL), "--to", "docx", "--out", str(out), "-q"])
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{MINIMAL}: error: cannot write {out / MINIMAL.stem}.docx: No space left on device"]
    assert listing(out) == {f"{MINIMAL.stem}.docx": b"previous report"}


def test_a_real_bug_still_asks_to_be_reported(tmp_path, capsys, monkeypatch):
    import builders.build_docx as docx_builder

    def buggy(brief, theme, path, log):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(docx_builder, "build", buggy)
    status = cli.main(["build", str(MINIMAL), "--to", "docx", "--out", str(tmp_path), "-q"])
    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{MINIMAL}: error: internal error in the docx builder: ZeroDivisionError: division by zero "
        "(set BRIEF_DEBUG=1 for the traceback, and please report it)"]


def test_libreoffice_failing_is_one_line(tmp_path, monkeypatch):
    from builders import office

    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'javaldx: noise' >&2\necho 'Error: source file could not be loaded' >&2\n"
                    "exit 81\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    src = tmp_path / "deck.pptx"
    src.write_bytes(b"not a deck")
    with pytest.raises(OfficeFailure) as exc:
        office.convert_to_pdf(src, tmp_path / "pdf")
    assert str(exc.value) == f"LibreOffice could not convert {src}: Error: source file could not be loaded"
    assert isinstance(exc.value, EnvironmentFailure)


def test_libreoffice_failing_in_preview_exits_1(tmp_path):
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexit 81\n")
    fake.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{MINIMAL.stem}.docx").write_bytes(b"a report")
    r = subprocess.run([sys.executable, "-m", "builders", "preview", str(MINIMAL), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True,
                       env={**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"})
    assert r.returncode == 1
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith("error: LibreOffice could not convert ")
    assert lines[0].endswith(": it exited with status 81 and wrote nothing")


def test_ctrl_c_during_start_up_is_one_line(tmp_path, capsys, monkeypatch):
    """An interrupt before any brief is read (the theme loading here) still leaves no process behind."""
    from builders import theme

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(theme, "load_theme", interrupted)
    status = cli.main(["build", str(MINIMAL), "--out", str(tmp_path / "out")])
    assert status == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted; previous outputs left as they were"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no builder process was left unreaped


def test_ctrl_c_while_parsing_arguments_is_one_line(capsys, monkeypatch):
    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_parser", interrupted)
    assert cli.main(["check", str(MINIMAL)]) == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted; previous outputs left as they were"]


@pytest.mark.parametrize("entry", ["brief_cli", "builders.__main__"])
def test_ctrl_c_while_the_package_is_imported_is_one_line(entry):
    """The console script's module, and ``python -m builders``: an interrupt while ``builders.cli`` is
    imported (made certain here by an import hook that raises it) is one line and status 130."""
    code = textwrap.dedent(f'''
        import builtins, runpy, sys
        real = builtins.__import__
        def interrupting(name, *args, **kwargs):
            if name in ("builders.cli", "cli"):  # "from builders.cli import main", "from .cli import main"
                raise KeyboardInterrupt
            return real(name, *args, **kwargs)
        builtins.__import__ = interrupting
        if "{entry}" == "brief_cli":
            import brief_cli
            sys.exit(brief_cli.main())
        runpy.run_module("builders", run_name="__main__", alter_sys=True)
    ''')
    r = subprocess.run([sys.executable, "-c", code, "check", str(MINIMAL)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 130
    assert r.stderr.splitlines() == ["interrupted; previous outputs left as they were"]


def test_a_failing_tool_in_verify_is_one_line():
    from builders.errors import ToolFailure
    from builders.verify.extract import run

    with pytest.raises(ToolFailure) as exc:
        run(["sh", "-c", "echo 'noise' >&2; echo 'Syntax Error: broken file' >&2; exit 3"], "poppler-utils")
    assert str(exc.value) == "sh failed: Syntax Error: broken file"
    assert isinstance(exc.value, EnvironmentFailure) and isinstance(exc.value, RuntimeError)
