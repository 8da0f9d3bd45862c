"""builders.speedups: the speed tricks are the command line's only; importing the package changes nothing
outside it, and BRIEF_PLAIN=1 turns every trick off without changing a byte of the outputs (issue 20)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from .conftest import ROOT, SAMPLE

# Imports every module of the package a build touches, builders included, and reports what outside
# the package differs from a fresh interpreter's: dataclasses' exec, re.compile, stand-in modules
# (lazy urllib.request, Pillow, XlsxWriter), the cache directory.
PROBE = textwrap.dedent('''
    import dataclasses, os, re, sys, types
    real_compile = re.compile
    import builders, builders.cli, builders.build, builders.loader, builders.schema, builders.watch
    import builders.build_docx, builders.build_pptx, builders.build_pdf
    from builders.build_pptx import chart
    stand_ins = sorted(n for n, m in sys.modules.items()
                       if type(m) is types.ModuleType and "__getattr__" in vars(m) and "__file__" not in vars(m))
    print("exec" in vars(dataclasses), re.compile is real_compile, stand_ins,
          "xlsxwriter" in sys.modules or "pptx.chart.xlsx" not in sys.modules,
          os.path.exists(os.environ["BRIEF_CACHE_DIR"]))
''')


def _env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BRIEF_PLAIN")}
    return {**env, "BRIEF_CACHE_DIR": str(tmp_path / "cache"), **extra}


def test_importing_the_package_changes_nothing_outside_it(tmp_path):
    r = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=_env(tmp_path), cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", "[]", "True", "False"]
    assert not (tmp_path / "cache").exists()  # nothing written at exit either (the dataclass code table)


def test_the_command_installs_the_tricks_and_brief_plain_turns_each_off(tmp_path):
    code = ("import sys; from builders import speedups; speedups.install(); "
            "import dataclasses, builders._imports as i; "
            "print(sorted(speedups.installed()), 'exec' in vars(dataclasses), i._enabled)")
    runs = {plain: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  env=_env(tmp_path, BRIEF_PLAIN=plain)).stdout.strip()
            for plain in ("", "1", "imports", "dataclasses")}
    assert runs == {"": "['dataclasses', 'imports'] True True", "1": "[] False False",
                    "imports": "['dataclasses'] True False", "dataclasses": "['imports'] False True"}


def test_outputs_are_byte_identical_with_and_without_the_tricks(tmp_path):
    outs = {}
    for plain in ("", "1"):
        out = tmp_path / f"out-{plain or 'tricks'}"
        r = subprocess.run([sys.executable, "-m", "builders", "build", str(SAMPLE), "--out", str(out), "-q"],
                           capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path, BRIEF_PLAIN=plain))
        assert r.returncode == 0, r.stderr
        outs[plain] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert sorted(outs[""]) == sorted(f"{SAMPLE.stem}.{ext}" for ext in ("docx", "pdf", "pptx"))
    assert outs[""] == outs["1"]
