"""LibreOffice, headless: converting docx/pptx to PDF for previews, checks and tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import MissingDependency, OfficeFailure

SOFFICE_HINT = "LibreOffice is needed: apt-get install libreoffice-writer libreoffice-impress"


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise MissingDependency(SOFFICE_HINT)
    return exe


def convert_to_pdf(src: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``src`` to PDF in ``out_dir`` with a private LibreOffice profile (safe to run in parallel)."""
    return convert_many([src], out_dir, timeout)[0]


def convert_many(sources: list[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Convert several files in one LibreOffice start (start-up is most of the cost of one conversion).

    Files must have distinct stems: each becomes ``out_dir/<stem>.pdf``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise OfficeFailure(f"LibreOffice did not finish converting {_names(sources)} within {timeout:g} s") from None
        except OSError as exc:
            raise OfficeFailure(f"LibreOffice could not be started: {exc.strerror or exc}") from None
    pdfs = [out_dir / (src.stem + ".pdf") for src in sources]
    failed = [src for src, pdf in zip(sources, pdfs) if not pdf.exists()]
    if proc.returncode != 0 or failed:
        raise OfficeFailure(f"LibreOffice could not convert {_names(failed or sources)}: {_cause(proc)}")
    return pdfs


def _names(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _cause(proc: subprocess.CompletedProcess) -> str:
    """One line saying why: LibreOffice's last words (it prints several lines of noise), else its status."""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
    return lines[-1] if lines else f"it exited with status {proc.returncode} and wrote nothing"
