"""Entry point of `agentctl` (console script) and `python -m agentctl`.

Turns every `CliError` into one line on stderr and its exit code, so users never see a
traceback for a refused connection or an API error. Like `gh`, the connection options
`--url` and `--key` may be written anywhere on the command line; they are moved in
front of the subcommand, where the parser expects them. Typer's help and usage errors
follow the same plain-or-styled rule as the rest of the output.
"""

import sys
from collections.abc import Sequence

from agentctl.cli import app
from agentctl.errors import CliError
from agentctl.output import Output, printable

GLOBAL_OPTIONS = ("--url", "--key")


def main(argv: Sequence[str] | None = None) -> None:
    """Run one command and exit with its code."""
    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    # Typer's own help and usage errors use rich panels; keep them to terminals that want styling.
    app.rich_markup_mode = "rich" if Output.for_stream(sys.stdout).interactive else None
    try:
        app(args=args, prog_name="agentctl")
    except CliError as error:
        print(f"agentctl: {printable(error.message)}", file=sys.stderr)
        sys.exit(error.exit_code)


def hoist_global_options(args: list[str]) -> list[str]:
    """Move `--url X`, `--url=X`, `--key X`, `--key=X` to the front; `--` ends option parsing."""
    hoisted: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in GLOBAL_OPTIONS and index + 1 < len(args):
            hoisted.extend(args[index : index + 2])
            index += 2
            continue
        (hoisted if arg.split("=", 1)[0] in GLOBAL_OPTIONS and "=" in arg else rest).append(arg)
        index += 1
    return hoisted + rest


if __name__ == "__main__":
    main()
