"""The loader on good and bad briefs: every problem reported at its line and column, all at once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders.loader import json_schema, json_schema_text, load_brief
from builders import document as d
from builders.model import text_of

from builders.loader import BRIEF

from .conftest import BRIEFS, ENGLISH, ROOT, SAMPLE, problems, write

BRIEF_KEYS = list(BRIEF.fields)

VALID = """\
title: T
authors:
  - name: A
summary: S
cases:
  - id: c1
    title: Case
    body: Body
recommendations:
  - id: r1
    title: Rec
    body: Lead
    actions:
      - Act
"""




def test_valid_minimal(tmp_path):
    brief, warnings = load_brief(write(tmp_path, VALID))
    assert brief.title.plain == "T" and brief.language == "zh-CN" and warnings == []
    assert brief.cases[0].body.blocks == (d.Para((d.Str("Body"),)),)
    assert brief.name == "brief"


@pytest.mark.parametrize("key", sorted(BRIEFS))
def test_every_shipped_and_fixture_brief_loads(key):
    brief, warnings = load_brief(BRIEFS[key])
    assert brief.summary and warnings == []


def test_sample_is_the_whole_article():
    """The seed's sections, four cases, three lessons and five recommendations, with the fixes applied."""
    brief, _ = load_brief(SAMPLE)
    assert brief.title.plain == "京津冀协同创新现状、案例启示及建议"
    assert [a.name for a in brief.authors] == ["关成华", "刘杨"]
    assert all(a.role for a in brief.authors)
    assert len(brief.cases) == 4 and len(brief.lessons) == 3 and len(brief.recommendations) == 5
    text = json.dumps([str(x) for x in (brief.summary, brief.status, brief.challenges, brief.cases,
                                         brief.lessons, brief.recommendations)], ensure_ascii=False)
    for fixed in ("2014年", "2017年7月", "2018年6月1日", "5G、AI", "G60、G15、G1501、S32", "356.9亿元"):
        assert fixed in text, fixed
    for broken in ("2 014", "G 6 0", "20177月", "5GAI", "G60G15"):
        assert broken not in text, broken
    # "一是/二是" points are list items, never typed into the text.
    assert "一是" not in text and "二是" not in text
    contracts = next(f for f in brief.figures if f.chart)
    assert {(d.year, d.value) for d in contracts.data} >= {(2014, 83.1), (2022, 356.9)}


def test_english_brief_has_another_shape():
    brief, _ = load_brief(ENGLISH)
    assert brief.language == "en-GB" and brief.status is None and brief.lessons == ()


def test_text_convention():
    """The plain-text convention of the first version is a subset of CommonMark: same paragraphs and lists."""
    text = text_of("First line\nsoft-wrapped.\n\n- a\n- b\n\n1. one\n2. two\n\n中文第一行\n第二行")
    para = lambda s: (d.Para((d.Str(s),)),)  # noqa: E731
    assert text.blocks == (
        d.Para((d.Str("First line soft-wrapped."),)),
        d.BulletList((para("a"), para("b"))),
        d.OrderedList((para("one"), para("two")), ("1.", "2.")),
        d.Para((d.Str("中文第一行第二行"),)),
    )


def test_yaml_syntax_error(tmp_path):
    p = write(tmp_path, "title: T\nauthors: [\n  - name: A\nsummary: S\n")
    (line,) = problems(p)
    assert line.startswith(f"{p}:3:") and ": error: YAML syntax:" in line


def test_missing_required_keys_all_reported(tmp_path):
    p = write(tmp_path, "title: T\nauthors:\n  - role: R\n")
    lines = problems(p)
    assert f"{p}:3:5: error: authors[0]: missing required key 'name'" in lines
    assert f"{p}:1:1: error: missing required key 'summary'" in lines
    # Case studies and recommendations are optional (issue 15): an impartial briefing has neither.
    assert not any("'cases'" in line or "'recommendations'" in line for line in lines)


def test_wrong_type_deep_in_the_tree(tmp_path):
    text = VALID.replace("      - Act\n", "      - Act\n      - {nested: map}\n")
    p = write(tmp_path, text)
    assert problems(p) == [f"{p}:15:9: error: recommendations[0].actions[1]: expected text, got a mapping"]


def test_unknown_key_did_you_mean(tmp_path):
    p = write(tmp_path, VALID.replace("    title: Case", "    titel: Case"))
    lines = problems(p)
    assert f"{p}:7:5: error: cases[0]: unknown key 'titel' (did you mean 'title'?)" in lines
    assert f"{p}:6:5: error: cases[0]: missing required key 'title'" in lines


def test_duplicate_ids(tmp_path):
    text = VALID.replace("recommendations:\n  - id: r1", "recommendations:\n  - id: c1")
    p = write(tmp_path, text)
    assert problems(p) == [f"{p}:10:9: error: recommendations[0].id: duplicate id 'c1' (also used by cases[0])"]


def test_duplicate_key(tmp_path):
    p = write(tmp_path, "title: T\n" + VALID)
    assert f"{p}:2:1: error: title: duplicate key 'title' (first at line 1)" in problems(p)


def test_empty_file(tmp_path):
    for content in ("", "\n  \n", "# only a comment\n"):
        p = write(tmp_path, content)
        assert problems(p) == [f"{p}:1:1: error: the file is empty"]


def test_not_utf8_names_gbk(tmp_path):
    p = write(tmp_path, VALID.replace("title: T", "title: 京津冀").encode("gb18030"))
    (line,) = problems(p)
    assert line.startswith(f"{p}:1:8: error: file is not valid UTF-8")
    assert "GBK/GB18030" in line and "iconv -f GB18030 -t UTF-8" in line


def test_utf16_is_named(tmp_path):
    p = write(tmp_path, VALID.encode("utf-16"))
    assert problems(p) == [f"{p}:1:1: error: file is UTF-16; save it as UTF-8"]


def _with_peak_memory(call):
    """``call()``'s result and the peak of Python memory allocated while it ran, in bytes."""
    import tracemalloc

    tracemalloc.start()
    try:
        return call(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_billion_laughs_refused_quickly(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 10) + "]")
    p = write(tmp_path, "\n".join(lines) + "\n" + VALID.replace("summary: S", "summary: S\nkeywords: *l"))
    lines_out, peak = _with_peak_memory(lambda: problems(p))
    assert peak < 16_000_000  # refused before expanding (10^11 items); memory, not time: a count, not a race
    assert f"{p}:4:1: error: unknown key 'd'; expected one of: " + ", ".join(BRIEF_KEYS) in lines_out


def test_alias_expansion_of_valid_content_bounded(tmp_path):
    """Aliases of a large, valid case would expand to 200 MB of text: refused, fast, with one message."""
    body = "长" * 200_000
    case = f"  - &c {{id: c1, title: Case, body: {body}}}\n"
    text = VALID.replace("  - id: c1\n    title: Case\n    body: Body\n", case + "  - *c\n" * 999)
    p = write(tmp_path, text)
    lines_out, peak = _with_peak_memory(lambda: problems(p))
    assert peak < 64_000_000  # the 200 MB of text is never built
    assert any("aliases expand beyond 20,000,000 characters" in ln for ln in lines_out)


def test_recursive_alias_refused(tmp_path):
    p = write(tmp_path, VALID.replace("summary: S", "summary: S\nkeywords: &k [*k]"))
    lines = problems(p)
    assert any("keywords" in ln for ln in lines)


def test_deep_nesting_refused(tmp_path):
    p = write(tmp_path, VALID + "figures: " + "[" * 100 + "]" * 100 + "\n")
    (line,) = problems(p)
    assert line.startswith(f"{p}:15:") and "nesting deeper than" in line


def test_object_constructing_tags_refused(tmp_path):
    p = write(tmp_path, VALID.replace("title: T", "title: !!python/object/apply:os.system ['echo pwned']"))
    (line,) = problems(p)
    assert line.startswith(f"{p}:1:8: error: title: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'")


def test_control_characters_stripped_with_warning(tmp_path):
    p = write(tmp_path, VALID.replace("summary: S", "summary: S\x0bend\x07") .replace("title: T", 'title: "T\\x1b"'))
    brief, warnings = load_brief(p)
    assert brief.summary.plain == "Send" and brief.title.plain == "T"
    assert [str(w) for w in warnings] == [
        f"{p}:4:11: warning: control character(s) U+0007, U+000B removed",
        f"{p}:1:8: warning: title: control character(s) U+001B removed",
    ]


def test_wrong_scalar_types(tmp_path):
    text = VALID + "date: 2024-13-01\nlanguage: zh_CN\nfigures:\n  - id: f\n    title: F\n    chart: pie-chart\n" \
        "    data:\n      - {label: x, value: lots}\n      - {value: 3}\n"
    p = write(tmp_path, text)
    assert problems(p) == [
        f"{p}:15:7: error: date: '2024-13-01' is not an ISO date (YYYY-MM-DD)",
        f"{p}:16:11: error: language: 'zh_CN' is not a BCP 47 language tag such as zh-CN or en-GB",
        f"{p}:20:12: error: figures[0].chart: expected one of column, bar, line, pie; got 'pie-chart'",
        f"{p}:22:27: error: figures[0].data[0].value: expected a number, got the text 'lots'",
        f"{p}:23:9: error: figures[0].data[1]: a datum needs a 'label' or a 'year'",
    ]


def test_charted_figure_needs_one_unit(tmp_path):
    text = VALID + "figures:\n  - id: f\n    title: F\n    chart: bar\n    data:\n" \
        "      - {label: a, value: 1, unit: '%'}\n      - {label: b, value: 2, unit: kg}\n"
    p = write(tmp_path, text)
    assert problems(p) == [f"{p}:16:5: error: figures[0]: a charted figure needs one unit for all its data; got %, kg"]


def test_numbers_are_text_where_text_is_expected(tmp_path):
    """`title: 2024` or `name: yes` are what the author typed, not a number or a boolean."""
    p = write(tmp_path, VALID.replace("title: T", "title: 2024").replace("name: A", "name: yes"))
    brief, _ = load_brief(p)
    assert brief.title.plain == "2024" and brief.authors[0].name == "yes"


def test_missing_file():
    p = Path("does/not/exist.yaml")
    assert problems(p) == ["does/not/exist.yaml: error: no such file"]


def test_json_schema_is_committed_and_current():
    committed = (ROOT / "source" / "brief.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "run `make schema` to regenerate source/brief.schema.json"


@pytest.mark.parametrize("key", sorted(BRIEFS))
def test_json_schema_agrees_with_the_loader(key):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    data = yaml.safe_load(BRIEFS[key].read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))
    jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker()).validate(data)


def test_json_schema_rejects_what_the_loader_rejects():
    jsonschema = pytest.importorskip("jsonschema")
    v = jsonschema.Draft202012Validator(json_schema())
    assert list(v.iter_errors({"title": "T", "titel": "x"}))


def test_sample_points_editors_at_the_schema():
    for path in (SAMPLE, ENGLISH):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=brief.schema.json"


def _png(path: Path, width: int, height: int) -> Path:
    """A real PNG of ``width`` x ``height``; beyond the pixel limit only a header claiming that size (the checks
    refuse it before decoding)."""
    import struct
    import zlib

    if width * height <= 40_000_000:
        from PIL import Image

        Image.new("RGB", (width, height), (200, 220, 240)).save(path, "PNG")
        return path
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)))
    return path


def _with_image(tmp_path: Path, image: str, alt: str | None = "A map") -> Path:
    fig = f"figures:\n  - id: map\n    title: Map\n    image: {image}\n" + (f"    alt: {alt}\n" if alt else "")
    return write(tmp_path, VALID + fig)


def test_image_figure_loads(tmp_path):
    _png(tmp_path / "map.png", 800, 600)
    brief, _ = load_brief(_with_image(tmp_path, "map.png"))
    assert brief.figures[0].image == (tmp_path / "map.png").resolve() and brief.figures[0].alt == "A map"


@pytest.mark.parametrize("image, message", [
    ("../outside.png", "'../outside.png' lies outside the project and the folder of brief.yaml; copy it beside it"),
    ("/etc/passwd.png", "'/etc/passwd.png' lies outside the project and the folder of brief.yaml; copy it beside it"),
    ("missing.png", "'missing.png': no such file"),
    ("map.gif", "'map.gif' is not one of .png, .jpg, .jpeg"),
    ("fake.png", "fake.png: not a PNG or JPEG image"),
    ("bomb.png", "bomb.png is 100000 x 100000 pixels; images may have at most 40,000,000 pixels"),
])
def test_image_rules(tmp_path, image, message):
    inner = tmp_path / "briefs"
    inner.mkdir()
    _png(tmp_path / "outside.png", 10, 10)
    (inner / "fake.png").write_text("<svg/>")
    _png(inner / "bomb.png", 100_000, 100_000)
    p = _with_image(inner, image)
    assert problems(p) == [f"{p}:18:12: error: figures[0].image: {message}"]


def test_image_needs_alt_and_no_data(tmp_path):
    _png(tmp_path / "map.png", 10, 10)
    p = _with_image(tmp_path, "map.png", alt=None)
    assert problems(p) == [f"{p}:16:5: error: figures[0]: an image needs 'alt': a description for readers who cannot see it"]
