"""The speed tricks, in one place, installed by the ``brief`` command only.

Importing the package changes nothing outside it: a program (or a test) that imports ``builders``
gets the standard library and the libraries exactly as they are.  The command-line entry points
(``brief_cli.main`` and ``python -m builders``) call :func:`install` before they import anything else
of the package.

``BRIEF_PLAIN=1`` in the environment turns every trick off (``BRIEF_PLAIN=citeproc``,
``dataclasses``, ``imports`` or ``warm`` only the one named, or a comma-separated list); the outputs are byte-identical
either way, a test builds both ways and compares.  When a library update breaks a trick,
``BRIEF_PLAIN=1`` is the first thing to try.

``warm`` is the watcher's: :func:`install` only allows it, and ``brief watch`` installs its memos
(:mod:`builders._warm`) before it forks its workers; a one-shot build never runs them.

Each trick stays only while ``make bench`` shows it pays for its complexity; the figures are in the
docstrings of :mod:`builders._citeproc`, :mod:`builders._dataclass_code`, :mod:`builders._imports` and
:mod:`builders._warm`.
"""
from __future__ import annotations

import os

TRICKS = ("citeproc", "dataclasses", "imports", "warm")

_installed: set[str] = set()


def plain() -> set[str]:
    """The tricks ``BRIEF_PLAIN`` turns off: all for ``1`` (or ``yes``, ``true``, ``all``), else those named."""
    value = os.environ.get("BRIEF_PLAIN", "").strip().lower()
    if value in ("", "0", "no", "false"):
        return set()
    if value in ("1", "yes", "true", "all"):
        return set(TRICKS)
    return {name.strip() for name in value.split(",")} & set(TRICKS)


def install() -> None:
    """Install every trick ``BRIEF_PLAIN`` leaves on; idempotent.  For entry points only."""
    off = plain()
    if "dataclasses" not in off and "dataclasses" not in _installed:
        from . import _dataclass_code

        _dataclass_code.install()
        _installed.add("dataclasses")
    if "imports" not in off and "imports" not in _installed:
        from . import _imports

        _imports.enable()
        _installed.add("imports")
    if "citeproc" not in off and "citeproc" not in _installed:
        from . import _citeproc

        _citeproc.enable()  # applied where builders.cite imports citeproc-py (a brief with references)
        _installed.add("citeproc")
    if "warm" not in off and "warm" not in _installed:
        from . import _warm

        _warm.enable()  # the watcher installs its memos before it forks its workers
        _installed.add("warm")


def installed() -> frozenset[str]:
    """The tricks installed in this process."""
    return frozenset(_installed)


def before_exit() -> None:
    """What a trick must do before a forked process leaves with ``os._exit`` (which skips ``atexit``)."""
    if "dataclasses" in _installed:
        from . import _dataclass_code

        _dataclass_code.save()
