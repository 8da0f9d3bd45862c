"""Building one brief in one theme to several formats, atomically.

Each format is written to a hidden temporary file beside its target; only when
every requested format has succeeded (and, with ``strict``, warned about
nothing) are the files renamed into place.  A failed build leaves the previous
good outputs untouched and no partial file behind.
"""
from __future__ import annotations

import errno
import gc
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from . import speedups
from .diagnostics import Log
from .docprops import core_text
from .errors import BriefError, BuildError, Diagnostic, EnvironmentFailure, InputError
from .lifeline import alive, die_with_parent
from .model import Brief
from .registry import FORMATS, builder, import_shared
from .theme import Theme, load_theme


@dataclass
class Result:
    outputs: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)


def _build_one(fmt: str, brief: Brief, theme: Theme, tmp: Path, document=None) -> list[Diagnostic]:
    """Build ``fmt`` into ``tmp``; return its warnings.  ``document`` is ``brief`` already lowered for ``fmt``."""
    log = Log(str(brief.source or brief.name), fmt)
    try:
        if document is None:
            document = lower_for(fmt, brief, theme)
        builder(fmt).build(document, theme, tmp, log)
    except BriefError:
        raise
    except OSError as exc:  # the machine's failing (or an input file's), not a bug: no "please report it"
        raise _os_error(exc, fmt, tmp) from None
    except Exception as exc:  # a bug, not the user's mistake: say so in one line
        if os.environ.get("BRIEF_DEBUG"):
            import traceback

            traceback.print_exc()
        raise BuildError(
            f"internal error in the {fmt} builder: {type(exc).__name__}: {exc} "
            "(set BRIEF_DEBUG=1 for the traceback, and please report it)", fmt
        ) from None
    return log.warnings


def lower_for(fmt: str, brief: Brief, theme: Theme):
    """``brief`` lowered to the typed Document for ``fmt``."""
    from .lower import lower

    return lower(brief, theme, fmt)


def _os_error(exc: OSError, fmt: str, tmp: Path) -> BriefError:
    """One line for an ``OSError`` met while building ``fmt`` into ``tmp``.

    A file the user named that cannot be read is the input's problem (exit 2, naming the file);
    anything else (a full disk, an I/O error, the output folder) is the machine's (exit 1).
    """
    cause = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename if isinstance(exc.filename, str) else None
    outside = name is not None and Path(name).resolve().parent != tmp.parent.resolve()
    if outside and exc.errno in (errno.ENOENT, errno.EACCES, errno.EISDIR):
        return InputError([Diagnostic(name, 0, 0, f"cannot be read: {cause}")])
    target = tmp.parent / tmp.name[1:].split(".partial-", 1)[0]  # the hidden temporary's visible name
    return EnvironmentFailure(f"cannot write {target}: {cause}")


def build_brief(
    brief: Brief,
    theme: Theme,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    strict: bool = False,
    parallel: Optional[bool] = None,
    warnings: Sequence[Diagnostic] = (),
) -> Result:
    """Build ``formats`` of ``brief`` into ``out_dir``; all or nothing.

    ``warnings`` are earlier ones (from loading) that count towards ``strict``.
    """
    prepare_out_dir(out_dir)
    remove_stale_partials(out_dir, brief.name)
    targets = {fmt: out_dir / f"{brief.name}.{fmt}" for fmt in formats}
    temps = {fmt: out_dir / f".{brief.name}.{fmt}.partial-{os.getpid()}" for fmt in formats}
    result = Result(warnings=list(warnings))
    if {"docx", "pptx"} & set(formats):  # once here, not once per builder: both shorten the same way
        result.warnings.extend(core_text(brief)[1])
    if parallel is None:
        parallel = len(formats) > 1 and (os.cpu_count() or 1) > 1
    try:
        if parallel:
            for warnings_of_fmt in _in_children(formats, brief, theme, temps):
                result.warnings.extend(warnings_of_fmt)
        else:
            for fmt in formats:
                result.warnings.extend(_build_one(fmt, brief, theme, temps[fmt]))
        if strict and result.warnings:
            raise BuildError(f"{len(result.warnings)} warning(s) with --strict; nothing written")
        install_outputs([(temps[fmt], targets[fmt]) for fmt in formats])
        result.outputs.extend(targets[fmt] for fmt in formats)
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
    return result


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if need be; a ``BuildError`` in one line if it cannot be written to."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create output directory {out_dir}: {exc.strerror}") from None
    if not os.access(out_dir, os.W_OK):
        raise BuildError(f"output directory {out_dir} is not writable")


def remove_stale_partials(out_dir: Path, name: str) -> list[Path]:
    """Delete the hidden files a killed build of brief ``name`` left in ``out_dir``; return them.

    ``.NAME.FMT.partial-PID`` are unfinished outputs.  ``.NAME.FMT.old-PID`` are previous outputs set
    aside while the new ones were renamed into place: one whose output is missing (the build was
    killed between the two renames) is put back, the others are deleted.  Only files whose process
    is gone are touched: another build of the same brief may be running right now.
    """
    prefix = f".{name}."
    removed = []
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        rest = entry.name[len(prefix):]
        kind = ".partial-" if ".partial-" in rest else ".old-" if ".old-" in rest else None
        if kind is None:
            continue
        fmt, _, pid = rest.rpartition(kind)
        if fmt not in FORMATS or not pid.isdigit() or (int(pid) != os.getpid() and alive(int(pid))):
            continue
        target = out_dir / f"{name}.{fmt}"
        try:
            if kind == ".old-" and not os.path.lexists(target):
                os.replace(entry.path, target)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:  # gone already (another build cleaned it), or not ours to remove
            pass
    return removed


def install_outputs(moves: list[tuple[Path, Path]]) -> None:
    """Rename each temporary onto its target, all or none.

    Each previous output is first set aside (renamed, not copied); if any rename fails, the new files
    already in place are taken back and the old ones returned, so the folder is as it was. Only when
    every rename has succeeded are the old files deleted.
    """
    aside: list[tuple[Path, Optional[Path]]] = []  # (target, where its previous file went, if any)
    try:
        for tmp, target in moves:
            old: Optional[Path] = None
            if os.path.lexists(target) and not (target.is_dir() and not target.is_symlink()):
                old = target.with_name(f".{target.name}.old-{os.getpid()}")
                os.replace(target, old)
            aside.append((target, old))
            os.replace(tmp, target)  # a directory in the way fails here, and everything is undone
    except BaseException as exc:
        failed = target
        for done, old in reversed(aside):
            try:
                if old is not None:
                    os.replace(old, done)
                elif os.path.lexists(done) and not done.is_dir():
                    os.unlink(done)
            except OSError:  # pragma: no cover - the folder changed under us; keep undoing the rest
                pass
        if isinstance(exc, OSError):
            cause = exc.strerror or str(exc)
            raise EnvironmentFailure(f"cannot replace {failed}: {cause}; previous outputs left as they were") from None
        raise
    for _, old in aside:
        if old is not None:
            try:
                os.unlink(old)
            except OSError:
                pass


def _child(fmt: str, brief: Brief, theme: Theme, tmp: Path, write_end: int) -> None:
    """In a forked child: build ``fmt``, send back (status, value) on ``write_end``, exit; never returns.

    If the parent has gone (its pipe is closed) the child exits quietly: nobody is left to tell.
    """
    try:
        payload = ("ok", _build_one(fmt, brief, theme, tmp))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        payload = ("error", exc)
    try:
        data = pickle.dumps(payload)
    except Exception as exc:  # noqa: BLE001 - an unpicklable error still says what it was
        data = pickle.dumps(("error", BuildError(f"{fmt} builder failed: {exc}", fmt)))
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        sys.stderr.flush()
    except OSError:  # BrokenPipeError above all: the parent was killed
        tmp.unlink(missing_ok=True)
        os._exit(1)
    speedups.before_exit()  # os._exit skips atexit
    os._exit(0)


def _in_children(formats: Sequence[str], brief: Brief, theme: Theme, temps: dict[str, Path]) -> list:
    """Build each format in a forked child, all at once; return their warnings in format order.

    Plain ``fork`` and a pipe per child, not ``concurrent.futures``: the pool costs ~55 ms to import
    and start, a tenth of a whole build.  Each child imports only its own library.  The first error
    is raised once every child has finished; an interrupt stops them all.
    """
    children: list[tuple[str, int, int]] = []
    try:
        import_shared(formats)  # once here, not once per child
        # What exists now (the model, the libraries) is never garbage in the children: frozen, their
        # collections skip it instead of touching, and so copying, every page it lives on (~4 % fewer faults).
        gc.freeze()
        parent = os.getpid()
        for fmt in formats:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: build, send back (status, value), never return into the caller
                die_with_parent(parent)
                os.close(read_end)
                for _, _, other in children:  # siblings' pipes: only the parent may hold them open
                    os.close(other)
                _child(fmt, brief, theme, temps[fmt], write_end)
            os.close(write_end)
            children.append((fmt, pid, read_end))
        gc.unfreeze()  # here (brief watch lives on) everything is collectable again
        results: dict[str, bytes] = {}
        for fmt, pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                results[fmt] = pipe.read()
            os.waitpid(pid, 0)
        children = []
    except BaseException:
        gc.unfreeze()
        for _, pid, _ in children:  # interrupted: stop the others too, and reap them
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        raise
    outcomes = [pickle.loads(results[fmt]) if results[fmt] else
                ("error", BuildError(f"the {fmt} builder process died without a result", fmt)) for fmt in formats]
    errors = [value for status, value in outcomes if status == "error"]
    if any(isinstance(e, KeyboardInterrupt) for e in errors):
        raise KeyboardInterrupt
    if errors:
        raise errors[0]
    return [value for _, value in outcomes]


def build_file(
    path: Path,
    theme_name: str,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    strict: bool = False,
) -> Result:
    """Load ``path`` and ``theme_name`` and build; loader warnings come first in the result."""
    from .loader import load_brief  # not in the builder processes: they never read YAML

    brief, warnings = load_brief(path)
    theme, theme_warnings = load_theme(theme_name)
    return build_brief(brief, theme, out_dir, formats, strict=strict, warnings=warnings + theme_warnings)
