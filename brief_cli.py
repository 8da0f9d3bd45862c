"""The ``brief`` command's entry point.

It lives outside the ``builders`` package on purpose: the console script imports it before anything
else, so Ctrl-C while the package itself is still being imported (a few tens of milliseconds) ends in
one line and status 130, like an interrupt at any later moment, instead of a traceback.

It is also where the speed tricks of :mod:`builders.speedups` are installed (``BRIEF_PLAIN=1`` turns
them off): importing the package as a library changes nothing outside it.
"""
import sys


def main() -> int:
    """Import the command line and run it."""
    try:
        from builders.speedups import install

        install()  # before the package's dataclasses are defined
        from builders.cli import main as run
    except KeyboardInterrupt:
        print("interrupted; previous outputs left as they were", file=sys.stderr)
        return 130
    return run()
