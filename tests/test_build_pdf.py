"""The PDF: fonts embedded, checked by qpdf, bookmarks, text, boxes, metadata, same bytes twice.

Expectations come from the loaded briefs and themes (builders.loader / builders.theme),
never from the sample's wording; every theme in THEMES is covered.
"""
from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builders.build import build_brief
from builders.fonts import metrics
from builders.linebreak import NO_LINE_START
from builders.loader import load_brief
from builders.i18n import labels
from builders.document import block_text, plain
from builders.lower import lower
from builders.theme import load_theme

from .conftest import BRIEFS, THEMES, need

PDF_BRIEFS = ("sample", "english", "markup", "long", "minimal", "rich-en", "rich-zh")
CJK_BRIEFS = [k for k in PDF_BRIEFS if load_brief(BRIEFS[k])[0].is_cjk]


def brief_of(key):
    return load_brief(BRIEFS[key])[0]


def theme_of(name):
    return load_theme(name)[0]


def doc_of(key, theme):
    """The lowered document the PDF of ``key`` in ``theme`` is built from."""
    return lower(brief_of(key), theme_of(theme), "pdf")


def all_fonts(theme):
    f = theme.fonts
    return [f.body.pdf, f.body.pdf_bold, f.heading.pdf, f.heading.pdf_bold, f.caption.pdf, f.caption.pdf_bold,
            *f.fallback]


def shown(text: str, theme) -> str:
    """``text`` as the PDF shows (and extracts) it: characters no font has become U+FFFD; no whitespace.

    Emoji from a fallback font extract as themselves (reportlab alone would give U+1F60 for U+1F600)."""
    fonts = all_fonts(theme)
    out = "".join(c if any(metrics(r).covers(c) for r in fonts) else "\ufffd" for c in text)
    return re.sub(r"\s+", "", out)


def pdftext(path: Path, brief=None) -> str:
    """The PDF's text; with ``brief``, without running heads and folios (a paragraph may span pages)."""
    need("pdftotext")
    # -raw: content-stream order, so widely spaced justified words stay on their line
    raw = ["-raw"] if brief is not None else []
    text = subprocess.run(["pdftotext", *raw, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    if brief is None:
        return text
    running = brief.running_title.strip()
    a, b, c = labels(brief.language).page_x_of_y
    folio = re.compile(re.escape(a.strip()) + r"\s*\d+\s*" + re.escape(b.strip()) + r"\s*\d+\s*" + re.escape(c.strip()) + "$")
    dashes = re.compile(r"—\s*\d+\s*—$")  # GB/T 9704 folios: — 4 —
    text = "\n".join(ln for ln in text.splitlines()
                     if ln.strip() != running and not folio.match(ln.strip()) and not dashes.match(ln.strip()))
    # Justified English is hyphenated (issue 19): a word split at a line end is one word again.
    return re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", PDF_BRIEFS)
def test_every_font_is_embedded(built, key, theme):
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(built(key, theme, "pdf"))], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts at all?"
    for row in rows:
        # columns: name type encoding emb sub uni id gen; name has no spaces
        cols = row.split()
        emb, sub = cols[-5], cols[-4]
        assert (emb, sub) == ("yes", "yes"), f"font not embedded as a subset: {row}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", PDF_BRIEFS)
def test_qpdf_check_passes(built, key, theme):
    need("qpdf")
    res = subprocess.run(["qpdf", "--check", str(built(key, theme, "pdf"))], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "No syntax or stream encoding errors" in res.stdout


def _outline_titles(reader) -> list[tuple[int, str]]:
    out = []

    def walk(items, level):
        for it in items:
            if isinstance(it, list):
                walk(it, level + 1)
            else:
                out.append((level, it.title))

    walk(reader.outline, 0)
    return out


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "markup"])
def test_bookmarks_follow_the_outline(built, key, theme):
    th, doc = theme_of(theme), doc_of(key, theme)
    reader = PdfReader(built(key, theme, "pdf"))
    got = [(lvl, re.sub(r"\s+", " ", t)) for lvl, t in _outline_titles(reader)]
    want = [(s.level - 1, re.sub(r"\s+", " ", s.label)) for s in doc.walk()]
    assert [g for g in got if g in want] == want, "bookmarks differ from the document's sections"
    # every case study and recommendation has one
    roles = {s.role for s in doc.walk()}
    assert "recommendation" in roles and ("case" in roles or "cases" in th.omitted("pdf"))


def _headings_with_pages(reader) -> list[tuple[str, int]]:
    """(title, 1-based page) of every bookmark but the contents' own."""
    out = []

    def walk(items):
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                out.append((it.title, reader.get_destination_page_number(it) + 1))

    walk(reader.outline)
    return out


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", PDF_BRIEFS)
def test_contents_and_folios_give_the_real_page_numbers(built, key, theme):
    """The page numbers are filled in after the single layout pass: each contents entry names the page its
    heading is on, and every body page says "page X of Y" with the right X and Y."""
    brief, th = brief_of(key), theme_of(theme)
    path = built(key, theme, "pdf")
    reader = PdfReader(path)
    total = len(reader.pages)
    lab = labels(brief.language)
    marks = _headings_with_pages(reader)
    if not th.page.contents:  # GB/T 9704: no contents; "— N —" on every page from the first
        assert not [t for t, p in marks if t == lab.contents]
        for number in range(1, total + 1):
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                  capture_output=True, text=True, check=True).stdout
            assert re.search(rf"—\s*{number}\s*—", text), f"page {number}: no folio — {number} —"
        return
    start = next(p for t, p in marks if t == lab.contents)
    contents_pages = range(start, min(p for t, p in marks if t != lab.contents))  # they may run over pages
    toc = "".join(subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(path), "-"],
                                 capture_output=True, text=True, check=True).stdout for p in contents_pages)
    # an entry ends with its leader and number at a line end: mark that, then drop all other white space
    toc = re.sub(r"\s+", "", re.sub(r"(\.[.\s]*\d+)[ \t]*\n", r"\1|", toc))
    headings = [(t, p) for t, p in marks if t != lab.contents]
    assert headings
    for title, page in headings:
        found = re.search(re.escape(re.sub(r"\s+", "", shown(title, th))) + r"(?:\.)+(\d+)\|", toc)
        assert found, f"no contents entry for {title!r}"
        assert int(found.group(1)) == page, f"{title!r}: contents say {found.group(1)}, it is on {page}"
    a, b, c = lab.page_x_of_y
    for number in range(start, total + 1):  # every page after the cover
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                                capture_output=True, text=True, check=True).stdout)
        want = re.sub(r"\s+", "", f"{a}{number}{b}{total}{c}")
        assert want in text, f"page {number}: no folio {want!r}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "markup"])
def test_text_has_every_case_and_recommendation_title(built, key, theme):
    brief, th, doc = brief_of(key), theme_of(theme), doc_of(key, theme)
    text = re.sub(r"\s+", "", pdftext(built(key, theme, "pdf"), brief))
    titles = [doc.title_text] + [plain(s.title) for s in doc.walk() if s.role in ("case", "recommendation")]
    titles += [line for s in doc.walk() if s.actions for line in block_text(s.actions)]
    for t in titles:
        assert shown(t, th) in text, f"missing from the PDF text: {t!r}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", CJK_BRIEFS)
def test_no_line_starts_with_closing_punctuation(built, key, theme):
    for line in pdftext(built(key, theme, "pdf")).splitlines():
        line = line.strip()
        if re.fullmatch(r"[.\s\d]*|—\s*\d+\s*—", line):  # contents leaders and page numbers, — 4 — folios
            continue
        assert not line or line[0] not in NO_LINE_START, f"line starts with {line[0]!r}: {line[:40]}"


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "minimal"])
def test_metadata_and_language(built, key, theme):
    brief = brief_of(key)
    reader = PdfReader(built(key, theme, "pdf"))
    meta = reader.metadata
    assert meta.title == brief.title.plain
    for a in brief.authors:
        assert a.name in meta.author
    for k in brief.keywords:
        assert k in (meta.get("/Keywords") or "")
    assert reader.trailer["/Root"]["/Lang"] == brief.language


@pytest.mark.parametrize("theme", THEMES)
def test_print_boxes_follow_the_theme(built, theme):
    th = theme_of(theme)
    p = th.page
    reader = PdfReader(built("sample", theme, "pdf"))
    for page in reader.pages:
        media = [float(v) for v in page["/MediaBox"]]
        if p.bleed > 0 or p.crop_marks:
            trim = [float(v) for v in page["/TrimBox"]]
            bleed = [float(v) for v in page["/BleedBox"]]
            assert trim[2] - trim[0] == pytest.approx(p.width, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(p.height, abs=0.01)
            assert bleed[0] == pytest.approx(trim[0] - p.bleed, abs=0.01)
            assert bleed[2] == pytest.approx(trim[2] + p.bleed, abs=0.01)
            assert media[0] <= bleed[0] and media[2] >= bleed[2] and media[3] >= bleed[3]
        else:
            assert "/TrimBox" not in page and "/BleedBox" not in page
            assert media[2] - media[0] == pytest.approx(p.width, abs=0.01)
            assert media[3] - media[1] == pytest.approx(p.height, abs=0.01)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "rich-en"])  # rich-en: links, notes' rule, boxes, quotes, tables
def test_cmyk_theme_paints_no_rgb(built, theme, key):
    th = theme_of(theme)
    reader = PdfReader(built(key, theme, "pdf"))
    ops = set()
    for page in reader.pages:
        data = page.get_contents().get_data().decode("latin-1")
        ops |= set(re.findall(r"(?<![A-Za-z])(rg|RG|k|K)(?=\s)", data))
    if th.page.colour_mode == "cmyk":
        assert not ops & {"rg", "RG"}, "RGB colour operators in a CMYK PDF"
        assert ops & {"k", "K"}
    else:
        assert ops & {"rg", "RG"}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "english", "markup", "long", "rich-en", "rich-zh"])
def test_text_stays_inside_the_margins_and_headings_are_not_stranded(built, key, theme):
    import pdfplumber

    th = theme_of(theme)
    p, s = th.page, th.sizes
    heading_sizes = {round(s.heading1, 1), round(s.heading2, 1), round(s.heading3, 1)}
    with pdfplumber.open(built(key, theme, "pdf")) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            off = (float(page.width) - p.width) / 2  # trim origin inside the media box
            for ch in page.chars:
                if ch["text"].isspace():  # a space at a line end is invisible
                    continue
                assert ch["x0"] >= off + p.margin_left - 1.5, f"page {number}: {ch['text']!r} left of the margin"
                assert ch["x1"] <= off + p.width - p.margin_right + 1.5, f"page {number}: {ch['text']!r} past the margin"
            if number == 1:
                continue
            lines = {}
            for ch in page.chars:
                lines.setdefault(round(ch["top"]), []).append(ch)
            tops = sorted(lines)
            # Body text: body size, not bold (a heading may share the body size, as in 公文 themes).
            def is_heading(t):
                return ({round(c["size"], 1) for c in lines[t]} & heading_sizes
                        and all("Bold" in c["fontname"] for c in lines[t]))

            folio_top = max(tops)  # the folio is the last line of every body page
            for t in tops:
                if is_heading(t):
                    assert any(b > t and b != folio_top and not is_heading(b) for b in tops), \
                        f"page {number}: a heading ends the page"


def test_warnings_name_every_character_no_font_has(built):
    th = theme_of("default")
    brief = brief_of("markup")
    _, warnings = built("markup", "default", "pdf"), built.warnings("markup", "default", "pdf")
    messages = [str(w) for w in warnings]
    fonts = all_fonts(th)

    def strings(obj):
        if isinstance(obj, str):
            yield obj
        elif dataclasses.is_dataclass(obj):
            for f in dataclasses.fields(obj):
                yield from strings(getattr(obj, f.name))
        elif isinstance(obj, (tuple, list)):
            for x in obj:
                yield from strings(x)

    uncovered = {c for t in strings(brief) for c in t
                 if c.isprintable() and not c.isspace() and not any(metrics(r).covers(c) for r in fonts)}
    assert uncovered, "the markup fixture should exercise uncovered characters"
    for c in uncovered:
        code = f"U+{ord(c):04X}"
        assert any(code in m and c in m for m in messages), f"no warning names {code} {c}"
    assert any("cases[markup-case]" in m for m in messages)
    assert "\ufffd" in pdftext(built("markup", "default", "pdf"))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("key", ["sample", "rich-zh"])
def test_same_bytes_twice(tmp_path, theme, key):
    brief, th = brief_of(key), theme_of(theme)
    a = build_brief(brief, th, tmp_path / "a", ["pdf"], parallel=False).outputs[0]
    b = build_brief(brief, th, tmp_path / "b", ["pdf"], parallel=False).outputs[0]
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_cover_is_set_smaller_to_stay_on_one_page(built, theme):
    """The long fixture's title, subtitle and six authors fit the cover in every theme: contents on page 2."""
    brief = brief_of("long")
    reader = PdfReader(built("long", theme, "pdf"))
    marks = dict(_headings_with_pages(reader))
    if not theme_of(theme).page.cover:  # GB/T 9704: the title heads page 1 and the body follows on it
        assert labels(brief.language).contents not in marks and min(marks.values()) <= 2
        return
    assert marks[labels(brief.language).contents] == 2


def test_a_cover_that_cannot_fit_says_so(tmp_path):
    brief = brief_of("long")
    authors = brief.authors * 8
    brief = dataclasses.replace(brief, authors=authors)
    th = theme_of("accessible")
    from builders.build_pdf import build
    from builders.diagnostics import Log

    log = Log("x", "pdf")
    build(lower(brief, th, "pdf"), th, tmp_path / "x.pdf", log)
    assert any("cover" in w.message and "second page" in w.message for w in log.warnings)
    assert len(PdfReader(tmp_path / "x.pdf").pages) > 2
