"""Hostile input, property-based: arbitrary text gives three valid documents or one-line errors, never a traceback.

Example counts are bounded for `make test`; `make test-long` runs the same properties with many more
(HYPOTHESIS_PROFILE=long).  Failures hypothesis found are kept below as explicit regression examples.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import yaml

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builders.build import build_brief
from builders.errors import BriefError, InputError
from builders.loader import load_brief
from builders.theme import load_theme

settings.register_profile("default", max_examples=12, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("long", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

LINE = re.compile(r"^\S.*:\d+:\d+: error: .+$|^\S.*: error: .+$")

# Text that breaks naive builders: markup, entities, quotes, controls, emoji, RTL, astral hanzi, huge words.
NASTY = st.sampled_from([
    "<b>", "</p>", "&nbsp;", "&amp;", "&#x0;", "<![CDATA[", "]]>", "\"", "'", "“", "”", "\\", "\x00", "\x0b",
    "\x1b", "\ufffe", "\u200b", "\u202e", "😀", "🚀", "👩‍👩‍👧", "𠀀", "𪚥", "שלום", "مرحبا", "京津冀", "，", "。", "（",
    "A" * 10_000, " ", "\t", "\n", "\n\n", "- ", "1. ", "%", "{", "}", "#",
])
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=30)), min_size=0, max_size=6).map("".join)
REQUIRED_TEXT = TEXT.filter(lambda s: s.strip() != "")
SLUG = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)


@st.composite
def briefs(draw) -> dict:
    n_cases = draw(st.integers(1, 3))
    n_recs = draw(st.integers(1, 3))
    ids = draw(st.lists(SLUG, min_size=n_cases + n_recs, max_size=n_cases + n_recs, unique=True))
    data = {
        "title": draw(TEXT),
        "language": draw(st.sampled_from(["zh-CN", "en-GB", "ar", "he-IL", "ja"])),
        "authors": [{"name": draw(TEXT), "role": draw(TEXT)} for _ in range(draw(st.integers(1, 2)))],
        "summary": draw(TEXT),
        "cases": [{"id": ids[i], "title": draw(TEXT), "body": draw(TEXT), "points": draw(st.lists(TEXT, max_size=3))}
                  for i in range(n_cases)],
        "recommendations": [{"id": ids[n_cases + i], "title": draw(TEXT), "body": draw(TEXT),
                             "actions": draw(st.lists(TEXT, min_size=1, max_size=3))} for i in range(n_recs)],
    }
    if draw(st.booleans()):
        data["subtitle"] = draw(TEXT)
    if draw(st.booleans()):
        data["figures"] = [{"id": "f", "title": draw(TEXT), "chart": "column", "unit": draw(TEXT),
                            "data": [{"label": draw(TEXT), "value": draw(st.floats(-1e6, 1e6, allow_nan=False))}
                                     for _ in range(draw(st.integers(1, 4)))]}]
    return data


def valid_outputs(out: Path, name: str) -> None:
    from docx import Document
    from pptx import Presentation
    from pypdf import PdfReader

    for ext in ("docx", "pptx"):
        with zipfile.ZipFile(out / f"{name}.{ext}") as z:
            assert z.testzip() is None
    Document(str(out / f"{name}.docx"))
    Presentation(str(out / f"{name}.pptx"))
    assert len(PdfReader(str(out / f"{name}.pdf")).pages) >= 1


def check(tmp_path: Path, data: dict, formats=("docx", "pptx", "pdf")) -> None:
    src = tmp_path / "hostile.yaml"
    src.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    try:
        brief, _ = load_brief(src)
    except InputError as exc:
        assert exc.lines() and all(LINE.match(ln) and "\n" not in ln for ln in exc.lines()), exc.lines()
        return
    theme, _ = load_theme("default")
    try:
        build_brief(brief, theme, out, list(formats), parallel=False)
    except BriefError as exc:  # a clear, one-line refusal is acceptable; a crash is not
        assert "internal error" not in str(exc), str(exc)
        assert not any(p.name.startswith(".") for p in out.glob("*")), "partial file left behind"
        return
    if set(formats) == {"docx", "pptx", "pdf"}:
        valid_outputs(out, brief.name)


@given(data=briefs())
@example(data={"title": "<b>&nbsp;\x00", "authors": [{"name": "\u202eA"}], "summary": "😀" * 3,
               "cases": [{"id": "a", "title": "𠀀", "body": "A" * 10_000}],
               "recommendations": [{"id": "b", "title": "-", "body": "1. ", "actions": ["\ufffe"]}]})
def test_any_text_gives_documents_or_clear_errors(tmp_path_factory, data):
    check(tmp_path_factory.mktemp("h"), data)


@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode("utf-8")))
@settings(max_examples=int(os.environ.get("HYPOTHESIS_RAW_EXAMPLES", 150)))
@example(raw=b"\xff\xfe\x00")
@example(raw=b"a: &a [*a]")
@example(raw=b"!!python/object/apply:os.system ['true']")
@example(raw="title: 京津冀".encode("gb18030"))
def test_any_bytes_load_or_fail_cleanly(tmp_path_factory, raw):
    src = tmp_path_factory.mktemp("raw") / "raw.yaml"
    src.write_bytes(raw)
    try:
        load_brief(src)
    except InputError as exc:
        assert exc.lines() and all(LINE.match(ln) for ln in exc.lines()), exc.lines()
