"""Issue 16, the font cache: every entry carries its checksum; a truncated or garbled entry is rebuilt
with one warning (never a failed build or a garbled PDF), and a cache directory that cannot be written
means building without it, with one warning."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from builders import cachedir
from builders.cachedir import DamagedEntry, seal, unseal

from .conftest import MINIMAL, ROOT


def build(cache: Path, out: Path, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BRIEF_CACHE_DIR": str(cache), "TMPDIR": str(tmp)}
    return subprocess.run([sys.executable, "-m", "builders", "build", str(MINIMAL), "--to", "pdf", "--out", str(out),
                           "-q"], cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)


def pdf_text(out: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(out / f"{MINIMAL.stem}.pdf")).pages)


@pytest.fixture
def warm(tmp_path):
    """A cache filled by one clean build."""
    cache, out, tmp = tmp_path / "cache", tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    r = build(cache, out, tmp)
    assert r.returncode == 0 and r.stderr == ""
    fonts = sorted((cache / "fonts").glob("*.ttf"))
    assert fonts and all(unseal(p.read_bytes()) for p in fonts)
    return cache, out, tmp, fonts


def test_seal_round_trip_and_damage():
    data = seal(b"payload")
    assert unseal(data) == b"payload"
    with pytest.raises(DamagedEntry, match="truncated"):
        unseal(data[:-5])
    with pytest.raises(DamagedEntry, match="checksum mismatch"):
        unseal(b"Payload" + data[7:])


@pytest.mark.parametrize("damage, why", [
    (lambda b: b[: len(b) // 2], "truncated, or written by another version"),
    (lambda b: b[:1000] + bytes(x ^ 0xFF for x in b[1000:1100]) + b[1100:], "checksum mismatch"),
], ids=["truncated", "garbled"])
def test_damaged_font_entry_is_rebuilt_with_one_warning(warm, damage, why):
    cache, out, tmp, fonts = warm
    entry = fonts[0]
    entry.write_bytes(damage(entry.read_bytes()))
    r = build(cache, out, tmp)
    assert r.returncode == 0
    assert r.stderr.splitlines() == [f"{entry}: warning: damaged cache entry ({why}); rebuilt"]
    assert unseal(entry.read_bytes())  # whole again
    assert "Minimal brief" in pdf_text(out)
    again = build(cache, out, tmp)
    assert again.returncode == 0 and again.stderr == ""


def test_garbled_metrics_entry_is_rebuilt_with_one_warning(warm):
    cache, out, tmp, _ = warm
    entry = sorted((cache / "metrics").glob("*.bin"))[0]
    data = entry.read_bytes()
    entry.write_bytes(data[:100] + b"\0" * 50 + data[150:])
    r = build(cache, out, tmp)
    assert r.returncode == 0
    assert r.stderr.splitlines() == [f"{entry}: warning: damaged cache entry (checksum mismatch); rebuilt"]
    assert unseal(entry.read_bytes())


def test_cache_directory_in_the_way_means_building_without_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    for _ in range(2):  # the second build says it again (and reuses the private copy)
        r = build(blocker / "cache", tmp_path / "out", tmp)
        assert r.returncode == 0
        assert r.stderr.splitlines() == [f"{blocker / 'cache'}: warning: cache directory unusable (Not a directory); "
                                         "building without it"]
        assert "Minimal brief" in pdf_text(tmp_path / "out")


def test_read_only_cache_directory_means_building_without_it(tmp_path, monkeypatch, capsys):
    """Read-only as the build sees it (os.access says no: root ignores file modes, so they cannot be used)."""
    from builders.build_pdf import fontcache
    from builders.fonts import resolve

    cache = tmp_path / "cache"
    (cache / "fonts").mkdir(parents=True)
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(cache))
    monkeypatch.setattr(cachedir, "fallback_root", lambda: tmp_path / "private")
    monkeypatch.setattr(cachedir, "_warned", set())
    real_access = os.access
    monkeypatch.setattr(cachedir.os, "access",
                        lambda p, mode: False if Path(p) == cache / "fonts" else real_access(p, mode))
    font = resolve("DejaVu Sans")
    first = fontcache.truetype_subset(font, "Hello")
    second = fontcache.truetype_subset(font, "Hello")
    assert first == second and first.parent == tmp_path / "private" / "fonts"
    assert unseal(first.read_bytes())
    assert list((cache / "fonts").iterdir()) == []
    assert capsys.readouterr().err.splitlines() == [
        f"{cache}: warning: cache directory unusable (not writable); building without it"]
