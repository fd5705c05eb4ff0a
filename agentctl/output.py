"""Writing to a stream: styled with rich on a terminal, plain text (no ANSI) otherwise.

Plain mode applies when the stream is not a TTY or `NO_COLOR` is set, so pipes, files
and CI logs get text that `grep`/`awk` can use. Data is never parsed as rich markup, so
a `[bold]` inside a model's answer is printed as-is. Nor does a control character in data
reach the terminal: an escape sequence in a reply could clear the screen, retitle the window or
write the clipboard, so each is shown as `\\x1b`-style text instead.
"""

import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich.console import Console, RenderableType
from rich.highlighter import JSONHighlighter
from rich.table import Table
from rich.text import Text

# Plain mode never wraps: a line of output is one line of data.
PLAIN_WIDTH = 100_000
# C0 controls but tab and line feed, DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What json.dumps(ensure_ascii=False) leaves raw: it escapes C0 itself, not DEL or C1 (0x9b is CSI).
_JSON_CONTROL = re.compile(r"[\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with each terminal control character written out as an escape, e.g. `\\x1b`; a
    carriage return ending a line (CRLF) is dropped, any other would write over the line shown."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text.replace("\r\n", "\n"))


def json_text(value: Any, **options: Any) -> str:
    """`value` as JSON with every control character \\u-escaped: the same data, safe on a terminal."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class Output:
    """One destination (stdout or stderr) and the mode it is written in."""

    def __init__(self, stream: TextIO, *, interactive: bool) -> None:
        self.stream = stream
        self.interactive = interactive
        if interactive:
            self.console = Console(file=stream, markup=False, highlight=False)
        else:
            self.console = Console(
                file=stream,
                markup=False,
                highlight=False,
                color_system=None,
                force_terminal=False,
                soft_wrap=True,
                width=PLAIN_WIDTH,
            )

    @classmethod
    def for_stream(cls, stream: TextIO, environ: Mapping[str, str] = os.environ) -> "Output":
        """Interactive only on a TTY without `NO_COLOR` (any non-empty value, per no-color.org)."""
        return cls(stream, interactive=_is_tty(stream) and not environ.get("NO_COLOR"))

    @staticmethod
    def text(text: str, style: str | None = None) -> Text:
        """Data as rich text: never read as markup, control characters shown as escapes."""
        return Text(printable(text), style=style or "")

    def line(self, text: str, style: str | None = None) -> None:
        """Print one line of text; `style` applies only in interactive mode."""
        self.console.print(self.text(text, style))

    def write(self, text: str, style: str | None = None) -> None:
        """Text without a line break (words as they arrive), flushed at once."""
        self.console.print(self.text(text, style), end="")
        self.stream.flush()

    def shares_destination(self, other: "Output") -> bool:
        """Whether both reach the same terminal, file or pipe (stdout and stderr on one screen or in
        one log), so a line one of them leaves open is in the way of the other's next line."""
        if self.stream is other.stream:
            return True
        try:
            mine, theirs = os.fstat(self.stream.fileno()), os.fstat(other.stream.fileno())
        except (AttributeError, OSError, ValueError):  # no descriptor (StringIO), or closed
            return False
        return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)

    def render(self, renderable: RenderableType) -> None:
        self.console.print(renderable)

    def json_line(self, value: Any) -> None:
        """One compact JSON document on one line: the machine-readable contract of `--json`."""
        self.stream.write(json_text(value, separators=(",", ":")) + "\n")
        self.stream.flush()

    def pretty_json(self, value: Any) -> None:
        text = json_text(value, indent=2)
        if self.interactive:  # coloured as print_json does, which would parse and re-dump it raw
            self.console.print(JSONHighlighter()(Text(text)), soft_wrap=True)
        else:
            self.line(text)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A rich table on a terminal; aligned columns without borders otherwise."""
        if self.interactive:
            table = Table(*headers, header_style="bold")
            for row in rows:
                table.add_row(*(self.text(cell) for cell in row))
            self.console.print(table)
            return
        widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
        for row in (headers, *rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.line("  ".join(cells).rstrip())


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
