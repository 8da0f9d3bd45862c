"""Forked builder processes never outlive the build that started them.

A parent killed by SIGKILL (or SIGTERM, which runs no clean-up) cannot stop its children; left alone they
would finish their format, try to report to a closed pipe and print a traceback.  On Linux a child asks
the kernel to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere, and as a second line,
it exits quietly when it finds its pipe closed.  What a killed build leaves behind (hidden ``.partial-PID``
files) is removed by the next build of the same brief, see :func:`builders.build.remove_stale_partials`.
"""
from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """In a child just forked from ``parent``: be killed when the parent dies; exit now if it already has."""
    # A handler inherited from the parent (the CLI turns SIGTERM into clean-up) would let a child linger.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no usable libc: the closed pipe still ends the child
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect: nobody wants the result
        os._exit(1)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (possibly another user's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
