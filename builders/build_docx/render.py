"""Putting the report together: template, styles, package fixes, cover, contents, body, header, save."""
from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from ..diagnostics import Log
from ..document import Document
from ..reproducible import EntryWriter, document_datetime, zip_timestamp
from ..theme import Theme
from . import content, cover, govdoc, grid, page, props, styles, typography
from .blocks import Blocks
from .fields import BookmarkIds
from .flow import Context, Flow
from .footnotes import ENDNOTES, FOOTNOTES, Footnotes
from .numbering import Lists
from .runs import Runs
from .styles_text import NOTES_HEADING, character_ids, code_fonts, upright
from .template import chinese_body_ppr, has_header, open_template, restore, snapshot


def render(document: Document, theme: Theme, path: Path, log: Log) -> None:
    """Write the report of ``document`` in ``theme`` to ``path``."""
    template = theme.docx_template
    if template is not None and not Path(template).is_file():
        log.warn("docx_template", f"{template} not found; using the built-in template")
        template = None
    doc = open_template(template, log) if template else docx.Document()
    page.drop_leftovers(doc)  # a stale Word 2010 styles copy or thumbnail would contradict this document
    if template:
        saved = snapshot(doc)
        styles.apply(doc, document, theme, log, from_template=True)
        restore(doc, saved, _east_asian_faces(doc))
    else:
        styles.apply(doc, document, theme, log, from_template=False)
    if document.is_cjk:
        upright(doc)
    section = doc.sections[0]
    if not template:
        page.setup(section, theme)
    when = _when(document)
    props.apply(doc, document, when)
    page.settings(doc, document)
    typography.settings(doc, document)
    if not template:  # a corporate template's theme, font table and properties are its own business
        page.app_properties(doc)
        page.theme_fonts(doc, theme)
        page.font_table(doc)

    out = Blocks(doc)  # the styles are final: their ids are read once
    if template and document.is_cjk:
        out.body_ppr = chinese_body_ppr(doc)
    anchors = content.anchors(document)
    char_ids = character_ids(doc)
    ctx = Context(out=out, theme=theme, log=log, runs=None, lists=Lists(doc, theme), ids=BookmarkIds(),
                  anchors=anchors, labels=document.labels, width=styles.text_width(theme),
                  language=document.language, when=when)
    ctx.runs = Runs(char_ids, anchors, code_fonts(theme), ctx.warn, theme.cjk_emphasis)
    kind = ENDNOTES if theme.notes == "endnotes" else FOOTNOTES
    notes = Footnotes(doc, document.notes, char_ids[kind.ref_style], ctx.ids, kind) if document.notes else None
    ctx.runs.notes = notes
    ctx.where = "title"
    gbt = theme.page.grid is not None and not template  # GB/T 9704 (see .grid)
    if gbt:
        grid.styles(doc, theme, document.is_cjk)
        grid.doc_grid(section, theme)
    if theme.page.cover:
        cover.cover(out, document, theme, log, ctx.runs)
    else:
        if theme.govdoc is not None:
            govdoc.issuer(out, theme)
        grid.title_block(out, document, theme, ctx.runs)
    if theme.page.contents:
        cover.contents(out, document, anchors, theme)
    content.write(ctx, document)
    if gbt and document.is_cjk:
        grid.break_opportunities(doc.element.body)
    if theme.govdoc is not None:
        govdoc.colophon(out, theme, document.labels)
    if notes is not None:
        _footnotes(ctx, notes)
    if theme.page.folio == "gbt9704" and not template:
        grid.folios(doc, section, theme)
    else:
        page.header_footer(section, document, theme, out.style_id,
                           header=theme.page.running_head and not (template and has_header(section)),
                           footer=not (template and has_header(section, footer=True)))
    if not template:
        _fonts_on_runs(doc, document, theme, notes.root if notes is not None else None)
    _warn_missing_glyphs(document, theme, log)
    _save(doc, Path(path), when)


def _footnotes(ctx: Context, notes: Footnotes) -> None:
    """The notes' texts in the notes part, each paragraph in the note text style; endnotes follow a
    heading (注释 / Notes) at the end of the body."""
    def write(fn, note) -> None:
        ctx.where = f"notes[{note.note_id}]"
        story = ctx.out.within(fn, notes.part)
        Flow(ctx, story, ctx.width, notes.kind.text_style, in_note=True).blocks(note.blocks)

    if notes.kind is ENDNOTES and notes.referenced:
        ctx.out.paragraph(ctx.labels.notes, style=NOTES_HEADING)

    for number in notes.finish(write):
        note = notes.notes[number - 1]
        ctx.log.warn(f"notes[{note.note_id}]", "cited only from inside another note: a Word footnote cannot "
                                               "hold one, so the citation shows the number without a footnote")


def _when(document: Document):
    """The documents' date: the brief's date, else SOURCE_DATE_EPOCH, else ``None``."""
    from types import SimpleNamespace

    return document_datetime(SimpleNamespace(date=document.date_value))


def _warn_missing_glyphs(document: Document, theme: Theme, log: Log) -> None:
    """Never a silent empty box: name each character no font here has, and where it is."""
    from ..glyphs import missing

    lost = missing(document, theme)
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


def _fonts_on_runs(doc, brief: Document, theme: Theme, footnotes=None) -> None:
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
    if footnotes is not None:
        parts.append(footnotes)
    W_P, W_PPR, W_PSTYLE, W_R, W_RPR = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr"))
    W_RFONTS, W_LANG, W_VAL = qn("w:rFonts"), qn("w:lang"), qn("w:val")
    W_ASCII, W_EAST = qn("w:ascii"), qn("w:eastAsia")
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
                fonts = rpr.find(W_RFONTS)
                if fonts is None:
                    xml.set_fonts(rpr, role, east_asian_hint=hint)
                elif fonts.get(W_ASCII) is None:  # a run that names only its East Asian face (Kai emphasis)
                    east_face = fonts.get(W_EAST)
                    xml.set_fonts(rpr, role, east_asian_hint=hint)
                    fonts.set(W_EAST, east_face)
                if rpr.find(W_LANG) is None:
                    xml.set_lang(rpr, latin, east)
                xml.tidy_rpr(rpr)


def _east_asian_faces(doc) -> dict[str, str]:
    """styleId → the East Asian face the theme gave it (read after styling, before restoring)."""
    out = {}
    for style in doc.styles.element.findall(qn("w:style")):
        fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            out[style.get(qn("w:styleId"))] = fonts.get(qn("w:eastAsia"))
    return out
