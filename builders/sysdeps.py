"""Check, and where the machine allows it install, the system packages the build and the tests need.

Runs with the system Python before the virtual environment exists (standard
library only):  ``python3 -m builders.sysdeps build|test``.  As root with
apt-get it installs what is missing; otherwise it prints one message naming the
packages and exits 1.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys


def _has_font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", family, "family"], capture_output=True, text=True).stdout
    return bool(out.strip())


def _has_venv() -> bool:
    return subprocess.run([sys.executable, "-c", "import venv, ensurepip"], capture_output=True).returncode == 0


JAVA_DIR = "/usr/share/java"  # where Debian's Java library packages put their jars


def _jar(name: str):
    return lambda: os.path.exists(os.path.join(JAVA_DIR, name))


# (what, check, Debian package)
BUILD = [
    ("python venv", _has_venv, "python3-venv"),
    ("fontconfig", lambda: bool(shutil.which("fc-match")), "fontconfig"),
    ("Noto CJK fonts", lambda: _has_font("Noto Serif CJK SC") and _has_font("Noto Sans CJK SC"), "fonts-noto-cjk"),
    ("DejaVu fonts", lambda: _has_font("DejaVu Sans"), "fonts-dejavu-core"),
    # The government theme (GB/T 9704): 楷体 headings and a heavy serif title (小标宋-like).
    ("AR PL UKai", lambda: _has_font("AR PL UKai CN"), "fonts-arphic-ukai"),
    ("Noto Serif CJK Black", lambda: _has_font("Noto Serif CJK SC:black"), "fonts-noto-cjk-extra"),
]

# 仿宋 has no Debian font package: the Fandol faces come from TeX Live's Chinese package, extracted
# (not installed) into the fonts folder of builders.fonts.local_fonts_dir (same rule, standard library only).
FANDOL_PACKAGE = "texlive-lang-chinese"
FANDOL_PATH = "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
FANDOL_FILES = ("FandolFang-Regular.otf", "FandolKai-Regular.otf", "FandolSong-Regular.otf", "FandolSong-Bold.otf",
                "FandolHei-Regular.otf", "FandolHei-Bold.otf")


def fandol_dir() -> str:
    explicit = os.environ.get("BRIEF_FONTS_DIR", "").strip()
    return explicit or os.path.join(os.path.expanduser("~"), ".cache", "brief", "fonts", "fandol")


def has_fandol() -> bool:
    return all(os.path.isfile(os.path.join(fandol_dir(), f)) for f in FANDOL_FILES)


def install_fandol() -> bool:
    """Download the TeX Live package with apt-get (no root needed), extract its Fandol fonts, keep only those."""
    import glob
    import tempfile

    if has_fandol():
        return True
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        return False
    print(f"extracting the Fandol fonts from {FANDOL_PACKAGE} into {fandol_dir()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        got = subprocess.run(["apt-get", "download", "-qq", FANDOL_PACKAGE], cwd=tmp, capture_output=True)
        debs = glob.glob(os.path.join(tmp, f"{FANDOL_PACKAGE}_*.deb"))
        if got.returncode != 0 or not debs:
            return False
        if subprocess.run(["dpkg", "-x", debs[0], os.path.join(tmp, "x")], capture_output=True).returncode != 0:
            return False
        os.makedirs(fandol_dir(), exist_ok=True)
        for name in FANDOL_FILES:
            source = os.path.join(tmp, "x", FANDOL_PATH, name)
            if os.path.isfile(source):
                target = os.path.join(fandol_dir(), name)
                shutil.copyfile(source, target + ".tmp")
                os.replace(target + ".tmp", target)
    return has_fandol()
TEST = BUILD + [
    ("poppler", lambda: bool(shutil.which("pdftoppm") and shutil.which("pdffonts")), "poppler-utils"),
    ("qpdf", lambda: bool(shutil.which("qpdf")), "qpdf"),
    ("faketime", lambda: bool(shutil.which("faketime")), "faketime"),
    ("LibreOffice Writer", lambda: bool(shutil.which("soffice")) and _lo_has("swriter"), "libreoffice-writer"),
    ("LibreOffice Impress", lambda: bool(shutil.which("soffice")) and _lo_has("simpress"), "libreoffice-impress"),
    # PDF/A-1b checks (tests/test_pdfa.py): Apache PDFBox Preflight, the one PDF/A validator Debian ships.
    ("Java runtime", lambda: bool(shutil.which("java")), "default-jre-headless"),
    ("PDFBox Preflight", _jar("preflight.jar"), "libpdfbox2-java"),
    ("JavaBeans Activation", _jar("javax.activation.jar"), "libactivation-java"),
    ("JAXB API", _jar("jaxb-api.jar"), "libjaxb-api-java"),
]


def _lo_has(module: str) -> bool:
    for base in ("/usr/lib/libreoffice/program", "/opt/libreoffice/program"):
        if os.path.exists(os.path.join(base, module)):
            return True
    return False


def missing(what: str) -> list[str]:
    """Debian packages missing for ``what`` ("build" or "test")."""
    checks = TEST if what == "test" else BUILD
    return list(dict.fromkeys(pkg for _, ok, pkg in checks if not ok()))


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else "build"
    status = _main(what)
    if status == 0 and not install_fandol():
        print(f"error: the Fandol fonts (仿宋 of the government theme) are missing from {fandol_dir()}: "
              f"apt-get download {FANDOL_PACKAGE} && dpkg -x {FANDOL_PACKAGE}_*.deb DIR, then copy "
              f"DIR/{FANDOL_PATH}/*.otf there", file=sys.stderr)
        return 1
    return status


def _main(what: str) -> int:
    packages = missing(what)
    if not packages:
        return 0
    command = "apt-get install -y --no-install-recommends " + " ".join(packages)
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing system packages: {' '.join(packages)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        result = subprocess.run(command.split() + ["-qq"], env=env, stdout=subprocess.DEVNULL)
        if result.returncode == 0 and not missing(what):
            return 0
    print(f"error: missing system packages for the {what}: {' '.join(packages)}; "
          f"install them with: sudo {command}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
