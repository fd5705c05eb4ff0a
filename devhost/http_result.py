"""A `str` returned by an HTTP function, as the host's HttpBinding.CreateResult turns it into a response.

The worker sends a `str` return as string TypedData; the host binds it to the `http` output with
HttpBinding (WebJobs.Script/Binding/Http/HttpBinding.cs), which first tries to read it as JSON:
- a JSON object with a `body` key (any case) is a response object: the body is `body`, the status
  `statusCode` or `status` (an integer or a string of one), the headers `headers`;
- any other JSON object or array is written as Newtonsoft's `ToString()`, i.e. indented;
- a JSON scalar is written as its .NET `ToString()` (`"hi"` loses its quotes, `true` is `True`);
- text that is not JSON is written as it is.
Bodies go through the StringOutputFormatter: `text/plain; charset=utf-8` unless a header sets it.
Not reproduced: `enableContentNegotiation`, Newtonsoft's reading of ISO dates as DateTime, and a
`body` that is a JSON array (the host writes its .NET type name; here it is JSON).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

_PLAIN_TEXT = "text/plain; charset=utf-8"


def string_result(text: str) -> web.Response:
    """The response the host writes for a function's `str` return value."""
    try:
        content = json.loads(text)
    except ValueError:
        return _text(200, text, {})
    if isinstance(content, dict):
        body_key = next((k for k in content if k.lower() == "body"), None)
        if body_key is not None:
            return _text(_status(content), _dotnet_text(content[body_key], indent=None), _headers(content))
    return _text(200, _dotnet_text(content, indent=2), {})


def _value(response: dict[str, Any], name: str) -> Any:
    return next((v for k, v in response.items() if k.lower() == name.lower()), None)


def _status(response: dict[str, Any]) -> int:
    """TryParseStatusCode: `statusCode`, else `status`; an integer, or a string holding one; else 200."""
    value = _value(response, "statusCode")
    value = _value(response, "status") if value is None else value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return 200


def _headers(response: dict[str, Any]) -> dict[str, str]:
    headers = _value(response, "headers")
    if not isinstance(headers, dict):
        return {}
    return {str(k): _dotnet_text(v, indent=None) for k, v in headers.items() if v is not None}


def _dotnet_text(value: Any, *, indent: int | None) -> str:
    """`ToString()` of what Newtonsoft read: objects as JSON (bodies compact), scalars as .NET prints them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)  # "True"/"False", as .NET prints booleans
    if isinstance(value, dict | list):
        separators = (",", ": ") if indent else (",", ":")
        return json.dumps(value, indent=indent, ensure_ascii=False, separators=separators)
    return str(value)


def _text(status: int, body: str, headers: dict[str, str]) -> web.Response:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), _PLAIN_TEXT)
    others = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return web.Response(status=status, body=body.encode(), headers={**others, "Content-Type": content_type})
