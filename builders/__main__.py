import sys

try:
    from .speedups import install

    install()  # before the rest of the package is imported: the command line's speed tricks
    from .cli import main
except KeyboardInterrupt:  # Ctrl-C while starting up: one line, like everywhere else
    print("interrupted; previous outputs left as they were", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
