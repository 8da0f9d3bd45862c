"""Putting the report together: template, styles, package fixes, cover, contents, body, header, save."""
from __future__ import annotations

from pathlib import Path

import docx

from ..diagnostics import Log
from ..model import Brief
from ..outline import outline
from ..reproducible import document_datetime, normalize_zip
from ..theme import Theme
from . import content, cover, page, props, styles


def render(brief: Brief, theme: Theme, path: Path, log: Log) -> None:
    """Write the report of ``brief`` in ``theme`` to ``path``."""
    template = theme.docx_template
    if template is not None and not Path(template).is_file():
        log.warn("docx_template", f"{template} not found; using the built-in template")
        template = None
    doc = docx.Document(str(template)) if template else docx.Document()
    if template:
        _clear_body(doc)
    else:
        page.drop_leftovers(doc)
    styles.apply(doc, brief, theme, log, from_template=template is not None)
    section = doc.sections[0]
    if not template:
        page.setup(section, theme)
    props.apply(doc, brief)
    page.settings(doc, brief)
    page.theme_fonts(doc, theme)
    page.font_table(doc)

    nodes = outline(brief, theme, "docx")
    bookmarks = _bookmark_names(nodes)
    cover.cover(doc, brief, theme)
    cover.contents(doc, brief, nodes, bookmarks)
    content.Body(doc, brief, theme, log, bookmarks).write(nodes)
    if not template or not _has_header(section):
        page.header_footer(section, brief, theme)
    doc.save(str(path))
    normalize_zip(Path(path), document_datetime(brief))


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


def _clear_body(doc) -> None:
    """A corporate template's sample content goes; its final section properties stay."""
    body = doc.element.body
    for el in list(body):
        if not el.tag.endswith("}sectPr"):
            body.remove(el)


def _has_header(section) -> bool:
    return any(p.text.strip() for p in section.header.paragraphs) if not section.header.is_linked_to_previous else False
