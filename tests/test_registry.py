"""builders.registry: format names → builders, and the imports builders share."""
from __future__ import annotations

import subprocess
import sys

import pytest

from builders import registry

from .conftest import SAMPLE


@pytest.mark.parametrize("fmt", registry.FORMATS)
def test_each_builder_imports_what_is_listed_for_it(fmt, tmp_path):
    """The parent imports the listed modules for its children: a stale entry would be wasted time."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from builders.loader import load_brief\n"
        "from builders.theme import load_theme\n"
        "from builders.registry import builder, IMPORTS\n"
        "from builders.lower import lower\n"
        "from builders.diagnostics import Log\n"
        f"brief, _ = load_brief(Path({str(SAMPLE)!r})); theme, _ = load_theme('default')\n"
        f"builder({fmt!r}).build(lower(brief, theme, {fmt!r}), theme, Path({str(tmp_path / ('x.' + fmt))!r}), "
        f"Log('x', {fmt!r}))\n"
        f"print(sorted(m for m in IMPORTS[{fmt!r}] if m not in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_shared_imports_are_those_of_two_or_more_formats():
    office = registry.import_shared(["docx", "pptx"])
    assert "lxml.etree" in office and "builders.fonts" in office
    assert set(office) == set(registry.IMPORTS["docx"]) & set(registry.IMPORTS["pptx"])
    assert registry.import_shared(["pdf"]) == []
    assert registry.import_shared([]) == []
    assert set(registry.import_shared(["docx", "pdf"])) == set(registry.IMPORTS["docx"]) & set(registry.IMPORTS["pdf"])
    assert all(name in sys.modules for name in office)


def test_every_format_has_a_builder_and_an_import_list():
    assert set(registry.BUILDERS) == set(registry.IMPORTS) == set(registry.FORMATS)
