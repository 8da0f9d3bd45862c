"""Reading a typeset PDF back as lines (pdfplumber), for the typography tests (issue 19).

A line is the characters of one page that share a baseline and a size, left to right; the tests
judge the page as a reader sees it: what ends a page, what a line starts and ends with, how many
characters a heading's last line holds.  Run as a script on PDFs to print what each rule finds.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pdfplumber


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    top: float
    size: float  # the line's largest character size
    font: str  # the font of its first character
    text: str
    x0: float = 0.0
    x1: float = 0.0
    fonts: frozenset = frozenset()  # every font of the line's characters

    @property
    def bold(self) -> bool:
        """Set wholly in a bold or 黑体 face (a heading the size of the body, as in government)."""
        return bool(self.fonts) and all("Bold" in f or "Hei" in f for f in self.fonts)


def lines(pdf: Path) -> list[list[Line]]:
    """Every page's lines, top to bottom."""
    out: list[list[Line]] = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, 1):
            rows: dict[int, list] = {}
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                rows.setdefault(round(ch["bottom"]), []).append(ch)
            merged: list[list] = []
            for key in sorted(rows):  # a superscript or a fallback face sits a point or two off the baseline
                if merged and key - round(merged[-1][0]["bottom"]) <= 2:
                    merged[-1] += rows[key]
                else:
                    merged.append(list(rows[key]))
            page_lines = []
            for chars in merged:
                chars.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                page_lines.append(Line(n, min(c["top"] for c in chars), max(round(c["size"], 1) for c in chars),
                                       chars[0]["fontname"], text, chars[0]["x0"], chars[-1]["x1"],
                                       frozenset(c["fontname"] for c in chars)))
            out.append(page_lines)
    return out


def body_size(pages: list[list[Line]]) -> float:
    """The most common line size: the body text's."""
    count: dict[float, int] = {}
    for page in pages:
        for ln in page:
            count[ln.size] = count.get(ln.size, 0) + len(ln.text)
    return max(count, key=count.get)


_FOLIO = re.compile(r"^(—\s*\d+\s*—|第\s*\d+\s*页.*|\d+(\s*/\s*\d+)?|Page \d+.*)$")


def widows(pages: list[list[Line]], body: float) -> list[str]:
    """Pages that start with the last line of a paragraph begun on the page before (a short body line
    followed by a new paragraph, a heading or nothing), and pages that end with the first line of a
    paragraph (indented, as Chinese paragraphs are) continued overleaf."""
    bad = []
    for before, page in zip(pages[1:], pages[2:]):
        prev = [ln for ln in text_lines(before) if ln.size >= body * 0.9]
        cur = [ln for ln in text_lines(page) if ln.size >= body * 0.9]
        if not prev or not cur or prev[-1].size != body or cur[0].size != body:
            continue
        right = max(ln.x1 for ln in cur + prev)
        left = min(ln.x0 for ln in cur + prev if ln.size == body)
        first, nxt = cur[0], (cur[1] if len(cur) > 1 else None)
        ends = first.x1 < right - 2 * body and not first.text.rstrip().endswith("-")
        new_after = nxt is None or nxt.size != body or nxt.top - first.top > body * 2.2 or nxt.x0 > first.x0 + body
        continued = prev[-1].x1 >= right - body  # the page before ends with a full line
        if ends and new_after and continued and first.x0 <= left + 1 and not first.bold:
            bad.append(f"p{first.page} starts with a widow: {first.text[:20]}")
        last = prev[-1]
        cjk = any(ord(ch) >= 0x3000 for ch in last.text) and "..." not in last.text  # an indented first line
        if cjk and last.x0 > left + body * 1.5 and last.x1 >= right - body and cur[0].x0 <= left + 1 \
                and len(prev) > 1 and prev[-2].size == body:
            bad.append(f"p{last.page} ends with an orphan: {last.text[:20]}")
    return bad


def text_lines(page: list[Line], height: float = 0) -> list[Line]:
    """A page's lines without page numbers (running heads stay: they are smaller than headings)."""
    return [ln for ln in page if not _FOLIO.match(ln.text.strip())]


def split_numbers(pages: list[list[Line]]) -> list[str]:
    """Line pairs of one paragraph where a number is cut: "50." / "7%", "9+" / "2", "3" / "%", "1,2" / "00".

    The first line must run to the right edge of the text (a full line that wrapped), and neither may
    be a contents entry (leader dots)."""
    bad = []
    for page in pages:
        body = text_lines(page)
        right = max((ln.x1 for ln in body), default=0)
        for a, b in zip(body, body[1:]):
            if a.size != b.size or a.x1 < right - a.size * 1.5 or "..." in a.text or b.top - a.top > a.size * 2.2:
                continue
            end, start = a.text.rstrip(), b.text.lstrip()
            if re.search(r"\d[.,+]$", end) and re.match(r"\d", start) or \
                    re.search(r"\d$", end) and re.match(r"[%％\d]", start) and not re.search(r"\s\d+$", end):
                bad.append(f"p{a.page}: …{end[-8:]} / {start[:8]}…")
    return bad


def heading_orphans(pages: list[list[Line]], heading_min: float) -> list[str]:
    """Pages whose last text line is a heading (a line of ``heading_min`` points or more)."""
    bad = []
    for page in pages[1:-1]:  # the cover stands alone
        body = [ln for ln in text_lines(page)]
        # running heads and folios are small; the last line that is not one of them
        if body and body[-1].size >= heading_min and "..." not in body[-1].text:  # not a contents entry
            bad.append(f"p{body[-1].page}: {body[-1].text[:30]}")
    return bad


def stranded_headings(pages: list[list[Line]], body: float, heading_min: float) -> list[str]:
    """Pages where a heading and what hangs under it (region line, key-points box: all smaller than the
    body) end the page while its body text starts the next page."""
    bad = []
    for page, after in zip(pages[1:], pages[2:]):  # the cover stands alone
        heads = [k for k, ln in enumerate(page) if ln.size >= heading_min and "..." not in ln.text]
        if not heads:
            continue
        tail = page[heads[-1] + 1:]
        if any(ln.size == body for ln in tail):
            continue
        nxt = [ln for ln in text_lines(after) if ln.size >= body * 0.9]
        if nxt and nxt[0].size == body:
            bad.append(f"p{page[heads[-1]].page}: {page[heads[-1]].text[:30]}")
    return bad


def short_heading_lines(pages: list[list[Line]], heading_min: float) -> list[str]:
    """Headings (lines of ``heading_min`` points or more, or bold at the body size) whose last line holds
    one character, or one and a closing mark."""
    bad = []
    for page in pages:
        for a, b in zip(page, page[1:]):
            heading = a.size >= heading_min or a.bold and a.size >= heading_min - 1
            if heading and b.size == a.size and b.fonts <= a.fonts and b.top - a.top < a.size * 1.6:
                t = b.text.strip()
                if len(t) == 1 or (len(t) == 2 and t[1] in "。，、）)”"):
                    bad.append(f"p{b.page}: {a.text[-10:]} / {t}")
    return bad


if __name__ == "__main__":  # python -m tests.typography_pages FILE.pdf ...
    for name in sys.argv[1:]:
        ps = lines(Path(name))
        size = body_size(ps)
        print(name, "body", size, "pages", len(ps))
        for rule, found in (("split numbers", split_numbers(ps)),
                            ("page ends in a heading", heading_orphans(ps, size + 0.5)),
                            ("heading and box apart from their body", stranded_headings(ps, size, size + 0.5)),
                            ("one-character heading line", short_heading_lines(ps, size + 0.5)),
                            ("widow or orphan", widows(ps, size))):
            for f in found:
                print("  ", rule, f)
