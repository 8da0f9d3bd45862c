"""Links on slides: external addresses as hyperlink relationships, internal ones as jumps to slides.

An internal link (``#case-boston``, ``#fig-growth``, ``#ref-hsu2021``) jumps to the
first slide showing its anchor.  A slide may link to one that is not made yet, so
a jump is written with a stand-in relationship id and pointed at its slide once
every slide exists (:meth:`Links.resolve`).
"""
from __future__ import annotations

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from ..diagnostics import Log

JUMP = "jump:"  # a jump's stand-in relationship id, until every slide exists


class Links:
    def __init__(self, log: Log):
        self.log = log
        self._anchors: dict = {}  # anchor -> the part of its first slide
        self._jumps: dict = {}  # parts holding jumps (in order) -> where the slide comes from, for warnings

    def target(self, anchor: str, part) -> None:
        """``anchor`` is shown on slide ``part`` (the first such slide is the one jumped to)."""
        self._anchors.setdefault(anchor, part)

    def rel_id(self, part, address: str, where: str) -> str:
        """The relationship id of a link on ``part``; a jump (#anchor) gets a stand-in until :meth:`resolve`."""
        if address.startswith("#"):
            self._jumps.setdefault(part, where)
            return JUMP + address[1:]
        return part.relate_to(address, RT.HYPERLINK, is_external=True)

    def resolve(self) -> None:
        """Point every jump at the first slide of its anchor (``#x`` also finds ``case-x``, ``sec-x`` …: ids are
        unique across a brief); a jump to nowhere keeps its text, unlinked, and is named in a warning."""
        anchors = dict(self._anchors)
        for anchor, part in self._anchors.items():
            anchors.setdefault(anchor.split("-", 1)[-1], part)
        rid = qn("r:id")
        for part, where in self._jumps.items():
            for el in list(part._element.iter(qn("a:hlinkClick"))):
                value = el.get(rid, "")
                if not value.startswith(JUMP):
                    continue
                target = anchors.get(value[len(JUMP):])
                if target is None:
                    self.log.warn(where, f"no slide for the link to #{value[len(JUMP):]}: its text is kept, "
                                         "without the link")
                    el.getparent().remove(el)
                else:
                    el.set(rid, part.relate_to(target, RT.SLIDE))
