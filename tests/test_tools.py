"""External programs (poppler, qpdf, LibreOffice) failing: one line, an environment error (exit 1), no traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from builders.errors import BriefError, MissingDependency, ToolFailure
from builders.tools import run_tool

from .conftest import ROOT, need


def test_a_missing_program_names_its_package():
    with pytest.raises(MissingDependency, match=r"^no-such-tool is needed: apt-get install some-package$"):
        run_tool(["no-such-tool"], "some-package")


def test_a_failing_program_is_its_last_line_of_complaint():
    with pytest.raises(ToolFailure) as exc:
        run_tool(["sh", "-c", "echo noise >&2; echo 'Syntax Error: not a PDF' >&2; exit 1"], "dash")
    assert str(exc.value) == "sh failed: Syntax Error: not a PDF"
    assert isinstance(exc.value, BriefError)


def test_a_program_that_hangs_is_stopped():
    with pytest.raises(ToolFailure, match=r"^sleep did not finish within 0\.1 s$"):
        run_tool(["sleep", "30"], "coreutils", timeout=0.1)


def test_brief_preview_with_poppler_failing_is_one_line(tmp_path):
    """A damaged PDF in the output folder: pdftoppm fails, and the command says so in one line."""
    need("pdftoppm")
    (tmp_path / "damaged.pdf").write_bytes(b"%PDF-1.4 not really")
    r = subprocess.run([sys.executable, "-m", "builders", "preview", "damaged.yaml", "--out", str(tmp_path)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: pdftoppm failed: "), r.stderr


def test_reading_links_with_qpdf_failing_is_one_line(tmp_path):
    need("qpdf")
    from builders.verify.extract import pdf_links

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(ToolFailure) as exc:
        pdf_links(bad)
    assert str(exc.value).startswith("qpdf failed: ") and "\n" not in str(exc.value)
