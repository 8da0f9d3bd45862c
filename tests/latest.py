"""``make test-latest``: the test suite against the newest release of every dependency, pins ignored.

The pins in ``pyproject.toml`` hold python-docx and ReportLab to the minor versions tested, because the
builders use their private APIs.  This is how the next versions get tested before a pin moves: a separate
environment (``.venv-latest``, made afresh each run) gets the newest release of each dependency, the suite
runs there, and the report says which dependencies are newer than their pins allow and which tests broke.
The exit status is the suite's.  ``python -m tests.latest -- -k docx`` passes arguments to pytest.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP = ["-m", "pip", "--disable-pip-version-check", "--quiet"]


def requirements() -> list[tuple[str, str]]:
    """(name, pinned range) of every dependency and test dependency in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = []
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec)
        found.append((m.group(1), m.group(2).split(";")[0].strip()))
    return found


def versions(python: Path) -> dict[str, str]:
    """Installed distributions of the environment of ``python``, by normalised name."""
    out = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "list", "--format=freeze"],
                         capture_output=True, text=True, check=True).stdout  # --quiet would silence the list
    return {_norm(name): version for name, _, version in (ln.partition("==") for ln in out.splitlines())}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(argv=None) -> int:
    """Make the environment, print the versions against the pins, run the suite; its exit status."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--env", default=str(ROOT / ".venv-latest"), help="where to make the environment")
    p.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = p.parse_args(argv)
    env = Path(args.env)
    shutil.rmtree(env, ignore_errors=True)  # afresh: "newest" must not mean "what was newest last time"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    reqs = requirements()
    print(f"installing the newest release of {len(reqs)} dependencies into {env} ...", flush=True)
    subprocess.run([str(python), *PIP, "install", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), *PIP, "install", "--upgrade", *[name for name, _ in reqs]], check=True)
    subprocess.run([str(python), *PIP, "install", "--no-deps", "-e", str(ROOT)], check=True)

    latest = versions(python)
    tested_python = ROOT / ".venv" / "bin" / "python"
    tested = versions(tested_python) if tested_python.exists() else {}
    print(f"\n{'dependency':<22} {'pinned':<22} {'tested':<10} {'newest':<10}")
    outside = []
    for name, pin in reqs:
        new = latest.get(_norm(name), "?")
        mark = ""
        if pin and new != "?":
            from packaging.specifiers import SpecifierSet  # pip's own, vendored or not: imported late

            if new not in SpecifierSet(pin):
                mark, outside = "  <- outside the pin", outside + [name]
        print(f"{name:<22} {pin or '-':<22} {tested.get(_norm(name), '-'):<10} {new:<10}{mark}")

    print("\nrunning the tests ...", flush=True)
    run = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE",
                          *args.pytest_args], cwd=ROOT, capture_output=True, text=True)
    failed = [ln for ln in run.stdout.splitlines() if ln.startswith(("FAILED ", "ERROR "))]
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr.strip()
    print(f"\nwith the newest releases: {summary}")
    if outside:
        print(f"newer than the pins allow: {', '.join(outside)}")
    for line in failed:
        print(f"  {line}")
    if run.returncode not in (0, 1):  # pytest itself failed (collection, usage): show why
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
