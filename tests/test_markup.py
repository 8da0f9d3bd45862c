"""CommonMark text fields (issue 15): what the parser makes of each construct, and every new error at its
exact FILE:LINE:COL."""
from __future__ import annotations



from builders import document as d
from builders.loader import load_brief
from builders.markup import Where, parse_blocks, parse_inlines
from builders.model import line_of, text_of

from .conftest import problems, write

HEAD = """title: T
language: en-GB
authors:
  - name: A
"""




def S(text: str) -> d.Str:
    return d.Str(text)


def test_inline_markup():
    line = line_of("A *b* **c** `d` [e](https://x.org/) <mailto:f@x.org> g[^n]")
    assert line.inlines == (
        S("A "), d.Emph((S("b"),)), S(" "), d.Strong((S("c"),)), S(" "), d.Code("d"), S(" "),
        d.Link("https://x.org/", (S("e"),)), S(" "), d.Link("mailto:f@x.org", (S("mailto:f@x.org"),)), S(" g"),
        d.NoteRef("n"),
    )
    assert line.refs[0][0] == "n"


def test_inline_fields_keep_block_syntax_as_text():
    """A title that starts like a list or a heading is still one line of text."""
    assert line_of("1. First").plain == "1. First"
    assert line_of("# Not a heading").plain == "# Not a heading"


def test_raw_html_is_text():
    assert line_of("a <b>bold</b> & <script>x</script>").plain == "a <b>bold</b> & <script>x</script>"
    assert text_of("<div>\nblock\n</div>").plain == "<div> block </div>"


def test_block_constructs():
    text = text_of(
        "Intro\n\n- a\n  - b\n    - c\n\n> quoted\n\n### Sub\n\n| h1 | h2 |\n|:--|--:|\n| x | *y* |\n"
    )
    para, bullets, quote, heading, table = text.blocks
    assert para == d.Para((S("Intro"),))
    assert bullets == d.BulletList(((d.Para((S("a"),)), d.BulletList(((d.Para((S("b"),)),
                                    d.BulletList(((d.Para((S("c"),)),),))),))),))
    assert quote == d.Quote((d.Para((S("quoted"),)),))
    assert heading == d.Heading(1, (S("Sub"),))
    assert table == d.Table(((S("h1"),), (S("h2"),)), (((S("x"),), (d.Emph((S("y"),)),)),), ("left", "right"))


def test_soft_breaks_join_cjk_without_a_space():
    assert text_of("中文第一行\n第二行 and\nEnglish").plain == "中文第一行第二行 and English"


def test_note_definitions_in_a_field():
    text = text_of("Text[^a].\n\n[^a]: The note,\n    continued.\n")
    assert text.blocks == (d.Para((S("Text"), d.NoteRef("a"), S("."))),)
    (note_id, blocks, *_), = text.defs
    assert note_id == "a" and d.blocks_text(blocks) == "The note, continued."


def test_positions_inside_a_literal_block():
    parsed = parse_blocks("one\n\ntwo [x](ftp://h/)\n", Where(10, 5, literal=True))
    assert parsed.errors == [(12, 13, "link to 'ftp://h/': scheme 'ftp:' is not allowed; "
                                      "links may use http, https or mailto")]


def test_positions_in_a_folded_scalar_are_the_scalar():
    parsed = parse_inlines("see [x](data:text/html,hi)", Where(3, 8))
    assert parsed.errors[0][:2] == (3, 8)


def test_lists_deeper_than_three_levels_are_an_error():
    parsed = parse_blocks("- 1\n  - 2\n    - 3\n      - 4\n", Where(1, 1, literal=True))
    assert any("at most 3 levels" in m for _, _, m in parsed.errors)


# ---------------------------------------------------------------- errors at FILE:LINE:COL


def test_bad_link_schemes(tmp_path):
    p = write(tmp_path, HEAD + "summary: |\n  A [bad](javascript:alert(1)) link,\n  <file:///etc/passwd> and\n"
                               "  [rel](docs/x.html).\n")
    lines = problems(p)
    allowed = "links may use http, https or mailto"
    assert lines == [
        f"{p}:6:11: error: summary: link to 'javascript:alert(1)': scheme 'javascript:' is not allowed; {allowed}",
        f"{p}:7:3: error: summary: link to 'file:///etc/passwd': scheme 'file:' is not allowed; {allowed}",
        f"{p}:8:9: error: summary: link to 'docs/x.html': a relative or empty address is not allowed; {allowed}",
    ]


def test_bad_link_in_a_title(tmp_path):
    p = write(tmp_path, HEAD.replace("title: T", "title: T [x](data:text/html,hi)") + "summary: S\n")
    assert problems(p) == [f"{p}:1:14: error: title: link to 'data:text/html,hi': scheme 'data:' is not allowed; "
                           "links may use http, https or mailto"]


def test_undefined_note(tmp_path):
    p = write(tmp_path, HEAD + "summary: |\n  Text[^nope].\nnotes:\n  note: N[^note2]\n  note2: M\n"
                               "sections:\n  - id: s\n    title: S\n    body: x[^note]\n")
    assert problems(p) == [f"{p}:6:7: error: undefined note [^nope] (did you mean [^note]?); "
                           "define it as '[^nope]: text' or under 'notes:'"]


def test_duplicate_note_ids(tmp_path):
    p = write(tmp_path, HEAD + "summary: |\n  A[^a] B[^b]\n\n  [^a]: one\nnotes:\n  b: two\n"
                               "sections:\n  - id: s\n    title: S\n    body: |\n      x\n\n      [^b]: three\n")
    assert problems(p) == [f"{p}:17:7: error: duplicate note id 'b' (also defined at line 10)"]


def test_unreferenced_note_is_a_warning(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nnotes:\n  lonely: Never cited.\n")
    _, warnings = load_brief(p)
    assert [str(w) for w in warnings] == [f"{p}:7:3: warning: note 'lonely' is never referenced"]


def test_order_names_an_unknown_section(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nsections:\n  - id: background\n    title: B\n    body: b\n"
                               "order: [summary, backgrund, status]\n")
    assert problems(p) == [
        f"{p}:10:18: error: order[1]: no section 'backgrund' (did you mean 'background'?)",
        f"{p}:10:29: error: order[2]: no section 'status' (the brief has no such section); the brief has: "
        "background",
    ]


def test_order_misses_a_section(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nsections:\n  - id: background\n    title: B\n    body: b\n"
                               "order: [summary]\n")
    assert problems(p) == [f"{p}:10:8: error: order: section 'background' is missing from 'order'; "
                           "add it where it should be read"]


def test_section_ids_are_unique_across_the_brief(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nsections:\n  - id: x\n    title: B\n    body: b\n"
                               "  - id: x\n    title: C\n    body: c\n")
    assert problems(p) == [f"{p}:10:9: error: sections[1].id: duplicate id 'x' (also used by sections[0])"]


def test_bad_free_section_style(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nsections:\n  - id: x\n    title: B\n    body: b\n    style: boxed\n")
    assert problems(p) == [f"{p}:10:12: error: sections[0].style: expected one of plain, box; got 'boxed' "
                           "(did you mean 'box'?)"]


def test_cases_and_recommendations_are_optional(tmp_path):
    brief, warnings = load_brief(write(tmp_path, HEAD + "summary: S\ncases: []\n"))
    assert brief.cases == () and brief.recommendations == () and warnings == []
