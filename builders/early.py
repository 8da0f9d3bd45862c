"""Starting a format's builder process before the brief is read (see :class:`Early`).

This module imports nothing heavy: the point is to fork before the parent imports the loader,
the model and the theme, so the child's imports of its builder overlap the parent's loading.
"""
from __future__ import annotations

import os
import pickle
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

if TYPE_CHECKING:
    from .model import Brief
    from .theme import Theme


class Early:
    """One format's builder process, started before the brief is read.

    Importing a builder's libraries is most of its time.  Started first, the process imports them
    on the second core while this one reads and validates the brief and the theme, a stretch that
    otherwise leaves that core idle.  :meth:`send` hands it the loaded brief (pickled, through a
    pipe); :meth:`cancel` before that (closing the pipe unused) makes it exit quietly.
    """

    def __init__(self, fmt: str):
        self.fmt = fmt
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            from .lifeline import die_with_parent

            die_with_parent(parent)
            os.close(job_write)
            os.close(result_read)
            _serve(fmt, job_read, result_write)
        os.close(job_read)
        os.close(result_write)
        self.pid: Optional[int] = pid
        self.job: Optional[int] = job_write
        self.result: Optional[int] = result_read

    @staticmethod
    def worth_it(formats: Sequence[str]) -> Optional[str]:
        """The format to start early: the PDF (the longest to build), if asked for, when there are cores to spare."""
        return "pdf" if "pdf" in formats and (os.cpu_count() or 1) > 1 else None

    def send(self, brief: Brief, theme: Theme, tmp: Path) -> None:
        job, self.job = self.job, None
        try:
            with os.fdopen(job, "wb") as pipe:
                pipe.write(pickle.dumps((brief, theme, tmp)))
        except BrokenPipeError:  # it has died: receive() finds no result and says so
            pass

    def receive(self) -> bytes:
        """The pickled outcome, once the process has finished (reaped)."""
        result, self.result = self.result, None
        with os.fdopen(result, "rb") as pipe:
            data = pipe.read()
        self._reap()
        return data

    def cancel(self, kill: bool = False) -> None:
        """Stop the process (it exits by itself if it has no job yet) and reap it; idempotent."""
        if self.job is not None:
            os.close(self.job)
            self.job = None
        if kill and self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self._reap()
        if self.result is not None:
            os.close(self.result)
            self.result = None

    def _reap(self) -> None:
        if self.pid is not None:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = None


def _serve(fmt: str, job_read: int, result_write: int) -> None:
    """The early process: import the builder, wait for the job, build it; never returns."""
    try:
        from .build import _child
        from .registry import builder

        builder(fmt)
        with os.fdopen(job_read, "rb") as pipe:
            data = pipe.read()
    except BaseException:  # noqa: BLE001 - interrupted while waiting: the parent reports it
        os._exit(1)
    if not data:  # cancelled: the brief did not load, or this format is not wanted
        from . import _dataclass_code

        _dataclass_code.save()  # what importing the builder compiled; os._exit skips atexit
        os._exit(0)
    brief, theme, tmp = pickle.loads(data)
    _child(fmt, brief, theme, tmp, result_write)
