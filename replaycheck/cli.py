"""Command line: `python -m replaycheck [PATH ...]`, exit 1 on findings, 0 when clean, 2 on usage errors."""

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from replaycheck.linter import lint
from replaycheck.report import format_summary
from replaycheck.rules import format_rule_table

APP_FILE = "function_app.py"
# Folders never worth scanning when a directory is given: caches, VCS data, virtualenvs.
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept separate so `--help` documents every option in one place)."""
    parser = argparse.ArgumentParser(
        prog="python -m replaycheck",
        description=(
            "Find non-deterministic code in Durable Functions orchestrators and the helpers they call. "
            f"Without PATH, checks ./{APP_FILE} and every project module it imports."
        ),
        epilog="Silence one line with `# replaycheck: ignore[RC001,RC005]` (bare `ignore` silences all).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="Python files or folders to check")
    parser.add_argument(
        "--min-orchestrators",
        type=int,
        default=0,
        metavar="N",
        help="exit 1 when fewer than N orchestrators are found (guards against a check of nothing)",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule table and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the linter and return the exit code: 1 findings or too few orchestrators, 0 clean, 2 usage."""
    parser = build_parser()
    cwd = Path.cwd()
    try:
        args = parser.parse_args(argv)
        if args.list_rules:
            print(format_rule_table())
            return 0
        entry_files, roots = entry_points(args.paths, cwd, parser)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    result = lint(entry_files, roots)
    for finding in sorted(result.findings, key=lambda finding: finding.sort_key(cwd)):
        print(finding.format(cwd))
    for registration in result.unresolved:
        print(registration.warning(cwd), file=sys.stderr)
    print(
        format_summary(result.orchestrators, result.helpers, result.files, len(result.findings)),
        file=sys.stderr,
    )
    if result.orchestrators < args.min_orchestrators:
        print(
            f"replaycheck: found {result.orchestrators} orchestrators, "
            f"fewer than --min-orchestrators {args.min_orchestrators}",
            file=sys.stderr,
        )
        return 1
    return 1 if result.findings else 0


def entry_points(
    raw_paths: list[str], cwd: Path, parser: argparse.ArgumentParser
) -> tuple[list[Path], list[Path]]:
    """The files to scan and the import roots: the app by default, else the given files and folders."""
    if not raw_paths:
        app = cwd / APP_FILE
        if not app.is_file():
            parser.error(f"no PATH given and no {APP_FILE} in {cwd}")
        return [app], [cwd]
    files: list[Path] = []
    roots = [cwd]
    for raw in raw_paths:
        path = cwd / raw
        if path.is_dir():
            files.extend(python_files(path))
            roots.append(path)
        elif path.is_file():
            files.append(path)
            roots.append(path.parent)
        else:
            parser.error(f"path not found: {raw}")
    return files, list(dict.fromkeys(root.resolve() for root in roots))


def python_files(folder: Path) -> Iterator[Path]:
    """`.py` files under a folder, skipping hidden folders, caches and virtualenvs, in sorted order."""
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in _SKIPPED_DIRS
            and not (Path(directory, name) / "pyvenv.cfg").exists()
        )
        yield from (Path(directory, name) for name in sorted(names) if name.endswith(".py"))
