"""builders.speedups: the speed tricks are the command line's only; importing the package changes nothing
outside it, and BRIEF_PLAIN=1 turns every trick off without changing a byte of the outputs (issue 20)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import FIXTURES, ROOT, SAMPLE

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
            "import dataclasses, builders._imports as i, builders._warm as w, builders._citeproc as c; "
            "c.install(); from citeproc import model; "
            "print(sorted(speedups.installed()), 'exec' in vars(dataclasses), i._enabled, w.enabled(), "
            "hasattr(model.Parent.calls_variable, '__wrapped__'))")
    runs = {plain: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  env=_env(tmp_path, BRIEF_PLAIN=plain)).stdout.strip()
            for plain in ("", "1", "imports", "dataclasses", "warm", "citeproc")}
    assert runs == {"": "['citeproc', 'dataclasses', 'imports', 'warm'] True True True True",
                    "1": "[] False False False False",
                    "imports": "['citeproc', 'dataclasses', 'warm'] True False True True",
                    "dataclasses": "['citeproc', 'imports', 'warm'] False True True True",
                    "warm": "['citeproc', 'dataclasses', 'imports'] True True False True",
                    "citeproc": "['dataclasses', 'imports', 'warm'] True True True False"}


def test_a_library_user_gets_citeproc_as_it_is(tmp_path):
    """Formatting references through the package, not the command, leaves citeproc-py unpatched."""
    code = ("from pathlib import Path; from builders.cite import Bibliography; "
            "Bibliography([], 'en-US'); from citeproc import model; "
            "print(hasattr(model.Parent.calls_variable, '__wrapped__'))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


@pytest.mark.parametrize("brief", [SAMPLE, FIXTURES / "refs-en.yaml"], ids=["sample", "refs-en"])
def test_outputs_are_byte_identical_with_and_without_the_tricks(tmp_path, brief):
    outs = {}
    for plain in ("", "1"):
        out = tmp_path / f"out-{plain or 'tricks'}"
        r = subprocess.run([sys.executable, "-m", "builders", "build", str(brief), "--out", str(out), "-q"],
                           capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path, BRIEF_PLAIN=plain))
        assert r.returncode == 0, r.stderr
        outs[plain] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert sorted(outs[""]) == sorted(f"{brief.stem}.{ext}" for ext in ("docx", "pdf", "pptx"))
    assert outs[""] == outs["1"]


# A warm process as `brief watch` keeps it (builders._warm's memos installed before the builds): each brief
# built as saved, then edited, then as saved again, so that the memos miss, then partly hit, then hit.
WARM = textwrap.dedent('''
    import sys
    from pathlib import Path
    from builders import _warm, speedups
    speedups.install()
    from builders.build import _build_one, lower_for
    from builders.loader import load_brief
    from builders.registry import FORMATS
    from builders.theme import load_theme
    _warm.install(FORMATS)
    out = Path(sys.argv[1])
    for arg in sys.argv[2:]:
        src, theme, label = arg.split(",")
        brief, _ = load_brief(Path(src))
        th, _ = load_theme(theme)
        for fmt in FORMATS:
            _build_one(fmt, brief, th, out / f"{label}.{fmt}", lower_for(fmt, brief, th))
    print(" ".join(f"{name}:{m.hits}" for name, m in sorted(_warm.MEMOS.items())))
''')


def _edited(text: str) -> str:
    """The brief with one sentence of its first paragraph changed (a save in an editor)."""
    return text.replace("。", "（又改）。", 1) if "。" in text else text.replace(". ", " (edited again). ", 1)


@pytest.mark.parametrize("name,theme", [(SAMPLE, "default"), (FIXTURES / "rich-en.yaml", "default"),
                                        (FIXTURES / "rich-zh.yaml", "government")])
def test_a_warm_watchers_memos_change_no_byte(tmp_path, name, theme):
    text = name.read_text(encoding="utf-8")
    versions = {"saved": text, "edited": _edited(text)}
    assert versions["edited"] != text
    for label, body in versions.items():
        (tmp_path / f"{label}.yaml").write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BRIEF_PLAIN")}
    warm = tmp_path / "warm"
    warm.mkdir()
    jobs = [f"{tmp_path / label}.yaml,{theme},{label}{i}" for i, label in enumerate(("saved", "edited", "saved"))]
    r = subprocess.run([sys.executable, "-c", WARM, str(warm), *jobs], capture_output=True, text=True, cwd=ROOT,
                       env=env)
    assert r.returncode == 0, r.stderr
    hits = dict(item.split(":") for item in r.stdout.split())
    used = {"font-subsets", "font-widths", "paragraph-markup", "pdf-streams", "report-styles", "zip-entries"} | ({"line-breaks"} if "。" in text else set())
    assert all(int(hits[m]) > 0 for m in used), hits  # the memos were used (CJK line breaks: a Chinese brief)
    for label in versions:
        plain = tmp_path / f"plain-{label}"
        r = subprocess.run([sys.executable, "-m", "builders", "build", str(tmp_path / f"{label}.yaml"), "--theme",
                            theme, "--out", str(plain), "-q"], capture_output=True, text=True, cwd=ROOT,
                           env={**env, "BRIEF_PLAIN": "1"})
        assert r.returncode == 0, r.stderr
        for fmt in ("docx", "pptx", "pdf"):
            expected = (plain / f"{label}.{fmt}").read_bytes()
            for i in (0, 2) if label == "saved" else (1,):
                assert (warm / f"{label}{i}.{fmt}").read_bytes() == expected, (label, i, fmt)


def test_a_warm_memo_stays_within_its_bound_and_forgets_the_least_recently_used():
    from builders._warm import Bounded, Memo

    memo, computed = Memo(limit=400), []
    compute = lambda key: lambda: computed.append(key) or key * 10  # noqa: E731
    for key in (1, 2, 3, 4):  # 100 bytes each, key and value: the memo is full
        assert memo.get(key, 50, compute(key), lambda v: 50) == key * 10
    assert memo.get(1, 50, compute(1), lambda v: 50) == 10 and computed == [1, 2, 3, 4]  # a hit: 1 is the newest
    memo.get(5, 50, compute(5), lambda v: 50)  # 2, the least recently used, goes
    assert memo.size == 400 and list(memo.entries) == [3, 4, 1, 5]
    memo.get(6, 100, compute(6), lambda v: 100)  # more than a quarter of the bound: computed, not kept
    assert 6 not in memo.entries and computed[-1] == 6 and (memo.hits, memo.misses) == (1, 6)
    table = Bounded(limit=2)
    table["a"], table["b"], table["c"] = 1, 2, 3
    assert list(table) == ["b", "c"]


def test_a_warm_worker_collects_garbage_between_rebuilds_only_with_the_memos(tmp_path):
    code = ("import gc, sys; from builders import _warm, speedups; speedups.install(); "
            "_warm.install(sys.argv[1:]); collect = _warm.collector(); "
            "print(gc.isenabled(), collect is gc.collect)")
    runs = {plain: subprocess.run([sys.executable, "-c", code, "docx"], capture_output=True, text=True, check=True,
                                  cwd=ROOT, env=_env(tmp_path, BRIEF_PLAIN=plain)).stdout.strip()
            for plain in ("", "warm")}
    assert runs == {"": "False True", "warm": "True False"}
