"""Themes: validated like briefs, `extends` resolved, complete after merging."""
from __future__ import annotations

from pathlib import Path

import pytest

from builders.errors import InputError, ThemeNotFound
from builders.theme import THEMES_DIR, json_schema_text, load_theme

from .conftest import THEMES


@pytest.mark.parametrize("name", THEMES)
def test_shipped_themes_load(name):
    theme, warnings = load_theme(name)
    assert theme.name == name and theme.audience and warnings == []
    assert theme.page.width > 0 and theme.slides.width > theme.slides.height


def test_default_is_a4_and_16_9():
    t, _ = load_theme("default")
    assert (round(t.page.width / 72 * 25.4), round(t.page.height / 72 * 25.4)) == (210, 297)
    assert round(t.slides.width / t.slides.height, 3) == round(16 / 9, 3)


def _dir(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "default.yaml").write_text((THEMES_DIR / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_extends_states_only_differences(tmp_path):
    d = _dir(tmp_path, child="extends: default\naudience: Kids\ncolours:\n  accent: '#00AA00'\nsizes: {body: 14}\n")
    t, _ = load_theme("child", d)
    base, _ = load_theme("default", d)
    assert t.colours.accent.hex == "00AA00" and t.sizes.body == 14
    assert t.colours.text == base.colours.text and t.fonts == base.fonts


def test_theme_errors_have_positions(tmp_path):
    d = _dir(tmp_path, bad="extends: default\ncolours:\n  acent: '#00AA00'\n  text: red\nsizes: {body: 2}\n")
    with pytest.raises(InputError) as exc:
        load_theme("bad", d)
    lines = exc.value.lines()
    f = d / "bad.yaml"
    shown = str(f)
    assert any(ln.startswith(f"{shown}:3:3: error: colours: unknown key 'acent' (did you mean 'accent'?)")
               or ln.endswith("colours: unknown key 'acent' (did you mean 'accent'?)") for ln in lines)
    assert any(":4:9: error: colours.text: 'red' is not a colour like #1F3A5F" in ln for ln in lines)
    assert any(":5:15: error: sizes.body: 2 is below the minimum 4" in ln for ln in lines)


def test_extends_unknown_and_cycle(tmp_path):
    d = _dir(tmp_path, a="extends: b\n", b="extends: a\n", c="extends: nope\n")
    with pytest.raises(InputError, match="cycle"):
        load_theme("a", d)
    with pytest.raises(InputError, match="unknown theme 'nope'"):
        load_theme("c", d)


def test_incomplete_root_theme(tmp_path):
    d = _dir(tmp_path, lone="audience: x\n")
    with pytest.raises(InputError, match="missing colours.text"):
        load_theme("lone", d)


def test_cmyk_mode_needs_cmyk_values(tmp_path):
    d = _dir(tmp_path, print="extends: default\npage: {colour_mode: cmyk}\n")
    with pytest.raises(InputError, match="colour_mode cmyk needs cmyk values for: text"):
        load_theme("print", d)


def test_unknown_theme():
    with pytest.raises(ThemeNotFound, match="available themes: .*default"):
        load_theme("nosuch")


def test_theme_schema_is_committed_and_current():
    assert (THEMES_DIR / "theme.schema.json").read_text(encoding="utf-8") == json_schema_text()


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def lum(c):
        ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c.rgb_floats]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula():
    from builders.theme import Colour

    assert round(contrast(Colour("#000000"), Colour("#FFFFFF")), 1) == 21.0
    assert round(contrast(Colour("#777777"), Colour("#FFFFFF")), 2) == 4.48


@pytest.mark.parametrize("name", THEMES)
def test_every_text_pair_readable(name):
    """Every text/background pair a builder may use reaches WCAG AA (4.5:1) in every theme."""
    t, _ = load_theme(name)
    low = [(pair, round(contrast(fg, bg), 2)) for pair, fg, bg in t.colours.pairs() if contrast(fg, bg) < 4.5]
    assert low == []


def test_accessible_theme_is_aaa_with_large_type():
    t, _ = load_theme("accessible")
    assert all(contrast(fg, bg) >= 7 for _, fg, bg in t.colours.pairs())
    assert all(contrast(c, t.colours.background) >= 3 for c in t.colours.chart)  # WCAG 1.4.11 non-text
    d, _ = load_theme("default")
    assert t.sizes.body >= 14 and t.sizes.slide_min >= 20 and t.sizes.body > d.sizes.body


def test_print_theme_is_cmyk_with_bleed():
    t, _ = load_theme("print")
    assert t.page.colour_mode == "cmyk" and t.page.crop_marks
    assert round(t.page.bleed / 72 * 25.4, 2) == 3.0
    assert t.colours.text.cmyk == (0, 0, 0, 100)  # pure K text: no mis-registration
    assert all(c.cmyk for c in t.colours.chart)
    tints = [t.colours.surface.cmyk]
    assert all(max(c) >= 10 or max(c) == 0 for c in tints)


def test_executive_deck_omits_lessons():
    t, _ = load_theme("executive")
    assert "lessons" in t.omitted("pptx") and "lessons" not in t.omitted("docx")


def test_themes_differ():
    seen = {}
    for name in THEMES:
        t, _ = load_theme(name)
        key = (t.colours.heading, t.fonts.body, t.sizes.body, t.page.bleed)
        assert key not in seen, f"{name} looks like {seen.get(key)}"
        seen[key] = name


@pytest.mark.parametrize("ref, message", [
    ("../../../etc/passwd.docx", "lies outside the project and the folder of corp.yaml; copy it beside it"),
    ("/etc/hostname.docx", "lies outside the project and the folder of corp.yaml; copy it beside it"),
    ("corp.docm", "macro-enabled templates are refused"),
    ("corp.txt", "is not one of .docx, .dotx"),
    ("missing.docx", "no such file"),
])
def test_template_paths_are_confined(tmp_path, ref, message):
    d = _dir(tmp_path, corp=f"extends: default\ntemplates:\n  docx: {ref}\n")
    (tmp_path / "corp.docm").write_bytes(b"PK")
    with pytest.raises(InputError) as exc:
        load_theme("corp", d)
    (line,) = exc.value.lines()
    assert ":3:9: error: templates.docx: " in line and message in line


def test_font_file_outside_project_refused(tmp_path):
    d = _dir(tmp_path, f="extends: default\nfonts:\n  body: {pdf: /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}\n")
    with pytest.raises(InputError, match="fonts.body.pdf: .* lies outside the project"):
        load_theme("f", d)
