"""Real Word footnotes (or endnotes, as the theme chooses): the notes part, its relationship and
settings, and the references to it.

python-docx has no footnote API, so the part is written here as Word writes it:
``/word/footnotes.xml`` holding the separator (id -1) and continuation separator
(id 0) and one ``w:footnote`` per note (id = the note's number), referenced from
the document by ``w:footnoteReference`` runs in the Footnote Reference style;
``w:footnotePr`` in the settings names the two separators.  Endnotes are the
same with ``endnote`` in every name, numbered 1, 2, 3 (Word's default is i, ii).

Word numbers notes in the order of their references, which is the order the
lowering numbered them in, so note N of the Document is Word's note N.  A
note referred to a second time gets a NOTEREF field to a bookmark on its first
reference (Word allows one reference per note); a note cited only from
inside another note cannot be a note of its own and is shown as its number.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..document import Note
from . import fields, xml
from .blocks import element



@dataclass(frozen=True)
class Kind:
    """Footnotes or endnotes: the names of everything that differs."""

    name: str  # footnote | endnote
    reltype: str
    partname: str
    content_type: str
    text_style: str  # Word's built-in paragraph style name of the note's text
    ref_style: str  # … and of its reference mark

    def tag(self, suffix: str = "") -> str:
        return qn(f"w:{self.name}{suffix}")


FOOTNOTES = Kind("footnote", RT.FOOTNOTES, "/word/footnotes.xml",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                 "footnote text", "footnote reference")
ENDNOTES = Kind("endnote", RT.ENDNOTES, "/word/endnotes.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
                "endnote text", "endnote reference")
CT_FOOTNOTES = FOOTNOTES.content_type


def _separators(kind: str) -> str:
    return (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            f'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:{kind}>'
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            f'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')


# CT_SectPr children after w:endnotePr (schema order).
_AFTER_SECT_ENDNOTE_PR = ("w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
                          "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                          "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
# CT_Settings children after w:footnotePr and w:endnotePr (schema order).
_AFTER_NOTE_PR = ("w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                      "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                      "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                      "w:smartTagType", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                      "w:decimalSymbol", "w:listSeparator")


class Footnotes:
    """The document's notes: references as they are met, texts written at the end by :meth:`finish`."""

    def __init__(self, doc, notes: tuple[Note, ...], ref_style: str, bookmarks, kind: Kind = FOOTNOTES):
        self.doc, self.notes, self.ref_style, self.bookmarks, self.kind = doc, notes, ref_style, bookmarks, kind
        self.referenced: set[int] = set()
        self.part = _part(doc, kind)
        self.root = self.part.element

    def reference(self, parent, number: int, in_note: bool = False) -> None:
        """Append the reference to note ``number`` to ``parent`` (a paragraph or hyperlink element)."""
        if in_note or number in self.referenced:
            if number in self.referenced:  # a second reference: Word's cross-reference to the footnote mark
                runs = fields.field_runs(f"NOTEREF {_mark(number)} \\f \\h", str(number))
            else:
                runs = [fields.text_run(str(number))]
            for r in runs:
                r.insert(0, self._rpr())
                parent.append(r)
            return
        self.referenced.add(number)
        r = element(qn("w:r"))
        r.append(self._rpr())
        ref = element(self.kind.tag("Reference"))
        ref.set(qn("w:id"), str(number))
        r.append(ref)
        bid = self.bookmarks.next_id()
        start = element(qn("w:bookmarkStart"))
        start.set(qn("w:id"), str(bid))
        start.set(qn("w:name"), _mark(number))
        end = element(qn("w:bookmarkEnd"))
        end.set(qn("w:id"), str(bid))
        parent.append(start)
        parent.append(r)
        parent.append(end)

    def _rpr(self):
        rpr = element(qn("w:rPr"))
        st = element(qn("w:rStyle"))
        st.set(qn("w:val"), self.ref_style)
        rpr.append(st)
        return rpr

    def finish(self, write_note) -> list[int]:
        """Write the text of every referenced note, in number order, with ``write_note(footnote_el, note)``;
        the numbers of notes that no text outside the notes refers to are returned (they have no footnote)."""
        for note in self.notes:
            if note.number not in self.referenced:
                continue
            fn = element(self.kind.tag())
            fn.set(qn("w:id"), str(note.number))
            self.root.append(fn)
            write_note(fn, note)
            first = fn.find(qn("w:p"))
            if first is None:
                first = element(qn("w:p"))
                fn.append(first)
            self._mark_first(first)
        return [n.number for n in self.notes if n.number not in self.referenced]

    def _mark_first(self, p) -> None:
        """The footnote's own number (``w:footnoteRef``) and a space open its first paragraph."""
        ref = element(qn("w:r"))
        ref.append(self._rpr())
        ref.append(element(self.kind.tag("Ref")))
        space = fields.text_run(" ")
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(ref)
        else:
            p.insert(0, ref)
        ref.addnext(space)


def _mark(number: int) -> str:
    return f"_Note{number}"


def _part(doc, kind: Kind) -> XmlPart:
    """The document's notes part: a template's own (its notes dropped, separators kept) or a new one."""
    document = doc.part
    for rel in document.rels.values():
        if rel.reltype == kind.reltype and not rel.is_external:
            part = rel.target_part
            if not isinstance(part, XmlPart):
                part = _replace(document, rel, part)
            for fn in part.element.findall(kind.tag()):
                if int(fn.get(qn("w:id"), "0")) > 0:
                    part.element.remove(fn)
            _settings(doc, kind)
            return part
    root = parse_xml(f"<w:{kind.name}s {nsdecls('w', 'r')}>{_separators(kind.name)}</w:{kind.name}s>")
    part = XmlPart(PackURI(kind.partname), kind.content_type, root, document.package)
    document.relate_to(part, kind.reltype)
    _settings(doc, kind)
    return part


def _replace(document, rel, part) -> XmlPart:
    """A template's notes part loaded as plain bytes, made editable XML in place of the original."""
    new = XmlPart(part.partname, part.content_type, parse_xml(part.blob), document.package)
    rel._target = new
    return new


def _settings(doc, kind: Kind) -> None:
    """``w:footnotePr``/``w:endnotePr`` naming the separators, as Word writes it (kept if the template has
    one); endnotes are numbered 1, 2, 3 like the other outputs' notes, not Word's default i, ii, iii."""
    settings = doc.settings.element
    tag = f"w:{kind.name}Pr"
    if settings.find(qn(tag)) is not None:
        return
    after = _AFTER_NOTE_PR if kind is ENDNOTES else ("w:endnotePr", *_AFTER_NOTE_PR)
    pr = xml.child(settings, tag, before=after)
    if kind is ENDNOTES:
        pr.append(_decimal())
        # The section says it too: LibreOffice reads the number format only from the section.
        sect = doc.element.body.find(qn("w:sectPr"))
        if sect is not None and sect.find(qn("w:endnotePr")) is None:
            xml.child(sect, "w:endnotePr", before=_AFTER_SECT_ENDNOTE_PR).append(_decimal())
    for fid in ("-1", "0"):
        ref = element(kind.tag())
        ref.set(qn("w:id"), fid)
        pr.append(ref)


def _decimal():
    fmt = element(qn("w:numFmt"))
    fmt.set(qn("w:val"), "decimal")
    return fmt
