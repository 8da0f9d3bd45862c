"""No missing glyphs (issue 18): emoji, CJK Extension B, Japanese and Korean are set, embedded and extracted
as themselves; Japanese and Korean briefs get JP/KR faces in the PDF and Japanese/Korean names in Office."""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from builders.build import build_brief
from builders.fontlang import for_language
from builders.loader import load_brief
from builders.theme import load_theme
from builders.verify import tagged

from .conftest import FIXTURES, need

GLYPHS = {"ja": FIXTURES / "glyphs-ja.yaml", "ko": FIXTURES / "glyphs-ko.yaml"}


@pytest.fixture(scope="module")
def glyph_builds(tmp_path_factory):
    out: dict = {}

    def get(lang: str, theme: str = "default", fmt: str = "pdf"):
        key = (lang, theme, fmt)
        if key not in out:
            brief, _ = load_brief(GLYPHS[lang])
            th, _ = load_theme(theme)
            result = build_brief(brief, th, tmp_path_factory.mktemp(f"glyphs-{lang}-{theme}"), [fmt], parallel=False)
            out[key] = (result.outputs[0], result.warnings)
        return out[key]

    return get


def _characters(path: Path) -> set[str]:
    def strings(x):
        if isinstance(x, str):
            yield x
        elif isinstance(x, dict):
            for k, v in x.items():
                if k not in ("id", "language", "date"):
                    yield from strings(v)
        elif isinstance(x, list):
            for v in x:
                yield from strings(v)

    return {c for s in strings(yaml.safe_load(path.read_text("utf-8"))) for c in s if not c.isspace()}


@pytest.mark.parametrize("theme", ("default", "government", "print"))
@pytest.mark.parametrize("lang", ("ja", "ko"))
def test_every_character_is_set_and_extracted_as_itself(glyph_builds, lang, theme):
    need("pdftotext", "pdffonts")
    path, warnings = glyph_builds(lang, theme)
    assert not [w for w in warnings if "no font" in str(w)], warnings
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    chars = _characters(GLYPHS[lang])
    assert {"😀", "𠀀", "𪚥"} <= chars
    assert sorted(c for c in chars if c not in text) == []
    assert "\ufffd" not in text


@pytest.mark.parametrize("lang", ("ja", "ko"))
def test_every_font_is_embedded_and_the_faces_are_the_languages(glyph_builds, lang):
    path, _ = glyph_builds(lang)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows and all(" yes yes yes " in r for r in rows), rows
    names = " ".join(r.split()[0] for r in rows)
    variant = {"ja": "jp", "ko": "kr"}[lang]
    assert f"CJK{variant}" in names and "CJKsc" not in names
    for face in ("HanaMinB", "Symbola"):  # Extension B and emoji from the theme's fallbacks
        assert face in names


@pytest.mark.parametrize("lang", ("ja", "ko"))
def test_the_glyph_briefs_are_tagged(glyph_builds, lang):
    path, _ = glyph_builds(lang)
    t = tagged.read(path)
    assert tagged.problems(t) == []
    assert t.lang == {"ja": "ja-JP", "ko": "ko-KR"}[lang]
    # the paragraph in the other language carries its own /Lang
    other = {"ja": "ko", "ko": "ja"}[lang]
    assert [n.lang for n in t.walk() if n.lang] == [other]


def test_other_language_is_detected_only_when_plain():
    from builders.build_pdf.tags import other_language

    assert other_language("R&D spending", "zh-CN") == "en"
    assert other_language("R&D 投入", "zh-CN") is None and other_language("2014", "zh-CN") is None
    assert other_language("서울과 부산", "ja-JP") == "ko" and other_language("東京と大阪", "ko-KR") == "ja"
    assert other_language("京津冀", "en-GB") == "zh" and other_language("京津冀", "ja") is None


@pytest.mark.parametrize("lang,serif,sans", [("ja", "Yu Mincho", "Meiryo"), ("ko", "Batang", "Malgun Gothic")])
def test_office_names_japanese_and_korean_faces(glyph_builds, lang, serif, sans):
    path, _ = glyph_builds(lang, "default", "docx")
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert f'w:eastAsia="{serif}"' in styles and f'w:eastAsia="{sans}"' in styles
    assert "SimSun" not in styles and "Microsoft YaHei" not in styles
    deck, _ = glyph_builds(lang, "default", "pptx")
    with zipfile.ZipFile(deck) as z:
        slides = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/slide"))
    assert f'<a:ea typeface="{serif}"' in slides and f'<a:ea typeface="{sans}"' in slides
    assert "SimSun" not in slides and "Microsoft YaHei" not in slides


def test_for_language_swaps_only_chinese_faces():
    th, _ = load_theme("default")
    assert for_language(th, "zh-CN") is th and for_language(th, "en-GB") is th
    ja = for_language(th, "ja")
    assert ja.fonts.body.east_asian == "Yu Mincho" and ja.fonts.heading.east_asian == "Meiryo"
    assert ja.fonts.body.pdf == "Noto Serif CJK JP" and ja.fonts.heading.pdf_bold.startswith("Noto Sans CJK JP")
    ko = for_language(th, "ko-KR")
    assert ko.fonts.body.east_asian == "Batang" and ko.fonts.caption.east_asian == "Malgun Gothic"
    assert ko.fonts.body.pdf == "Noto Serif CJK KR"
    assert ko.fonts.fallback == th.fonts.fallback


def test_the_fallback_faces_keep_the_pdf_valid_pdfa(glyph_builds, tmp_path):
    """Hanazono and Symbola subsets embedded beside Noto CJK JP/KR: PDFBox Preflight still accepts the file."""
    from .test_pdfa import run_preflight

    need("java")
    files = []
    for lang in ("ja", "ko"):
        path, _ = glyph_builds(lang)
        files.append(tmp_path / f"glyphs-{lang}.pdf")
        files[-1].write_bytes(path.read_bytes())
    assert run_preflight(files, tmp_path) == {f.name: [] for f in files}
