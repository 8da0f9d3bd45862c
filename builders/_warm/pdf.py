"""The PDF builder's memos for a warm watcher (see :mod:`builders._warm`)."""
from __future__ import annotations

from . import MEMOS, Memo


def install_streams() -> None:
    """Compressed PDF streams, keyed on their uncompressed bytes."""
    from reportlab.pdfbase import pdfdoc

    streams = MEMOS["pdf-streams"] = Memo()
    plain_encode = pdfdoc.PDFStreamFilterZCompress.encode

    def encode(self, text):
        if isinstance(text, str):
            text = text.encode("utf8")
        return streams.get(text, len(text), lambda: plain_encode(self, text))

    pdfdoc.PDFStreamFilterZCompress.encode = encode


def install_subsets() -> None:
    """Font subset programs, keyed on the face and the glyph list."""
    from reportlab.pdfbase import ttfonts

    subsets = MEMOS["font-subsets"] = Memo()
    plain_subset = ttfonts.TTFontFile.makeSubset

    def make_subset(self, subset):
        # The face object is part of the key (kept alive by it): a registered font name always means
        # the same file (see builders.build_pdf.coverage), and its face object the same program.
        key = (self, tuple(subset))
        return subsets.get(key, 8 * len(subset), lambda: plain_subset(self, subset))

    ttfonts.TTFontFile.makeSubset = make_subset


def install_parse() -> None:
    """Parsed paragraph markup, keyed on the markup and the style's values."""
    from reportlab.platypus import paraparser

    parsed = MEMOS["paragraph-markup"] = Memo()
    plain_parse = paraparser.ParaParser.parse

    def parse(self, text, style):
        if "<seq" in text:  # numbering tags count across paragraphs: parsed every time
            return plain_parse(self, text, style)
        key = (text, _style_key(style), self.caseSensitive)
        hit = parsed.entries.get(key)
        if hit is None:
            out = plain_parse(self, text, style)
            if out[0] is not style or out[1] is None:
                return out  # a <para> with attributes or an error: nothing to keep
            parsed.get(key, 2 * len(text), lambda: (_frags_copy(out[1]), out[2] and _frags_copy(out[2])),
                       lambda v: 200 * (len(v[0]) + len(v[1] or ())))
            return out
        parsed.entries.move_to_end(key)
        parsed.hits += 1
        frags, bullet = hit[0]
        return style, _frags_copy(frags), bullet and _frags_copy(bullet)

    paraparser.ParaParser.parse = parse


def _style_key(style) -> tuple:
    """Everything a paragraph style says, its parents' included (by value: styles are made per build)."""
    parts = []
    while style is not None:
        parts.append(tuple(item for item in style.__dict__.items() if item[0] != "parent"))
        style = style.__dict__.get("parent")
    return tuple(parts)


def _frags_copy(frags: list) -> list:
    """A copy of parsed fragments that layout may change without touching the memo: each fragment, its
    lists (shared between fragments as the parser shared them) and its callback definition."""
    lists: dict[int, list] = {}
    out = []
    for f in frags:
        n = f.clone()
        d = n.__dict__
        for k, v in d.items():
            if type(v) is list:
                c = lists.get(id(v))
                if c is None:
                    c = lists[id(v)] = list(v)
                d[k] = c
        if "cbDefn" in d:
            d["cbDefn"] = d["cbDefn"].clone()
        out.append(n)
    return out


def install_lines() -> None:
    """CJK line breaks, keyed on the fragments' values and the line widths."""
    from ..build_pdf import kinsoku

    broken = MEMOS["line-breaks"] = Memo()
    plain_split = kinsoku.cjk_frag_split

    def split(frags, maxWidths, calcBounds, encoding="utf8"):
        try:
            key = (tuple(_value(f.__dict__) for f in frags), tuple(maxWidths), calcBounds, encoding)
            hash(key)
        except TypeError:  # something in a fragment that has no value to compare: broken every time
            return plain_split(frags, maxWidths, calcBounds, encoding)
        hit = broken.entries.get(key)
        if hit is not None:
            broken.entries.move_to_end(key)
            broken.hits += 1
            return _lines_copy(hit[0])
        lines = plain_split(frags, maxWidths, calcBounds, encoding)
        broken.get(key, 100 * len(frags), lambda: _lines_copy(lines), lambda v: 300 * len(v.lines))
        return lines

    kinsoku.cjk_frag_split = split


def _value(d: dict) -> tuple:
    """A fragment's attributes as a hashable value (lists and attribute bags by their contents)."""
    out = []
    for k, v in d.items():
        if type(v) is list:
            v = tuple(tuple(x) if type(x) is list else x for x in v)
        elif hasattr(v, "__dict__") and type(v).__hash__ is object.__hash__:
            v = (type(v).__name__, _value(v.__dict__))  # an identity hash would never match
        out.append((k, v))
    return tuple(out)


def _lines_copy(lines):
    """Broken lines that layout may change (a split appends spaces to words) without touching the memo."""
    out = lines.clone()
    out.lines = [line.clone(words=_frags_copy(line.words)) for line in lines.lines]
    return out


def install_widths() -> None:
    """Font programs found to agree with their /Widths, keyed on both."""
    from ..build_pdf import fontprog

    agreed = MEMOS["font-widths"] = Memo()
    plain_match = fontprog.match_widths

    def match_widths(font) -> bool:
        fd = font.get("/FontDescriptor")
        stream = fd.get("/FontFile2") if fd is not None else None
        widths = font.get("/Widths")
        if stream is None or widths is None:
            return plain_match(font)
        # The program's bytes as stored (and how they are stored) and the dictionary's widths: a
        # program once found to agree with them agrees again (an unchanged font subset, every save).
        key = (stream.read_raw_bytes(), repr(stream.get("/Filter")), repr(font.get("/FirstChar")), widths.unparse())
        if key in agreed.entries:
            agreed.entries.move_to_end(key)
            agreed.hits += 1
            return False
        changed = plain_match(font)
        if not changed:
            agreed.get(key, len(key[0]) + len(key[3]), lambda: True, lambda _: 0)
        return changed

    fontprog.match_widths = match_widths
