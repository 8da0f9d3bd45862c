"""Putting the report together: template, styles, package fixes, cover, contents, body, header, save."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..diagnostics import Log
from ..model import Brief
from ..outline import outline
from ..reproducible import EntryWriter, document_datetime, zip_timestamp
from ..theme import Theme
from . import content, cover, page, props, styles
from .blocks import Blocks
from .template import chinese_body_ppr, has_header, open_template, restore, snapshot


def render(brief: Brief, theme: Theme, path: Path, log: Log) -> None:
    """Write the report of ``brief`` in ``theme`` to ``path``."""
    template = theme.docx_template
    if template is not None and not Path(template).is_file():
        log.warn("docx_template", f"{template} not found; using the built-in template")
        template = None
    doc = open_template(template, log) if template else docx.Document()
    page.drop_leftovers(doc)  # a stale Word 2010 styles copy or thumbnail would contradict this document
    if template:
        saved = snapshot(doc)
        styles.apply(doc, brief, theme, log, from_template=True)
        restore(doc, saved, _east_asian_faces(doc))
    else:
        styles.apply(doc, brief, theme, log, from_template=False)
    section = doc.sections[0]
    if not template:
        page.setup(section, theme)
    props.apply(doc, brief)
    page.settings(doc, brief)
    if not template:  # a corporate template's theme, font table and properties are its own business
        page.app_properties(doc)
        page.theme_fonts(doc, theme)
        page.font_table(doc)

    nodes = outline(brief, theme, "docx")
    bookmarks = _bookmark_names(nodes)
    out = Blocks(doc)  # the styles are final: their ids are read once
    if template and brief.is_cjk:
        out.body_ppr = chinese_body_ppr(doc)
    cover.cover(out, brief, theme, log)
    cover.contents(out, brief, nodes, bookmarks)
    content.Body(out, brief, theme, log, bookmarks).write(nodes)
    page.header_footer(section, brief, theme, out.style_id, header=not (template and has_header(section)),
                       footer=not (template and has_header(section, footer=True)))
    if not template:
        _fonts_on_runs(doc, brief, theme)
    _warn_missing_glyphs(brief, theme, log)
    _save(doc, Path(path), document_datetime(brief))


def _warn_missing_glyphs(brief: Brief, theme: Theme, log: Log) -> None:
    """Never a silent empty box: name each character no font here has, and where it is."""
    from ..glyphs import missing

    lost = missing(brief, theme)
    if lost:
        listed = ", ".join(f"U+{ord(c):04X} {c} (in {where})" for c, where in lost.items())
        log.warn("fonts", f"no installed font has {listed}: Word shows these as empty boxes unless the "
                          "reader's machine has a font for them (e.g. SimSun-ExtB for rare hanzi)")


def _save(doc, path: Path, when) -> None:
    """``doc.save(path)`` with reproducible entries as written: no second pass recompressing the package."""
    import zipfile

    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        writer = EntryWriter(zf, zip_timestamp(when))
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)


def _fonts_on_runs(doc, brief: Brief, theme: Theme) -> None:
    """Every run names its style's Latin and East Asian faces and the brief's languages, as well as the
    style: WPS and older Word builds resolve East Asian text by the run's own ``w:rFonts`` first."""
    import copy

    from . import xml

    names = {s.get(qn("w:styleId")): (s.find(qn("w:name")).get(qn("w:val")) if s.find(qn("w:name")) is not None else "")
             for s in doc.styles.element.findall(qn("w:style"))}
    latin, east = styles.languages(brief)
    hint = brief.is_cjk
    parts = [doc.element.body]
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    W_P, W_PPR, W_PSTYLE, W_R, W_RPR = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr"))
    W_RFONTS, W_LANG, W_VAL = qn("w:rFonts"), qn("w:lang"), qn("w:val")
    roles: dict[object, object] = {}  # pStyle value → font role
    blank: dict[int, object] = {}  # id(role) → the rPr a run without one gets (copied, not rebuilt)
    for part in parts:
        for p in part.iter(W_P):
            style = p.find(f"{W_PPR}/{W_PSTYLE}")
            sid = style.get(W_VAL) if style is not None else "Normal"
            role = roles.get(sid)
            if role is None:
                role = roles[sid] = styles.role_of(names.get(sid, "Normal"), theme)
            for r in p.iter(W_R):
                rpr = r.find(W_RPR)
                if rpr is None:
                    proto = blank.get(id(role))
                    if proto is None:
                        proto = r.makeelement(W_RPR, {})
                        xml.set_fonts(proto, role, east_asian_hint=hint)
                        xml.set_lang(proto, latin, east)
                        xml.tidy_rpr(proto)
                        blank[id(role)] = proto
                    r.insert(0, copy.deepcopy(proto))
                    continue
                if rpr.find(W_RFONTS) is None:
                    xml.set_fonts(rpr, role, east_asian_hint=hint)
                if rpr.find(W_LANG) is None:
                    xml.set_lang(rpr, latin, east)
                xml.tidy_rpr(rpr)


def _bookmark_names(nodes) -> dict[int, str]:
    """Node index → a bookmark name unique in the document (anchors are unique; be safe anyway)."""
    seen: set[str] = set()
    out: dict[int, str] = {}
    for i, node in enumerate(nodes):
        name = node.bookmark
        k = 2
        while name in seen:
            suffix = f"_{k}"
            name = node.bookmark[: 40 - len(suffix)] + suffix
            k += 1
        seen.add(name)
        out[i] = name
    return out


def _east_asian_faces(doc) -> dict[str, str]:
    """styleId → the East Asian face the theme gave it (read after styling, before restoring)."""
    out = {}
    for style in doc.styles.element.findall(qn("w:style")):
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            out[style.get(qn("w:styleId"))] = fonts.get(qn("w:eastAsia"))
    return out
