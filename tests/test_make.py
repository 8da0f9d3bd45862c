"""The Makefile: real file dependencies, `make` idles when nothing changed, `make help` lists every target."""
from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import ROOT

BRIEFS = sorted((ROOT / "source").glob("*.yaml"))


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="module")
def built_once():
    r = make()
    assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_help_lists_every_target():
    r = make("help")
    listed = set(re.findall(r"^  ([a-z-]+)\s", r.stdout, re.M))
    declared = set(re.findall(r"^([a-z-]+):.*##", (ROOT / "Makefile").read_text(), re.M))
    assert declared and listed == declared
    assert {"all", "test", "check", "clean", "themes", "dist", "verify", "preview", "watch", "bench"} <= listed


def test_nothing_changed_does_nothing_and_says_so(built_once):
    r = make()
    assert r.returncode == 0
    assert "Nothing to be done for 'all'" in r.stdout + r.stderr


def test_changed_brief_rebuilds_only_its_outputs(built_once):
    target = BRIEFS[0]
    r = make("-n", "-W", str(target.relative_to(ROOT)))
    builds = [ln for ln in r.stdout.splitlines() if " build " in ln]
    assert len(builds) == 1 and str(target.relative_to(ROOT)) in builds[0]


@pytest.mark.parametrize("changed", ["themes/default.yaml", "builders/build_pdf/__init__.py", "builders/model.py"])
def test_changed_theme_or_builder_rebuilds_everything(built_once, changed):
    r = make("-n", "-W", changed)
    builds = [ln for ln in r.stdout.splitlines() if " build " in ln]
    assert len(builds) == len(BRIEFS)


def test_outputs_per_brief(built_once):
    for brief in BRIEFS:
        for ext in ("docx", "pptx", "pdf"):
            assert (ROOT / "out" / "default" / f"{brief.stem}.{ext}").stat().st_size > 1000


def test_unknown_theme_is_an_error_listing_themes():
    from builders.theme import available

    r = make("THEME=nosuch")
    assert r.returncode != 0
    assert f"error: unknown theme 'nosuch'; available themes: {', '.join(available())}" in r.stderr
