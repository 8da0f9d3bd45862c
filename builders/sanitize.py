"""Corporate templates are sanitised before python-docx or python-pptx opens them.

A template is a zip package from somewhere else, and whatever it carries would be copied into every
report and deck built with it.  :func:`sanitize` reads it with the standard library and lxml only:

* sizes are capped before anything is inflated: first by the sizes the zip declares, then by counting
  the bytes actually inflated, so a header that understates a part cannot get past (:mod:`.safezip`);
* an XML part with a DTD (``<!DOCTYPE``, ``<!ENTITY``) is refused: entities can expand without bound
  or read other files, and no Office part needs one;
* whatever reaches outside the file or runs code is dropped, with one warning per item: external
  relationships (a remote attached template, linked pictures, hyperlinks), macro projects, ActiveX
  controls, embedded OLE objects and packages, ribbon and key-map customisations, mail-merge data
  sources and fields that fetch or link other files.  The parts, their relationships, their
  ``[Content_Types].xml`` entries and the references to them in the XML (:mod:`.reach`) go together,
  so the package stays valid;
* a macro-enabled (or template, or slide show) main part gets the plain document's content type.

A file that is not a zip, not an Office package or the wrong kind of one is the user's mistake: an
:class:`~builders.errors.InputError` naming the file, never an internal error.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from . import reach
from .errors import Diagnostic, InputError
from .safezip import NotAZip, Unsafe, read_parts

KINDS = {"docx": "Word template (.docx, .dotx)", "pptx": "PowerPoint template (.pptx, .potx)"}
_PLAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# Main-part content types: which kind each is, and whether it is macro-enabled.
_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": ("docx", False),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": ("docx", False),
    "application/vnd.ms-word.document.macroEnabled.main+xml": ("docx", True),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": ("docx", True),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": ("pptx", False),
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": ("pptx", False),
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": ("pptx", False),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": ("pptx", True),
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": ("pptx", True),
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": ("pptx", True),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ("xlsx", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": ("xlsx", False),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("xlsx", True),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": ("xlsx", True),
}
_WHAT = {"docx": "a Word document", "pptx": "a PowerPoint presentation", "xlsx": "an Excel workbook"}

# Parts that run code or pull in other files, by content type and by the last segment of the
# relationship type that reaches them; the value names the item in the warning.
_DANGEROUS_TYPES = {
    "application/vnd.ms-office.vbaProject": "macro project",
    "application/vnd.ms-word.vbaData+xml": "macro data",
    "application/vnd.ms-office.vbaProjectSignature": "macro signature",
    "application/vnd.ms-office.vbaProjectSignatureAgile": "macro signature",
    "application/vnd.ms-office.vbaProjectSignatureV3": "macro signature",
    "application/vnd.ms-office.activeX+xml": "ActiveX control",
    "application/vnd.ms-office.activeX": "ActiveX control",
    "application/vnd.openxmlformats-officedocument.oleObject": "embedded OLE object",
    "application/vnd.ms-word.keyMapCustomizations+xml": "key-map customisation",
    "application/vnd.ms-word.attachedToolbars": "toolbar customisation",
}
_DANGEROUS_RELS = {
    "vbaProject": "macro project", "wordVbaData": "macro data", "vbaProjectSignature": "macro signature",
    "vbaProjectSignatureAgile": "macro signature", "vbaProjectSignatureV3": "macro signature",
    "control": "ActiveX control", "activeXControlBinary": "ActiveX control", "oleObject": "embedded OLE object",
    "package": "embedded package", "keyMapCustomizations": "key-map customisation",
    "attachedToolbars": "toolbar customisation", "extensibility": "ribbon customisation",
    "aFChunk": "imported chunk", "attachedTemplate": "attached template", "subDocument": "subdocument",
    "frame": "frame",
}
_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Clean:
    """A sanitised template: the package bytes to open, and one warning per item dropped from it."""

    data: bytes
    warnings: tuple[Diagnostic, ...] = ()


_cache: dict[tuple, Clean] = {}


def display(path: Path) -> str:
    """How a template is named in messages: relative to the working directory when it is inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def sanitize(path: Path, kind: str) -> Clean:
    """The template at ``path``, of ``kind`` (``"docx"`` or ``"pptx"``), made safe to open and copy.

    Raises :class:`InputError` (every problem found, each ``FILE:1:1``) when it cannot be made safe.
    Results are kept per file state, so a theme check and the builders forked after it do the work once.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise _error(path, f"cannot read the {KINDS[kind]}: {exc.strerror}") from None
    key = (str(path.resolve()), kind, st.st_size, st.st_mtime_ns)
    if key not in _cache:
        _cache[key] = _Sanitizer(path, kind).run()
    return _cache[key]


def check_templates(templates: dict[str, Optional[Path]]) -> None:
    """Sanitise each existing template (``{kind: path}``); raise one :class:`InputError` with every problem.

    A missing template is left to the builders, which warn and use their built-in one.
    """
    problems: list[Diagnostic] = []
    for kind, path in templates.items():
        if path is None or not Path(path).is_file():
            continue
        try:
            sanitize(path, kind)
        except InputError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise InputError(problems)


def template_bytes(path: Path, kind: str, log=None) -> bytes:
    """The sanitised package of ``path``, its warnings added to the builder's ``log`` (a :class:`Log`)."""
    clean = sanitize(path, kind)
    if log is not None:
        for w in clean.warnings:
            if w not in log.warnings:
                log.warnings.append(w)
    return clean.data


def _error(path: Path, message: str) -> InputError:
    return InputError([Diagnostic(display(path), 1, 1, message)])


def _xml_parser():
    from lxml import etree

    # No DTD, no entities, no network, no huge trees: the DTD check comes first anyway.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False)


_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _as_text_bytes(blob: bytes) -> bytes:
    """XML bytes in an ASCII-compatible encoding, so a byte search for ``<!DOCTYPE`` cannot miss UTF-16/32."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if blob.startswith(bom):
            return blob[len(bom):].decode(codec, "replace").encode("utf-8")
    if blob[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return blob.decode("utf-16-le" if blob[0] == 0x3C else "utf-16-be", "replace").encode("utf-8")
    return blob


class _HasDTD(Exception):
    pass


def _refuse_dtd(*_args) -> None:
    raise _HasDTD


def _well_formed(blob: bytes) -> str:
    """Why ``blob`` is not well-formed namespaced XML (or has a DTD after all, in an encoding the byte
    search cannot read), or ``""`` when it is fine."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_dtd  # stops before any expansion
    try:
        parser.Parse(blob, True)
    except _HasDTD:
        return "it declares a DTD (<!DOCTYPE); a template may not"
    except expat.ExpatError as exc:
        return str(exc)
    return ""


class _Sanitizer:
    """One template's sanitising: read and cap, check, decide what goes, rewrite."""

    def __init__(self, path: Path, kind: str):
        self.path, self.kind = path, kind
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.blobs: dict[str, bytes] = {}  # zip member name -> inflated bytes, in zip order
        self.infos: dict[str, object] = {}  # zip member name -> its ZipInfo
        self.trees: dict[str, object] = {}  # parsed XML parts
        self.changed: set[str] = set()
        self.dropped: set[str] = set()

    # ------------------------------------------------------------ reading
    def run(self) -> Clean:
        try:
            raw, self.blobs, self.infos = read_parts(self.path)
        except NotAZip:
            raise _error(self.path, f"not a {KINDS[self.kind]}: the file is not a zip package") from None
        except Unsafe as exc:
            raise InputError([Diagnostic(display(self.path), 1, 1, p) for p in exc.problems]) from None
        self._check_xml()
        self._fail_if_problems()
        self._main_part()
        self._fail_if_problems()
        self._drop()
        data = raw if not (self.changed or self.dropped) else self._write()
        where = display(self.path)
        return Clean(data, tuple(Diagnostic(where, 1, 1, w, "warning") for w in self.warnings))

    def _fail_if_problems(self) -> None:
        if self.problems:
            where = display(self.path)
            raise InputError([Diagnostic(where, 1, 1, p) for p in self.problems])

    # ------------------------------------------------------------ XML
    def _content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        defaults, overrides = {}, {}
        if "[Content_Types].xml" not in self.blobs or _well_formed(self.blobs["[Content_Types].xml"]):
            return defaults, overrides
        tree = self.tree("[Content_Types].xml")
        for el in tree.iter(f"{{{_CT_NS}}}Default"):
            defaults[(el.get("Extension") or "").lower()] = el.get("ContentType") or ""
        for el in tree.iter(f"{{{_CT_NS}}}Override"):
            overrides[(el.get("PartName") or "").lstrip("/").lower()] = el.get("ContentType") or ""
        return defaults, overrides

    def _type_of(self, name: str) -> str:
        defaults, overrides = self._ct
        if name.lower() in overrides:
            return overrides[name.lower()]
        return defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def _is_xml(self, name: str) -> bool:
        return name.lower().endswith((".xml", ".rels")) or name == "[Content_Types].xml"

    def _check_xml(self) -> None:
        """Every XML part well-formed and without a DTD.  expat, not lxml: a fifth of the time, and only
        the parts that change are parsed into trees (:meth:`tree`)."""
        self._ct = self._content_types()
        for name, blob in self.blobs.items():
            if not (self._is_xml(name) or self._type_of(name).endswith("xml")):
                continue
            if _DTD.search(_as_text_bytes(blob)):
                self.problems.append(f"part {name} declares a DTD or entities (<!DOCTYPE/<!ENTITY); a template "
                                     "may not (entities can expand without bound or read other files)")
                continue
            problem = _well_formed(blob)
            if problem:
                self.problems.append(f"part {name} is not well-formed XML: {problem}")

    def tree(self, name: str):
        """The parsed XML of part ``name`` (parsed once; edits to it are written back by :meth:`_write`)."""
        if name not in self.trees:
            from lxml import etree

            self.trees[name] = etree.fromstring(self.blobs[name], _xml_parser())
        return self.trees[name]

    # ------------------------------------------------------------ what kind of package
    def _main_part(self) -> None:
        if "[Content_Types].xml" not in self.blobs or "_rels/.rels" not in self.blobs:
            self.problems.append(f"not a {KINDS[self.kind]}: the zip package is not an Office document "
                                 "(it has no [Content_Types].xml or _rels/.rels)")
            return
        main = next((r for r in self._rels("_rels/.rels") if r.type_tail == "officeDocument"
                     and not r.external), None)
        if main is None or main.target not in self.blobs:
            self.problems.append(f"not a {KINDS[self.kind]}: the package has no main document part")
            return
        ctype = self._type_of(main.target)
        kind, macros = _MAIN.get(ctype, (None, False))
        if kind is None:
            self.problems.append(f"not a {KINDS[self.kind]}: its main part has content type {ctype or '(none)'}")
        elif kind != self.kind:
            self.problems.append(f"not a {KINDS[self.kind]}: the file is {_WHAT[kind]}")
        else:
            self._check_structure(main.target)
            if ctype != _PLAIN[self.kind]:
                self._retype(main.target, _PLAIN[self.kind])
                if macros:
                    self.warnings.append(f"converted the macro-enabled main part {main.target} ({ctype}) "
                                         "to a macro-free one")

    def _check_structure(self, main: str) -> None:
        """What python-docx or python-pptx needs before it can use a template at all: a document body,
        or a slide master with layouts.  Without them the builders would fail deep inside, as if it were
        our bug."""
        root = self.tree(main)
        if self.kind == "docx":
            if root.tag != reach.W + "document" or root.find(reach.W + "body") is None:
                self.problems.append(f"not a {KINDS[self.kind]}: its main part {main} has no w:body")
            return
        masters = [r.target for r in self._rels(_rels_of(main)) if r.type_tail == "slideMaster" and not r.external
                   and r.target in self.blobs]
        if root.tag != reach.P + "presentation" or root.find(f"{reach.P}sldMasterIdLst/{reach.P}sldMasterId") is None \
                or not masters:
            self.problems.append(f"not a {KINDS[self.kind]}: it has no slide master")
        elif not any(r.type_tail == "slideLayout" for m in masters for r in self._rels(_rels_of(m))):
            self.problems.append(f"not a {KINDS[self.kind]}: its slide master has no layouts")

    def _retype(self, name: str, ctype: str) -> None:
        from lxml import etree

        tree = self.tree("[Content_Types].xml")

        for el in tree.iter(f"{{{_CT_NS}}}Override"):
            if (el.get("PartName") or "").lstrip("/").lower() == name.lower():
                el.set("ContentType", ctype)
                break
        else:
            etree.SubElement(tree, f"{{{_CT_NS}}}Override", PartName="/" + name, ContentType=ctype)
        self.changed.add("[Content_Types].xml")
        self._ct = self._content_types()

    # ------------------------------------------------------------ relationships
    def _rels(self, rels_name: str) -> list[_Rel]:
        if rels_name not in self.blobs:
            return []
        tree = self.tree(rels_name)
        source = _source_of(rels_name)
        base = posixpath.dirname(source)
        out = []
        for el in tree.iter(f"{{{_RELS_NS}}}Relationship"):
            target = el.get("Target") or ""
            external = (el.get("TargetMode") or "").lower() == "external"
            if not external:
                joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                target = posixpath.normpath(unquote(joined)).lstrip("/")
            out.append(_Rel(el, el.get("Id") or "", el.get("Type") or "", target, external, source))
        return out

    def _drop(self) -> None:
        dangerous = {n: _DANGEROUS_TYPES[t] for n in self.blobs if (t := self._type_of(n)) in _DANGEROUS_TYPES}
        gone: dict[str, set[str]] = {}  # source part -> ids of dropped relationships
        for rels_name in [n for n in self.blobs if _is_rels(n)]:
            if _source_of(rels_name) in dangerous:
                continue  # goes with its part
            for rel in self._rels(rels_name):
                label = _DANGEROUS_RELS.get(rel.type_tail)
                if label == "embedded package" and self._type_of(rel.source) == _CHART:
                    label = None  # a chart's own data workbook: inside the file, and no code runs
                if rel.external:
                    self.warnings.append(f"dropped external relationship {rel.id} of {rel.source or 'the package'} "
                                         f"({rel.type_tail} -> {rel.target})")
                elif rel.target in dangerous:
                    pass  # named once, with the part, below
                elif label:
                    dangerous[rel.target] = label
                else:
                    continue
                rel.el.getparent().remove(rel.el)
                self.changed.add(rels_name)
                gone.setdefault(rel.source, set()).add(rel.id)
        # Relationships elsewhere that reach a part dropped for its content type.
        for rels_name in [n for n in self.blobs if _is_rels(n)]:
            if _source_of(rels_name) in dangerous:
                continue
            for rel in self._rels(rels_name):
                if not rel.external and rel.target in dangerous and rel.el.getparent() is not None:
                    rel.el.getparent().remove(rel.el)
                    self.changed.add(rels_name)
                    gone.setdefault(rel.source, set()).add(rel.id)
        for name, label in dangerous.items():
            if name in self.blobs:
                self.warnings.append(f"dropped {label} {name}")
                self._remove_part(name)
        for source, ids in gone.items():
            if source in self.blobs and (self._is_xml(source) or self._type_of(source).endswith("xml")):
                if reach.unreference(self.tree(source), ids):
                    self.changed.add(source)
        # Only parts that mention a mail merge, a field or an action are parsed to look for them.
        triggers, find = ((reach.WORD_TRIGGERS, reach.word_outside) if self.kind == "docx"
                          else (reach.DECK_TRIGGERS, reach.deck_outside))
        for name in list(self.blobs):
            if self._is_xml(name) and any(t in _as_text_bytes(self.blobs[name]) for t in triggers):
                dropped = find(self.tree(name))
                self.warnings.extend(f"dropped {what} of {name}" + (f" ({note})" if note else "")
                                     for what, note in dropped)
                if dropped:
                    self.changed.add(name)
        self._collect_unreachable()
        self._prune_content_types()

    def _remove_part(self, name: str) -> None:
        for n in (name, _rels_of(name)):
            if n in self.blobs:
                self.dropped.add(n)
                self.blobs.pop(n)
                self.trees.pop(n, None)

    def _collect_unreachable(self) -> None:
        """Parts no relationship reaches any more (those only a dropped part used): python-docx and
        python-pptx would not load them either, so they go without a warning of their own."""
        reached, todo = set(), ["_rels/.rels"]
        while todo:
            rels_name = todo.pop()
            for rel in self._rels(rels_name):
                if not rel.external and rel.target in self.blobs and rel.target not in reached:
                    reached.add(rel.target)
                    todo.append(_rels_of(rel.target))
        for name in list(self.blobs):
            if name == "[Content_Types].xml" or name in reached:
                continue
            if _is_rels(name) and (_source_of(name) in reached or name == "_rels/.rels"):
                continue
            self._remove_part(name)

    def _prune_content_types(self) -> None:
        tree = self.tree("[Content_Types].xml")
        present = {n.lower() for n in self.blobs}
        for el in list(tree.iter(f"{{{_CT_NS}}}Override")):
            if (el.get("PartName") or "").lstrip("/").lower() not in present:
                tree.remove(el)
                self.changed.add("[Content_Types].xml")
        for el in list(tree.iter(f"{{{_CT_NS}}}Default")):
            if el.get("ContentType") in _DANGEROUS_TYPES:
                tree.remove(el)
                self.changed.add("[Content_Types].xml")

    # ------------------------------------------------------------ writing
    def _write(self) -> bytes:
        from lxml import etree

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, blob in self.blobs.items():
                if name in self.changed and name in self.trees:
                    blob = etree.tostring(self.trees[name], xml_declaration=True, encoding="UTF-8", standalone=True)
                info = zipfile.ZipInfo(name, self.infos[name].date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, blob)
        return out.getvalue()


@dataclass
class _Rel:
    el: object
    id: str
    type: str
    target: str  # a part name (no leading slash), or the URL of an external target
    external: bool
    source: str  # the part the relationship belongs to; "" for the package

    @property
    def type_tail(self) -> str:
        return self.type.rstrip("/").rsplit("/", 1)[-1]


def _is_rels(name: str) -> bool:
    return name.endswith(".rels") and posixpath.basename(posixpath.dirname(name)) == "_rels"


def _source_of(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``; ``_rels/.rels`` -> ``""`` (the package)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    base = posixpath.basename(rels_name)[: -len(".rels")]
    return posixpath.join(folder, base) if base else ""


def _rels_of(name: str) -> str:
    folder, base = posixpath.split(name)
    return posixpath.join(folder, "_rels", base + ".rels")
