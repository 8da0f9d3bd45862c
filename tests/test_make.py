"""The Makefile, run in a temporary clone: real file dependencies, `make` idles when nothing changed, `make help`
lists every target."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

VENV = ROOT / ".venv"  # the environment the suite runs in, made by `make setup`

BRIEFS = sorted((ROOT / "source").glob("*.yaml"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A clone of this checkout, with its uncommitted changes, for make to write .venv-free outputs into.

    make runs there with this checkout's virtual environment (``VENV=``), its pyproject dated back so the
    environment counts as installed, and ``PYTHONPATH`` on the clone so the clone's code runs: nothing is
    written into the checkout itself.
    """
    dest = tmp_path_factory.mktemp("clone") / "brief"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest)], check=True)
    def git(*args: str) -> list[str]:
        out = subprocess.run(["git", *args, "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return [name for name in out.split("\0") if name]

    for name in git("diff", "--name-only", "HEAD") + git("ls-files", "--others", "--exclude-standard"):
        src, copy = ROOT / name, dest / name
        if src.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy)
        else:  # deleted since the last commit
            copy.unlink(missing_ok=True)
    os.utime(dest / "pyproject.toml", (0, 0))  # older than the environment's install stamp: no reinstall
    return dest


def make(clone: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(clone)}
    return subprocess.run(["make", "--no-print-directory", f"VENV={VENV}", *args], cwd=clone, capture_output=True,
                          text=True, timeout=900, env=env)


@pytest.fixture(scope="module")
def built_once(clone):
    r = make(clone)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_help_lists_every_target(clone):
    r = make(clone, "help")
    listed = set(re.findall(r"^  ([a-z-]+)\s", r.stdout, re.M))
    declared = set(re.findall(r"^([a-z-]+):.*##", (ROOT / "Makefile").read_text(), re.M))
    assert declared and listed == declared
    assert {"all", "test", "check", "clean", "themes", "dist", "verify", "preview", "watch", "bench"} <= listed


def test_nothing_changed_does_nothing_and_says_so(clone, built_once):
    r = make(clone)
    assert r.returncode == 0
    assert "Nothing to be done for 'all'" in r.stdout + r.stderr


def test_changed_brief_rebuilds_only_its_outputs(clone, built_once):
    target = BRIEFS[0]
    r = make(clone, "-n", "-W", str(target.relative_to(ROOT)))
    builds = [ln for ln in r.stdout.splitlines() if " build " in ln]
    assert len(builds) == 1 and str(target.relative_to(ROOT)) in builds[0]


@pytest.mark.parametrize("changed", ["themes/default.yaml", "builders/build_pdf/__init__.py", "builders/model.py"])
def test_changed_theme_or_builder_rebuilds_everything(clone, built_once, changed):
    r = make(clone, "-n", "-W", changed)
    builds = [ln for ln in r.stdout.splitlines() if " build " in ln]
    assert len(builds) == len(BRIEFS)


def test_outputs_per_brief(clone, built_once):
    for brief in BRIEFS:
        for ext in ("docx", "pptx", "pdf"):
            assert (clone / "out" / "default" / f"{brief.stem}.{ext}").stat().st_size > 1000
    assert not (clone / ".venv").exists()  # the checkout's environment served


def test_make_check_says_what_it_checked(clone):
    r = make(clone, "check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == f"checked {len(BRIEFS)} briefs: no problems"


def test_unknown_theme_is_an_error_listing_themes(clone):
    from builders.theme import available

    r = make(clone, "THEME=nosuch")
    assert r.returncode != 0
    assert f"error: unknown theme 'nosuch'; available themes: {', '.join(available())}" in r.stderr
