"""Labels and list markers decided in the lowering: 一、标题 / 1.2 Title, ①, roman numerals, the
enumerators an author may have typed (never 一是一是), a figure's data as one sentence."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import document as d
from ..i18n import chinese_numeral, format_value, labels
from ..model import Figure


def _label(number: str, title: str) -> str:
    """Number and title as a heading shows them: 一、现状 / （一）… / 1. 标题 / 1.2 Title."""
    if not number:
        return title
    if number[-1] in "、）" or re.match(r"^\d+\.$", number) and title[:1] and "\u2e80" <= title[0] <= "\u9fff":
        return f"{number}{title}"
    return f"{number} {title}"


def _circled(n: int) -> str:
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def _enumerators(n: int) -> tuple[str, ...]:
    """Ways an author may have numbered item ``n`` themselves: 一是, （一）, (一), 一、, 1., 1、, （1）, (1)."""
    c = chinese_numeral(n)
    return (f"{c}是", f"（{c}）", f"({c})", f"{c}、", f"{n}.", f"{n}、", f"（{n}）", f"({n})", f"{n})")


def _strip_marker(item: d.Blocks, marker: str, n: int) -> d.Blocks:
    """``item`` without a leading enumerator when the author already typed one (never 一是一是)."""
    if not item or not isinstance(item[0], d.Para) or not item[0].inlines:
        return item
    first = item[0].inlines[0]
    if not isinstance(first, d.Str):
        return item
    text = first.text.lstrip()
    for e in sorted({marker, *_enumerators(n)}, key=len, reverse=True):
        if text.startswith(e) and len(text) > len(e):
            rest = text[len(e):].lstrip(" \u3000，,")
            para = replace(item[0], inlines=((d.Str(rest),) if rest else ()) + item[0].inlines[1:])
            return (para,) + item[1:]
    return item


def _data_summary(f: Figure, language: str) -> str:
    """A figure's data as one sentence, its alt text when the author gave none."""
    lab = labels(language)
    values = lab.list_sep.join(f"{dt.name}{lab.colon}{format_value(dt, f, language)}" for dt in f.data)
    return f"{f.title.plain}{lab.colon}{values}" if values else f.title.plain
