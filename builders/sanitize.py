"""Corporate templates are sanitised before python-docx or python-pptx opens them.

A template is a zip package from somewhere else, and whatever it carries would be copied into every
report and deck built with it.  :func:`sanitize` reads it with the standard library and lxml only:

* sizes are capped before anything is inflated: first by the sizes the zip declares, then by counting
  the bytes actually inflated, so a header that understates a part cannot get past;
* an XML part with a DTD (``<!DOCTYPE``, ``<!ENTITY``) is refused: entities can expand without bound
  or read other files, and no Office part needs one;
* whatever reaches outside the file or runs code is dropped, with one warning per item: external
  relationships (a remote attached template, linked pictures, hyperlinks), macro projects, ActiveX
  controls, embedded OLE objects and packages, ribbon and key-map customisations, mail-merge data
  sources and fields that fetch or link other files.  The parts, their relationships, their
  ``[Content_Types].xml`` entries and the references to them in the XML go together, so the package
  stays valid;
* a macro-enabled (or template, or slide show) main part gets the plain document's content type.

A file that is not a zip, not an Office package or the wrong kind of one is the user's mistake: an
:class:`~builders.errors.InputError` naming the file, never an internal error.
"""
from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from .errors import Diagnostic, InputError

MB = 1 << 20
MAX_PART = 32 * MB  # inflated size of one part: far above any real template's largest picture
MAX_TOTAL = 96 * MB  # inflated size of all parts together
MAX_PARTS = 5000
_CHUNK = 1 * MB

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
# Fields that fetch, link or run something outside the file; their last result stays as plain text.
_OUTSIDE_FIELDS = {"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "LINK", "IMPORT", "HYPERLINK",
                   "MACROBUTTON", "AUTOTEXT", "DATABASE"}

_RUNNING_ACTIONS = ("ppaction://program", "ppaction://macro", "ppaction://ole")

_WORD_TRIGGERS = (b"mailMerge", b"fldSimple", b"instrText")
_DECK_TRIGGERS = (b"ppaction://",)

_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         "http://purl.oclc.org/ooxml/officeDocument/relationships")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
O = "{urn:schemas-microsoft-com:office:office}"
_O_RELID = O + "relid"

# What a reference to a dropped relationship does to its element.  Elements whose reference is required
# go; a hyperlink keeps its text; anything else just loses the attribute (it is optional there).
_REMOVE = {W + "attachedTemplate", W + "subDoc", W + "altChunk", W + "control", C + "externalData",
           O + "OLEObject", P + "control", A + "hlinkClick", A + "hlinkHover", A + "hlinkMouseOver",
           A + "videoFile", A + "audioFile", A + "quickTimeFile", A + "wavAudioFile"}
_REMOVE_ANCESTOR = {P + "oleObj": P + "graphicFrame"}
_UNWRAP = {W + "hyperlink"}


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
        self.infos: dict[str, zipfile.ZipInfo] = {}
        self.trees: dict[str, object] = {}  # parsed XML parts
        self.changed: set[str] = set()
        self.dropped: set[str] = set()

    # ------------------------------------------------------------ reading
    def run(self) -> Clean:
        raw = self._read_file()
        self._read_zip(raw)
        self._check_xml()
        self._fail_if_problems()
        main = self._main_part()
        self._fail_if_problems()
        self._drop()
        data = raw if not (self.changed or self.dropped) else self._write()
        where = display(self.path)
        return Clean(data, tuple(Diagnostic(where, 1, 1, w, "warning") for w in self.warnings))

    def _fail_if_problems(self) -> None:
        if self.problems:
            where = display(self.path)
            raise InputError([Diagnostic(where, 1, 1, p) for p in self.problems])

    def _refuse(self, message: str) -> InputError:
        return _error(self.path, message)

    def _read_file(self) -> bytes:
        size = self.path.stat().st_size
        if size > MAX_TOTAL:  # the zip itself cannot be larger than what it may inflate to
            raise self._refuse(f"the file is {size / MB:.1f} MB; a template may be at most {MAX_TOTAL // MB} MB")
        return self.path.read_bytes()

    def _read_zip(self, raw: bytes) -> None:
        # zipfile reads the whole central directory into objects before anything can be checked: count
        # its entry signatures first, so a directory of millions of entries costs no memory.
        if raw.count(b"PK\x01\x02") > MAX_PARTS:
            raise self._refuse(f"the package has more than {MAX_PARTS} parts; a template may have at most {MAX_PARTS}")
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
            raise self._refuse(f"not a {KINDS[self.kind]}: the file is not a zip package") from None
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise self._refuse(f"the package has {len(infos)} parts; a template may have at most {MAX_PARTS}")
        seen: dict[str, str] = {}
        total = 0
        for info in infos:  # declared sizes first: nothing is inflated when they are already too large
            name = info.filename
            if name.lower() in seen:
                self.problems.append(f"part {name} appears twice in the package")
            seen[name.lower()] = name
            if info.flag_bits & 0x1:
                self.problems.append(f"part {name} is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.problems.append(f"part {name} uses an unsupported compression method ({info.compress_type})")
            if info.file_size > MAX_PART:
                self.problems.append(self._too_big(name, info.file_size))
            total += info.file_size
        if total > MAX_TOTAL and not self.problems:  # one part too large already says it
            self.problems.append(self._too_big_total(total))
        self._fail_if_problems()
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            blob = self._inflate(zf, info, MAX_TOTAL - total)
            total += len(blob)
            self.blobs[info.filename] = blob
            self.infos[info.filename] = info

    def _too_big(self, name: str, size: int) -> str:
        return f"part {name} inflates to {size / MB:.1f} MB; a template part may inflate to at most {MAX_PART // MB} MB"

    def _too_big_total(self, size: int) -> str:
        return (f"the parts inflate to {size / MB:.1f} MB in all; a template may inflate to at most "
                f"{MAX_TOTAL // MB} MB")

    def _inflate(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
        """The part's bytes, inflated a chunk at a time and counted: a header that lies about the size
        stops at the cap, not at the end of the data."""
        limit = min(MAX_PART, budget)
        probe = copy.copy(info)
        # zipfile stops at the declared size; declaring one byte more than the cap lets the counter
        # see a part that inflates beyond what its header says.
        probe.file_size = limit + 1
        # ... and zipfile's own checksum test would fire at that byte, before the counter could say
        # why; the checksum is compared below instead.
        try:
            del probe.CRC
        except AttributeError:
            pass
        chunks, count = [], 0
        try:
            with zf.open(probe) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    count += len(chunk)
                    if count > limit:
                        if limit < MAX_PART:
                            raise self._refuse(self._too_big_total(MAX_TOTAL - budget + count) + " (or more)")
                        raise self._refuse(f"part {info.filename} inflates to more than {MAX_PART // MB} MB "
                                           f"(its zip header says {info.file_size} bytes); a template part may "
                                           f"inflate to at most {MAX_PART // MB} MB")
                    chunks.append(chunk)
        except InputError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise self._refuse(f"part {info.filename} is corrupt: {exc}") from None
        blob = b"".join(chunks)
        if count != info.file_size or zlib.crc32(blob) != info.CRC:
            raise self._refuse(f"part {info.filename} is corrupt: it inflates to {count} bytes with a different "
                               f"checksum from the {info.file_size} bytes its zip header declares")
        return blob

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
    def _main_part(self) -> str:
        if "[Content_Types].xml" not in self.blobs or "_rels/.rels" not in self.blobs:
            self.problems.append(f"not a {KINDS[self.kind]}: the zip package is not an Office document "
                                 "(it has no [Content_Types].xml or _rels/.rels)")
            return ""
        main = next((r for r in self._rels("_rels/.rels") if r.type_tail == "officeDocument"
                     and not r.external), None)
        if main is None or main.target not in self.blobs:
            self.problems.append(f"not a {KINDS[self.kind]}: the package has no main document part")
            return ""
        ctype = self._type_of(main.target)
        kind, macros = _MAIN.get(ctype, (None, False))
        if kind is None:
            self.problems.append(f"not a {KINDS[self.kind]}: its main part has content type {ctype or '(none)'}")
        elif kind != self.kind:
            self.problems.append(f"not a {KINDS[self.kind]}: the file is {_WHAT[kind]}")
        elif ctype != _PLAIN[self.kind]:
            self._retype(main.target, _PLAIN[self.kind])
            if macros:
                self.warnings.append(f"converted the macro-enabled main part {main.target} ({ctype}) "
                                     "to a macro-free one")
        return main.target

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
                self._unreference(source, ids)
        # Only parts that mention a mail merge, a field or an action are parsed to look for them.
        triggers = _WORD_TRIGGERS if self.kind == "docx" else _DECK_TRIGGERS
        for name in list(self.blobs):
            if self._is_xml(name) and any(t in _as_text_bytes(self.blobs[name]) for t in triggers):
                (self._word_outside if self.kind == "docx" else self._deck_outside)(name)
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

    # ------------------------------------------------------------ references in the XML
    def _unreference(self, source: str, ids: set[str]) -> None:
        """Mend ``source`` after relationships ``ids`` were dropped: no attribute may point at one."""
        root = self.tree(source)
        for el in list(root.iter()):
            if not isinstance(el.tag, str):
                continue
            hits = [k for k, v in el.attrib.items() if v in ids and (_in_r_ns(k) or k == _O_RELID)]
            if not hits or _detached(el, root):
                continue
            if el.tag in _REMOVE:
                _remove(el)
            elif el.tag in _REMOVE_ANCESTOR:
                anc = next((a for a in el.iterancestors(_REMOVE_ANCESTOR[el.tag])), el)
                _remove(anc)
            elif el.tag in _UNWRAP and el.get(W + "anchor") is None:
                _unwrap(el)
            else:
                for k in hits:
                    del el.attrib[k]
            self.changed.add(source)

    def _word_outside(self, name: str) -> None:
        """Word parts: mail-merge data sources and fields that fetch or link other files."""
        root = self.tree(name)
        for mm in list(root.iter(W + "mailMerge")):
            _remove(mm)
            self.warnings.append(f"dropped the mail-merge data source of {name}")
            self.changed.add(name)
        for fld in list(root.iter(W + "fldSimple")):
            instr = fld.get(W + "instr") or ""
            word = _field_word(instr)
            if _reaches_outside(instr):
                self.warnings.append(f"dropped the {word} field of {name} (its last result is kept as text)")
                _unwrap(fld)
                self.changed.add(name)
        for word, runs in _complex_fields(root):
            self.warnings.append(f"dropped the {word} field of {name} (its last result is kept as text)")
            for r in runs:
                _remove(r)
            self.changed.add(name)

    def _deck_outside(self, name: str) -> None:
        """PowerPoint parts: click and hover actions that run a program, a macro or an OLE verb."""
        root = self.tree(name)
        for tag in (A + "hlinkClick", A + "hlinkHover", A + "hlinkMouseOver"):
            for link in list(root.iter(tag)):
                action = link.get("action") or ""
                if action.lower().startswith(_RUNNING_ACTIONS) and not _detached(link, root):
                    self.warnings.append(f"dropped the action {action} of {name}")
                    _remove(link)
                    self.changed.add(name)

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


def _in_r_ns(attr: str) -> bool:
    return attr.startswith("{") and attr[1:].split("}", 1)[0] in _R_NS


def _detached(el, root) -> bool:
    return el is not root and el.getparent() is None or any(a.getparent() is None and a is not root
                                                            for a in el.iterancestors())


def _remove(el) -> None:
    parent = el.getparent()
    if parent is not None:
        _keep_tail(el)
        parent.remove(el)


def _keep_tail(el) -> None:
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent = el.getparent()
            parent.text = (parent.text or "") + el.tail


def _unwrap(el) -> None:
    """Replace ``el`` by its children (a hyperlink's runs stay, without the link)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(index, child)
    _remove(el)


def _field_word(instr: str) -> str:
    parts = instr.strip().split()
    return parts[0].upper() if parts else ""


def _reaches_outside(instr: str) -> bool:
    """A field instruction that fetches, links or runs something; ``HYPERLINK \\l`` (to a bookmark) does not."""
    word = _field_word(instr)
    if word == "HYPERLINK":
        return not instr.split(None, 1)[1:2] or not instr.split(None, 1)[1].lstrip().startswith("\\l")
    return word in _OUTSIDE_FIELDS


def _complex_fields(root) -> list[tuple[str, list]]:
    """Complex fields (``w:fldChar`` begin … separate … end) whose instruction reaches outside the file:
    for each, its keyword and the runs to remove (the instruction and the field characters; the runs of
    the last result stay)."""
    found = []
    stack: list[dict] = []
    for run in list(root.iter(W + "r")):
        char = run.find(W + "fldChar")
        kind = char.get(W + "fldCharType") if char is not None else None
        if kind == "begin":
            stack.append({"runs": [run], "instr": "", "result": False})
            continue
        if not stack:
            continue
        field = stack[-1]
        if kind == "separate":
            field["runs"].append(run)
            field["result"] = True
        elif kind == "end":
            field["runs"].append(run)
            stack.pop()
            if _reaches_outside(field["instr"]):
                found.append((_field_word(field["instr"]), field["runs"]))
            elif stack and not stack[-1]["result"]:
                stack[-1]["runs"].extend(field["runs"])  # a field inside an instruction goes with it
        elif not field["result"]:
            field["instr"] += "".join(t.text or "" for t in run.iter(W + "instrText"))
            field["runs"].append(run)
    return found
