"""Reading a YAML file safely: encoding, size, nesting and control characters, with positions.

The text is composed into PyYAML *nodes* (never constructed into objects), so
no tag can build a Python object and every value keeps its line and column.
"""
from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import yaml

from .errors import Diagnostic, InputError
from .schema import CONTROL_CHARS, Context, Spec, validate

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40
# Merge keys (``<<: *base``) are resolved recursively; a chain deeper than this is no real brief.
MAX_MERGE_DEPTH = 40
_MERGE = "tag:yaml.org,2002:merge"
_CHUNK = 1024 * 1024

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


def _read_bounded(path: Path, file: str) -> bytes:
    """At most :data:`MAX_BYTES` of ``path``, which may be a pipe or a device with no size to stat.

    A regular file's size is known up front; a FIFO, ``/dev/stdin`` or ``/dev/zero`` says 0, so the
    limit is enforced while reading instead (one byte past it is enough to know).
    """
    with path.open("rb") as f:
        try:
            st = os.fstat(f.fileno())
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
            raise InputError([Diagnostic(file, 0, 0, f"file is {st.st_size:,} bytes; the limit is {MAX_BYTES:,}")])
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = f.read(min(_CHUNK, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    if total > MAX_BYTES:
        raise InputError([Diagnostic(file, 0, 0, f"input is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}")])
    return b"".join(chunks)


def _check_merges(root: yaml.Node, file: str) -> None:
    """Refuse merge keys that refer to themselves (through anchors) or chain too deep, before anything
    resolves them recursively; errors sit at the offending ``<<`` key.

    Iterative on purpose: the node graph may be cyclic or 1,000 merges deep, and Python's own stack
    is what must not be exhausted.
    """
    # Every mapping reachable from the root (aliases make it a graph: visit each node once).
    mappings: list[yaml.MappingNode] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
            for k, v in node.value:
                todo.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)

    def sources(node: yaml.MappingNode):
        for k, v in node.value:
            if k.tag == _MERGE:
                for src in (v.value if isinstance(v, yaml.SequenceNode) else [v]):
                    if isinstance(src, yaml.MappingNode):
                        yield k, src

    depth: dict[int, int] = {}  # mapping -> length of its longest merge chain
    on_path: set[int] = set()
    problems: dict[tuple[int, int], Diagnostic] = {}
    for start in mappings:
        if id(start) in depth:
            continue
        stack = [(start, iter(list(sources(start))))]
        on_path.add(id(start))
        while stack:
            node, children = stack[-1]
            for key, src in children:
                if id(src) in on_path:
                    m = key.start_mark
                    problems[(m.line, m.column)] = Diagnostic(
                        file, m.line + 1, m.column + 1, "merge key (<<) refers to a mapping that contains it (a cycle)")
                elif id(src) not in depth:
                    on_path.add(id(src))
                    stack.append((src, iter(list(sources(src)))))
                    break
            else:
                stack.pop()
                on_path.discard(id(node))
                d = 0
                for key, src in sources(node):
                    d = max(d, depth.get(id(src), 0) + 1)
                    if depth.get(id(src), 0) + 1 == MAX_MERGE_DEPTH + 1:
                        m = key.start_mark
                        problems[(m.line, m.column)] = Diagnostic(
                            file, m.line + 1, m.column + 1,
                            f"merge keys (<<) chained more than {MAX_MERGE_DEPTH} deep")
                depth[id(node)] = d
    if problems:
        raise InputError([problems[k] for k in sorted(problems)])


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
    _check_merges(node, file)
    return node


def load(path: Path, spec: Spec, display: str | None = None):
    """Read, decode, parse and validate ``path`` against ``spec``.

    Returns ``(value, warnings)``; raises :class:`InputError` with every problem found.
    """
    value, warnings, _ = load_node(path, spec, display)
    return value, warnings


def load_node(path: Path, spec: Spec, display: str | None = None):
    """Like :func:`load`, also returning the root node (for positions of keys the caller interprets)."""
    file = display or str(path)
    try:
        data = _read_bounded(path, file)
    except FileNotFoundError:
        raise InputError([Diagnostic(file, 0, 0, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic(file, 0, 0, "is a directory, not a YAML file")]) from None
    except PermissionError:
        raise InputError([Diagnostic(file, 0, 0, "permission denied")]) from None
    except OSError as exc:
        raise InputError([Diagnostic(file, 0, 0, f"cannot be read: {exc.strerror or exc}")]) from None
    text = decode(data, file)
    text, warnings = strip_controls(text, file)
    if not text.strip():
        raise InputError([Diagnostic(file, 1, 1, "the file is empty")])
    node = compose(text, file)
    ctx = Context(file, list(warnings), lines=tuple(text.split("\n")))
    value = validate(spec, node, ctx)
    if ctx.failed:
        raise InputError([d for d in ctx.diagnostics if d.severity == "error"])
    return value, [d for d in ctx.diagnostics if d.severity != "error"], node
