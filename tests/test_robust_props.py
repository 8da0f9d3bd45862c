"""Issue 16, limits: a document property over 255 characters is shortened (one warning, in ``brief check``
and in the build alike) instead of failing the Word and PowerPoint builds."""
from __future__ import annotations

import os
import subprocess
import sys

import docx
import pptx
import pytest

from builders.docprops import ELLIPSIS, MAX_PROPERTY, shorten

from .conftest import MINIMAL, ROOT

BASE = MINIMAL.read_text(encoding="utf-8")
TITLE = " ".join(["Regional innovation policy"] * 12)  # 323 characters
AUTHORS = "".join(f"  - name: Professor Author Number {i}\n" for i in range(25))
KEYWORDS = ", ".join(f"keyword number {i}" for i in range(40))

CASES = {
    "title": (BASE.replace("title: Minimal brief", f"title: {TITLE}"), "title", len(TITLE)),
    "authors": (BASE.replace("authors:\n  - name: A. Author\n", "authors:\n" + AUTHORS), "author",
                len("; ".join(f"Professor Author Number {i}" for i in range(25)))),
    "keywords": (BASE.replace("summary:", f"keywords: [{KEYWORDS}]\nsummary:"), "keywords",
                 len(KEYWORDS.replace(", ", "; "))),
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", *args], cwd=ROOT, capture_output=True, text=True,
                          env=os.environ, timeout=600)


def test_shorten_cuts_at_boundaries():
    assert shorten("short") == "short"
    names = "; ".join(f"Name {i:03d}" for i in range(40))
    cut = shorten(names, sep="; ")  # 25 whole names of 8 characters fit in 254: no name is split
    assert cut == "; ".join(f"Name {i:03d}" for i in range(25)) + ELLIPSIS
    words = shorten("word " * 100)  # cut after a space, the space dropped
    assert words == ("word " * 50).rstrip() + ELLIPSIS
    hanzi = shorten("京" * 300)
    assert hanzi == "京" * (MAX_PROPERTY - 1) + ELLIPSIS


@pytest.mark.parametrize("case", CASES)
def test_check_and_build_agree(tmp_path, case):
    text, prop, length = CASES[case]
    brief = tmp_path / f"{case}.yaml"
    brief.write_text(text, encoding="utf-8")
    key = "authors" if case == "authors" else case
    warning = (f"{brief}: warning: {key}: {length:,} characters, but a Word or PowerPoint document property holds "
               f"at most {MAX_PROPERTY}; the {prop} property is shortened (the document's text keeps it whole)")
    checked = run("check", str(brief))
    assert checked.returncode == 0 and checked.stderr.splitlines() == [warning]
    out = tmp_path / "out"
    built = run("build", str(brief), "--out", str(out), "-q")
    assert built.returncode == 0 and built.stderr.splitlines() == [warning]
    strict = run("build", str(brief), "--out", str(tmp_path / "strict"), "-q", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [f"{brief}: error: 1 warning(s) with --strict; nothing written"]
    assert list((tmp_path / "strict").iterdir()) == []
    for props in (docx.Document(str(out / f"{case}.docx")).core_properties,
                  pptx.Presentation(str(out / f"{case}.pptx")).core_properties):
        value = getattr(props, prop)
        assert len(value) <= MAX_PROPERTY and value.endswith(ELLIPSIS)
    if case == "title":  # the body keeps the whole title
        assert TITLE in [p.text for p in docx.Document(str(out / "title.docx")).paragraphs]
