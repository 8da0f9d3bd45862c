"""Reading a YAML file safely: encoding, size, nesting and control characters, with positions.

The text is composed into PyYAML *nodes* (never constructed into objects), so
no tag can build a Python object and every value keeps its line and column.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import yaml

from .errors import Diagnostic, InputError
from .schema import CONTROL_CHARS, Context, Spec, validate

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40

try:  # libyaml is 10x faster; the pure-Python loader is the same grammar
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _Loader = yaml.SafeLoader


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return line, col


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of ``data``, or an :class:`InputError` that says what the bytes are instead."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError([Diagnostic(file, 1, 1, "file is UTF-16; save it as UTF-8")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        try:
            data.decode("gb18030")
            hint = (
                "; the bytes look like GBK/GB18030 (Chinese Windows): save the file as UTF-8, "
                f"e.g. iconv -f GB18030 -t UTF-8 {file}"
            )
        except UnicodeDecodeError:
            hint = "; save it as UTF-8"
        raise InputError([Diagnostic(file, line, col, f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X}){hint}")])


def strip_controls(text: str, file: str) -> tuple[str, list[Diagnostic]]:
    """Remove control characters (pasted from Word or WeChat), one warning per line affected."""
    warnings = []
    if not CONTROL_CHARS.search(text):
        return text, warnings
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = list(CONTROL_CHARS.finditer(line))
        if found:
            codes = ", ".join(sorted({f"U+{ord(m.group()):04X}" for m in found}))
            warnings.append(Diagnostic(file, i + 1, found[0].start() + 1, f"control character(s) {codes} removed", "warning"))
            lines[i] = CONTROL_CHARS.sub("", line)
    return "\n".join(lines), warnings


def _yaml_error(exc: yaml.YAMLError, file: str) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax: {problem}" + (f" ({context})" if context else "")
    if mark is None:
        return Diagnostic(file, 1, 1, message)
    return Diagnostic(file, mark.line + 1, mark.column + 1, message)


def compose(text: str, file: str) -> yaml.Node:
    """Parse ``text`` into one node tree, refusing excessive nesting before building it."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    raise InputError([Diagnostic(file, m.line + 1, m.column + 1, f"nesting deeper than {MAX_DEPTH} levels")])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_error(exc, file)]) from None
    if node is None:
        raise InputError([Diagnostic(file, 1, 1, "the file is empty")])
    return node


def load(path: Path, spec: Spec, display: str | None = None):
    """Read, decode, parse and validate ``path`` against ``spec``.

    Returns ``(value, warnings)``; raises :class:`InputError` with every problem found.
    """
    file = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError([Diagnostic(file, 0, 0, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")])
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Diagnostic(file, 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(file, 0, 0, "is a directory, not a YAML file")]) from None
    except PermissionError:
        raise InputError([Diagnostic(file, 0, 0, "permission denied")]) from None
    text = decode(data, file)
    text, warnings = strip_controls(text, file)
    if not text.strip():
        raise InputError([Diagnostic(file, 1, 1, "the file is empty")])
    node = compose(text, file)
    ctx = Context(file, list(warnings), lines=tuple(text.split("\n")))
    value = validate(spec, node, ctx)
    if ctx.failed:
        raise InputError([d for d in ctx.diagnostics if d.severity == "error"])
    return value, [d for d in ctx.diagnostics if d.severity != "error"]
