"""ASP.NET-style route templates for HTTP triggers: parsing, matching and precedence.

The Functions host routes HTTP triggers with ASP.NET Core routing, so an app's routes only behave the
same locally if we follow its rules: literal segments match case-insensitively, `{name}` takes one
segment, `{name?}` and `{name=default}` may be left out at the end, `{*rest}` takes the remainder,
`{name:int}`-style constraints filter values, and when several templates match, the most specific one
wins (literal beats constrained parameter beats parameter beats catch-all, segment by segment).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from urllib.parse import unquote

Target = TypeVar("Target")


class RouteError(ValueError):
    """A route template that cannot be parsed or uses an unknown constraint."""


_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?|\([0-9a-fA-F-]{36}\)")


def _in_range(value: str, low: int, high: int) -> bool:
    return bool(_INTEGER.fullmatch(value)) and low <= int(value) <= high


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _ints(args: list[str], count: int, name: str) -> list[int]:
    if len(args) != count or not all(_INTEGER.fullmatch(a) for a in args):
        raise RouteError(f"constraint '{name}' takes {count} integer argument(s), got {args}")
    return [int(a) for a in args]


def _length(args: list[str]) -> Callable[[str], bool]:
    if len(args) == 1:
        (exact,) = _ints(args, 1, "length")
        return lambda v: len(v) == exact
    low, high = _ints(args, 2, "length")
    return lambda v: low <= len(v) <= high


def _at_least(n: int) -> Callable[[str], bool]:
    return lambda v: len(v) >= n


def _at_most(n: int) -> Callable[[str], bool]:
    return lambda v: len(v) <= n


def _regex(args: list[str]) -> Callable[[str], bool]:
    pattern = re.compile(",".join(args), re.IGNORECASE)  # ASP.NET: IsMatch, not anchored
    return lambda v: pattern.search(v) is not None


def _int_bounds(name: str, count: int) -> Callable[[list[str]], Callable[[str], bool]]:
    """Factory for `min(n)`, `max(n)` and `range(low,high)`: the value must be a long within bounds."""

    def build(args: list[str]) -> Callable[[str], bool]:
        bounds = _ints(args, count, name)
        low = bounds[0] if name != "max" else _INT64[0]
        high = bounds[-1] if name != "min" else _INT64[1]
        return lambda v: _in_range(v, low, high)

    return build


# Each factory takes the constraint's arguments and returns a predicate over the segment value.
_CONSTRAINTS: dict[str, Callable[[list[str]], Callable[[str], bool]]] = {
    "int": lambda _: lambda v: _in_range(v, *_INT32),
    "long": lambda _: lambda v: _in_range(v, *_INT64),
    "bool": lambda _: lambda v: v.strip().lower() in ("true", "false"),
    "guid": lambda _: lambda v: bool(_GUID.fullmatch(v.strip())),
    "alpha": lambda _: lambda v: bool(re.fullmatch(r"[A-Za-z]*", v)),
    "double": lambda _: lambda v: bool(_NUMBER.fullmatch(v)),
    "float": lambda _: lambda v: bool(_NUMBER.fullmatch(v)),
    "decimal": lambda _: lambda v: bool(_NUMBER.fullmatch(v)),
    "datetime": lambda _: _is_datetime,
    "required": lambda _: lambda v: v != "",
    "minlength": lambda a: _at_least(_ints(a, 1, "minlength")[0]),
    "maxlength": lambda a: _at_most(_ints(a, 1, "maxlength")[0]),
    "length": _length,
    "min": _int_bounds("min", 1),
    "max": _int_bounds("max", 1),
    "range": _int_bounds("range", 2),
    "regex": _regex,
}


@dataclass(frozen=True)
class _Parameter:
    name: str
    optional: bool
    catch_all: bool
    default: str | None
    checks: tuple[Callable[[str], bool], ...]

    def accepts(self, value: str) -> bool:
        return all(check(value) for check in self.checks)


Part = str | _Parameter


@dataclass(frozen=True)
class _Segment:
    parts: tuple[Part, ...]
    pattern: re.Pattern[str] | None  # only for complex segments such as `{name}.{ext}`

    @property
    def parameter(self) -> _Parameter | None:
        only = self.parts[0] if len(self.parts) == 1 else None
        return only if isinstance(only, _Parameter) else None

    @property
    def precedence(self) -> int:
        """ASP.NET inbound precedence digit: lower is more specific."""
        param = self.parameter
        if param is None:
            return 2 if self.pattern is not None else 1
        if param.catch_all:
            return 5
        return 3 if param.checks else 4


def _split_parameter_body(body: str) -> list[str]:
    """Split `name:c1(a,b):c2` on colons that are not inside a constraint's parentheses."""
    pieces, depth, current = [], 0, ""
    for char in body:
        if char == ":" and depth == 0:
            pieces.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    pieces.append(current)
    return pieces


def _parse_parameter(body: str, template: str) -> _Parameter:
    name, *constraint_texts = _split_parameter_body(body)
    catch_all = name.startswith("*")
    name = name.lstrip("*")
    default = None
    if "=" in name:
        name, default = name.split("=", 1)
    optional = name.endswith("?")
    name = name.rstrip("?")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise RouteError(f"route '{template}': bad parameter name in '{{{body}}}'")
    checks = []
    for text in constraint_texts:
        match = re.fullmatch(r"(\w+)(?:\((.*)\))?", text, re.DOTALL)
        factory = _CONSTRAINTS.get(match.group(1).lower()) if match else None
        if match is None or factory is None:
            raise RouteError(f"route '{template}': unknown constraint '{text}' on parameter '{name}'")
        args = [] if match.group(2) is None else match.group(2).split(",")
        checks.append(factory(args))
    return _Parameter(name, optional or catch_all, catch_all, default, tuple(checks))


def _parse_segment(text: str, template: str) -> _Segment:
    parts: list[Part] = []
    literal, i = "", 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            literal, i = literal + text[i], i + 2
            continue
        if text[i] != "{":
            literal, i = literal + text[i], i + 1
            continue
        end, depth = i + 1, 0
        while end < len(text) and (text[end] != "}" or depth > 0):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if end >= len(text):
            raise RouteError(f"route '{template}': unclosed '{{' in segment '{text}'")
        if literal:
            parts.append(literal)
            literal = ""
        parts.append(_parse_parameter(text[i + 1 : end], template))
        i = end + 1
    if literal:
        parts.append(literal)
    if len(parts) <= 1:
        return _Segment(tuple(parts), None)
    # Unnamed groups, in order: a repeated name is refused by RouteTemplate with ASP.NET's message.
    regex = "".join("(.+)" if isinstance(p, _Parameter) else re.escape(p) for p in parts)
    return _Segment(tuple(parts), re.compile(regex, re.IGNORECASE | re.DOTALL))


class RouteTemplate:
    """One parsed route template; `match` returns route values or None."""

    def __init__(self, template: str) -> None:
        self.template = template.strip("/")
        texts = self.template.split("/") if self.template else []
        self.segments = [_parse_segment(t, template) for t in texts]
        for segment in self.segments[:-1]:
            if segment.parameter is not None and segment.parameter.catch_all:
                raise RouteError(f"route '{template}': a catch-all parameter must be the last segment")
        _reject_repeated_parameters(self.segments, template)
        self.precedence = tuple(s.precedence for s in self.segments)

    def match(self, path_segments: list[str]) -> dict[str, str] | None:
        values: dict[str, str] = {}
        for index, segment in enumerate(self.segments):
            param = segment.parameter
            if param is not None and param.catch_all:
                rest = "/".join(path_segments[index:])
                return self._accept_catch_all(param, rest, values)
            if index >= len(path_segments):
                return self._accept_missing(self.segments[index:], values)
            if not _match_segment(segment, path_segments[index], values):
                return None
        return values if len(path_segments) == len(self.segments) else None

    @staticmethod
    def _accept_catch_all(param: _Parameter, rest: str, values: dict[str, str]) -> dict[str, str] | None:
        value = rest or param.default
        if value is None:
            return values
        if not param.accepts(value):
            return None
        return {**values, param.name: value}

    @staticmethod
    def _accept_missing(remaining: list[_Segment], values: dict[str, str]) -> dict[str, str] | None:
        for segment in remaining:
            param = segment.parameter
            if param is None or not (param.optional or param.default is not None):
                return None
            if param.default is not None:
                values[param.name] = param.default
        return values


def _reject_repeated_parameters(segments: list[_Segment], template: str) -> None:
    """ASP.NET's template parser refuses a parameter name used twice, comparing names ignoring case."""
    seen: set[str] = set()
    for part in (p for segment in segments for p in segment.parts if isinstance(p, _Parameter)):
        if part.name.lower() in seen:
            raise RouteError(
                f"route '{template}': The route parameter name '{part.name}' appears more than one time "
                "in the route template."
            )
        seen.add(part.name.lower())


def _match_segment(segment: _Segment, value: str, values: dict[str, str]) -> bool:
    param = segment.parameter
    if param is not None:
        if value == "" or not param.accepts(value):
            return False
        values[param.name] = value
        return True
    if segment.pattern is None:
        return value.lower() == str(segment.parts[0]).lower()
    found = segment.pattern.fullmatch(value)
    if found is None:
        return False
    params = [p for p in segment.parts if isinstance(p, _Parameter)]
    found_values = dict(zip((p.name for p in params), found.groups(), strict=True))
    if not all(p.accepts(found_values[p.name]) for p in params):
        return False
    values.update(found_values)
    return True


_ENCODED_SLASH = re.compile(r"(%2[fF])")


def _decode_segment(raw: str) -> str:
    """Percent-decode a path segment as Kestrel does: everything but `%2F`, which stays encoded."""
    return "".join(p if _ENCODED_SLASH.fullmatch(p) else unquote(p) for p in _ENCODED_SLASH.split(raw))


@dataclass(frozen=True)
class Route(Generic[Target]):
    """A template bound to what it serves and the methods it accepts (None = every method)."""

    template: RouteTemplate
    methods: frozenset[str] | None
    target: Target


class RouteTable(Generic[Target]):
    """All HTTP routes of an app under one prefix, tried most specific first."""

    def __init__(self, prefix: str, routes: Iterable[Route[Target]]) -> None:
        self.prefix = [s for s in prefix.strip("/").split("/") if s]
        self.routes = sorted(routes, key=lambda r: (r.template.precedence, r.template.template.lower()))

    def resolve(self, method: str, raw_path: str) -> tuple[Route[Target], dict[str, str]] | None:
        """Find the route for a request; a path that matches only with another method is no match."""
        segments = [_decode_segment(s) for s in raw_path.strip("/").split("/")] if raw_path.strip("/") else []
        if [s.lower() for s in segments[: len(self.prefix)]] != [p.lower() for p in self.prefix]:
            return None
        rest = segments[len(self.prefix) :]
        for route in self.routes:
            if route.methods is not None and method.upper() not in route.methods:
                continue
            values = route.template.match(rest)
            if values is not None:
                return route, values
        return None
