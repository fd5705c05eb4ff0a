"""Reading JSON from an option (`--input`, `--response`): inline, `@file.json`, or `@-` for stdin."""

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from agentctl.errors import UsageProblem


def parse_input(raw: str, stdin: TextIO | None = None) -> dict[str, Any]:
    """Return the input object; every workflow takes a JSON object, so anything else is a usage error."""
    value, origin = parse_json(raw, "--input", stdin)
    if not isinstance(value, dict):
        raise UsageProblem(f"{origin} must be a JSON object, got {type(value).__name__}")
    return value


def parse_json(raw: str, option: str, stdin: TextIO | None = None) -> tuple[Any, str]:
    """Any JSON value from an option (inline, `@file` or `@-`), with where it came from for messages."""
    if raw.startswith("@"):
        text, origin = _read_reference(raw[1:], option, stdin or sys.stdin)
    else:
        text, origin = raw, option
    try:
        return json.loads(text), origin
    except json.JSONDecodeError as error:
        raise UsageProblem(
            f"{origin} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from error


def _read_reference(target: str, option: str, stdin: TextIO) -> tuple[str, str]:
    if target == "-":
        return stdin.read(), f"{option} @- (stdin)"
    path = Path(target)
    try:
        return path.read_text(encoding="utf-8"), f"{option} file {target}"
    except OSError as error:
        raise UsageProblem(f"{option} file {target} cannot be read: {error.strerror or error}") from error
