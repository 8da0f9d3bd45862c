"""References, citations, cross-references, series, ranges and text tables (issue 17), up to the document.

The builders' side (links, bookmarks, charts with several series) is tested with each builder."""
from __future__ import annotations

from pathlib import Path

import pytest

from builders import document as d
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme

from .conftest import problems, write

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFS_ZH, REFS_EN = FIXTURES / "refs-zh.yaml", FIXTURES / "refs-en.yaml"
HEAD = "title: T\nlanguage: en-GB\nauthors:\n  - name: A\n"


@pytest.fixture(scope="module")
def theme():
    return load_theme("default")[0]


def every_text(doc: d.Document) -> str:
    parts = [d.plain(doc.title)]
    for s in doc.walk():
        parts.append(s.label)
        parts += [line for b in s.blocks for line in d.block_text(b)]
    parts += [d.blocks_text(n.blocks) for n in doc.notes]
    return "\n".join(parts)


def links(doc: d.Document) -> list[d.Link]:
    return [node for s in doc.walk() for b in s.blocks for seq in d.block_inlines(b)
            for node in d.iter_inlines(seq) if isinstance(node, d.Link)]


def anchors(doc: d.Document) -> set[str]:
    out = {s.anchor for s in doc.walk()}
    for s in doc.walk():
        for b in s.blocks:
            if isinstance(b, (d.Para, d.Table, d.FigureBlock)) and b.anchor:
                out.add(b.anchor)
    return out


def test_chinese_bibliography_gb_t_7714(theme):
    doc = lower(load_brief(REFS_ZH)[0], theme, "docx")
    refs = doc.sections[-1]
    assert refs.role == "references" and d.plain(refs.title) == "参考文献"
    entries = [d.plain(p.inlines) for p in refs.blocks]
    assert entries == [
        "[1]王小明, 李四, 张三, 等. 京津冀协同发展研究[M]. 北京: 科学出版社, 2020.",
        "[2]HSU C, LI W, ZHAO M, et al. Regional innovation networks in city clusters[J/OL]. Research Policy, "
        "2021, 50(3): 104-118. DOI:10.1016/j.respol.2021.104118.",
        "[3]李明, 周红, 陈东, 等. 协同创新共同体的制度设计[J]. 中国软科学, 2019, 34(5): 1-12.",
    ]
    assert [p.anchor for p in refs.blocks] == ["ref-wang2020", "ref-hsu2021", "ref-li2019"]


def test_numeric_marks_are_superscript_links_in_citation_order(theme):
    doc = lower(load_brief(REFS_ZH)[0], theme, "pdf")
    cites = [x for x in links(doc) if x.target.startswith("#ref-")]
    assert [(x.target, d.plain(x.children)) for x in cites[:3]] == [
        ("#ref-wang2020", "[1]"), ("#ref-hsu2021", "[2]"), ("#ref-hsu2021", "Hsu等[2]")]
    assert isinstance(cites[0].children[0], d.Sup)
    assert "多项研究[1,2,3]给出了相近结论" in every_text(doc)


def test_author_date_citations(theme):
    doc = lower(load_brief(REFS_EN)[0], theme, "pdf")
    text = every_text(doc)
    assert "measurable (Hsu et al. 2021, 12). Smith and Jones (2018) show" in text
    assert "(Hsu et al. 2021; Smith and Jones 2018)" in text
    entries = [d.plain(p.inlines) for p in doc.sections[-1].blocks]
    assert entries[0].startswith("Hsu, C., W. Li, M. Zhao, and Y. Sun. 2021.")
    assert entries[1].startswith("Smith, A., and B. Jones. 2018. Platforms and Places.")


@pytest.mark.parametrize("path", [REFS_ZH, REFS_EN])
def test_no_citation_syntax_reaches_a_reader(path, theme):
    for fmt in ("docx", "pptx", "pdf"):
        text = every_text(lower(load_brief(path)[0], theme, fmt))
        for syntax in ("[@", "@fig-", "@tbl-", "@sec-", "@hsu", "@smith", "@wang"):
            assert syntax not in text, (fmt, syntax)


@pytest.mark.parametrize("path", [REFS_ZH, REFS_EN])
def test_every_internal_link_has_a_target(path, theme):
    doc = lower(load_brief(path)[0], theme, "docx")
    internal = [x.target[1:] for x in links(doc) if x.internal]
    assert internal and set(internal) <= anchors(doc)


def test_cross_references_read_in_the_language(theme):
    zh = every_text(lower(load_brief(REFS_ZH)[0], theme, "pdf"))
    assert "相关数据见图1，三地对比见表1。" in zh and "技术合同成交额持续增长（图1），详见“完善协同机制”。" in zh
    en = every_text(lower(load_brief(REFS_EN)[0], theme, "pdf"))
    assert "Figure 1 compares the three places" in en and "We follow the approach in ‘Summary’ and Section 2." in en


def test_figures_follow_the_paragraph_that_first_refers_to_them(theme):
    doc = lower(load_brief(REFS_ZH)[0], theme, "pdf")
    summary = doc.sections[0]
    kinds = [type(b).__name__ for b in summary.blocks]
    assert kinds == ["Para", "FigureBlock", "Table"]
    assert [type(b).__name__ for b in summary.body] == ["Para", "FigureBlock", "Table"]  # the deck's view too
    figures = next(s for s in doc.sections if s.role == "figures")  # what nothing refers to stays there
    assert [b.figure.id for b in figures.blocks] == ["share"]


def test_series_ranges_and_text_tables(theme):
    doc = lower(load_brief(REFS_EN)[0], theme, "pdf")
    growth, targets = [b for b in doc.sections[0].blocks if isinstance(b, d.FigureBlock)]
    assert growth.header == ("Item", "Beijing (CNY bn)", "Tianjin (CNY bn)", "Hebei (CNY bn)")
    assert growth.rows[2] == ("2018", "180.2", "", "19.9")  # a gap stays a gap
    assert len(growth.figure.all_series) == 3 and growth.number_format == "#,##0.0"
    assert targets.rows == (("R&D share of GDP", "2.5–3.5%"), ("Firms in parks", "600,000 firms"))
    table = next(b for b in doc.sections[0].blocks if isinstance(b, d.Table))
    assert d.plain(table.caption) == "Table 1 Policy levers"  # a chart and its data are one figure and table.anchor == "tbl-levers"
    assert table.rows[0][0] == (d.Strong((d.Str("Joint labs"),)),)
    zh = lower(load_brief(REFS_ZH)[0], theme, "pdf")
    share = next(b for s in zh.walk() for b in s.blocks if isinstance(b, d.FigureBlock) and b.figure.id == "share")
    assert share.rows == (("北京", "6.5%"), ("津冀", "2.5%～3.5%"), ("全国", "50%以上"))


# ---------------------------------------------------------------- errors at FILE:LINE:COL




REFS = "references:\n  - {id: hsu2021, type: book, title: X}\n"


def test_unknown_citation_key(tmp_path):
    p = write(tmp_path, HEAD + "summary: |\n  As shown [@hsu2012].\n" + REFS)
    assert problems(p) == [f"{p}:6:13: error: unknown reference @hsu2012 (did you mean @hsu2021?)"]


def test_citation_without_references(tmp_path):
    p = write(tmp_path, HEAD + "summary: As @smith2018 shows.\n")
    assert problems(p) == [f"{p}:5:13: error: unknown reference @smith2018; add it under 'references:' or name "
                           "a 'bibliography:' file"]


def test_duplicate_reference_id(tmp_path):
    p = write(tmp_path, HEAD + "summary: S [@a]\nreferences:\n  - {id: a, type: book}\n  - {id: a, type: book}\n")
    assert problems(p) == [f"{p}:8:10: error: references[1].id: duplicate reference id 'a' (also at line 7)"]


def test_unreadable_bibliography(tmp_path):
    write(tmp_path, "[{\"id\": \"x\",}]", "refs.json")
    p = write(tmp_path, HEAD + "summary: S\nbibliography: refs.json\n")
    assert problems(p) == [f"{p}:6:15: error: bibliography: refs.json is not valid CSL-JSON: Expecting property "
                           "name enclosed in double quotes at line 1, column 13"]


def test_bibliography_is_confined(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nbibliography: /etc/passwd.json\n")
    (line,) = problems(p)
    assert line.startswith(f"{p}:6:15: error: bibliography: '/etc/passwd.json' lies outside the project")


def test_unknown_cross_reference(tmp_path):
    p = write(tmp_path, HEAD + "summary: See @fig-grwoth.\nfigures:\n  - id: growth\n    title: G\n    chart: column\n"
                               "    data: [{year: 2020, value: 1}]\n")
    assert problems(p) == [f"{p}:5:14: error: no figure, table or section @fig-grwoth (did you mean @fig-growth?)"]


def test_charting_a_range_names_the_figure(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nfigures:\n  - id: spend\n    title: G\n    chart: column\n"
                               "    data: [{year: 2020, value: [1, 2]}]\n")
    assert problems(p) == [f"{p}:9:12: error: figures[0].chart: figure 'spend' has a range ([low, high]): a range "
                           "cannot be charted; remove 'chart' to show it as a table"]


def test_series_need_one_value_per_category(tmp_path):
    p = write(tmp_path, HEAD + "summary: S\nfigures:\n  - id: g\n    title: G\n    categories: [a, b]\n"
                               "    series: [{name: x, values: [1, null, 3]}]\n")
    assert problems(p) == [f"{p}:10:13: error: figures[0].series[0]: series 'x' has 3 value(s) for 2 categories"]
