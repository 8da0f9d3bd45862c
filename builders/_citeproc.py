"""citeproc-py asks the same question of its style tree tens of thousands of times: answered once.

A ``cs:group`` is left out when it calls a variable and renders none, so citeproc-py asks each of
its children ``calls_variable()`` as it renders, and a child answers by asking its own children and
following its macros: the whole subtree, again, for every group of every citation and bibliography
entry.  On ``tests/fixtures/refs-en.yaml`` (Chicago author-date, six citations, five entries) that is
25,764 calls and 173 ms of the 228 ms a lowering takes in citeproc-py, in each of the three builders'
processes.

The answer depends only on the style tree, which rendering never changes for these elements (a
``cs:text`` names its variable or macro in attributes; a macro's body and a parent's children are
fixed once the style is parsed), so it is kept on the element itself, as a namespaced XML attribute
that no CSL name can clash with (citeproc-py's elements are lxml proxies, re-created at will: a
Python attribute or an ``id()``-keyed table would not survive, or could answer for another element).

Measured (``make bench``, the refs-en rows, on a quiet machine): lowering refs-en for one format
0.18 s → 0.04 s; a three-format build of refs-en 0.40 s against 0.60 s wall, 620 against 1,060 ms CPU.  ``BRIEF_PLAIN=citeproc`` (or ``1``) leaves
citeproc-py as it is; the outputs are byte-identical (``tests/test_speedups.py``).  The command line
only allows it (:mod:`builders.speedups`); :mod:`builders.cite` applies it where it imports citeproc-py,
so a brief without references never imports citeproc-py for it.
"""
from __future__ import annotations

MARK = "{urn:x-brief:memo}calls-variable"
_enabled = False
_installed = False


def enable() -> None:
    """Allow the trick in this process (the command line's entry point does; a library user's never)."""
    global _enabled
    _enabled = True


def enabled() -> bool:
    return _enabled


def _memo(plain):
    def calls_variable(self):
        known = self.get(MARK)
        if known is None:
            known = "1" if plain(self) else "0"
            self.set(MARK, known)
        return known == "1"

    calls_variable.__wrapped__ = plain
    return calls_variable


def install() -> None:
    """If allowed, answer ``calls_variable`` once per element of a parsed style (for the parents and
    ``cs:text``, the two whose answer walks the tree); idempotent."""
    global _installed
    if _installed or not _enabled:
        return
    from citeproc import model

    _installed = True
    parents, texts = getattr(model, "Parent", None), getattr(model, "Text", None)
    if not (callable(getattr(parents, "calls_variable", None)) and callable(getattr(texts, "calls_variable", None))):
        return  # a citeproc-py whose model differs (make test-latest): left as it is, only slower
    parents.calls_variable = _memo(parents.calls_variable)
    texts.calls_variable = _memo(texts.calls_variable)
