"""Where the run API is and how to authenticate, from flags and the environment.

Precedence for the URL: `--url`, then `AGENTCTL_URL`, then `SERVICE_API_URI` (what
`azd env get-values` exports after `azd up`), then the local default. The key comes from
`--key` or `AGENTCTL_KEY` and is sent as `x-functions-key`, which Azure Functions checks
for function-level routes. The base URL may be given with or without its `/api` suffix.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from agentctl.errors import UsageProblem

DEFAULT_URL = "http://localhost:7071"
URL_SETTINGS = ("AGENTCTL_URL", "SERVICE_API_URI")
KEY_SETTING = "AGENTCTL_KEY"


@dataclass(frozen=True)
class Settings:
    """The resolved connection settings; `url_source` names where the URL came from for error messages."""

    api_base: str
    url_source: str
    key: str | None


def resolve_settings(url: str | None, key: str | None, environ: Mapping[str, str]) -> Settings:
    """Apply the precedence rules; empty values count as unset so `AGENTCTL_URL=` falls through."""
    raw_url, source = _first_set([("--url", url), *((name, environ.get(name)) for name in URL_SETTINGS)])
    if raw_url is None:
        raw_url, source = DEFAULT_URL, "default"
    raw_key, _ = _first_set([("--key", key), (KEY_SETTING, environ.get(KEY_SETTING))])
    return Settings(api_base=api_base_from(raw_url, source), url_source=source, key=raw_key)


def api_base_from(raw_url: str, source: str) -> str:
    """Normalise `https://host[/prefix][/api][/]` to `https://host[/prefix]/api`."""
    text = raw_url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageProblem(f"{source}={raw_url!r} is not an http(s) URL (example: {DEFAULT_URL})")
    if parts.query or parts.fragment:
        raise UsageProblem(f"{source}={raw_url!r} must not carry a query or fragment")
    path = parts.path.rstrip("/")
    path = path.removesuffix("/api")
    return f"{parts.scheme}://{parts.netloc}{path}/api"


def _first_set(candidates: list[tuple[str, str | None]]) -> tuple[str | None, str]:
    for name, value in candidates:
        if value is not None and value.strip():
            return value.strip(), name
    return None, ""
