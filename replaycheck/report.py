"""Findings and how they are printed: `path:line:col: RCnnn message (hint: ...)`.

The format is the one editors, CI annotators and pre-commit already understand
(flake8/ruff style, 1-based columns), so a finding is one click away from the code.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from replaycheck.rules import RULES


class Located(Protocol):
    """A syntax node with a position: statements, expressions, arguments, keywords, handlers."""

    lineno: int
    col_offset: int


@dataclass(frozen=True)
class Finding:
    """One rule violation at a 1-based line and column of a file."""

    path: Path
    line: int
    col: int
    code: str
    message: str
    # A fix hint naming this finding's own subject (else the rule's), and how an orchestrator reaches it.
    hint: str = ""
    trail: str = ""

    @classmethod
    def at(cls, path: Path, node: Located, code: str, message: str, hint: str = "") -> "Finding":
        """A finding at a syntax node; ast columns are 0-based, printed columns 1-based."""
        return cls(path, node.lineno, node.col_offset + 1, code, message, hint)

    def display_path(self, cwd: Path) -> str:
        """The path relative to the working directory when it lies below it, so output is portable."""
        return display_path(self.path, cwd)

    def sort_key(self, cwd: Path) -> tuple[str, int, int, str]:
        """Order by path, then line, column and code, as the output promises."""
        return (self.display_path(cwd), self.line, self.col, self.code)

    def format(self, cwd: Path) -> str:
        """The printed line, including the rule's fix hint."""
        where = f"{self.display_path(cwd)}:{self.line}:{self.col}"
        trail = f" ({self.trail})" if self.trail else ""
        return f"{where}: {self.code} {self.message}{trail} (hint: {self.hint or RULES[self.code].hint})"


def display_path(path: Path, cwd: Path) -> str:
    """A path relative to `cwd` when it lies below it, so output is portable; else as it is."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return os.fspath(path)


def format_summary(orchestrators: int, helpers: int, files: int, findings: int) -> str:
    """The closing line: how much was checked, so a run that found nothing to check is visible."""
    return (
        f"replaycheck: checked {orchestrators} orchestrators ({helpers} helpers) "
        f"in {files} files, {findings} findings"
    )
