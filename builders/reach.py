"""The XML side of a template's reach outside its file: which elements go when their relationship goes,
and the Word fields, mail merges and slide actions that fetch, link or run something by themselves.

Each function edits an lxml tree in place and says what it did; :mod:`builders.sanitize` decides which
relationships go and turns the descriptions into warnings.  Removing an element keeps the document
valid: elements whose reference is required go whole, a hyperlink keeps its text, a field keeps its
last result, anything else loses only the (optional) attribute.
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
O = "{urn:schemas-microsoft-com:office:office}"
_R_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         "http://purl.oclc.org/ooxml/officeDocument/relationships")
_O_RELID = O + "relid"  # VML's relationship reference, outside the r: namespace

_REMOVE = {W + "attachedTemplate", W + "subDoc", W + "altChunk", W + "control", C + "externalData",
           O + "OLEObject", P + "control", A + "hlinkClick", A + "hlinkHover", A + "hlinkMouseOver",
           A + "videoFile", A + "audioFile", A + "quickTimeFile", A + "wavAudioFile"}
_REMOVE_ANCESTOR = {P + "oleObj": P + "graphicFrame"}  # an OLE frame without its object shows nothing
_UNWRAP = {W + "hyperlink"}

# Fields that fetch, link or run something outside the file; their last result stays as plain text.
_OUTSIDE_FIELDS = {"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "LINK", "IMPORT", "HYPERLINK",
                   "MACROBUTTON", "AUTOTEXT", "DATABASE"}
_RUNNING_ACTIONS = ("ppaction://program", "ppaction://macro", "ppaction://ole")
# Bytes a part must contain for word_outside / deck_outside to find anything: the rest are not parsed.
WORD_TRIGGERS = (b"mailMerge", b"fldSimple", b"instrText")
DECK_TRIGGERS = (b"ppaction://",)


def unreference(root, ids: set[str]) -> bool:
    """Mend a part after its relationships ``ids`` were dropped: no attribute may point at one.
    True when anything changed."""
    changed = False
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        hits = [k for k, v in el.attrib.items() if v in ids and (_in_r_ns(k) or k == _O_RELID)]
        if not hits or _detached(el, root):
            continue
        if el.tag in _REMOVE:
            _remove(el)
        elif el.tag in _REMOVE_ANCESTOR:
            _remove(next(el.iterancestors(_REMOVE_ANCESTOR[el.tag]), el))
        elif el.tag in _UNWRAP and el.get(W + "anchor") is None:
            _unwrap(el)
        else:
            for k in hits:
                del el.attrib[k]
        changed = True
    return changed


def word_outside(root) -> list[tuple[str, str]]:
    """Drop a Word part's mail-merge data source and the fields that fetch or link other files;
    ``(what, note)`` per item dropped."""
    dropped = []
    for merge in list(root.iter(W + "mailMerge")):
        _remove(merge)
        dropped.append(("the mail-merge data source", ""))
    for fld in list(root.iter(W + "fldSimple")):
        instr = fld.get(W + "instr") or ""
        if _reaches_outside(instr):
            _unwrap(fld)
            dropped.append((f"the {_field_word(instr)} field", "its last result is kept as text"))
    for word, runs in _complex_fields(root):
        for run in runs:
            _remove(run)
        dropped.append((f"the {word} field", "its last result is kept as text"))
    return dropped


def deck_outside(root) -> list[tuple[str, str]]:
    """Drop a PowerPoint part's click and hover actions that run a program, a macro or an OLE verb;
    ``(what, note)`` per item dropped."""
    dropped = []
    for tag in (A + "hlinkClick", A + "hlinkHover", A + "hlinkMouseOver"):
        for link in list(root.iter(tag)):
            action = link.get("action") or ""
            if action.lower().startswith(_RUNNING_ACTIONS) and not _detached(link, root):
                _remove(link)
                dropped.append((f"the action {action}", ""))
    return dropped


def _in_r_ns(attr: str) -> bool:
    return attr.startswith("{") and attr[1:].split("}", 1)[0] in _R_NS


def _detached(el, root) -> bool:
    """True when ``el`` went with an ancestor removed earlier in the same pass."""
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
        rest = instr.split(None, 1)[1:]
        return not rest or not rest[0].lstrip().startswith("\\l")
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
