"""Which font draws each character, decided before anything is typeset.

Every string that reaches the page (brief text, generated labels, running
heads, chart labels) is registered here with the *face* it is set in and
*where* it comes from.  Each character goes to the face's own font when that
font has it, else to the first theme fallback font that has it; a character no
font has is replaced by a visible substitute (U+FFFD from a font that has it,
else ``[U+XXXX]``) and a warning names the character and the place — an empty
.notdef box is never left to the reader to discover.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..diagnostics import Log
from ..errors import MissingDependency
from ..fonts import resolve
from ..theme import Theme
from ..xmltext import attr
from . import halfpunct
from .fontcache import covered, fix_tounicode, prepare, truetype_subset

REPLACEMENT = "\ufffd"
# Noto CJK draws these full-width: right in Chinese, a gap in English text.
WIDE_QUOTES = frozenset("‘’“”")
# C0/C1 controls (except tab and newline, which become spaces), lone surrogates and
# non-characters: reportlab would choke on them or print garbage.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile("[\t\n\r]")


def covers(ref: str, char: str) -> bool:
    """Does the font ``ref`` map ``char``? (from the on-disk cmap cache)"""
    return ord(char) in covered(resolve(ref))


def clean(text: str) -> str:
    """The text without characters that have no business on a page."""
    return _CONTROL.sub("", _SPACES.sub(" ", text))


def faces_of(theme: Theme) -> dict[str, str]:
    """Logical faces used by the PDF → the theme's font references."""
    f = theme.fonts
    return {
        "body": f.body.pdf,
        "body-bold": f.body.pdf_bold,
        "heading": f.heading.pdf_bold,
        "heading-regular": f.heading.pdf,
        "caption": f.caption.pdf,
        "caption-bold": f.caption.pdf_bold,
        # Optional roles (GB/T 9704's title and heading levels); the heading's faces when not stated.
        "title": f.title_role.pdf_bold,
        "heading2": f.for_heading(2).pdf_bold,
        "heading3": f.for_heading(3).pdf_bold,
    }


# Faces the theme does not name, derived from one it does: Latin emphasis and code.  A character
# the derived font lacks (Chinese in an italic or monospace run) is drawn by the parent face, so
# it never falls through to "no font has it".  The CJK faces have no italic: the italic of a
# serif face is DejaVu Serif's, of anything else DejaVu Sans' oblique.
DERIVED = {
    "body-italic": "body", "body-bold-italic": "body-bold", "heading-italic": "heading",
    "heading-regular-italic": "heading-regular", "caption-italic": "caption",
    "caption-bold-italic": "caption-bold", "mono": "body", "kai": "body",
    "title-italic": "title", "heading2-italic": "heading2", "heading3-italic": "heading3",
}
_BOLD_ITALIC = ("heading-italic", "title-italic", "heading2-italic", "heading3-italic")
MONO = "DejaVu Sans Mono"
KAI = "AR PL UKai CN"  # Debian fonts-arphic-ukai: a theme's cjk_emphasis "kai"


def installed(ref: str) -> bool:
    """Is the font ``ref`` on this machine?"""
    try:
        resolve(ref)
        return True
    except MissingDependency:
        return False


def derived_ref(face: str, parent_ref: str) -> str:
    """The fontconfig pattern of a derived face (see :data:`DERIVED`)."""
    if face == "mono":
        return MONO
    if face == "kai":
        return KAI
    serif = "serif" in parent_ref.lower() and "sans" not in parent_ref.lower()
    bold = "bold" in face or face in _BOLD_ITALIC
    family, slant = ("DejaVu Serif", "italic") if serif else ("DejaVu Sans", "oblique")
    return f"{family}:{'bold:' if bold else ''}{slant}"


@dataclass
class FontSet:
    """Collects characters per face, then registers subset fonts and marks up text for them."""

    theme: Theme
    log: Log
    cjk: bool = True  # False: Latin quotes come from a fallback font (the CJK faces' are full-width)
    pitch: float = 0.0  # a character grid: full-width glyphs advance this many em (see .grid); 0: as designed
    faces: dict[str, str] = field(init=False)
    _chars: dict[str, set[str]] = field(init=False, default_factory=lambda: defaultdict(set))
    _missing: dict[str, dict[str, str]] = field(init=False, default_factory=lambda: defaultdict(dict))  # char → where → font
    names: dict[str, str] = field(init=False, default_factory=dict)  # font ref → registered name
    _drawn_as_code: set[tuple[str, str]] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self.faces = faces_of(self.theme)
        # Resolve everything up front: a missing font is one clear error before any work.
        for ref in (*self.faces.values(), *self.theme.fonts.fallback):
            resolve(ref)
        for face, parent in DERIVED.items():
            ref = derived_ref(face, self.faces[parent])
            try:
                resolve(ref)
            except MissingDependency:  # no italic or monospace font here: emphasis falls back to upright
                ref = self.faces[parent]
            self.faces[face] = ref
        self._fallback = tuple(self.theme.fonts.fallback)
        self._font_for: dict[tuple[str, str], str | None] = {}
        self._substitute_font = next((r for r in (*self._fallback, *self.faces.values())
                                      if covers(r, REPLACEMENT)), None)

    # ------------------------------------------------------------ pass 1: collect

    def font_for(self, face: str, char: str) -> str | None:
        """The font reference that draws ``char`` in ``face``, or None when no font has it."""
        key = (face, char)
        try:
            return self._font_for[key]
        except KeyError:
            ref = self._font_for[key] = self._find_font(face, char)
            return ref

    def _find_font(self, face: str, char: str) -> str | None:
        primary = self.faces[face]
        if face in DERIVED:
            return primary if char == " " or covers(primary, char) else self.font_for(DERIVED[face], char)
        if not self.cjk and char in WIDE_QUOTES:
            proportional = next((r for r in (self._latin_companion(face), *self._fallback)
                                 if r and covers(r, char)), None)
            if proportional:
                return proportional
        if char == " " or covers(primary, char):
            return primary
        return next((r for r in self._fallback if covers(r, char)), None)

    def _latin_companion(self, face: str) -> str | None:
        """The proportional Latin font that matches ``face``'s style (serif or sans, bold or not): a
        curly quote in serif text is a serif quote, not DejaVu Sans' (issue 19)."""
        primary = self.faces[face].lower()
        serif = "serif" in primary and "sans" not in primary
        bold = "bold" in face or face == "heading"
        ref = ("DejaVu Serif" if serif else "DejaVu Sans") + (":bold" if bold else "")
        return ref if installed(ref) else None

    def use(self, face: str, text: str, where: str) -> None:
        """Record that ``text`` is set in ``face``; uncovered characters are remembered with ``where``."""
        for ch in clean(text):
            ref = self.font_for(face, ch)
            if ref is None:
                self._missing[ch][where] = self.faces[face]
                if self._substitute_font:
                    self._chars[self._substitute_font].add(REPLACEMENT)
                else:
                    self._chars[self.faces[face]].update(_code_label(ch))
            else:
                self._chars[ref].add(ch)

    # ------------------------------------------------------------ between passes

    def register(self) -> None:
        """Warn about uncovered characters, subset and register every font that draws something."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fix_tounicode()

        shown = f"shown as {REPLACEMENT}" if self._substitute_font else "shown as its code"
        for ch in sorted(self._missing):
            for where, ref in sorted(self._missing[ch].items()):
                tried = ", ".join(dict.fromkeys((ref, *self._fallback)))
                self.log.warn(where, f"U+{ord(ch):04X} {ch!r} is in no font of the theme ({tried}); {shown}")
        for ch, where in sorted(self._drawn_as_code):
            self.log.warn(where, f"U+{ord(ch):04X} {ch!r} cannot share one font with the rest of the label; "
                                 f"shown as [U+{ord(ch):04X}]")
        # Every face gets registered, even unused ones, so styles can always name it; digits and
        # the ASCII range are included because page numbers and leaders are drawn at the last moment.
        base = set("0123456789 .-–/?")
        for face, ref in self.faces.items():
            if face not in DERIVED or self._chars.get(ref):  # a derived face only when something uses it
                self._chars[ref].update(c for c in base if covers(ref, c))
        chars_of = {ref: "".join(sorted(self._chars[ref])) for ref in sorted(self._chars)}
        prepare([(resolve(ref), chars) for ref, chars in chars_of.items()])  # a first build: in parallel
        for ref, chars in chars_of.items():
            path = truetype_subset(resolve(ref), chars)
            if self.pitch:
                from .grid import pitched

                path = pitched(path, self.pitch)
            name = "Brief-" + path.stem.rsplit("-", 1)[-1][:12]  # from the cache key: stable across runs
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            halfpunct.register(name, path, chars)  # for 标点挤压 (see builders.squeeze)
            self.names[ref] = name

    # ------------------------------------------------------------ pass 2: markup

    def font_name(self, face: str) -> str:
        name = self.names.get(self.faces[face])
        if name is None and face in DERIVED:  # every character of the run came from the parent face
            return self.font_name(DERIVED[face])
        return self.names[self.faces[face]]

    def line(self, face: str, text: str) -> tuple[str, str]:
        """(font name, text) for a string drawn in one font (chart labels): the face's font, or one
        fallback that has every character, else the face's font with ``[U+XXXX]`` for what it lacks."""
        name, (out,) = self.lines(face, [text])
        return name, out

    def lines(self, face: str, texts: list[str]) -> tuple[str, list[str]]:
        """Like :meth:`line` for strings that must share one font (a chart axis's labels)."""
        texts = [clean(t) for t in texts]
        joined = "".join(texts)
        for ref in (self.faces[face], *self._fallback):
            if all(c == " " or covers(ref, c) for c in joined):
                return self.names[ref], texts
        cov = lambda c: covers(self.faces[face], c)  # noqa: E731
        return self.names[self.faces[face]], ["".join(c if cov(c) else _code_label(c) for c in t) for t in texts]

    def use_line(self, face: str, text: str, where: str) -> None:
        """Pass-1 counterpart of :meth:`line`."""
        text = clean(text)
        for ref in (self.faces[face], *self._fallback):
            if all(c == " " or covers(ref, c) for c in text):
                self._chars[ref].update(text)
                return
        primary = self.faces[face]
        for c in text:
            if covers(primary, c):
                self._chars[primary].add(c)
            else:
                self._chars[primary].update(_code_label(c))
                if self.font_for(face, c) is None:
                    self._missing[c][where] = primary
                else:
                    self._drawn_as_code.add((c, where))

    def markup(self, face: str, text: str) -> str:
        """Paragraph markup for ``text`` in ``face``: escaped, fallback runs wrapped in ``<font>``."""
        primary = self.faces[face]
        out: list[str] = []
        run_ref, run = primary, ""
        for ch in clean(text):
            ref = self.font_for(face, ch)
            if ref is None:
                ref = self._substitute_font or primary
                ch = self._substitute(ch)
            if ref != run_ref and run:
                out.append(self._wrap(run_ref, primary, run))
                run = ""
            run_ref = ref
            run += ch
        if run:
            out.append(self._wrap(run_ref, primary, run))
        return "".join(out)

    def _wrap(self, ref: str, primary: str, run: str) -> str:
        text = attr(run)
        return text if ref == primary else f'<font name="{self.names[ref]}">{text}</font>'

    def _substitute(self, ch: str) -> str:
        return REPLACEMENT if self._substitute_font else _code_label(ch)



def _code_label(ch: str) -> str:
    return f"[U+{ord(ch):04X}]"
