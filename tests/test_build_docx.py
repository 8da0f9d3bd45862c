"""The Word report, read back with python-docx and its XML; expectations come from the Brief model."""
from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from builders.build_docx.text import clean
from builders.loader import load_brief
from builders.i18n import format_value, labels
from builders.outline import outline
from builders.reproducible import document_datetime
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES

KEYS = tuple(BRIEFS)
# Themes whose own styles make the report. A theme with a corporate reference document takes the
# template's styles, header and page set-up instead (by design); tests/test_templates.py checks those.
STYLED = tuple(t for t in THEMES if load_theme(t)[0].docx_template is None)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _brief(key):
    return load_brief(BRIEFS[key])[0]


def _theme(name):
    return load_theme(name)[0]


def _open(built, key, theme):
    return docx.Document(str(built(key, theme, "docx")))


def _headings(doc):
    out = []
    for p in doc.paragraphs:
        name = p.style.name
        if name.startswith("Heading "):
            out.append((int(name.split()[1]), p.text))
    return out


def _package_text(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_headings_follow_the_outline(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    expected = [(min(n.level, 3), clean(n.label)) for n in outline(brief, th, "docx")]
    assert _headings(_open(built, key, theme)) == expected


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_every_paragraph_of_the_brief_is_in_the_report(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    texts = [p.text for p in _open(built, key, theme).paragraphs]
    omitted = th.omitted("docx")
    wanted = []
    if "summary" not in omitted:
        wanted += brief.summary.paragraphs
    for sec in ("status", "challenges"):
        if getattr(brief, sec) and sec not in omitted:
            wanted += getattr(brief, sec).body.paragraphs
    if "cases" not in omitted:
        for case in brief.cases:
            wanted += case.body.paragraphs
    if "lessons" not in omitted:
        for lesson in brief.lessons:
            wanted += lesson.body.paragraphs
    if "recommendations" not in omitted:
        for rec in brief.recommendations:
            wanted += rec.body.paragraphs + rec.actions + rec.closing.paragraphs
    missing = [t for t in wanted if clean(t) not in texts]
    assert not missing, missing[:3]


def _numbering(doc):
    numbering = doc.part.numbering_part.element
    abstract = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n for n in numbering.findall(qn("w:num"))}
    return abstract, nums


def _num_id(p):
    ids = p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    return ids[0] if ids else None


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_actions_are_real_numbered_lists_restarting_at_one(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    if "recommendations" in th.omitted("docx"):
        pytest.skip("theme omits recommendations from the report")
    doc = _open(built, key, theme)
    abstract, nums = _numbering(doc)
    chinese = th.numbering_for(brief.language) == "chinese" and brief.language.startswith("zh")
    groups = _list_groups(doc)
    seen_ids, at = set(), 0
    for rec in brief.recommendations:
        wanted = [clean(a) for a in rec.actions]
        while at < len(groups) and groups[at][1] != wanted:  # lists are in document order
            at += 1
        assert at < len(groups), f"actions of {rec.id} are not one list"
        num_id = groups[at][0]
        at += 1
        assert num_id not in seen_ids, "each list has its own w:num"
        seen_ids.add(num_id)
        num = nums[num_id]
        assert num.xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
        lvl = abstract[num.find(qn("w:abstractNumId")).get(qn("w:val"))].find(qn("w:lvl"))
        fmt = lvl.find(qn("w:numFmt")).get(qn("w:val"))
        text = lvl.find(qn("w:lvlText")).get(qn("w:val"))
        assert (fmt, text) == (("chineseCounting", "%1是") if chinese else ("decimal", "%1."))


def _list_groups(doc):
    """Consecutive list paragraphs with one numId: [(numId, [texts])] in document order."""
    groups = []
    for p in doc.paragraphs:
        nid = _num_id(p)
        if nid is None:
            continue
        if groups and groups[-1][0] == nid:
            groups[-1][1].append(p.text)
        else:
            groups.append((nid, [p.text]))
    return groups


@pytest.mark.parametrize("key", KEYS)
def test_lists_in_text_bodies_are_word_lists(built, key):
    brief = _brief(key)
    doc = _open(built, key, THEMES[0])
    numbered = {p.text: _num_id(p) for p in doc.paragraphs if _num_id(p)}
    abstract, nums = _numbering(doc)
    bodies = [brief.summary] + [s.body for s in (brief.status, brief.challenges) if s] + \
             [c.body for c in brief.cases] + [lsn.body for lsn in brief.lessons]
    for body in bodies:
        for block in body.blocks:
            if not hasattr(block, "items"):
                continue
            ids = {numbered.get(clean(i)) for i in block.items}
            assert len(ids) == 1 and None not in ids
            lvl = abstract[nums[ids.pop()].find(qn("w:abstractNumId")).get(qn("w:val"))].find(qn("w:lvl"))
            fmt = lvl.find(qn("w:numFmt")).get(qn("w:val"))
            assert (fmt == "bullet") == (not block.ordered)


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_fonts_and_languages_come_from_theme_and_brief(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    path = built(key, theme, "docx")
    doc = docx.Document(str(path))
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            fonts = style.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:ascii")), \
                style.get(qn("w:styleId"))
    for fonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]
    body = doc.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
    assert (body.get(qn("w:ascii")), body.get(qn("w:eastAsia"))) == (th.fonts.body.latin, th.fonts.body.east_asian)
    h1 = doc.styles["Heading 1"].element.find(f"{W}rPr/{W}rFonts")
    assert (h1.get(qn("w:ascii")), h1.get(qn("w:eastAsia"))) == (th.fonts.heading.latin, th.fonts.heading.east_asian)
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if brief.is_cjk:
        assert lang.get(qn("w:eastAsia")) == brief.language
    else:
        assert lang.get(qn("w:val")) == brief.language
    package = _package_text(path)
    everything = "".join(package.values())
    assert "ＭＳ" not in everything and "ja-JP" not in everything and 'script="Jpan"' not in everything
    assert th.fonts.body.east_asian in package["word/theme/theme1.xml"]


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_every_run_names_both_faces_and_the_language(built, key, theme):
    """Runs carry fonts and languages themselves, not only through styles (WPS reads the run first)."""
    brief, th = _brief(key), _theme(theme)
    doc = docx.Document(str(built(key, theme, "docx")))
    roles = {(r.latin, r.east_asian) for r in (th.fonts.heading, th.fonts.body, th.fonts.caption)}
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        lang = r.find(f"{W}rPr/{W}lang")
        assert fonts is not None and (fonts.get(qn("w:ascii")), fonts.get(qn("w:eastAsia"))) in roles
        assert lang is not None and brief.language in (lang.get(qn("w:val")), lang.get(qn("w:eastAsia")))


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_body_typography_follows_the_language(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    normal = _open(built, key, theme).styles["Normal"]
    ind = normal.element.find(f"{W}pPr/{W}ind")
    jc = normal.element.find(f"{W}pPr/{W}jc")
    if brief.is_cjk:
        assert ind.get(qn("w:firstLineChars")) == "200"
        assert jc.get(qn("w:val")) in ("both", "distribute")
    else:
        assert ind is None or int(ind.get(qn("w:firstLineChars"), "0")) == 0
        assert normal.paragraph_format.space_after.pt > 0
    assert normal.font.size.pt == th.sizes.body
    assert normal.paragraph_format.line_spacing == pytest.approx(th.sizes.line_spacing)


@pytest.mark.parametrize("theme", STYLED)
def test_headings_keep_with_next_in_heading_colour(built, theme):
    th = _theme(theme)
    doc = _open(built, "sample", theme)
    for level in (1, 2, 3):
        st = doc.styles[f"Heading {level}"]
        assert st.paragraph_format.keep_with_next
        assert str(st.font.color.rgb) == th.colours.heading.hex
        assert st.element.find(f"{W}rPr/{W}color").get(qn("w:themeColor")) is None


@pytest.mark.parametrize("theme", STYLED)
@pytest.mark.parametrize("key", KEYS)
def test_header_footer_and_cover(built, key, theme):
    brief = _brief(key)
    doc = _open(built, key, theme)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    assert "".join(p.text for p in section.first_page_footer.paragraphs) == ""
    head = section.header.paragraphs[0].text
    assert head == clean(brief.running_title) or (head.endswith("…") and clean(brief.running_title).startswith(head[:-1]))
    footer = section.footer.paragraphs[0]._p
    instr = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instr == ["PAGE", "NUMPAGES"]
    before, between, after = labels(brief.language).page_x_of_y
    texts = "".join(t.text for t in footer.iter(qn("w:t")))
    assert texts == f"{before}1{between}1{after}"
    cover = [p.text for p in doc.paragraphs[:len(brief.authors) + 8]]
    assert clean(brief.title) in cover
    for author in brief.authors:
        assert any(clean(author.name) in t and (not author.role or clean(author.role) in t) for t in cover)
    if brief.subtitle:
        assert clean(brief.subtitle) in cover


@pytest.mark.parametrize("key", KEYS)
def test_core_properties(built, key):
    brief = _brief(key)
    path = built(key, THEMES[0], "docx")
    cp = docx.Document(str(path)).core_properties
    assert cp.title == clean(brief.title)
    assert cp.author == clean("; ".join(a.name for a in brief.authors))
    assert cp.keywords == clean("; ".join(brief.keywords))
    assert cp.language == brief.language
    when = document_datetime(brief)
    if when is None:
        assert cp.created is None and cp.modified is None
    else:
        assert cp.created.date() == when.date() and cp.modified.date() == when.date()
    core = _package_text(path)["docProps/core.xml"]
    assert "python-docx" not in core and "2013" not in core


@pytest.mark.parametrize("theme", THEMES)
def test_page_set_up(built, theme):
    page = _theme(theme).page
    s = _open(built, "sample", theme).sections[0]
    for got, want in ((s.page_width, page.width), (s.page_height, page.height), (s.left_margin, page.margin_left),
                      (s.right_margin, page.margin_right), (s.top_margin, page.margin_top),
                      (s.bottom_margin, page.margin_bottom)):
        assert abs(got.pt - want) < 0.1


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", KEYS)
def test_figures_as_tables_and_charts(built, key, theme):
    brief, th = _brief(key), _theme(theme)
    doc = _open(built, key, theme)
    figs = brief.figures if "figures" not in th.omitted("docx") else ()
    assert len(doc.tables) == len(figs)
    width = (th.page.width - th.page.margin_left - th.page.margin_right) * 20
    for table, fig in zip(doc.tables, figs):
        rows = [[c.text for c in r.cells] for r in table.rows]
        assert rows[1:] == [[clean(d.name), clean(format_value(d, fig, brief.language))] for d in fig.data]
        grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))
        assert grid <= width + 1
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    charted = [f for f in figs if f.chart]
    assert len(doc.inline_shapes) == len(charted)
    for shape, fig in zip(doc.inline_shapes, charted):
        pr = shape._inline.docPr
        assert clean(fig.title) in pr.get("descr")
        assert all(clean(d.name) in pr.get("descr") for d in fig.data)
        assert shape.width.pt <= width / 20 + 0.5
    lab = labels(brief.language)
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    seqs = [t.text.strip() for p in captions for t in p._p.iter(qn("w:instrText"))]
    assert seqs.count("SEQ Table \\* ARABIC") == len(figs)
    assert seqs.count("SEQ Figure \\* ARABIC") == len(charted)
    for n, fig in enumerate(figs, start=1):
        assert any(p.text == f"{lab.table.format(n=n)} {clean(fig.title)}" for p in captions)


@pytest.mark.parametrize("key", KEYS)
def test_contents_field_prefilled_and_refreshed_on_open(built, key):
    brief, th = _brief(key), _theme(THEMES[0])
    doc = _open(built, key, THEMES[0])
    upd = doc.settings.element.find(qn("w:updateFields"))
    assert upd is not None and upd.get(qn("w:val")) == "true"
    body = doc.element.body
    assert any(t.text.strip().startswith("TOC \\o") for t in body.iter(qn("w:instrText")))
    links = [(h.get(qn("w:anchor")), "".join(t.text for t in h.iter(qn("w:t")))) for h in body.iter(qn("w:hyperlink"))]
    marks = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    nodes = outline(brief, th, "docx")
    assert [text for _, text in links] == [clean(n.label) for n in nodes]
    assert [anchor for anchor, _ in links] == marks[: len(nodes)]
    toc_styles = [p.style.name for p in doc.paragraphs if p.style.name.startswith("TOC ")
                  and p.style.name != "TOC Heading"]
    assert toc_styles == [f"TOC {n.level}" for n in nodes]


def test_markup_survives_verbatim(built):
    brief = _brief("markup")
    doc = _open(built, "markup", THEMES[0])
    texts = [p.text for p in doc.paragraphs]
    assert brief.title in texts  # "<b>", "&nbsp;", quotes: as written, not interpreted
    assert any("😀" in t for t in texts) and any("𠀀" in t for t in texts)


def test_reproducible_bytes(tmp_path):
    from builders.build_docx import build
    from builders.diagnostics import Log

    brief, th = _brief("english"), _theme(THEMES[0])
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    build(brief, th, a, Log("x", "docx"))
    build(brief, th, b, Log("x", "docx"))
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "minimal"])
def test_clean_briefs_build_without_warnings(built, key, theme):
    assert [w.message for w in built.warnings(key, theme, "docx")] == []


@pytest.mark.parametrize("key", KEYS)
def test_no_leftovers_of_the_default_template(built, key):
    path = built(key, THEMES[0], "docx")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    assert "Macintosh" not in app and "Normal.dotm" not in app
    package = _package_text(path)
    assert "python-docx" not in "".join(package.values())
