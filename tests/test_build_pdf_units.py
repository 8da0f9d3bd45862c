"""The PDF builder's parts: Chinese line breaking on a narrow column, the font cache, coverage, errors."""
from __future__ import annotations

import dataclasses
import time

import pytest

from builders.build import build_brief
from builders.diagnostics import Log
from builders.errors import MissingDependency
from builders.fonts import resolve
from builders.linebreak import NO_LINE_END, NO_LINE_START
from builders.loader import load_brief
from builders.theme import load_theme

from .conftest import BRIEFS, SAMPLE


def _texts(doc) -> list[str]:
    """Every paragraph, list item and table row of the lowered document, as plain text."""
    from builders.document import FigureBlock, block_text

    return [line for s in doc.walk() for b in s.blocks if not isinstance(b, FigureBlock)
            for line in block_text(b) if line.strip()]


@pytest.fixture(scope="module")
def zh_styles():
    from builders.build_pdf import kinsoku
    from builders.build_pdf.coverage import FontSet
    from builders.build_pdf.styles import make_styles

    from builders.lower import lower

    brief, _ = load_brief(SAMPLE)
    theme, _ = load_theme("default")
    doc = lower(brief, theme, "pdf")
    kinsoku.install()
    fonts = FontSet(theme, Log("test", "pdf"), cjk=True)
    texts = _texts(doc)
    for t in texts:
        fonts.use("body", t, "test")
    fonts.register()
    return doc, theme, fonts, make_styles(doc, theme, fonts), texts


def _lines(paragraph):
    for line in paragraph.blPara.lines:
        yield "".join(w.text for w in line.words), line


@pytest.mark.parametrize("chars_per_line", [5, 7, 9, 13, 17])
def test_narrow_column_respects_the_line_breaking_rules(zh_styles, chars_per_line):
    from reportlab.platypus import Paragraph

    brief, theme, fonts, styles, texts = zh_styles
    style = styles["body"]
    width = chars_per_line * style.fontSize + style.firstLineIndent
    count = 0
    for text in texts:
        p = Paragraph(fonts.markup("body", text), style)
        p.wrap(width, 10_000)
        got = ""
        for s, line in _lines(p):
            count += 1
            got += s
            assert s.strip(), "empty line"
            assert s.lstrip()[0] not in NO_LINE_START, f"line starts with {s.lstrip()[0]!r}: {s}"
            if len(s.strip()) > 1:
                assert s.rstrip()[-1] not in NO_LINE_END, f"line ends with {s.rstrip()[-1]!r}: {s}"
            assert line.currentWidth <= line.maxWidth + 0.01, f"line wider than the column: {s}"
        assert got.replace(" ", "") == text.replace(" ", ""), "characters lost or reordered"
    assert count > len(texts) * 2


def test_chinese_lines_are_justified_and_indented(zh_styles):
    brief, theme, fonts, styles, texts = zh_styles
    style = styles["body"]
    assert style.wordWrap == "CJK" and style.alignment == 4  # TA_JUSTIFY
    assert style.firstLineIndent == pytest.approx(2 * style.fontSize)


def test_english_has_no_indent_and_default_wrap():
    from builders.build_pdf.coverage import FontSet
    from builders.build_pdf.styles import make_styles

    brief, _ = load_brief(BRIEFS["english"])
    theme, _ = load_theme("default")
    fonts = FontSet(theme, Log("test", "pdf"), cjk=False)
    fonts.use("body", "abc", "x")
    fonts.register()
    style = make_styles(brief, theme, fonts)["body"]
    assert style.wordWrap is None and style.firstLineIndent == 0
    # Justified English is hyphenated (issue 19), from pyphen's British patterns.
    assert style.alignment != 4 or style.hyphenationLang == "en_GB"


def test_markup_is_escaped_and_fallback_fonts_are_named():
    from builders.build_pdf.coverage import FontSet

    theme, _ = load_theme("default")
    log = Log("test", "pdf")
    fonts = FontSet(theme, log)
    text = 'a<b & <i>x</i> "q" 😀 \x00 𠀀'
    fonts.use("body", text, "cases[x].body")
    fonts.register()
    m = fonts.markup("body", text)
    assert "<i>" not in m and "&lt;i&gt;" in m and "&amp;" in m and "\x00" not in m
    if theme.fonts.fallback:
        assert '<font name="' in m  # the emoji comes from a fallback face
    messages = [str(w) for w in log.warnings]
    assert any("U+20000" in w and "cases[x].body" in w for w in messages)
    assert "\U00020000" not in m  # never left to print as an empty box


def test_font_cache_is_reused_and_written_where_asked(tmp_path, monkeypatch):
    from builders.build_pdf import fontcache

    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    theme, _ = load_theme("default")
    font = resolve(theme.fonts.body.pdf)
    chars = "京津冀协同创新，。ABC"
    first = fontcache.truetype_subset(font, chars)
    assert first.parent == tmp_path / "cache" / "fonts"
    mtime = first.stat().st_mtime_ns
    again = fontcache.truetype_subset(font, "".join(reversed(chars)))  # same set, other order
    assert again == first and again.stat().st_mtime_ns == mtime  # reused, not made again
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".tmp-")]
    other = fontcache.truetype_subset(font, chars + "省")
    assert other != first
    from fontTools.ttLib import TTFont

    tt = TTFont(str(first))
    assert "glyf" in tt and "CFF " not in tt and "VORG" not in tt
    assert tt["post"].formatType == 3.0


def test_cache_dir_follows_xdg(monkeypatch, tmp_path):
    from builders.build_pdf.fontcache import cache_dir

    monkeypatch.delenv("BRIEF_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "brief" / "fonts"


def test_a_missing_font_is_one_clear_error(tmp_path):
    brief, _ = load_brief(BRIEFS["minimal"])
    theme, _ = load_theme("default")
    fonts = theme.fonts
    bad = dataclasses.replace(theme, fonts=dataclasses.replace(
        fonts, body=dataclasses.replace(fonts.body, pdf="No Such Font Family XYZ")))
    with pytest.raises(MissingDependency, match="No Such Font Family XYZ"):
        build_brief(brief, bad, tmp_path, ["pdf"], parallel=False)
    assert not any(tmp_path.iterdir()), "a failed build leaves no file behind"
    missing_file = dataclasses.replace(theme, fonts=dataclasses.replace(
        fonts, fallback=(str(tmp_path / "nowhere.ttf"),)))
    with pytest.raises(MissingDependency, match="nowhere.ttf"):
        build_brief(brief, missing_file, tmp_path, ["pdf"], parallel=False)


def test_dates_come_from_the_brief_or_source_date_epoch(tmp_path, monkeypatch):
    from pypdf import PdfReader

    brief, _ = load_brief(BRIEFS["minimal"])  # no date in the brief
    theme, _ = load_theme("default")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    out = build_brief(brief, theme, tmp_path, ["pdf"], parallel=False).outputs[0]
    assert PdfReader(out).metadata["/CreationDate"].startswith("D:20231114221320")


@pytest.mark.parametrize("kind", ["column", "bar", "line", "pie"])
def test_every_chart_kind_draws_in_embedded_fonts(zh_styles, kind):
    from reportlab.graphics import renderPDF

    from builders.build_pdf.chart import draw_chart
    from builders.document import Str
    from builders.model import Datum, Figure, Line

    brief, theme, fonts, styles, texts = zh_styles
    figure = Figure("f", Line((Str("标题"),), "标题"), (Datum(83.1, year=2014), Datum(356.9, year=2022), Datum(12.5, label="其他")),
                    unit="亿元", chart=kind)
    d = draw_chart(brief, theme, fonts, figure, 400)
    assert 0 < d.width <= 400 and d.height > 0
    pdf = renderPDF.drawToString(d)
    assert b"Helvetica" not in pdf


def test_fast_cjk_line_making_matches_reportlab(zh_styles):
    """kinsoku's per-font width cache and line maker give exactly reportlab's cjkU widths and lines."""
    from reportlab.platypus import Paragraph
    from reportlab.platypus import paragraph as rl

    from builders.build_pdf import kinsoku

    brief, theme, fonts, styles, texts = zh_styles
    p = Paragraph(f'{fonts.markup("body", texts[0][:40])}<font name="{fonts.font_name("body-bold")}">'
                  f'{fonts.markup("body-bold", "协同ABC")}</font>{fonts.markup("body", "创新。")}', styles["body"])
    units = kinsoku._units(p.frags, "utf8")
    plain = [rl.cjkU(t, f, "utf8") for f in p.frags for t in f.text]
    assert [(str(u), u.width, u.frag) for u in units] == [(str(u), u.width, u.frag) for u in plain]
    for calc in (False, True):
        ours = kinsoku._make_line(units, 300, 290, 10, False, calc)
        theirs = rl.makeCJKParaLine(plain, 300, 290, 10, False, calc)
        assert [w.text for w in ours.words] == [w.text for w in theirs.words]
        assert [w.fontName for w in ours.words] == [w.fontName for w in theirs.words]
        assert (ours.fontSize, ours.ascent, ours.descent) == (theirs.fontSize, theirs.ascent, theirs.descent)


def test_font_subsets_are_the_same_bytes_every_time(tmp_path, monkeypatch):
    """The subset keeps the source font's head.modified: a first build equals a warm one."""
    from builders.build_pdf import fontcache

    theme, _ = load_theme("default")
    font = resolve(theme.fonts.fallback[0]) if theme.fonts.fallback else resolve(theme.fonts.body.pdf)
    out = []
    for name in ("a", "b"):
        monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / name))
        out.append(fontcache.truetype_subset(font, "ABC abc 123").read_bytes())
    assert out[0] == out[1]


def test_parallel_prepare_fills_the_cache(tmp_path, monkeypatch):
    from builders.build_pdf import fontcache

    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path / "cache"))
    theme, _ = load_theme("default")
    jobs = [(resolve(ref), "京津冀ABC") for ref in (theme.fonts.body.pdf, theme.fonts.caption.pdf)]
    fontcache.prepare(jobs)
    for font, chars in jobs:
        assert fontcache._target(font, chars)[1].is_file()
    assert not [p for p in (tmp_path / "cache" / "fonts").iterdir() if p.name.startswith(".tmp-")]


def test_one_layout_pass(monkeypatch, tmp_path):
    """The contents' page numbers and the page total wait for the end as forms (.later): the document is
    laid out once, not once more to learn them."""
    from reportlab.platypus import doctemplate

    builds = []
    real = doctemplate.BaseDocTemplate.build

    def counting(self, *a, **kw):
        builds.append(1)
        return real(self, *a, **kw)

    monkeypatch.setattr(doctemplate.BaseDocTemplate, "build", counting)
    brief, _ = load_brief(SAMPLE)
    theme, _ = load_theme("default")
    build_brief(brief, theme, tmp_path, ["pdf"], parallel=False)
    assert builds == [1]


def test_a_note_number_never_starts_a_line(zh_styles):
    """A superscript (a note reference) stays with the character it follows, at every column width."""
    from reportlab.platypus import Paragraph

    doc, theme, fonts, styles, texts = zh_styles
    style = styles["body"]
    text = fonts.markup("body", "京津冀协同创新取得积极进展但制度性障碍仍然存在。")
    sup = f'<super size="66%" rise="36%">{fonts.markup("body", "2")}</super>'
    for chars in range(5, 26):
        p = Paragraph(text + sup + fonts.markup("body", "本文梳理现状。"), style)
        p.wrap(chars * style.fontSize + style.firstLineIndent, 1000)
        for line in p.blPara.lines[1:]:
            first = line.words[0]
            assert not getattr(first, "rise", 0), f"{chars} characters a line: a line starts with the note number"


def test_several_series_draw_with_a_legend_and_gaps(zh_styles):
    from reportlab.graphics import renderPDF

    from builders.build_pdf.chart import draw_chart
    from builders.document import Str
    from builders.model import Figure, Line, Series

    doc, theme, fonts, styles, texts = zh_styles
    for kind in ("column", "bar", "line", "pie"):
        figure = Figure("f", Line((Str("标题"),), "标题"), chart=kind, categories=("2014", "2022"),
                        series=(Series("北京", (83.1, 356.9)), Series("天津", (None, 52.3))))
        d = draw_chart(doc, theme, fonts, figure, 400)
        assert b"Helvetica" not in renderPDF.drawToString(d)


def test_moving_a_break_back_never_cuts_a_latin_word(zh_styles):
    """A break moved back (here: a quote may not start a line) stops between words, not inside one; a word
    longer than the line is still cut."""
    from reportlab.platypus import Paragraph

    doc, theme, fonts, styles, texts = zh_styles
    style = styles["body"]
    plain = 'Tags and entities \xa0 "quotes" 测试 ' + "x" * 80
    text = fonts.markup("body", plain)
    for width in range(120, 320, 7):
        p = Paragraph(text, style)
        p.wrap(width, 10000)
        at = 0
        for line in p.blPara.lines:  # where each line starts in the text (spaces at a break are dropped)
            got = "".join(w.text for w in line.words).strip()
            at = plain.index(got, at)
            if at:
                a, b = plain[at - 1], plain[at]
                latin = (a + b).isascii() and (a + b).isalpha()
                assert not latin or a + b == "xx", f"width {width}: a word cut at {got!r}"
            at += len(got)
