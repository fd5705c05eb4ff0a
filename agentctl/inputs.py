"""Reading a workflow's input from `--input`: inline JSON, `@file.json`, or `@-` for stdin."""

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from agentctl.errors import UsageProblem


def parse_input(raw: str, stdin: TextIO | None = None) -> dict[str, Any]:
    """Return the input object; every workflow takes a JSON object, so anything else is a usage error."""
    if raw.startswith("@"):
        text, origin = _read_reference(raw[1:], stdin or sys.stdin)
    else:
        text, origin = raw, "--input"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageProblem(
            f"{origin} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from error
    if not isinstance(value, dict):
        raise UsageProblem(f"{origin} must be a JSON object, got {type(value).__name__}")
    return value


def _read_reference(target: str, stdin: TextIO) -> tuple[str, str]:
    if target == "-":
        return stdin.read(), "--input @- (stdin)"
    path = Path(target)
    try:
        return path.read_text(encoding="utf-8"), f"--input file {target}"
    except OSError as error:
        raise UsageProblem(f"--input file {target} cannot be read: {error.strerror or error}") from error
