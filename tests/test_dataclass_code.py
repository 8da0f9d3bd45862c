"""builders._dataclass_code: dataclass methods compiled once, kept on disk, identical when reused."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

from .conftest import SAMPLE

# Counts, in a file, every dataclass method text that gets compiled, in this process and in
# every process forked from it (audit hooks survive fork).
COUNTER = (
    "import os, sys\n"
    "def hook(event, args):\n"
    "    if event == 'compile' and isinstance(args[0], (str, bytes)) and args[0][:17] in ('def __create_fn__', b'def __create_fn__'):\n"
    "        with open(os.environ['COMPILED_LOG'], 'a') as f: f.write('x\\n')\n"
    "sys.addaudithook(hook)\n"
)

CLASS = (
    "import dataclasses\n"
    "from builders import speedups\n"
    "speedups.install()  # what the brief command does first\n"
    "@dataclasses.dataclass(frozen=True)\n"
    "class Point:\n"
    "    x: int\n"
    "    y: int = 2\n"
    "p = Point(1)\n"
    "try:\n"
    "    p.x = 5\n"
    "except dataclasses.FrozenInstanceError:\n"
    "    frozen = True\n"
    "print(repr(p), p == Point(1, 2), hash(p) == hash(Point(1)), frozen,\n"
    "      Point.__init__.__annotations__['return'] is None)\n"
)


def _run(code: str, cache: Path, log: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(BRIEF_CACHE_DIR=str(cache), COMPILED_LOG=str(log), **env)
    done = subprocess.run([sys.executable, "-c", COUNTER + code], capture_output=True, text=True,
                          env=environ, check=True)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout.strip()


def _compiled(log: Path) -> int:
    n = len(log.read_text().splitlines()) if log.exists() else 0
    log.unlink(missing_ok=True)
    return n


def _table(cache: Path) -> Path:
    (table,) = (cache / "code").glob("dataclasses.*.marshal")
    return table


def test_second_run_compiles_nothing_and_classes_behave_the_same(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    expected = "Point(x=1, y=2) True True True True"
    assert _run(CLASS, cache, log) == expected
    assert _compiled(log) > 0
    texts = marshal.loads(_table(cache).read_bytes())
    assert any("def __init__" in t and "_dflt_y" in t for t in texts)
    assert _run(CLASS, cache, log) == expected  # same behaviour, from the table
    assert _compiled(log) == 0


def test_reused_code_is_what_compiling_gives(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    _run(CLASS, cache, log)
    for text, code in marshal.loads(_table(cache).read_bytes()).items():
        fresh = compile(text, "<string>", "exec", dont_inherit=True)
        assert marshal.dumps(code) == marshal.dumps(fresh)


def test_a_whole_build_compiles_no_dataclass_twice(tmp_path):
    """The forked builder processes save theirs too."""
    cache, log = tmp_path / "cache", tmp_path / "log"
    build = (f"import sys\nsys.argv = ['brief', 'build', {str(SAMPLE)!r}, '--out', {str(tmp_path / 'out')!r}, '-q']\n"
             "from brief_cli import main\nsys.exit(main())\n")
    _run(build, cache, log)
    assert _compiled(log) > 50
    _run(build, cache, log)
    assert _compiled(log) == 0
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf", ".pptx"]


def test_a_damaged_table_is_compiled_around_and_replaced(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    table = cache / "code" / f"dataclasses.{sys.implementation.cache_tag}.marshal"
    table.parent.mkdir(parents=True)
    for damage in (b"", b"\x00garbage", marshal.dumps({"text": 42}), marshal.dumps([1, 2])):
        table.write_bytes(damage)
        assert _run(CLASS, cache, log).endswith("True True True True")
        assert _compiled(log) > 0
        assert all(isinstance(v, type(_compiled.__code__)) for v in marshal.loads(table.read_bytes()).values())


def test_no_table_written_when_python_is_told_not_to_write_bytecode(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    _run(CLASS, cache, log, PYTHONDONTWRITEBYTECODE="1")
    assert not (cache / "code").exists()


def test_a_read_only_cache_directory_is_no_error(tmp_path):
    if os.geteuid() == 0:
        cache = tmp_path / "file-not-dir"  # root writes anywhere: block the directory with a file
        cache.write_text("")
    else:
        cache = tmp_path / "ro"
        cache.mkdir(mode=0o500)
    log = tmp_path / "log"
    assert _run(CLASS, cache, log).endswith("True True True True")
    assert _run(CLASS, cache, log).endswith("True True True True")
    assert not list(tmp_path.glob("**/*.tmp"))


def test_the_table_starts_afresh_when_full(tmp_path, monkeypatch):
    from builders import _dataclass_code as dc

    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    old = {f"def __create_fn__():\n def f{i}(): pass\n return f{i}": compile("pass", "<string>", "exec")
           for i in range(dc.MAX_ENTRIES)}
    Path(dc.cache_file()).parent.mkdir(parents=True)
    Path(dc.cache_file()).write_bytes(marshal.dumps(old))
    monkeypatch.setattr(dc, "_new", {"def __create_fn__():\n def g(): pass\n return g": compile("pass", "<s>", "exec")})
    dc.save()
    assert list(marshal.loads(Path(dc.cache_file()).read_bytes())) == ["def __create_fn__():\n def g(): pass\n return g"]
