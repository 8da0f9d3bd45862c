"""Dataclasses without compiling their methods on every run.

:mod:`dataclasses` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and,
for frozen classes, ``__setattr__`` and ``__delattr__`` as source text and compiles it when the
class is defined.  Compiling is about 70 % of the ~1.2 ms a frozen dataclass costs, and a
three-format build defines some 65 dataclasses across its processes (the model, the theme, each
builder's plans): about 5 % of the build's instructions (issue 10).

:func:`install` gives :mod:`dataclasses` its own ``exec`` that looks the text up in a table of
code objects kept in the cache directory, like ``__pycache__`` keeps modules.  The key is the whole
source text, and compiling the same text gives the same code, so a hit changes nothing but the
time.  Whatever this module cannot do (no cache file, an unreadable or foreign one, a read-only
directory) falls back to compiling, as :mod:`dataclasses` would.  Python's own
``sys.dont_write_bytecode`` (``PYTHONDONTWRITEBYTECODE``) also stops this cache being written.

Worth it, measured (issue 20), if only just: one three-format build of the sample takes 25 to 42 ms
more CPU without it, 4 to 8 % (medians of 15 and 20 builds, alternating: 580 against 555 ms, 588 against
546 ms; ``BRIEF_PLAIN=dataclasses``; ``make bench`` prints the figure of the day).  ``brief watch``
defines its classes once and gains nothing from it.  It patches :mod:`dataclasses` for the whole process and writes a file at exit,
so only the ``brief`` command installs it (:mod:`builders.speedups`), and ``BRIEF_PLAIN=1`` leaves it out.
"""
from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
import types

# Past this many entries the table is started afresh: old texts from earlier versions of the
# package (or of Python's dataclasses) are dropped rather than carried for ever.
MAX_ENTRIES = 2048

_codes: dict | None = None  # source text -> code object, loaded on first use
_new: dict = {}  # compiled by this process, not yet written
_installed = False


def cache_file() -> str:
    """The table for this Python (code objects are specific to the interpreter version)."""
    from .cachedir import cache_root

    return str(cache_root() / "code" / f"dataclasses.{sys.implementation.cache_tag}.marshal")


def install() -> None:
    """Route :mod:`dataclasses`' ``exec`` through the table; idempotent."""
    global _installed
    if _installed or sys.implementation.cache_tag is None:
        return
    _installed = True
    dataclasses.exec = _exec  # a module global shadows the builtin for dataclasses' own calls
    atexit.register(save)


def _exec(source, globals=None, locals=None):
    if isinstance(source, str):
        source = _code(source)
    return builtins.exec(source, globals, locals)


def _code(text: str):
    global _codes
    if _codes is None:
        _codes = _read()
    code = _codes.get(text)
    if code is None:
        # dont_inherit: exactly what exec(text) compiles in dataclasses, which has no
        # __future__ imports, whatever this module has
        code = _codes[text] = _new[text] = compile(text, "<string>", "exec", dont_inherit=True)
    return code


def _read() -> dict:
    try:
        with open(cache_file(), "rb") as f:
            table = marshal.loads(f.read())  # marshal.load(f) reads piece by piece: ~10x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict) or not all(
            isinstance(k, str) and type(v) is types.CodeType for k, v in table.items()):
        return {}
    return table


def save() -> None:
    """Add what this process compiled to the table on disk (atomically), if anything.

    Called at exit, and by forked builder processes before they ``os._exit``.  Processes that
    save at once each merge into what is on disk; one that loses a race leaves its entries to be
    compiled and saved by a later run.
    """
    global _new
    if not _new or sys.dont_write_bytecode:
        return
    new, _new = _new, {}
    path = cache_file()
    table = _read()
    if len(table) + len(new) > MAX_ENTRIES:
        table = {}
    table.update(new)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump(table, f)
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache directory: the next run compiles again
        try:
            os.unlink(tmp)
        except OSError:
            pass
