"""The brief's text fields as CommonMark, parsed by markdown-it-py into :mod:`builders.document` nodes.

One parser, configured once: CommonMark with raw HTML off (``<b>`` is shown as
text, never interpreted), GFM pipe tables on, and footnotes from
mdit-py-plugins.  Block fields (bodies, the summary, note texts) become blocks;
inline fields (titles, points, actions, cells) become inlines.

Positions: a YAML literal block scalar (``|``) keeps its lines, so a token on
line *k* of the text is on the scalar's first content line + *k*, at the
scalar's indentation plus its column; folded and quoted scalars lose line
identity, so a problem there is reported at the scalar itself.  Problems go to
the caller as ``(line, col, message)`` tuples; nothing here raises on a user's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from . import document as d

SCHEMES = ("http://", "https://", "mailto:")
XREF_PREFIXES = ("fig-", "tbl-", "sec-")
# A citation key as Pandoc reads it: a letter, digit or _, then those or internal punctuation.
_KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*"
_BARE = re.compile(r"@(" + _KEY + r")")
_ITEM = re.compile(r"^\s*(?P<prefix>[^@]*?)\s*-?@(?P<key>" + _KEY + r")(?P<rest>.*)$", re.S)
_BRACKET = re.compile(r"\[([^\[\]]*@[^\[\]]*)\]")


@dataclass(frozen=True)
class Cite(d.Pending):
    """``[@a; @b, p. 12]`` or a narrative ``@key`` (a citation), or ``@fig-x`` (a cross-reference), as typed.

    ``items`` are ``(key, locator, prefix)``; the lowering resolves the node into links and text."""

    items: tuple[tuple[str, str, str], ...]
    bracketed: bool
    text: str = ""

    @property
    def xref(self) -> bool:
        return self.items[0][0].startswith(XREF_PREFIXES)


def _citation_rule(state, silent: bool) -> bool:
    """markdown-it inline rule: Pandoc/Quarto citations and cross-references (``[@key]``, ``@key``)."""
    pos, src = state.pos, state.src
    ch = src[pos]
    if ch == "[":
        m = _BRACKET.match(src, pos)
        if not m or src[m.end():m.end() + 1] in ("(", "[") or src[pos + 1:pos + 2] == "^":
            return False
        items = []
        for part in m.group(1).split(";"):
            im = _ITEM.match(part)
            if not im:
                return False
            locator = im.group("rest").strip().lstrip(",").strip()
            items.append((im.group("key"), locator, im.group("prefix").strip()))
        end, bracketed = m.end(), True
    elif ch == "@":
        before = src[pos - 1] if pos else " "
        if before.isascii() and (before.isalnum() or before in "._-+"):
            return False  # an e-mail address, not a citation
        m = _BARE.match(src, pos)
        if not m:
            return False
        items, end, bracketed = [(m.group(1), "", "")], m.end(), False
    else:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": tuple(items), "bracketed": bracketed, "text": src[pos:end]}
        token.content = src[pos:end]
    state.pos = end
    return True
MAX_LIST_DEPTH = 3
_REF = re.compile(r"\[\^([^\]\s]+)\]")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(footnote_plugin, inline=False, always_match_refs=True)
    # Definitions are collected per field and numbered for the whole brief by the lowering:
    # the plugin's tail rule would drop a definition referenced from another field.
    md.disable("footnote_tail")
    md.validateLink = lambda url: True  # every scheme reaches us, so a refused one is an error, not text
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


_MD: Optional[MarkdownIt] = None


def parser() -> MarkdownIt:
    global _MD
    if _MD is None:
        _MD = _parser()
    return _MD


@dataclass
class Where:
    """Where a field's text sits in its YAML file: the first content line and column (1-based), and
    whether lines inside the text keep their identity (a literal block scalar)."""

    line: int
    col: int
    literal: bool = False
    text_lines: tuple[str, ...] = ()  # the field's own lines, to find a token's column

    def at(self, line_in_text: int, needle: str = "") -> tuple[int, int]:
        """The file position of ``needle`` on line ``line_in_text`` (0-based) of the field's text."""
        if not self.literal:
            return self.line, self.col
        col = 0
        if 0 <= line_in_text < len(self.text_lines) and needle:
            col = max(self.text_lines[line_in_text].find(needle), 0)
        return self.line + line_in_text, self.col + col


@dataclass
class Parsed:
    """What a field holds: its blocks or inlines, the notes it defines, the notes it references and
    the problems found (``(line, col, message)``)."""

    blocks: d.Blocks = ()
    inlines: d.Inlines = ()
    defs: dict[str, d.Blocks] = field(default_factory=dict)
    def_pos: dict[str, tuple[int, int]] = field(default_factory=dict)
    refs: list[tuple[str, int, int]] = field(default_factory=list)  # (id, line, col)
    cites: list[tuple[str, int, int]] = field(default_factory=list)  # citation and cross-reference keys
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    warnings: list[tuple[int, int, str]] = field(default_factory=list)


def parse_blocks(text: str, where: Where) -> Parsed:
    """A block field: paragraphs, lists (three levels), quotes, tables, ``###`` sub-headings, note definitions."""
    out = Parsed()
    env: dict = {}
    tokens = parser().parse(text, env)
    conv = _Converter(where, out, text)
    out.blocks = conv.blocks(tokens, 0, len(tokens), depth=0)
    return out


def parse_inlines(text: str, where: Where) -> Parsed:
    """An inline field: emphasis, strong, code, links, note references; block syntax is kept as text."""
    out = Parsed()
    text = " ".join(line.strip() for line in text.strip().splitlines())
    tokens = parser().parseInline(text, {})
    conv = _Converter(where, out, text)
    out.inlines = conv.inlines(tokens[0].children or [], 0) if tokens else ()
    return out


def _wide(ch: str) -> bool:
    """A CJK ideograph, kana, hangul, or full-width form: no space is written between two of them."""
    return ("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef"
            or "\U00020000" <= ch <= "\U0003ffff")


class _Soft:
    """A soft line break before it is resolved against its neighbours."""


class _Converter:
    def __init__(self, where: Where, out: Parsed, text: str):
        self.where, self.out = where, out
        self.lines = tuple(text.split("\n"))
        if where.literal and not where.text_lines:
            where.text_lines = self.lines

    # ------------------------------------------------------------ blocks

    def blocks(self, tokens: list[Token], i: int, end: int, depth: int) -> d.Blocks:
        out: list[d.Block] = []
        while i < end:
            tok = tokens[i]
            t = tok.type
            close = _closing(tokens, i)
            line = tok.map[0] if tok.map else 0
            if t == "paragraph_open":
                out.append(d.Para(self.inline_token(tokens[i + 1], line)))
            elif t == "heading_open":
                level = max(int(tok.tag[1]) - 2, 1)  # ### is one level below its section
                out.append(d.Heading(level, self.inline_token(tokens[i + 1], line)))
            elif t in ("bullet_list_open", "ordered_list_open"):
                if depth >= MAX_LIST_DEPTH:
                    self.error(line, "", f"lists nest at most {MAX_LIST_DEPTH} levels deep")
                items = []
                j = i + 1
                while j < close:
                    item_close = _closing(tokens, j)
                    items.append(self.blocks(tokens, j + 1, item_close, depth + 1))
                    j = item_close + 1
                if t == "bullet_list_open":
                    out.append(d.BulletList(tuple(items)))
                else:
                    start = int(tok.attrGet("start") or 1)
                    out.append(d.OrderedList(tuple(items), tuple(f"{n}." for n in range(start, start + len(items)))))
            elif t == "blockquote_open":
                out.append(d.Quote(self.blocks(tokens, i + 1, close, depth)))
            elif t == "table_open":
                out.append(self.table(tokens, i, close))
            elif t in ("code_block", "fence"):
                code = tok.content.rstrip("\n")
                out.append(d.Para(tuple(_with_breaks(code, d.Code))))
            elif t == "footnote_reference_open":
                label = tok.meta["label"]
                pos = self.where.at(line, f"[^{label}]")
                if label in self.out.defs:
                    self.out.errors.append((*pos, f"duplicate note id {label!r}"))
                else:
                    self.out.defs[label] = self.blocks(tokens, i + 1, close, depth)
                    self.out.def_pos[label] = pos
            elif t == "hr":
                pass  # a thematic break separates, it carries no text; sections do that job here
            elif t == "html_block":  # not produced with html off; kept for safety: shown as text
                out.append(d.Para((d.Str(tok.content.strip()),)))
            else:
                self.error(line, "", f"unsupported Markdown ({t})")
            i = close + 1
        return tuple(out)

    def table(self, tokens: list[Token], i: int, close: int) -> d.Table:
        rows: list[tuple[d.Inlines, ...]] = []
        align: list[Optional[str]] = []
        row: list[d.Inlines] = []
        for j in range(i, close):
            tok = tokens[j]
            if tok.type in ("th_open", "td_open"):
                style = str(tok.attrGet("style") or "")
                if tok.type == "th_open":
                    m = re.search(r"text-align:(\w+)", style)
                    align.append(m.group(1) if m else None)
                line = tok.map[0] if tok.map else (tokens[i].map[0] if tokens[i].map else 0)
                row.append(self.inline_token(tokens[j + 1], line))
            elif tok.type == "tr_close":
                rows.append(tuple(row))
                row = []
        header, body = (rows[0], tuple(rows[1:])) if rows else ((), ())
        width = len(header)
        body = tuple(tuple(r[:width]) + ((),) * (width - len(r)) for r in body)
        return d.Table(header, body, tuple(align))

    # ------------------------------------------------------------ inlines

    def inline_token(self, tok: Token, line: int) -> d.Inlines:
        return self.inlines(tok.children or [], line)

    def inlines(self, children: list[Token], line: int) -> d.Inlines:
        stack: list[tuple[str, list, str]] = [("root", [], "")]
        for tok in children:
            t = tok.type
            top = stack[-1][1]
            if t == "text":
                top.append(d.Str(tok.content))
            elif t == "softbreak":
                top.append(_Soft())
                line += 1
            elif t == "hardbreak":
                top.append(d.LineBreak())
                line += 1
            elif t == "code_inline":
                top.append(d.Code(tok.content))
            elif t in ("em_open", "strong_open"):
                stack.append((t, [], ""))
            elif t == "link_open":
                href = str(tok.attrGet("href") or "")
                self.check_link(href, tok, line)
                stack.append((t, [], href))
            elif t in ("em_close", "strong_close", "link_close"):
                kind, kids, href = stack.pop()
                inner = _resolve(kids)
                node: d.Inline
                if kind == "em_open":
                    node = d.Emph(inner)
                elif kind == "strong_open":
                    node = d.Strong(inner)
                else:
                    node = d.Link(href, inner)
                stack[-1][1].append(node)
            elif t == "footnote_ref":
                label = tok.meta["label"]
                self.out.refs.append((label, *self.where.at(line, f"[^{label}]")))
                top.append(d.NoteRef(label))
            elif t == "citation":
                meta = tok.meta
                for key, _, _ in meta["items"]:
                    self.out.cites.append((key, *self.where.at(line, "@" + key)))
                top.append(Cite(meta["items"], meta["bracketed"], meta["text"]))
            elif t == "image":  # an image needs a figure (with alt text and checks): keep its words
                alt = tok.content or ""
                self.out.warnings.append((*self.where.at(line, "!["), "an inline image is shown as its text; "
                                          "use a figure with 'image:' and 'alt:' for a picture"))
                top.append(d.Str(alt))
            elif t == "html_inline":
                top.append(d.Str(tok.content))
            else:
                top.append(d.Str(tok.content))
        while len(stack) > 1:  # unbalanced (cannot happen with markdown-it): keep the text
            _, kids, _ = stack.pop()
            stack[-1][1].extend(kids)
        return _resolve(stack[0][1])

    def check_link(self, href: str, tok: Token, line: int) -> None:
        if href.lower().startswith(SCHEMES) and len(href) > len(href.split(":", 1)[0]) + 1:
            return
        needle = href or "]("
        line_no, col = self.where.at(line, needle)
        if tok.markup == "autolink":
            line_no, col = self.where.at(line, "<" + href)
        scheme = href.split(":", 1)[0] + ":" if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) else ""
        what = f"scheme {scheme!r}" if scheme else "a relative or empty address"
        self.out.errors.append((line_no, col, f"link to {href!r}: {what} is not allowed; "
                                               "links may use http, https or mailto"))

    def error(self, line: int, needle: str, message: str) -> None:
        self.out.errors.append((*self.where.at(line, needle), message))


def _closing(tokens: list[Token], i: int) -> int:
    """The index of the token that closes ``tokens[i]`` (itself for a self-contained token)."""
    if tokens[i].nesting != 1:
        return i
    level = 0
    for j in range(i, len(tokens)):
        level += tokens[j].nesting
        if level == 0:
            return j
    return len(tokens) - 1


def _with_breaks(text: str, kind) -> list[d.Inline]:
    out: list[d.Inline] = []
    for k, line in enumerate(text.split("\n")):
        if k:
            out.append(d.LineBreak())
        if line:
            out.append(kind(line))
    return out


def _edge_char(nodes: list, last: bool) -> str:
    """The first (or last) visible character of ``nodes``: what a soft break stands next to."""
    for n in reversed(nodes) if last else nodes:
        if isinstance(n, (d.Str, d.Code)):
            if n.text:
                return n.text[-1 if last else 0]
        elif isinstance(n, (d.Emph, d.Strong, d.Link)):
            c = _edge_char(list(n.children), last)
            if c:
                return c
        elif isinstance(n, d.LineBreak) and last:
            return "\n"
        elif isinstance(n, d.NoteRef) and not last:
            return "1"
    return ""


def _resolve(nodes: list) -> d.Inlines:
    """Soft breaks become a space, or nothing between two CJK characters; adjacent strings merge."""
    out: list[d.Inline] = []
    for k, n in enumerate(nodes):
        if isinstance(n, _Soft):
            before, after = _edge_char(out, True), _edge_char(nodes[k + 1:], False)
            n = d.Str("" if (_wide(before) and _wide(after)) or not before or not after else " ")
        if isinstance(n, d.Str):
            if not n.text:
                continue
            if out and isinstance(out[-1], d.Str):
                out[-1] = d.Str(out[-1].text + n.text)
                continue
        out.append(n)
    return tuple(out)


def note_ids(text: str) -> set[str]:
    """Ids of every ``[^id]`` in ``text`` (references and definitions)."""
    return set(_REF.findall(text))
