"""Inline nodes as runs of one face each: what the coverage pass counts and the renderer marks up.

A run is text in one logical face (see :mod:`.coverage`), with the link it
belongs to and whether it is a note number.  Emphasis is decided per
character run, not per node: Latin text in ``Emph`` gets the italic face, CJK
text the theme's CJK emphasis (bold: a slanted hanzi is a distortion, not a
face).  Code is monospace; its CJK characters fall back to the body face.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, assert_never

from ..document import Code, Emph, Inline, Inlines, LineBreak, Link, NoteRef, Str, Strong, Sup

RunKind = Literal["text", "sup", "br", "dots"]


@dataclass(frozen=True, slots=True)
class Run:
    """Text in one face; ``where`` names its origin in the brief for warnings."""

    face: str
    text: str
    where: str
    link: str = ""  # an URL, or ``#name`` of a destination in this PDF
    # ``sup``: superscript (a note number, a citation mark); ``br``: a hard line break;
    # ``dots``: CJK emphasis marked by a dot under each character (着重号)
    kind: RunKind = "text"


Rich = tuple[Run, ...]

_BOLD = {"body": "body-bold", "caption": "caption-bold", "heading-regular": "heading",
         "body-italic": "body-bold-italic", "caption-italic": "caption-bold-italic",
         "heading-regular-italic": "heading-italic"}


def bold(face: str) -> str:
    return _BOLD.get(face, face)


def italic(face: str) -> str:
    return face if face.endswith("-italic") or face == "mono" else face + "-italic"


def wide(ch: str) -> bool:
    """A CJK (full-width) character: no italic for it."""
    return ord(ch) >= 0x2E80


def note_target(number: int) -> str:
    """The PDF destination of note ``number`` (at the page foot or in the notes section)."""
    return f"#brief-note-{number}"


class Inliner:
    """Turns inline sequences into runs.

    ``anchors`` maps a document anchor (``sec-method``) to its PDF destination name; an internal
    link to anything else is set as plain text and reported with ``warn(where, message)``."""

    def __init__(self, anchors: dict[str, str], warn: Callable[[str, str], None], cjk_emphasis: str = "bold"):
        self.anchors = anchors
        self.warn = warn
        self.cjk_emphasis = cjk_emphasis

    def runs(self, inlines: Inlines, face: str, where: str) -> Rich:
        out: list[Run] = []
        for node in inlines:
            self._inline(node, face, where, "", False, out)
        return tuple(out)

    def _inline(self, node: Inline, face: str, where: str, link: str, em: bool, out: list[Run]) -> None:
        match node:
            case Str(text):
                out.extend(self._text(text, face, where, link, em))
            case Emph(children):
                for child in children:
                    self._inline(child, face, where, link, True, out)
            case Strong(children):
                for child in children:
                    self._inline(child, bold(face), where, link, em, out)
            case Code(text):
                out.append(Run("mono", text, where, link))
            case Link(target, children):
                href = self._target(target, where)
                for child in children:
                    self._inline(child, face, where, href or link, em, out)
            case Sup(children):
                inner: list[Run] = []
                for child in children:
                    self._inline(child, face, where, link, em, inner)
                out.extend(Run(r.face, r.text, r.where, r.link, "sup" if r.kind == "text" else r.kind) for r in inner)
            case NoteRef(_, number):
                out.append(Run(face, str(number), where, note_target(number), "sup"))
            case LineBreak():
                out.append(Run(face, "\n", where, link, "br"))
            case _:
                assert_never(node)

    def _text(self, text: str, face: str, where: str, link: str, em: bool) -> list[Run]:
        if not em:
            return [Run(face, text, where, link)] if text else []
        out: list[Run] = []
        start = 0
        for i in range(1, len(text) + 1):  # split into CJK and Latin stretches
            if i == len(text) or wide(text[i]) != wide(text[start]):
                chunk = text[start:i]
                dots = self.cjk_emphasis == "dots" and wide(chunk[0])
                out.append(Run(self._em_face(face, wide(chunk[0])), chunk, where, link, "dots" if dots else "text"))
                start = i
        return out

    def _em_face(self, face: str, cjk: bool) -> str:
        if not cjk:
            return italic(face)
        return {"bold": bold(face), "kai": "kai"}.get(self.cjk_emphasis, face)

    def _target(self, target: str, where: str) -> str:
        if not target.startswith("#"):
            return target
        name = self.anchors.get(target[1:])
        if name is None:
            self.warn(where, f"link to {target!r}: no section or table has that anchor; set as plain text")
            return ""
        return "#" + name


def plain_text(runs: Rich) -> str:
    """The visible text of ``runs`` (note numbers included), for measuring."""
    return "".join(r.text for r in runs if r.kind != "br")
