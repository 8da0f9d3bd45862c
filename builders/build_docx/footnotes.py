"""Real Word footnotes: the footnotes part, its relationship and settings, and the references to it.

python-docx has no footnote API, so the part is written here as Word writes it:
``/word/footnotes.xml`` holding the separator (id -1) and continuation separator
(id 0) and one ``w:footnote`` per note (id = the note's number), referenced from
the document by ``w:footnoteReference`` runs in the Footnote Reference style;
``w:footnotePr`` in the settings names the two separators.

Word numbers footnotes in the order of their references, which is the order the
lowering numbered them in, so note N of the Document is Word's footnote N.  A
note referred to a second time gets a NOTEREF field to a bookmark on its first
reference (Word allows one reference per footnote); a note cited only from
inside another note cannot be a footnote of its own and is shown as its number.
"""
from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ..document import Note
from . import fields, xml
from .blocks import element

CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
# CT_Settings children after w:footnotePr (schema order).
_AFTER_FOOTNOTE_PR = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                      "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                      "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                      "w:smartTagType", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                      "w:decimalSymbol", "w:listSeparator")


class Footnotes:
    """The document's footnotes: references as they are met, texts written at the end by :meth:`finish`."""

    def __init__(self, doc, notes: tuple[Note, ...], ref_style: str, bookmarks):
        self.doc, self.notes, self.ref_style, self.bookmarks = doc, notes, ref_style, bookmarks
        self.referenced: set[int] = set()
        self.part = _part(doc)
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
        ref = element(qn("w:footnoteReference"))
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
            fn = element(qn("w:footnote"))
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
        ref.append(element(qn("w:footnoteRef")))
        space = fields.text_run(" ")
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(ref)
        else:
            p.insert(0, ref)
        ref.addnext(space)


def _mark(number: int) -> str:
    return f"_Note{number}"


def _part(doc) -> XmlPart:
    """The document's footnotes part: a template's own (its notes dropped, separators kept) or a new one."""
    document = doc.part
    for rel in document.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part = rel.target_part
            if not isinstance(part, XmlPart):
                part = _replace(document, rel, part)
            for fn in part.element.findall(qn("w:footnote")):
                if int(fn.get(qn("w:id"), "0")) > 0:
                    part.element.remove(fn)
            _settings(doc)
            return part
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}>{_SEPARATORS}</w:footnotes>")
    part = XmlPart(PackURI("/word/footnotes.xml"), CT_FOOTNOTES, root, document.package)
    document.relate_to(part, RT.FOOTNOTES)
    _settings(doc)
    return part


def _replace(document, rel, part) -> XmlPart:
    """A template's footnotes part loaded as plain bytes, made editable XML in place of the original."""
    new = XmlPart(part.partname, part.content_type, parse_xml(part.blob), document.package)
    rel._target = new
    return new


def _settings(doc) -> None:
    """``w:footnotePr`` naming the separators, as Word writes it (kept if the template has one)."""
    settings = doc.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = xml.child(settings, "w:footnotePr", before=_AFTER_FOOTNOTE_PR)
    for fid in ("-1", "0"):
        ref = element(qn("w:footnote"))
        ref.set(qn("w:id"), fid)
        pr.append(ref)

