"""builders.fonts: the on-disk metrics tables agree with the font file itself."""
from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from builders import fonts

REFS = ["Noto Serif CJK SC", "DejaVu Sans"]


@pytest.mark.parametrize("ref", REFS)
def test_metrics_match_the_font_and_survive_the_disk_cache(ref, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    fonts._metrics.cache_clear()
    file = fonts.resolve(ref)
    font = TTFont(str(file.path), fontNumber=file.index, lazy=True)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    fresh = fonts.Metrics(ref)  # converted from the font, written to the cache
    assert list((tmp_path / "metrics").iterdir())
    fonts._metrics.cache_clear()
    cached = fonts.Metrics(ref)  # read back from the cache
    sample = "A gW,。中国创新\u00e9\U00020000\U0010fffd"
    for m in (fresh, cached):
        for ch in sample:
            cp = ord(ch)
            assert m.covers(ch) == (cp in cmap)
            want = hmtx[cmap[cp]][0] if cp in cmap else upem
            assert m.char_width(ch, upem) == pytest.approx(want)
        assert m.width(sample, 10) == pytest.approx(sum(m.char_width(c, 10) for c in sample))
    coverage = fonts.codepoints(file)
    assert len(coverage) == len(cmap)
    assert all(cp in coverage for cp in list(cmap)[:500]) and 0x10FFFD not in coverage


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_CACHE_DIR", str(tmp_path))
    fonts._metrics.cache_clear()
    fonts.Metrics("DejaVu Sans")
    (cache,) = (tmp_path / "metrics").iterdir()
    cache.write_bytes(cache.read_bytes()[:100])
    fonts._metrics.cache_clear()
    assert fonts.Metrics("DejaVu Sans").covers("A")
    assert len(cache.read_bytes()) > 100
    fonts._metrics.cache_clear()
