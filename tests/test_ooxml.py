"""Every docx and pptx of every theme and fixture brief is well-formed XML and valid Open XML."""
from __future__ import annotations

from .conftest import BRIEFS, THEMES
from .ooxml import validate, xml_problems

OUTPUTS = [(b, t, f) for t in THEMES for b in BRIEFS for f in ("docx", "pptx")]


def test_every_part_of_every_output_is_well_formed_xml(built):
    problems = {f"{b}/{t}.{f}": p for b, t, f in OUTPUTS if (p := xml_problems(built(b, t, f)))}
    assert problems == {}


def test_every_output_passes_the_open_xml_sdk_validator(built):
    paths = {built(b, t, f): f"{b}/{t}.{f}" for b, t, f in OUTPUTS}
    invalid = {paths[p]: errors[:5] for p, errors in validate(list(paths)).items() if errors}
    assert invalid == {}
