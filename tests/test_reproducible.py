"""Reproducible outputs: the same input gives the same bytes, whatever the clock says."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ENGLISH, ROOT, SAMPLE, need

FORMATS = ("docx", "pptx", "pdf")


def build(src: Path, out: Path, theme: str, clock: str | None = None, env: dict | None = None) -> dict[str, str]:
    cmd = [sys.executable, "-m", "builders", "build", str(src), "--theme", theme, "--out", str(out), "-q"]
    if clock:
        cmd = ["faketime", clock, *cmd]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert r.returncode == 0, r.stderr
    return {f: hashlib.sha256((out / f"{src.stem}.{f}").read_bytes()).hexdigest() for f in FORMATS}


@pytest.mark.parametrize("theme", ["default", "print"])
@pytest.mark.parametrize("src", [SAMPLE, ENGLISH], ids=["sample", "english"])
def test_same_bytes_on_another_day(tmp_path, src, theme):
    """Two processes, two clocks three years apart: byte-identical docx, pptx and pdf."""
    need("faketime")
    today = build(src, tmp_path / "a", theme)
    later = build(src, tmp_path / "b", theme, clock="2029-02-03 04:05:06")
    assert today == later


def test_source_date_epoch_sets_the_date_and_only_it(tmp_path):
    """A brief without a date takes SOURCE_DATE_EPOCH; the same epoch gives the same bytes."""
    from docx import Document

    need("faketime")
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14T22:13:20Z
    a = build(SAMPLE, tmp_path / "a", "default", env=epoch)
    b = build(SAMPLE, tmp_path / "b", "default", clock="2030-01-01 00:00:00", env=epoch)
    assert a == b
    props = Document(str(tmp_path / "a" / f"{SAMPLE.stem}.docx")).core_properties
    assert props.created is not None and props.created.year == 2023


@pytest.mark.parametrize("fmt", ["docx", "pptx"])
def test_zip_entries_fixed(built, fmt):
    with zipfile.ZipFile(built("sample", "default", fmt)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    stamps = {i.date_time for i in infos}
    assert len(stamps) == 1, stamps
