"""``brief watch``: rebuild when a brief or a theme is saved, one line per rebuild.

Warm, and without forking a threaded process:

* before anything is watched, the parent imports every builder's libraries once and forks one worker
  process per format (:class:`Workers`); the workers inherit the imports and keep their own caches
  (fonts, styles, measured text; from the command line also the memos of :mod:`builders._warm`, which
  collect their garbage only once every file of a rebuild is in place) from one rebuild to the next;
* only then does watchfiles start (inotify through a Rust core, which runs a thread of its own): from
  that moment this process never forks again.  A rebuild loads the brief in the main thread and hands
  it to the workers through pipes; if a worker has died, its format is built here, in the main thread;
* a worker lowers the brief for its format and compares a digest of the result (and of the theme) with
  the one of the file in place: a format whose content did not change is not rebuilt (a save that only
  touched the speaker notes rewrites the deck alone).  A change to anything but a brief (a theme file, a
  template) rebuilds every format.

Each line gives the time from the end of watchfiles' debounce to the last rename into place.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from .build import _build_one, install_outputs, lower_for, prepare_out_dir, remove_stale_partials
from .errors import BriefError, BuildError, InputError
from .loader import load_brief
from .registry import FORMATS, builder, import_shared
from .theme import THEMES_DIR, load_theme

# The format that takes longest to build (the PDF lays out every page) is sent its job first.
LONGEST = "pdf"
WATCHED_SUFFIXES = (".yaml", ".yml", ".docx", ".pptx", ".dotx", ".potx")


def os_threads() -> int:
    """How many threads this process has, the ones Python does not know of included (0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def digest(document, theme) -> bytes:
    """What a format's output depends on, as a fingerprint: the lowered document and the theme."""
    return hashlib.sha256(pickle.dumps((document, theme), protocol=pickle.HIGHEST_PROTOCOL)).digest()


def _work(fmt: str, brief, theme, tmp: Path, known: Optional[bytes]) -> tuple:
    """Build ``fmt`` into ``tmp`` unless its fingerprint is ``known``: (status, warnings or error, fingerprint)."""
    try:
        document = lower_for(fmt, brief, theme)
        key = digest(document, theme)
        if key == known:
            return ("same", [], key)
        return ("ok", _build_one(fmt, brief, theme, tmp, document), key)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        return ("error", exc, None)


class Worker:
    """One format's builder process: reads pickled jobs from a pipe, writes pickled outcomes to another."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; never returns
            self._serve(parent, job_read, result_write, (job_write, result_read))
        os.close(job_read)
        os.close(result_write)
        self.pid: Optional[int] = pid
        self.jobs = os.fdopen(job_write, "wb")
        self.results = os.fdopen(result_read, "rb")
        self.busy = False  # a job sent, its outcome not yet read

    def _serve(self, parent: int, job_read: int, result_write: int, theirs: tuple[int, int]) -> None:
        from . import _warm
        from .lifeline import die_with_parent
        from .speedups import before_exit

        die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops us by closing the pipe

        for fd in theirs:
            os.close(fd)
        for other in _open_pipes:  # siblings' pipes: only the parent may hold them open
            try:
                os.close(other)
            except OSError:
                pass
        status = 0
        collect = _warm.collector()
        with os.fdopen(job_read, "rb") as jobs, os.fdopen(result_write, "wb") as results:
            while True:
                try:
                    job = pickle.load(jobs)
                except (EOFError, OSError):
                    break
                if job is None:  # every format's file is in place: a moment for what waits till then
                    collect()
                    continue
                brief, theme, tmp, known = job
                outcome = _work(self.fmt, brief, theme, tmp, known)
                try:
                    data = pickle.dumps(outcome)
                except Exception as exc:  # noqa: BLE001 - an unpicklable error still says what it was
                    data = pickle.dumps(("error", BuildError(f"{self.fmt} builder failed: {exc}", self.fmt), None))
                try:
                    results.write(data)
                    results.flush()
                except OSError:  # the parent has gone: nobody will rename the file
                    tmp.unlink(missing_ok=True)
                    status = 1
                    break
        before_exit()
        os._exit(status)

    def send(self, job: tuple) -> bool:
        """Hand over a job; False if the worker has died."""
        # Busy from the first byte: the worker may start on a job whose last write has not returned here
        # yet (a brief is more than a pipe holds), and an interruption then must still stop it.
        self.busy = True
        try:
            pickle.dump(job, self.jobs)
            self.jobs.flush()
        except OSError:
            return False
        return True

    def after(self) -> None:
        """Tell the worker the rebuild is over (every file renamed): it may collect its garbage now."""
        try:
            pickle.dump(None, self.jobs)
            self.jobs.flush()
        except OSError:
            pass  # it died: the next rebuild finds out

    def receive(self):
        """The outcome of the job sent last; ``None`` if the worker died."""
        try:
            outcome = pickle.load(self.results)
        except (EOFError, OSError, pickle.UnpicklingError):
            return None
        self.busy = False
        return outcome

    def stop(self) -> None:
        """Close the pipes and reap the worker; idempotent.

        An idle worker ends by itself on the closed pipe (saving what it must first); one still building
        (the rebuild was interrupted) is terminated, and its unfinished file is the parent's to remove.
        """
        if self.pid is not None and self.busy:  # first: closing could wait on a job's unsent bytes
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for f in (self.jobs, self.results):
            try:
                f.close()
            except OSError:
                pass
        if self.pid is not None:
            try:
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None


_open_pipes: list[int] = []  # the parent's ends of every worker's pipes, for the next child to close


@dataclass
class Workers:
    """A worker per format, forked once before anything is watched (no thread runs yet)."""

    formats: Sequence[str] = FORMATS
    workers: dict[str, Worker] = field(default_factory=dict)

    def start(self) -> None:
        """Import every builder here (once), then fork; without forking if this process already has threads."""
        from ._warm import install as warm

        import_shared(self.formats)
        for fmt in self.formats:
            builder(fmt)
        warm(self.formats)  # the memos a warm worker keeps between saves (the command line's only)
        if not hasattr(os, "fork") or os_threads() != 1:  # forking a threaded process can deadlock the child
            return
        gc.freeze()  # what exists now is never garbage: the workers' collections leave its pages shared
        try:
            for fmt in self.formats:
                worker = Worker(fmt)
                self.workers[fmt] = worker
                _open_pipes.extend((worker.jobs.fileno(), worker.results.fileno()))
        finally:
            gc.unfreeze()

    def run(self, brief, theme, temps: dict[str, Path], known: dict[str, Optional[bytes]]) -> dict[str, tuple]:
        """Each format's outcome, built in the workers in parallel (here, for a format whose worker died)."""
        sent = []
        outcomes = {}
        try:
            for fmt in sorted(temps, key=lambda f: f != LONGEST):
                if fmt in self.workers:
                    if self.workers[fmt].send((brief, theme, temps[fmt], known.get(fmt))):
                        sent.append(fmt)
                    else:  # it died
                        self.workers.pop(fmt).stop()
            for fmt in sent:
                outcome = self.workers[fmt].receive()
                if outcome is None:  # it died: not forked again (a watcher thread runs); built here from now on
                    self.workers.pop(fmt).stop()
                else:
                    outcomes[fmt] = outcome
        except BaseException:  # interrupted: the busy workers stop before the caller removes their files
            self.stop()
            raise
        for fmt in temps:
            if fmt not in outcomes:
                outcomes[fmt] = _work(fmt, brief, theme, temps[fmt], known.get(fmt))
        return outcomes

    def after(self) -> None:
        """Tell every worker the rebuild is over."""
        for worker in self.workers.values():
            worker.after()

    def stop(self) -> None:
        """Stop every worker and reap it."""
        for worker in self.workers.values():
            worker.stop()
        self.workers.clear()
        _open_pipes.clear()


@dataclass
class Rebuilder:
    """Rebuilds briefs through :class:`Workers`, remembering what each output in place was built from."""

    theme_name: str
    out_dir: Path
    workers: Workers
    echo: Callable[[str], None] = print
    # (brief path, format) -> (fingerprint, (mtime_ns, size) of the file renamed into place)
    installed: dict[tuple[Path, str], tuple[bytes, tuple[int, int]]] = field(default_factory=dict)
    _theme: Optional[tuple] = None  # (theme, its warnings), loaded again only when a theme file changed

    def rebuild(self, briefs: Sequence[Path], what: str, everything: bool = False,
                start: Optional[float] = None) -> list[float]:
        """Rebuild ``briefs``, one line each; ``everything`` rebuilds formats whose content looks unchanged.

        Returns the seconds each took, from ``start`` (default: now) to its last rename.
        """
        took = []
        for path in briefs:
            begin = time.perf_counter() if start is None else start
            start = None  # the next brief's time starts when this one's ends
            stamp = time.strftime("%H:%M:%S")
            try:
                written, same, warnings = self._one(path, everything)
            except InputError as exc:
                self.echo(f"{stamp} {what}: {path.name} not rebuilt ({len(exc.diagnostics)} problem(s)); "
                          "previous outputs kept")
                for line in exc.lines():
                    self.echo(f"  {line}")
                continue
            except BriefError as exc:
                self.echo(f"{stamp} {what}: {path.name} not rebuilt: {exc}")
                continue
            seconds = time.perf_counter() - begin
            took.append(seconds)
            done = f"rebuilt {path.name} ({', '.join(written)})" if written else f"outputs of {path.name} unchanged"
            if written and same:
                done += f"; {', '.join(same)} unchanged"
            warn = f", {len(warnings)} warning(s)" if warnings else ""
            self.echo(f"{stamp} {what}: {done} in {_duration(seconds)}{warn}")
            for w in warnings:
                self.echo(f"  {w}")
        return took

    def _one(self, path: Path, everything: bool) -> tuple[list[str], list[str], list]:
        brief, warnings = load_brief(path)
        if everything or self._theme is None:
            self._theme = load_theme(self.theme_name)
        theme, theme_warnings = self._theme
        prepare_out_dir(self.out_dir)
        remove_stale_partials(self.out_dir, brief.name)
        formats = self.workers.formats
        targets = {fmt: self.out_dir / f"{brief.name}.{fmt}" for fmt in formats}
        temps = {fmt: self.out_dir / f".{brief.name}.{fmt}.partial-{os.getpid()}" for fmt in formats}
        known = {} if everything else {fmt: self._in_place(path, fmt, targets[fmt]) for fmt in formats}
        try:
            outcomes = self.workers.run(brief, theme, temps, known)
            errors = [value for status, value, _ in outcomes.values() if status == "error"]
            if errors:
                raise errors[0]
            built = [fmt for fmt in formats if outcomes[fmt][0] == "ok"]
            install_outputs([(temps[fmt], targets[fmt]) for fmt in built])
        finally:
            for tmp in temps.values():
                tmp.unlink(missing_ok=True)
            self.workers.after()
        for fmt in built:
            st = targets[fmt].stat()
            self.installed[(path.resolve(), fmt)] = (outcomes[fmt][2], (st.st_mtime_ns, st.st_size))
        found = list(warnings) + list(theme_warnings)
        for fmt in formats:
            found.extend(outcomes[fmt][1] if outcomes[fmt][0] == "ok" else ())
        return built, [fmt for fmt in formats if fmt not in built], found

    def _in_place(self, path: Path, fmt: str, target: Path) -> Optional[bytes]:
        """The fingerprint of the output in place, if it is still the file this watcher wrote."""
        entry = self.installed.get((path.resolve(), fmt))
        if entry is None:
            return None
        try:
            st = target.stat()
        except OSError:
            return None
        return entry[0] if (st.st_mtime_ns, st.st_size) == entry[1] else None


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _affected(changed: set[Path], briefs: Sequence[Path]) -> tuple[list[Path], str, bool]:
    """Which briefs to rebuild, a description of what changed, and whether anything but a brief did."""
    names = ", ".join(sorted({p.name for p in changed}))
    themes = THEMES_DIR.resolve()
    if any(p.parent == themes or themes in p.parents for p in changed):
        return list(briefs), names, True
    hit = [b for b in briefs if b.resolve() in changed]
    return hit, names, False


def watch(briefs: Sequence[Path], theme_name: str, out_dir: Path, stop_event=None,
          formats: Sequence[str] = FORMATS, echo: Callable[[str], None] = None) -> None:
    """Build once, then rebuild on every save until interrupted (or ``stop_event`` is set)."""
    echo = echo or (lambda s: print(s, flush=True))
    workers = Workers(formats)
    workers.start()  # imports, then forks: before watchfiles' thread exists
    try:
        rebuilder = Rebuilder(theme_name, out_dir, workers, echo)
        rebuilder.rebuild(briefs, "start", everything=True)
        outputs = out_dir.resolve()
        for changed in _changes(briefs, stop_event, lambda: echo(
                f"watching {', '.join(str(b) for b in briefs)} and themes/ (Ctrl-C to stop)")):
            start = time.perf_counter()  # the end of the debounce
            changed = {p for p in changed if outputs not in p.parents}  # our own outputs, if --out is inside
            hit, what, everything = _affected(changed, briefs)
            if hit:
                rebuilder.rebuild(hit, f"{what} changed", everything=everything, start=start)
    finally:
        workers.stop()


def _changes(briefs: Sequence[Path], stop_event, ready: Callable[[], None]):
    """Sets of changed files worth a rebuild, until ``stop_event`` is set or Ctrl-C.

    watchfiles' ``RustNotify`` rather than its ``watch()``: the inotify watches exist once it is
    constructed, so ``ready()`` is called when a save can no longer be missed (``watch()`` only sets
    them up when first iterated, after anything printed before it).
    """
    from watchfiles._rust_notify import RustNotify

    targets = [str(p) for p in {*{b.resolve().parent for b in briefs}, THEMES_DIR.resolve()}]
    with RustNotify(targets, False, False, 300, True, False) as notify:
        ready()
        while True:
            raw = notify.watch(200, 50, 0, stop_event)  # debounce 200 ms, settled after 50 ms of quiet
            if raw == "signal":
                raise KeyboardInterrupt
            if raw == "stop":
                return
            if raw == "timeout":
                continue
            changed = {Path(p).resolve() for _, p in raw if p.endswith(WATCHED_SUFFIXES)}
            if changed:
                yield changed
