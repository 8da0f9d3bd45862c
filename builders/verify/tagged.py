"""Reading a tagged PDF through its structure tree, and checking the tags (issue 18).

``read(path)`` parses every page's content stream with pikepdf, following the
marked-content sequences, and decodes the text each MCID shows through the
fonts' ToUnicode maps (reportlab writes one for every font it embeds).  The
checks then need no other PDF library:

- every text-showing operator lies inside an Artifact or inside marked
  content that the structure tree reaches;
- the tree, walked in order, reads as the brief (the caller compares it with
  the document, as the content parity does);
- every Figure has /Alt, every Table has TH cells, and the headings' levels
  are those of the bookmarks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .extract import Extracted, norm

__all__ = ["Tagged", "read", "problems"]

_SHOW = {"Tj", "TJ", "'", '"'}
_NEW_LINE = {"T*", "'", '"', "BT", "Tm"}


@dataclass
class Node:
    role: str
    kids: list  # Node | (page, mcid)
    alt: str | None = None
    attrs: dict = field(default_factory=dict)
    lang: str | None = None


@dataclass
class Tagged:
    """What a tagged PDF holds: its tree, each MCID's text, text outside any tagged or artifact content."""

    root: Node | None
    text: dict[tuple[int, int], str]  # (page index, MCID) → text
    untagged: list[str]  # "page N: text", one per text operator outside tags
    outline: list[tuple[int, str]]  # (level from 1, title) of the bookmarks, in order
    marked: bool = False
    lang: str = ""

    def walk(self, node: Node | None = None):
        """Every element, depth first, in reading order."""
        node = node or self.root
        if node is None:
            return
        yield node
        for k in node.kids:
            if isinstance(k, Node):
                yield from self.walk(k)

    def text_of(self, node: Node, alt: bool = True) -> str:
        """``node``'s text in order (a Figure's, its /Alt when ``alt``)."""
        if alt and node.role == "Figure" and node.alt is not None:
            return node.alt
        return "".join(self.text_of(k, alt) if isinstance(k, Node) else self.text.get(k, "") for k in node.kids)

    def reading(self) -> Extracted:
        """The tree's text, one line per block-level element in order, as the content parity reads a file."""
        lines: list[str] = []

        def visit(n: Node):
            if n.role == "Figure" or not any(isinstance(k, Node) and k.role not in _INLINE for k in n.kids):
                lines.append(self.text_of(n))
                return
            own = "".join(self.text.get(k, "") for k in n.kids if not isinstance(k, Node))
            if own:
                lines.append(own)
            for k in n.kids:
                if isinstance(k, Node):
                    visit(k)

        if self.root is not None:
            visit(self.root)
        heads = [self.text_of(n) for n in self.walk() if re.fullmatch(r"H[1-6]?", n.role)]
        return Extracted("\n".join(lines), heads)


_INLINE = {"Link", "Reference", "Span", "Lbl"}


def read(path: Path) -> Tagged:
    """The structure tree, MCID texts, untagged text and bookmarks of the PDF at ``path``."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        text: dict[tuple[int, int], str] = {}
        loose: list[tuple[int, str]] = []
        for i, page in enumerate(pdf.pages):
            _content(page.obj, page.obj.get("/Resources"), i, [], text, loose, {})
        root = pdf.Root.get("/StructTreeRoot")
        tree = None
        reached: set = set()
        if root is not None:
            tree = Node("StructTreeRoot", [_node(k, None, index, reached) for k in _array(root.get("/K"))])
        untagged = [f"page {i + 1}: {t!r}" for i, t in loose if t.strip()]
        for key, t in text.items():
            if key not in reached and t.strip():
                untagged.append(f"page {key[0] + 1}: {t!r} (MCID {key[1]} not in the structure tree)")
        marked = bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False))
        return Tagged(tree, text, untagged, _outline(pdf), marked, str(pdf.Root.get("/Lang", "")))


def _array(k):
    import pikepdf

    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _node(d, page, index, reached) -> Node:
    import pikepdf

    if "/Pg" in d:
        page = index.get(d.Pg.objgen, page)
    kids: list = []
    for k in _array(d.get("/K")):
        if isinstance(k, int) or (isinstance(k, pikepdf.Object) and k._type_code == pikepdf.ObjectType.integer):
            kids.append((page, int(k)))
        elif k.get("/Type") == pikepdf.Name.MCR:
            kids.append((index.get(k.Pg.objgen, page) if "/Pg" in k else page, int(k.MCID)))
        elif k.get("/Type") == pikepdf.Name.OBJR:
            continue
        else:
            kids.append(_node(k, page, index, reached))
    reached.update(k for k in kids if isinstance(k, tuple))
    attrs = {}
    for a in _array(d.get("/A")):
        attrs.update({str(key)[1:]: a[key] for key in a.keys()})
    alt = str(d.Alt) if "/Alt" in d else None
    return Node(str(d.S)[1:], kids, alt, attrs, str(d.Lang) if "/Lang" in d else None)


def _content(obj, resources, page, stack, text, loose, cmaps) -> None:
    """Walk ``obj``'s content (a page or a form) with the marked-content ``stack`` it is drawn inside."""
    import pikepdf

    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    cmap: dict = {}
    new_line = False
    for operands, op in pikepdf.parse_content_stream(obj):
        op = str(op)
        if op in _NEW_LINE or (op in ("Td", "TD") and float(operands[1]) != 0):
            new_line = True
        if op == "BDC":
            props = operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append((str(operands[0]), None if mcid is None else int(mcid)))
        elif op == "BMC":
            stack.append((str(operands[0]), None))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = fonts.get(operands[0])
            cmap = _cmap(font, cmaps) if font is not None else {}
        elif op in _SHOW:
            arg = operands[-1]
            parts = [arg] if not isinstance(arg, pikepdf.Array) else [x for x in arg if isinstance(x, pikepdf.String)]
            t = "".join(cmap.get(b, chr(b)) for p in parts for b in bytes(p))
            if any(tag == "/Artifact" for tag, _ in stack):
                continue
            mcid = next((m for _, m in reversed(stack) if m is not None), None)
            if mcid is None:
                loose.append((page, t))
                continue
            before = text.get((page, mcid), "")
            if new_line and before:
                # a word hyphenated at the end of a line reads whole (as pdftotext reads it)
                before = before[:-1] if before.endswith("-") and t[:1].islower() else before + "\n"
            new_line = False
            text[(page, mcid)] = before + t
        elif op == "Do":
            x = xobjects.get(operands[0])
            if x is not None and x.get("/Subtype") == pikepdf.Name.Form:
                _content(x, x.get("/Resources", resources), page, list(stack), text, loose, cmaps)


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _cmap(font, cache) -> dict[int, str]:
    """Code → text of a simple font, from its ToUnicode map (bfchar and bfrange); Latin-1 without one."""
    key = font.objgen
    if key in cache:
        return cache[key]
    out: dict[int, str] = {}
    tu = font.get("/ToUnicode")
    if tu is not None:
        data = tu.read_bytes()
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            vals = _HEX.findall(block)
            for src, dst in zip(vals[::2], vals[1::2]):
                out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            vals = _HEX.findall(block)
            for lo, hi, dst in zip(vals[::3], vals[1::3], vals[2::3]):
                base = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
                for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                    out[code] = base[:-1] + chr(ord(base[-1]) + n)
    cache[key] = out
    return out


def _outline(pdf) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    with pdf.open_outline() as outline:
        def visit(items, level):
            for item in items:
                out.append((level, item.title))
                visit(item.children, level + 1)
        visit(outline.root, 1)
    return out


def problems(t: Tagged) -> list[str]:
    """What is wrong with the tags of ``t`` (empty: a tagged PDF as issue 18 asks)."""
    if t.root is None or not t.marked:
        return ["not a tagged PDF (no StructTreeRoot, or /MarkInfo /Marked is not true)"]
    out = [f"text outside tags and artifacts: {u}" for u in t.untagged[:20]]
    for n in t.walk():
        if n.role == "Figure" and not (n.alt or "").strip():
            out.append("a Figure without /Alt")
        if n.role == "Table" and not any(k.role == "TH" for r in n.kids if isinstance(r, Node)
                                         for k in r.kids if isinstance(k, Node)):
            out.append(f"a Table without header cells: {_short(t.text_of(n))}")
    heads = [(int(n.role[1]), t.text_of(n)) for n in t.walk() if re.fullmatch(r"H[1-6]", n.role)]
    i = 0
    for level, title in t.outline:
        want = _key(title)
        while i < len(heads) and _key(heads[i][1]) != want:
            i += 1
        if i == len(heads):
            out.append(f"bookmark {title!r} has no heading element (in order)")
            break
        if heads[i][0] != level:
            out.append(f"heading {title!r} is H{heads[i][0]} but its bookmark is at level {level}")
        i += 1
    return out


def _key(text: str) -> str:
    """A heading compared with its bookmark: without note numbers (the bookmark leaves them out)."""
    return re.sub(r"\d", "", norm(unicodedata.normalize("NFKC", text)))


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"
