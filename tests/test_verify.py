"""`brief verify`, previews and `brief watch`: pass on good builds, fail, naming the problem, on doctored ones."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from builders.build import build_brief
from builders.loader import load_brief
from builders.theme import load_theme
from builders.verify import table, verify

from .conftest import ENGLISH, ROOT, SAMPLE, THEMES, need


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """The English and the sample brief, built once in the default theme."""
    out = tmp_path_factory.mktemp("verify")
    theme, _ = load_theme("default")
    briefs = {}
    for path in (ENGLISH, SAMPLE):
        brief, _ = load_brief(path)
        build_brief(brief, theme, out)
        briefs[path] = brief
    return out, theme, briefs


def copy_outputs(good, tmp_path, path=ENGLISH):
    out, theme, briefs = good
    brief = briefs[path]
    for ext in ("docx", "pptx", "pdf"):
        shutil.copy(out / f"{brief.name}.{ext}", tmp_path / f"{brief.name}.{ext}")
    return brief, theme


def failures(results):
    return {(r.fmt, r.name): r.problems for r in results if not r.ok}


@pytest.mark.render
@pytest.mark.parametrize("path", [ENGLISH, SAMPLE], ids=["english", "sample"])
def test_verify_passes_on_good_builds(good, path):
    need("soffice", "pdftotext", "pdffonts", "qpdf")
    out, theme, briefs = good
    results = verify(briefs[path], theme, out)
    assert failures(results) == {}, table(results)
    names = {(r.fmt, r.name) for r in results}
    assert {("pptx", "no text overflow"), ("pdf", "fonts embedded"), ("docx", "opens in LibreOffice")} <= names


@pytest.mark.parametrize("theme_name", THEMES)
def test_every_theme_keeps_the_whole_sample(built, tmp_path, theme_name):
    """Content parity of the sample in each theme, without rendering: a theme's own treatment of the text
    (the government Word file's break hints, say) must not read as missing content."""
    brief, _ = load_brief(SAMPLE)
    theme, _ = load_theme(theme_name)
    for fmt in ("docx", "pptx", "pdf"):
        shutil.copy(built("sample", theme_name, fmt), tmp_path / f"{SAMPLE.stem}.{fmt}")
    results = verify(brief, theme, tmp_path, render=False)
    assert failures(results) == {}, table(results)


def test_deleted_slide_is_named(good, tmp_path):
    from pptx import Presentation

    brief, theme = copy_outputs(good, tmp_path)
    deck = tmp_path / f"{brief.name}.pptx"
    prs = Presentation(str(deck))
    case = brief.cases[0]
    ids = prs.slides._sldIdLst
    for sld_id, slide in zip(list(ids), prs.slides):
        if slide.shapes.title is not None and case.title.plain[:20] in slide.shapes.title.text_frame.text:
            ids.remove(sld_id)
    prs.save(str(deck))
    problems = failures(verify(brief, theme, tmp_path, ["pptx"], render=False))
    assert any(f"cases[{case.id}]" in p for p in problems[("pptx", "one slide each")])


def test_removed_recommendation_paragraph_is_named(good, tmp_path):
    from docx import Document

    brief, theme = copy_outputs(good, tmp_path)
    report = tmp_path / f"{brief.name}.docx"
    doc = Document(str(report))
    rec = brief.recommendations[-1]
    removed = 0
    for p in doc.paragraphs:
        if rec.actions[0].plain[:30] in p.text:
            p._element.getparent().remove(p._element)
            removed += 1
    assert removed
    doc.save(str(report))
    problems = failures(verify(brief, theme, tmp_path, ["docx"], render=False))
    assert any(p.startswith(f"recommendations[{rec.id}].text[") and ": missing: " in p
               for p in problems[("docx", "content parity")])


def test_pdf_with_unembedded_font_is_named(good, tmp_path):
    need("pdffonts")
    from reportlab.pdfgen import canvas

    brief, theme = copy_outputs(good, tmp_path)
    pdf = tmp_path / f"{brief.name}.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, brief.title.plain)
    c.save()
    problems = failures(verify(brief, theme, tmp_path, ["pdf"], render=False))
    assert "font Helvetica is not embedded" in problems[("pdf", "fonts embedded")]
    assert problems[("pdf", "content parity")]  # and the content is gone


@pytest.mark.render
def test_overflowing_slide_is_named(good, tmp_path):
    need("soffice", "pdftotext")
    from pptx import Presentation
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    brief, theme = copy_outputs(good, tmp_path)
    deck = tmp_path / f"{brief.name}.pptx"
    prs = Presentation(str(deck))
    slide = prs.slides[1]
    box = slide.shapes.add_textbox(Pt(40), Pt(40), Pt(120), Pt(30))
    box.text_frame.word_wrap = True
    box.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    box.text_frame.text = "overflowing words " * 30
    prs.save(str(deck))
    problems = failures(verify(brief, theme, tmp_path, ["pptx"]))
    assert any(p.startswith("slide 2: text outside its box") for p in problems[("pptx", "no text overflow")])


def test_missing_output_fails(tmp_path):
    brief, _ = load_brief(ENGLISH)
    theme, _ = load_theme("default")
    problems = failures(verify(brief, theme, tmp_path, ["pdf"], render=False))
    assert problems[("pdf", "output exists")] == [f"{tmp_path / (brief.name + '.pdf')} not found: run brief build first"]


def test_verify_cli_exit_status(good, tmp_path):
    brief, _ = copy_outputs(good, tmp_path)
    ok = subprocess.run([sys.executable, "-m", "builders", "verify", str(ENGLISH), "--out", str(tmp_path),
                         "--no-render"], capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "pdf   fonts embedded" in ok.stdout
    (tmp_path / f"{brief.name}.pptx").unlink()
    bad = subprocess.run([sys.executable, "-m", "builders", "verify", str(ENGLISH), "--out", str(tmp_path),
                          "--no-render"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "pptx: output exists:" in bad.stdout


@pytest.mark.render
def test_preview_contact_sheets(good, tmp_path):
    need("soffice", "pdftoppm")
    from PIL import Image

    from builders.preview import preview

    brief, _ = copy_outputs(good, tmp_path)
    sheets = preview(tmp_path, [brief.name])
    assert sorted(p.name for p in sheets) == sorted(f"{brief.name}-{f}.png" for f in ("docx", "pptx", "pdf"))
    for p in sheets:
        with Image.open(p) as img:
            assert img.width > 600 and img.height > 200


def test_watch_rebuilds_on_save(tmp_path):
    src = tmp_path / "brief.yaml"
    src.write_text(ENGLISH.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "builders", "watch", str(src), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []

    def wait_for(fragment: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line:
                lines.append(line)
                if fragment in line:
                    return line
            elif proc.poll() is not None:
                break
        raise AssertionError(f"no {fragment!r} in {lines}")

    try:
        wait_for("watching")
        before = (out / "brief.pdf").read_bytes()  # "watching" is printed once a save can no longer be missed
        src.write_text(src.read_text(encoding="utf-8").replace("title: ", "title: Revised ", 1), encoding="utf-8")
        line = wait_for("rebuilt brief.yaml")
        assert "brief.yaml changed" in line and "(docx, pptx, pdf) in" in line
        assert (out / "brief.pdf").read_bytes() != before
        good_pdf = (out / "brief.pdf").read_bytes()
        src.write_text("title: [broken\n", encoding="utf-8")
        wait_for("not rebuilt")
        assert (out / "brief.pdf").read_bytes() == good_pdf
    finally:
        proc.terminate()
        proc.wait(timeout=10)
