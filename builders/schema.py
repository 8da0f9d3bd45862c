"""A small declarative schema: one definition validates YAML nodes *and* emits JSON Schema.

Why not ``jsonschema``: importing it costs about 130 ms (a quarter of our whole
build budget), its messages would still need rewriting into the
``FILE:LINE:COL`` form, and it validates constructed Python values, which have
lost the line and column of every node.  Validating PyYAML's composed nodes
keeps each node's position, so every problem is reported where it is, all at
once, and the JSON Schema for editors is generated from these same specs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from ._imports import YAML_NON_PRINTABLE, import_deferring

import_deferring("yaml", YAML_NON_PRINTABLE)  # we parse with libyaml: the pure-Python reader's class is unused
import yaml  # noqa: E402

from .errors import Diagnostic  # noqa: E402

YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")}
_ALLOWED_TAGS = _SCALAR_TAGS | {YAML + "map", YAML + "seq", YAML + "merge"}

# Characters no document format can carry, and that are never meant: C0 and C1
# controls except tab and newline, DEL, and the two noncharacters U+FFFE/U+FFFF.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

MAX_NODES = 200_000  # nodes visited, aliases expanded: bounds alias "bombs"
MAX_CHARS = 20_000_000  # characters of text after alias expansion


class _Abort(Exception):
    """Stop validating: a limit was hit and the tree must not be walked further."""


@dataclass
class Context:
    """What validation needs while it walks: the file name and the problems found so far."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    visits: int = 0
    chars: int = 0
    lines: tuple[str, ...] = ()  # the file's text, for positions inside block scalars

    def error(self, node: yaml.Node, path: str, message: str) -> None:
        self.report(node, path, message, "error")

    def warn(self, node: yaml.Node, path: str, message: str) -> None:
        self.report(node, path, message, "warning")

    def report(self, node: yaml.Node, path: str, message: str, severity: str) -> None:
        mark = node.start_mark
        prefix = f"{path}: " if path else ""
        self.diagnostics.append(Diagnostic(self.file, mark.line + 1, mark.column + 1, prefix + message, severity))

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def describe(node: yaml.Node) -> str:
    """How a node looks to a user: 'a mapping', 'a list', 'null', 'the number 3'."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "null":
        return "an empty value"
    if kind in ("int", "float"):
        return f"the number {node.value}"
    if kind == "bool":
        return f"the boolean {node.value}"
    return f"the text {node.value!r}"


class Spec:
    """A node type. ``check`` returns the converted value or ``None`` after reporting a problem."""

    description: str = ""

    def check(self, node: yaml.Node, ctx: Context, path: str) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def json_schema(self) -> dict:  # pragma: no cover - interface
        raise NotImplementedError

    def _doc(self, schema: dict) -> dict:
        if self.description:
            schema["description"] = self.description
        return schema


def _visit(node: yaml.Node, ctx: Context, path: str) -> bool:
    ctx.visits += 1
    if ctx.visits > MAX_NODES:
        ctx.error(node, path, f"too many nodes: aliases expand beyond {MAX_NODES} nodes (is this an alias bomb?)")
        raise _Abort
    if node.tag not in _ALLOWED_TAGS:
        ctx.error(node, path, f"YAML tag {node.tag!r} is not allowed: a brief is plain data")
        return False
    return True


def _scalar(node: yaml.Node, ctx: Context, path: str, expected: str) -> Optional[yaml.ScalarNode]:
    if not isinstance(node, yaml.ScalarNode) or node.tag == YAML + "null":
        ctx.error(node, path, f"expected {expected}, got {describe(node)}")
        return None
    return node


@dataclass
class Str(Spec):
    """Text. Plain scalars that YAML would read as numbers or booleans are kept as written."""

    description: str = ""
    pattern: Optional[str] = None
    pattern_hint: str = ""
    enum: Optional[tuple[str, ...]] = None
    max_len: Optional[int] = None
    convert: Optional[Callable[[str], Any]] = None  # may raise ValueError
    json_format: Optional[str] = None
    # Like ``convert`` but told where the text is, to report problems inside it: (value, node, ctx, path).
    parse: Optional[Callable[[str, Any, "Context", str], Any]] = None

    def check(self, node, ctx, path):
        if not _visit(node, ctx, path) or not _scalar(node, ctx, path, "text"):
            return None
        value = node.value
        ctx.chars += len(value)
        if ctx.chars > MAX_CHARS:
            ctx.error(node, path, f"too much text: aliases expand beyond {MAX_CHARS:,} characters (is this an alias bomb?)")
            raise _Abort
        if CONTROL_CHARS.search(value):
            found = sorted({f"U+{ord(c):04X}" for c in CONTROL_CHARS.findall(value)})
            ctx.warn(node, path, f"control character(s) {', '.join(found)} removed")
            value = CONTROL_CHARS.sub("", value)
        if not value.strip():
            ctx.error(node, path, "expected text, got an empty string")
            return None
        if self.enum and value not in self.enum:
            hint = _close(value, self.enum)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            ctx.error(node, path, f"expected one of {', '.join(self.enum)}; got {value!r}{extra}")
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            ctx.error(node, path, f"{value!r} is not {self.pattern_hint or 'valid'}")
            return None
        if self.max_len and len(value) > self.max_len:
            ctx.error(node, path, f"text is {len(value)} characters long; at most {self.max_len} allowed")
            return None
        if self.parse:
            return self.parse(value, node, ctx, path)
        if self.convert:
            try:
                return self.convert(value)
            except ValueError as exc:
                ctx.error(node, path, str(exc))
                return None
        return value

    def json_schema(self):
        s: dict = {"type": "string", "minLength": 1}
        if self.enum:
            s = {"enum": list(self.enum)}
        if self.pattern:
            s["pattern"] = f"^(?:{self.pattern})$"
        if self.max_len:
            s["maxLength"] = self.max_len
        if self.json_format:
            s["format"] = self.json_format
        return self._doc(s)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def Date(description: str = "") -> Str:
    """An ISO 8601 calendar date."""
    return Str(description=description, convert=_iso_date, json_format="date")


def _close(word: str, choices) -> list[str]:
    """The choice a typo most likely meant, if any ("did you mean")."""
    import difflib  # only when there is a mistake to explain

    return difflib.get_close_matches(word, choices, 1, 0.6)


# YAML's own float rules (1e3, .inf, 1_000.5, 1:30.5) on an already resolved scalar, without parsing it again.
_FLOATS = yaml.constructor.SafeConstructor()


@dataclass
class Number(Spec):
    description: str = ""
    integer: bool = False
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    nullable: bool = False  # ``null`` is a value (a gap in a series): returned as :data:`GAP`

    def check(self, node, ctx, path):
        expected = "a whole number" if self.integer else "a number"
        if self.nullable and isinstance(node, yaml.ScalarNode) and node.tag == YAML + "null":
            _visit(node, ctx, path)
            return GAP
        if not _visit(node, ctx, path) or not _scalar(node, ctx, path, expected):
            return None
        kind = node.tag.rsplit(":", 1)[-1]
        if kind not in (("int",) if self.integer else ("int", "float")):
            ctx.error(node, path, f"expected {expected}, got {describe(node)}")
            return None
        try:
            value: float = _FLOATS.construct_yaml_float(node) if kind == "float" else int(node.value.replace("_", ""), 0)
        except (ValueError, yaml.YAMLError):
            ctx.error(node, path, f"expected {expected}, got {describe(node)}")
            return None
        if not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
            ctx.error(node, path, f"expected a finite number, got {node.value!r}")
            return None
        if self.minimum is not None and value < self.minimum:
            ctx.error(node, path, f"{node.value} is below the minimum {self.minimum:g}")
            return None
        if self.maximum is not None and value > self.maximum:
            ctx.error(node, path, f"{node.value} is above the maximum {self.maximum:g}")
            return None
        return value

    def json_schema(self):
        s: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.maximum is not None:
            s["maximum"] = self.maximum
        return self._doc(s)


class _Gap:
    """A ``null`` where a number may be missing; the model turns it into ``None``."""

    def __repr__(self) -> str:
        return "GAP"


GAP = _Gap()


@dataclass
class Plain(Spec):
    """Free-form data (a CSL item): mappings, lists and scalars as Python values, with required keys.

    Scalars keep YAML's reading of them (numbers stay numbers), because CSL-JSON has numbers too."""

    description: str = ""
    required: tuple[str, ...] = ()

    def check(self, node, ctx, path):
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, path, f"expected a mapping, got {describe(node)}")
            return None
        value = self._value(node, ctx, path)
        missing = [k for k in self.required if k not in value]
        for key in missing:
            ctx.error(node, path, f"missing required key {key!r}")
        return None if missing else value

    def _value(self, node, ctx, path):
        if not _visit(node, ctx, path):
            raise _Abort
        if isinstance(node, yaml.MappingNode):
            return {k.value: self._value(v, ctx, f"{path}.{k.value}") for k, v in _flatten(node, ctx, path)
                    if isinstance(k, yaml.ScalarNode)}
        if isinstance(node, yaml.SequenceNode):
            return [self._value(v, ctx, f"{path}[{i}]") for i, v in enumerate(node.value)]
        kind = node.tag.rsplit(":", 1)[-1]
        if kind == "int":
            try:
                return int(node.value.replace("_", ""), 0)
            except ValueError:
                return node.value
        if kind == "null":
            return None
        return CONTROL_CHARS.sub("", node.value)

    def json_schema(self):
        return self._doc({"type": "object", "required": list(self.required)})


@dataclass
class Bool(Spec):
    description: str = ""

    def check(self, node, ctx, path):
        if not _visit(node, ctx, path) or not _scalar(node, ctx, path, "true or false"):
            return None
        if node.tag != YAML + "bool":
            ctx.error(node, path, f"expected true or false, got {describe(node)}")
            return None
        return node.value.lower() in ("true", "yes", "on", "y")

    def json_schema(self):
        return self._doc({"type": "boolean"})


@dataclass
class ListOf(Spec):
    item: Spec
    description: str = ""
    min_items: int = 0
    max_items: Optional[int] = None
    unique: bool = False  # scalar items must be distinct
    convert: Optional[Callable[[tuple], Any]] = None

    def check(self, node, ctx, path):
        if not _visit(node, ctx, path):
            return None
        if not isinstance(node, yaml.SequenceNode):
            ctx.error(node, path, f"expected a list, got {describe(node)}")
            return None
        bad = False
        if len(node.value) < self.min_items:
            ctx.error(node, path, f"expected at least {self.min_items} item(s), got {len(node.value)}")
            bad = True
        if self.max_items is not None and len(node.value) > self.max_items:
            ctx.error(node, path, f"expected at most {self.max_items} item(s), got {len(node.value)}")
            bad = True
        out = []
        seen: dict = {}
        for i, child in enumerate(node.value):
            value = self.item.check(child, ctx, f"{path}[{i}]")
            bad = bad or value is None
            if self.unique and isinstance(value, (str, int, float)):
                if value in seen:
                    ctx.error(child, f"{path}[{i}]", f"duplicate {value!r} (first at line {seen[value]})")
                seen.setdefault(value, child.start_mark.line + 1)
            out.append(value)
        if bad:
            return None
        result = tuple(out)
        return self.convert(result) if self.convert else result

    def json_schema(self):
        s: dict = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        if self.max_items is not None:
            s["maxItems"] = self.max_items
        if self.unique:
            s["uniqueItems"] = True
        return self._doc(s)


@dataclass
class OneOf(Spec):
    """The first spec whose node kind matches (scalar / list / mapping) decides."""

    options: tuple[Spec, ...]
    description: str = ""

    def check(self, node, ctx, path):
        for spec in self.options:
            if isinstance(node, yaml.SequenceNode) and isinstance(spec, ListOf):
                return spec.check(node, ctx, path)
            if isinstance(node, yaml.MappingNode) and isinstance(spec, Obj):
                return spec.check(node, ctx, path)
            if isinstance(node, yaml.ScalarNode) and not isinstance(spec, (ListOf, Obj)):
                return spec.check(node, ctx, path)
        kinds = " or ".join(_kind_name(s) for s in self.options)
        ctx.error(node, path, f"expected {kinds}, got {describe(node)}")
        return None

    def json_schema(self):
        return self._doc({"anyOf": [s.json_schema() for s in self.options]})


@dataclass
class MapOf(Spec):
    """A mapping from names the author chooses (matching ``key_pattern``) to values of one spec.

    Returns a tuple of ``(key, value)`` pairs in file order."""

    item: Spec
    description: str = ""
    key_pattern: str = r".+"
    key_hint: str = "a name"

    def check(self, node, ctx, path):
        if not _visit(node, ctx, path):
            return None
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, path, f"expected a mapping, got {describe(node)}")
            return None
        out, seen, bad = [], {}, False
        for key_node, value_node in _flatten(node, ctx, path):
            if not isinstance(key_node, yaml.ScalarNode) or not re.fullmatch(self.key_pattern, key_node.value):
                ctx.error(key_node, path, f"{getattr(key_node, 'value', '?')!r} is not {self.key_hint}")
                bad = True
                continue
            key = key_node.value
            if key in seen:
                ctx.error(key_node, f"{path}.{key}", f"duplicate key {key!r} (first at line {seen[key]})")
                bad = True
                continue
            seen[key] = key_node.start_mark.line + 1
            value = self.item.check(value_node, ctx, f"{path}.{key}")
            if value is None:
                bad = True
            out.append((key, value))
        return None if bad else tuple(out)

    def json_schema(self):
        return self._doc({"type": "object", "propertyNames": {"pattern": f"^(?:{self.key_pattern})$"},
                          "additionalProperties": self.item.json_schema()})


def _kind_name(spec: Spec) -> str:
    return {ListOf: "a list", Obj: "a mapping", Number: "a number", Bool: "true or false"}.get(type(spec), "text")


@dataclass
class Field:
    spec: Spec
    required: bool = False
    attr: Optional[str] = None  # dataclass attribute name when it differs from the YAML key


@dataclass
class Obj(Spec):
    """A mapping with known keys; unknown keys are errors with a "did you mean" hint."""

    fields: dict[str, Field]
    build: Callable[..., Any] = dict
    description: str = ""
    title: str = ""
    # Cross-field rule: (values, node, ctx, path) -> None; reports through ctx.
    rule: Optional[Callable[[dict, yaml.MappingNode, Context, str], None]] = None

    def check(self, node, ctx, path):
        if not _visit(node, ctx, path):
            return None
        if not isinstance(node, yaml.MappingNode):
            ctx.error(node, path, f"expected a mapping, got {describe(node)}")
            return None
        values: dict[str, Any] = {}
        nodes: dict[str, yaml.Node] = {}
        ok = True
        for key_node, value_node in _flatten(node, ctx, path):
            if not isinstance(key_node, yaml.ScalarNode):
                ctx.error(key_node, path, f"keys must be plain names, got {describe(key_node)}")
                ok = False
                continue
            key = key_node.value
            where = f"{path}.{key}" if path else key
            if key in nodes:
                ctx.error(key_node, where, f"duplicate key {key!r} (first at line {nodes[key].start_mark.line + 1})")
                ok = False
                continue
            nodes[key] = key_node
            spec_field = self.fields.get(key)
            if spec_field is None:
                hint = _close(key, list(self.fields))
                extra = f" (did you mean {hint[0]!r}?)" if hint else f"; expected one of: {', '.join(self.fields)}"
                ctx.error(key_node, path, f"unknown key {key!r}{extra}")
                ok = False
                continue
            if isinstance(value_node, yaml.ScalarNode) and value_node.tag == YAML + "null" and not spec_field.required:
                continue  # "key:" with nothing after it: treat as absent
            value = spec_field.spec.check(value_node, ctx, where)
            if value is None:
                ok = False
            else:
                values[spec_field.attr or key] = value
        for key, spec_field in self.fields.items():
            if spec_field.required and key not in nodes:
                ctx.error(node, path, f"missing required key {key!r}")
                ok = False
            elif spec_field.required and (spec_field.attr or key) not in values:
                ok = False
        if ok and self.rule:
            before = len(ctx.diagnostics)
            self.rule(values, node, ctx, path)
            ok = not any(d.severity == "error" for d in ctx.diagnostics[before:])
        if not ok:
            return None
        try:
            return self.build(**values)
        except (TypeError, ValueError) as exc:  # a build rule the specs could not express
            ctx.error(node, path, str(exc))
            return None

    def json_schema(self):
        s: dict = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: f.spec.json_schema() for k, f in self.fields.items()},
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            s["required"] = required
        if self.title:
            s["title"] = self.title
        return self._doc(s)


def _flatten(node: yaml.MappingNode, ctx: Context, path: str):
    """Key/value pairs with YAML merge keys (``<<: *base``) resolved; explicit keys win."""
    explicit = [(k, v) for k, v in node.value if k.tag != YAML + "merge"]
    merged = []
    names = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
    for k, v in node.value:
        if k.tag != YAML + "merge":
            continue
        sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
        for src in sources:
            _visit(src, ctx, path)
            if not isinstance(src, yaml.MappingNode):
                ctx.error(src, path, f"a merge key (<<) needs a mapping, got {describe(src)}")
                continue
            for mk, mv in _flatten(src, ctx, path):
                if isinstance(mk, yaml.ScalarNode) and mk.value not in names:
                    names.add(mk.value)
                    merged.append((mk, mv))
    return explicit + merged


def validate(spec: Spec, node: yaml.Node, ctx: Context, path: str = "") -> Any:
    """Validate ``node`` against ``spec``; problems land in ``ctx``. Returns ``None`` on any error."""
    try:
        value = spec.check(node, ctx, path)
    except _Abort:
        return None
    return None if ctx.failed else value
