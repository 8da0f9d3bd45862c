"""Shared fixtures: every brief we test on, every theme, and builds cached per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builders.errors import InputError

from builders.build import build_brief
from builders.loader import load_brief
from builders.theme import available, load_theme

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = ROOT / "source" / "jingjinji-innovation.yaml"
ENGLISH = ROOT / "source" / "beijing-tianjin-hebei-briefing-en.yaml"
MARKUP = FIXTURES / "markup.yaml"  # <, &, quotes, emoji, rare characters, a very long paragraph
LONG = FIXTURES / "long.yaml"  # very long titles, points, bodies and actions
MINIMAL = FIXTURES / "minimal.yaml"  # only the required keys
RICH_EN = FIXTURES / "rich-en.yaml"  # every construct of the document model, English, no cases, explicit order
RICH_ZH = FIXTURES / "rich-zh.yaml"  # the same in Chinese, default order

BRIEFS = {"sample": SAMPLE, "english": ENGLISH, "markup": MARKUP, "long": LONG, "minimal": MINIMAL,
          "rich-en": RICH_EN, "rich-zh": RICH_ZH}
RICH = ("rich-en", "rich-zh")
THEMES = tuple(available())


def need(*tools: str) -> None:
    """Fail (not skip) when a tool the test needs is missing: .ci/run installs them."""
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        pytest.fail(f"missing tool(s) {', '.join(missing)}: run `make sysdeps` (or bash .ci/run)")


@pytest.fixture(scope="session")
def build_cache(tmp_path_factory):
    cache: dict = {}

    def get(brief_key: str, theme: str = "default", fmt: str = "docx") -> Path:
        key = (brief_key, theme, fmt)
        if key not in cache:
            brief, _ = load_brief(BRIEFS[brief_key])
            th, _ = load_theme(theme)
            out = tmp_path_factory.mktemp(f"{brief_key}-{theme}-{fmt}")
            result = build_brief(brief, th, out, [fmt], parallel=False)
            cache[key] = (result.outputs[0], result.warnings)
        return cache[key][0]

    get.warnings = lambda b, t="default", f="docx": (get(b, t, f), cache[(b, t, f)][1])[1]
    return get


@pytest.fixture(scope="session")
def built(build_cache):
    """``built(brief_key, theme, fmt) -> Path`` of the output, built once per session."""
    return build_cache


def write(tmp_path: Path, text: str | bytes, name: str = "brief.yaml") -> Path:
    """A brief (or any file) named ``name`` in ``tmp_path``, holding ``text``."""
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def problems(path: Path) -> list[str]:
    """The one-line messages loading the brief at ``path`` fails with."""
    with pytest.raises(InputError) as exc:
        load_brief(path)
    return exc.value.lines()
