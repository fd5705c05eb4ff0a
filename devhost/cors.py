"""CORS as `func start` does it from local.settings.json's `Host.CORS` and `Host.CORSCredentials`.

Core Tools (Actions/HostActions/Startup.cs) puts ASP.NET Core's CORS middleware in front of the whole
host with `WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()` (plus `AllowCredentials()`), so:
a preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered 204 by the middleware
itself, with the CORS headers only when the origin is allowed; any other request with an allowed
Origin gets Access-Control-Allow-Origin (and -Credentials) on its response. `*` allows every origin,
and is answered `*` unless credentials are on; `*` with credentials is refused at start, as ASP.NET's
CorsPolicyBuilder refuses it. Without CORS settings there is no middleware: OPTIONS is routed as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ANY_ORIGIN = "*"
WILDCARD_WITH_CREDENTIALS = (
    "The CORS protocol does not allow specifying a wildcard (any) origin and credentials at the same time. "
    "Configure the CORS policy by listing individual origins if credentials needs to be supported."
)


class CorsError(ValueError):
    """A CORS configuration ASP.NET refuses to build."""


@dataclass(frozen=True)
class CorsPolicy:
    """The allowed origins (lower-cased, as ASP.NET normalises them) and whether credentials are allowed."""

    origins: frozenset[str]
    credentials: bool

    @classmethod
    def from_settings(cls, origins: tuple[str, ...], credentials: bool) -> CorsPolicy | None:
        """None when no origin is configured: Core Tools then adds no CORS middleware at all."""
        if not origins:
            return None
        policy = cls(frozenset(o.lower() for o in origins), credentials)
        if policy.any_origin and credentials:
            raise CorsError(WILDCARD_WITH_CREDENTIALS)
        return policy

    @property
    def any_origin(self) -> bool:
        return ANY_ORIGIN in self.origins

    @staticmethod
    def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
        """CorsMiddleware's test: OPTIONS carrying both Origin and Access-Control-Request-Method."""
        return (
            method.upper() == "OPTIONS" and "Origin" in headers and "Access-Control-Request-Method" in headers
        )

    def preflight_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """The headers of the middleware's 204 (none when the origin is not allowed)."""
        allowed = self.response_headers(headers)
        if not allowed:
            return {}
        allowed["Access-Control-Allow-Methods"] = headers["Access-Control-Request-Method"]
        requested = [h.strip() for h in headers.get("Access-Control-Request-Headers", "").split(",")]
        if any(requested):  # AllowAnyHeader echoes them, comma-joined as CorsService writes them
            allowed["Access-Control-Allow-Headers"] = ",".join(h for h in requested if h)
        return allowed

    def response_headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """What the middleware adds to a response for this request's Origin (none when not allowed)."""
        origin = headers.get("Origin")
        if origin is None or not (self.any_origin or origin.lower() in self.origins):
            return {}
        allowed = {
            "Access-Control-Allow-Origin": ANY_ORIGIN if self.any_origin and not self.credentials else origin
        }
        if self.credentials:
            allowed["Access-Control-Allow-Credentials"] = "true"
        if not self.any_origin and len(self.origins) > 1:
            allowed["Vary"] = "Origin"  # the answer depends on the request's Origin
        return allowed
