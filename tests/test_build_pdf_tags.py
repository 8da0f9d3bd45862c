"""The tagged PDF (issue 18): a structure tree from the document model, read back through our own check
(builders/verify/tagged.py), the PyPI package ``pdfua`` as a second opinion, and page renders that tagging
does not change by a single pixel."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from builders.document import plain
from builders.loader import load_brief
from builders.lower import lower
from builders.theme import load_theme
from builders.verify import checks, tagged

from .conftest import BRIEFS, ROOT, THEMES, need

BRIEF_KEYS = ("rich-en", "rich-zh", "sample", "english")
TAG_THEMES = ("default", "government", "corporate", "print", "accessible")


def _doc(key: str, theme: str):
    brief, _ = load_brief(BRIEFS[key])
    th, _ = load_theme(theme)
    return lower(brief, th, "pdf")


def _roles(t: tagged.Tagged) -> dict[str, list]:
    out: dict[str, list] = {}
    for n in t.walk():
        out.setdefault(n.role, []).append(n)
    return out


@pytest.mark.parametrize("theme", TAG_THEMES)
@pytest.mark.parametrize("key", BRIEF_KEYS)
def test_every_text_is_tagged_and_the_tree_reads_as_the_brief(built, key, theme):
    path = built(key, theme, "pdf")
    t = tagged.read(path)
    assert tagged.problems(t) == []
    assert not [w for w in built.warnings(key, theme, "pdf") if "PDF tags" in str(w)]  # no text left an artifact
    doc = _doc(key, theme)
    pairs = list(checks.expected(doc))
    # the cover too: a theme's own cover (flowables made outside the renderer) must tag its text, or it is
    # an artifact a screen reader never reads
    cover = [("title", plain(doc.title))] + [(f"authors[{i}]", plain(a.name)) for i, a in enumerate(doc.authors)]
    assert checks.parity(t.reading(), cover + pairs) == []


@pytest.mark.parametrize("key", ("rich-en", "rich-zh"))
def test_the_tree_has_every_structure_of_the_model(built, key):
    t = tagged.read(built(key, "default", "pdf"))
    roles = _roles(t)
    for role in ("Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Note", "Reference", "Link", "BlockQuote", "TOC", "TOCI", "Div"):
        assert role in roles, f"no {role} element"
    assert roles["StructTreeRoot"][0].kids[0].role == "Document"
    for th in roles["TH"]:
        assert str(th.attrs.get("Scope")) == "/Column" and str(th.attrs.get("O")) == "/Table"
    for li in roles["LI"]:
        assert [k.role for k in li.kids if isinstance(k, tagged.Node)][-1] == "LBody"
    # the bullets and numbers are labels, not text of the item
    labels = [t.text_of(lbl).strip() for lbl in roles["Lbl"]]
    assert "•" in labels and all(0 < len(x) <= 6 for x in labels), labels
    # a note's text is in a Note; its number in the text is a Reference (with the link inside)
    assert any(any(k.role == "Link" for k in r.kids if isinstance(k, tagged.Node)) for r in roles["Reference"])
    assert len(roles["Note"]) == len(_doc(key, "default").notes)


def test_catalog_pages_and_links(built):
    with pikepdf.open(built("rich-en", "default", "pdf")) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked == True  # noqa: E712
        assert root.ViewerPreferences.DisplayDocTitle == True  # noqa: E712
        assert str(root.Lang) == "en-GB"
        keys = set()
        for page in pdf.pages:
            assert page.obj.Tabs == pikepdf.Name.S
            assert "/StructParents" in page.obj
            for a in page.obj.get("/Annots", ()):
                if a.Subtype == pikepdf.Name.Link:
                    assert "/StructParent" in a and "/Contents" in a  # its Link element finds it, and says where
                    keys.add(int(a.StructParent))
        names = root.StructTreeRoot.IDTree.Names  # each Note has a unique /ID (PDF/UA-1), found in the IDTree
        notes = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == pikepdf.Name.Note]
        assert len({str(n.ID) for n in notes}) == len(notes) == len(names) // 2 > 0
        assert [str(x) for x in names[::2]] == sorted(str(n.ID) for n in notes)
        nums = root.StructTreeRoot.ParentTree.Nums
        mapped = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for k in keys:
            elem = mapped[k]
            assert elem.S == pikepdf.Name.Link
            assert any(isinstance(x, pikepdf.Dictionary) and x.get("/Type") == pikepdf.Name.OBJR
                       for x in (elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]))


def test_figures_have_alt_text_and_a_box_and_charts_read_as_one_figure(built):
    path = built("sample", "default", "pdf")
    t = tagged.read(path)
    figures = _roles(t)["Figure"]
    assert len(_roles(t)["Caption"]) >= 2 * len(figures)  # the chart's and its data table's
    doc = _doc("sample", "default")
    drawn = [f for f in doc.figures if f.chart_no is not None or f.figure.image is not None]
    assert drawn and [f.alt for f in figures] == [f.alt for f in drawn]
    for f in figures:
        assert f.alt.strip()
        assert str(f.attrs["O"]) == "/Layout" and len(f.attrs["BBox"]) == 4
        assert t.text_of(f, alt=False).strip()  # the chart's labels are inside the Figure, not loose


def test_contents_entries_end_with_their_page_number(built):
    t = tagged.read(built("rich-zh", "default", "pdf"))
    entries = [t.text_of(n).strip() for n in _roles(t)["TOCI"]]
    assert entries and entries[0].startswith("摘要")
    assert all(e[-1].isdigit() for e in entries)


def test_running_heads_and_folios_are_artifacts(built):
    """No text in the tree that is not the brief's: the running head (the title) appears once, on the cover."""
    t = tagged.read(built("rich-en", "default", "pdf"))
    text = t.reading().text
    assert "Page 2 of" not in text and "of 4" not in text.replace(" ", "")
    assert sum(1 for n in t.walk() if n.role in ("P", "H1") and "Regional innovation policy" in t.text_of(n)) == 1


@pytest.mark.parametrize("theme", THEMES)
def test_the_title_is_the_first_heading(built, theme):
    """A screen reader's list of headings starts with the document's title, on the cover or (government) on
    page 1 above the body."""
    t = tagged.read(built("rich-zh", theme, "pdf"))
    first = next(n for n in t.walk() if n.role.startswith("H"))
    assert first.role == "H1" and t.text_of(first).replace(" ", "").startswith("京津冀协同创新")


@pytest.mark.parametrize("theme", ("default", "print"))
@pytest.mark.parametrize("key", ("rich-zh", "sample"))
def test_tagging_moves_no_glyph(tmp_path, key, theme):
    """Pages built with and without tags render to the same pixels."""
    need("pdftoppm")
    pages = {}
    for tags in ("1", "0"):
        out = tmp_path / tags
        env = {**os.environ, "BRIEF_PDF_TAGS": tags}
        r = subprocess.run([sys.executable, "-m", "builders", "build", "-q", "--to", "pdf", "--theme", theme,
                            "--out", str(out), str(BRIEFS[key])], cwd=ROOT, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        pdf = out / f"{BRIEFS[key].stem}.pdf"
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "p")], check=True)
        pages[tags] = sorted(out.glob("p-*.png"))
        if tags == "1":
            with pikepdf.open(pdf) as p:
                assert "/StructTreeRoot" in p.Root
        else:
            with pikepdf.open(pdf) as p:
                assert "/StructTreeRoot" not in p.Root
    assert len(pages["1"]) == len(pages["0"]) > 1
    for a, b in zip(pages["1"], pages["0"]):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs with tags"


def _pdfua() -> str:
    exe = shutil.which("pdfua") or str(Path(sys.executable).parent / "pdfua")
    if not Path(exe).exists():
        pytest.fail("pdfua is missing: pip install -e '.[test]'")
    return exe


@pytest.mark.parametrize("theme", TAG_THEMES + ("executive",))
@pytest.mark.parametrize("key", ("rich-en", "rich-zh", "sample"))
def test_pdfua_finds_no_error(built, key, theme):
    path = built(key, theme, "pdf")
    r = subprocess.run([_pdfua(), "check", "--format", "json", "--min-severity", "error", str(path)],
                       capture_output=True, text=True)
    assert r.returncode in (0, 2), r.stdout + r.stderr  # 3: errors; 2 would be warnings only
    assert "error" not in json.dumps(_findings(json.loads(r.stdout))).lower()


def _findings(report) -> list:
    out = []

    def walk(x):
        if isinstance(x, dict):
            if "severity" in x:
                out.append({"severity": x.get("severity"), "rule": x.get("rule") or x.get("rule_id")})
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(report)
    return out


def test_the_check_finds_untagged_text_a_wrong_heading_and_a_figure_without_alt(built, tmp_path):
    """Our structural check is not vacuous: each kind of fault it looks for is reported."""
    src = built("sample", "default", "pdf")
    assert tagged.problems(tagged.read(src)) == []

    loose = tmp_path / "loose.pdf"
    with pikepdf.open(src) as pdf:
        page = pdf.pages[2]
        font = next(iter(page.Resources.Font.keys()))
        page.contents_add(pdf.make_stream(f"BT {font} 9 Tf 72 72 Td (xyz) Tj ET".encode()), prepend=False)
        pdf.save(loose)
    assert any("text outside tags" in p for p in tagged.problems(tagged.read(loose)))

    wrong = tmp_path / "wrong.pdf"
    with pikepdf.open(src) as pdf:
        for o in pdf.objects:
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == pikepdf.Name.StructElem:
                if o.S == pikepdf.Name.H2:
                    o.S = pikepdf.Name.H3
                elif o.S == pikepdf.Name.Figure:
                    del o["/Alt"]
        pdf.save(wrong)
    found = tagged.problems(tagged.read(wrong))
    assert any("is H3 but its bookmark is at level 2" in p for p in found)
    assert any("Figure without /Alt" in p for p in found)


def test_text_drawn_outside_the_tree_is_a_warning(tmp_path, monkeypatch):
    """A flowable made outside the renderer and never given an element would be a silent artifact: warned."""
    from builders.build import build_brief
    from builders.build_pdf import tags

    monkeypatch.setattr(tags, "tag_text", lambda tree, flowables, role="P": flowables)
    theme_file = tmp_path / "issued.yaml"
    theme_file.write_text("extends: government\ngovernment:\n  issuer: 某某研究院文件\n", encoding="utf-8")
    theme, _ = load_theme(str(theme_file))
    brief, _ = load_brief(BRIEFS["minimal"])
    result = build_brief(brief, theme, tmp_path / "out", ["pdf"], parallel=False)
    assert any("PDF tags" in str(w) and "某某研究院文件" in str(w) for w in result.warnings)


def test_an_untagged_pdf_is_reported(tmp_path):
    env = {**os.environ, "BRIEF_PDF_TAGS": "0"}
    r = subprocess.run([sys.executable, "-m", "builders", "build", "-q", "--to", "pdf", "--out", str(tmp_path),
                        str(BRIEFS["minimal"])], cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert tagged.problems(tagged.read(tmp_path / "minimal.pdf")) == [
        "not a tagged PDF (no StructTreeRoot, or /MarkInfo /Marked is not true)"]


def test_a_header_row_repeated_overleaf_is_read_once(tmp_path):
    rows = "\n".join(f"      | Row {i} | {i * 3} | {i * 5} |" for i in range(120))
    src = tmp_path / "longtable.yaml"
    src.write_text(f"""title: Long table
language: en-GB
authors:
  - name: A
summary: One paragraph.
sections:
  - id: tbl
    title: Table
    body: |
      | Item | A | B |
      |:--|--:|--:|
{rows}
cases:
  - id: c
    title: C
    body: B
recommendations:
  - id: r
    title: R
    body: W
    actions:
      - Do.
""", "utf-8")
    r = subprocess.run([sys.executable, "-m", "builders", "build", "-q", "--to", "pdf", "--out", str(tmp_path),
                        str(src)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    path = tmp_path / "longtable.pdf"
    drawn = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert drawn.count("Item") >= 2  # the header is repeated on every page of the table
    t = tagged.read(path)
    assert tagged.problems(t) == []
    assert t.reading().text.count("Item") == 1  # ... and an artifact after the first
    assert sum(1 for n in t.walk() if n.role == "TR") == 121


@pytest.mark.parametrize("key", ("rich-zh", "sample"))
def test_pdfplumber_reads_the_same_tree_and_text(built, key):
    """A second reader (pdfminer through pdfplumber) agrees with ours on the tree and on each MCID's text,
    and finds no character outside marked content."""
    import pdfplumber

    from builders.verify.extract import norm

    path = built(key, "default", "pdf")
    ours = tagged.read(path)
    theirs: dict = {}
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            for c in page.chars:
                assert c.get("mcid") is not None or c.get("tag") == "Artifact", (i + 1, c["text"])
                if c.get("mcid") is not None:
                    theirs[(i, c["mcid"])] = theirs.get((i, c["mcid"]), "") + c["text"]

        def types(nodes):
            return [(n["type"], types(n.get("children", []))) for n in nodes]

        tree = types(pdf.structure_tree)
    assert {k: norm(v) for k, v in theirs.items()} == {k: norm(v) for k, v in ours.text.items() if norm(v)}

    def marked(node) -> bool:  # pdfplumber leaves out elements without marked content (a Link's annotation only)
        return any(not isinstance(k, tagged.Node) or marked(k) for k in node.kids)

    def our_types(node):
        return [(k.role, our_types(k)) for k in node.kids if isinstance(k, tagged.Node) and marked(k)]

    assert tree == our_types(ours.root)


def test_a_government_banner_and_colophon_are_tagged_in_page_order(tmp_path):
    """The 版头 (issuer) and 版记 (抄送, printer, date) are set outside the renderer: still read, in page order."""
    from builders.build import build_brief

    issuer, printer = "京津冀协同创新研究院文件", "京津冀协同创新研究院办公室"
    theme_file = tmp_path / "issued.yaml"
    theme_file.write_text(f"extends: government\ngovernment:\n  issuer: {issuer}\n  colophon: {{cc: 市委办公室。, "
                          f"printer: {printer}, date: 2026年12月1日}}\n", encoding="utf-8")
    theme, _ = load_theme(str(theme_file))
    brief, _ = load_brief(BRIEFS["rich-zh"])
    result = build_brief(brief, theme, tmp_path / "out", ["pdf"], parallel=False)
    assert not [w for w in result.warnings if "PDF tags" in str(w)]
    path = result.outputs[0]
    t = tagged.read(path)
    assert tagged.problems(t) == []
    text = t.reading().text
    title = tagged.norm(plain(_doc("rich-zh", "government").title))[:10]
    assert text.index(issuer) < text.index(title) < text.index("市委办公室") < text.index(printer)
