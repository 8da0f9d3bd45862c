"""The release workflows, checked offline: valid against GitHub's schema, and no zizmor finding."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    exe = BIN / name
    if not exe.exists():
        found = shutil.which(name)
        if not found:
            pytest.fail(f"{name} is missing: it is a test dependency (pip install -e '.[test]')")
        return found
    return str(exe)


def schema_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


def zizmor(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("zizmor"), "--offline", "--min-severity", "medium", "--no-progress", str(path)],
                          capture_output=True, text=True)


def test_there_are_workflows_for_pull_requests_and_releases():
    text = {p.name: p.read_text(encoding="utf-8") for p in WORKFLOWS}
    assert any("pull_request" in t for t in text.values())
    release = [t for t in text.values() if 'tags: ["v*"]' in t]
    assert release and "SHA256SUMS" in release[0] and "contents: write" in release[0]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    r = schema_check(path)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_has_no_medium_findings(path):
    r = zizmor(path)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_write_permission_only_where_publishing(path):
    import yaml

    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert wf["permissions"] == {}
    for name, job in wf["jobs"].items():
        perms = job.get("permissions", {})
        publishes = any("gh release" in step.get("run", "") for step in job["steps"])
        assert (perms.get("contents") == "write") == publishes, name


def test_checks_fail_on_a_broken_workflow(tmp_path):
    src = (ROOT / ".github" / "workflows" / "documents.yml").read_text(encoding="utf-8")
    broken_schema = tmp_path / "schema.yml"
    broken_schema.write_text(src.replace("runs-on: ubuntu-24.04", "runs-on: [ubuntu-24.04]\n    bogus-key: 1"))
    assert schema_check(broken_schema).returncode != 0
    unpinned = tmp_path / "unpinned.yml"
    unpinned.write_text(src.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4")
                        .replace("persist-credentials: false", "persist-credentials: true"))
    r = zizmor(unpinned)
    assert r.returncode != 0 and ("unpinned-uses" in r.stdout or "artipacked" in r.stdout)
