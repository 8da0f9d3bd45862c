"""The ``brief`` command: check, build, list themes, print schemas.

Every error the user can cause is printed as ``FILE:LINE:COL: error: message``
lines on stderr, never a traceback.  Exit status: 0 success, 1 build failed
(including the machine's failures: a full disk, LibreOffice breaking down),
2 invalid input (brief, theme, the files they name, arguments), 3 a font or tool
is missing, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM); the last two
leave the previous outputs as they were, like every failure.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from .errors import (BriefError, BuildError, Diagnostic, EnvironmentFailure, InputError, MissingDependency,
                     ThemeNotFound)

EXIT_BUILD, EXIT_INPUT, EXIT_MISSING = 1, 2, 3


def _formats(value: str) -> list[str]:
    from .registry import FORMATS

    wanted = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(bad) or value!r}; choose from {','.join(FORMATS)}")
    return list(dict.fromkeys(wanted))


def _common(sub, name: str, help: str, description: str, out_help: str, to_help: str | None = None):
    """A sub-command taking briefs, a theme, an output folder and (optionally) formats."""
    from .theme import DEFAULT_THEME

    p = sub.add_parser(name, help=help, description=description)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--theme", default=DEFAULT_THEME,
                   help=f"theme name or theme file (default: {DEFAULT_THEME}); see 'brief themes'")
    if to_help:
        p.add_argument("--to", type=_formats, default=None, metavar="FORMATS", help=to_help)
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help=f"{out_help} (default: out/<theme>)")
    return p


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="brief",
        description="Turn a YAML policy brief into a Word report, a PowerPoint deck and a print-ready PDF.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="validate briefs and report every problem", description=(
        "Validate each brief (by default every source/*.yaml under the current directory) and report "
        "every problem at once as FILE:LINE:COL: error: message, then one line saying how many briefs "
        "were checked. Exit status 2 if any brief is invalid."))
    c.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="briefs to check (default: every source/*.yaml under the current directory)")
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    b = _common(sub, "build", "build the documents of briefs", (
        "Build the report (docx), the deck (pptx) and the PDF of each brief into out/<theme>/, or into "
        "DIR itself with --out DIR, and say which files were written. Outputs are replaced only when "
        "every format built; a failed build keeps the previous files."),
        "write the outputs into DIR itself", "comma-separated formats: docx,pptx,pdf (default: all)")
    b.add_argument("--strict", action="store_true", help="fail on any warning (content that could not be rendered)")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but problems")

    v = _common(sub, "verify", "check that the built outputs carry the whole brief and look right", (
        "Read the built report, deck and PDF back: every section, case study, recommendation and paragraph "
        "present and in order; fonts embedded and every character in a font; no slide text outside its box "
        "(rendered through LibreOffice); each file opens. Prints a table per format; exit 1 on any failure."),
        "the folder holding the outputs", "formats to check (default: all)")
    v.add_argument("--no-render", action="store_true", help="skip the LibreOffice checks (faster)")

    _common(sub, "watch", "rebuild whenever a brief or a theme is saved", (
        "Build into out/<theme>/ (or DIR itself with --out DIR), then rebuild each time the brief or a theme "
        "file is saved, only the formats whose content changed; one line per rebuild with what changed, "
        "what was written and how long it took. A broken save keeps the previous outputs."),
        "write the outputs into DIR itself")

    _common(sub, "preview", "write contact sheets of the built outputs", (
        "Write contact-sheet PNGs of the report's pages, the deck's slides and the PDF's pages into "
        "preview/ inside the outputs' folder, out/<theme>/ or --out DIR (LibreOffice and poppler)."),
        "the folder holding the outputs")

    sub.add_parser("themes", help="list the available themes", description="List the themes, one per line, with their audience.")

    s = sub.add_parser("schema", help="print the JSON Schema of briefs or themes", description=(
        "Print the JSON Schema that editors use to complete and check brief (or theme) files."))
    s.add_argument("kind", nargs="?", choices=("brief", "theme"), default="brief")
    return p


def _print_problems(lines: Sequence[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def cmd_check(args) -> int:
    from .docprops import core_text
    from .loader import load_brief

    files = args.files or default_briefs()
    status, invalid, warned = 0, 0, 0
    for path in files:
        try:
            brief, warnings = load_brief(path)
        except InputError as exc:
            _print_problems(exc.lines())
            status, invalid = EXIT_INPUT, invalid + 1
            continue
        warnings = warnings + core_text(brief)[1]  # what the build will say about document properties
        _print_problems([str(w) for w in warnings])
        warned += len(warnings)
        if warnings and args.strict:
            status = EXIT_INPUT
    found = [f"{invalid} invalid"] if invalid else []
    found += [_count(warned, "warning")] if warned else []
    print(f"checked {_count(len(files), 'brief')}: {', '.join(found) or 'no problems'}")
    return status


def default_briefs() -> list[Path]:
    """``source/*.yaml`` under the current directory, sorted; an ``InputError`` if there is none."""
    found = sorted(Path("source").glob("*.yaml"))
    if not found:
        raise InputError([Diagnostic("source", 0, 0, "no brief given, and no source/*.yaml in the current directory")])
    return found


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def cmd_build(args) -> int:
    from .build import build_brief
    from .loader import load_brief
    from .registry import FORMATS
    from .theme import load_theme

    formats = args.to or list(FORMATS)
    theme, theme_warnings = load_theme(args.theme)  # an unknown theme fails before any brief is read
    out_dir = args.out or Path("out") / theme.name
    status = 0
    for path in args.files:
        start = time.perf_counter()
        try:
            brief, warnings = load_brief(path)
            result = build_brief(brief, theme, out_dir, formats, strict=args.strict,
                                 warnings=warnings + theme_warnings)
        except InputError as exc:
            _print_problems(exc.lines())
            status = max(status, EXIT_INPUT)
            continue
        except (BuildError, EnvironmentFailure) as exc:
            _print_problems([f"{path}: error: {exc}"])
            status = max(status, EXIT_BUILD)
            continue
        _print_problems([str(w) for w in result.warnings])
        if not args.quiet:
            names = ", ".join(str(p) for p in result.outputs)
            print(f"built {names} in {time.perf_counter() - start:.2f} s")
    return status


def cmd_verify(args) -> int:
    from .loader import load_brief
    from .registry import FORMATS
    from .theme import load_theme
    from .verify import table, verify

    theme, _ = load_theme(args.theme)
    out_dir = args.out or Path("out") / theme.name
    status = 0
    for path in args.files:
        brief, _ = load_brief(path)
        results = verify(brief, theme, out_dir, args.to or list(FORMATS), render=not args.no_render)
        print(f"{path} ({args.theme}):")
        print(table(results))
        if not all(r.ok for r in results):
            status = EXIT_BUILD
    return status


def cmd_watch(args) -> int:
    from .theme import load_theme
    from .watch import watch

    theme, _ = load_theme(args.theme)
    watch(args.files, args.theme, args.out or Path("out") / theme.name)
    return 0


def cmd_preview(args) -> int:
    from .preview import preview
    from .theme import load_theme

    theme, _ = load_theme(args.theme)
    out_dir = args.out or Path("out") / theme.name
    for sheet in preview(out_dir, [p.stem for p in args.files]):
        print(f"wrote {sheet}")
    return 0


def cmd_themes(args) -> int:
    from .theme import available, load_theme

    for name in available():
        theme, _ = load_theme(name)
        print(f"{name:<14} {theme.audience}")
    return 0


def cmd_schema(args) -> int:
    if args.kind == "theme":
        from .theme import json_schema_text
    else:
        from .loader import json_schema_text
    sys.stdout.write(json_schema_text())
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, so that it cleans up as after Ctrl-C (children, partial files)."""


def _on_sigterm(signum, frame):
    raise Terminated


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the ``brief`` command line; returns the exit status."""
    previous = None
    try:
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread (an embedding program): leave its signals alone
            pass
        return _main(argv)
    except KeyboardInterrupt as exc:  # before or after a command ran (start-up, argument parsing)
        return _interrupted(exc, None)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _interrupted(exc: KeyboardInterrupt, command: Optional[str]) -> int:
    if isinstance(exc, Terminated):
        _print_problems(["terminated; previous outputs left as they were"])
        return 128 + signal.SIGTERM
    if command != "watch":
        _print_problems(["interrupted; previous outputs left as they were"])
    return 130


def _main(argv: Optional[Sequence[str]]) -> int:
    args = _parser().parse_args(argv)
    handler = {"check": cmd_check, "build": cmd_build, "verify": cmd_verify, "watch": cmd_watch,
               "preview": cmd_preview, "themes": cmd_themes, "schema": cmd_schema}[args.command]
    try:
        return handler(args)
    except InputError as exc:
        _print_problems(exc.lines())
        return EXIT_INPUT
    except ThemeNotFound as exc:
        _print_problems([f"error: {exc}"])
        return EXIT_INPUT
    except MissingDependency as exc:
        _print_problems([f"error: {exc}"])
        return EXIT_MISSING
    except BriefError as exc:
        _print_problems([f"error: {exc}"])
        return EXIT_BUILD
    except KeyboardInterrupt as exc:
        return _interrupted(exc, args.command)
