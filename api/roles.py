"""Who may decide for a run: with Entra ID on, only principals holding the `Runs.Approver` app role.

App Service authentication (Easy Auth) validates the caller before Python sees the request, sets
`WEBSITE_AUTH_ENABLED=True` in the app's environment and passes the caller as
`X-MS-CLIENT-PRINCIPAL` (base64 JSON with the token's claims) and `X-MS-CLIENT-PRINCIPAL-NAME`,
stripping any copy a client sends. Only then are those headers evidence; without authentication they
are caller input, so no role is checked and the body's `approver` is recorded as given. Every way to
approve, reject or answer a run (HTTP, MCP, the page) calls `decision_maker` with its headers.
"""

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.errors import ApiError

APPROVER_ROLE = "Runs.Approver"
PRINCIPAL_HEADER = "X-MS-CLIENT-PRINCIPAL"
PRINCIPAL_NAME_HEADER = "X-MS-CLIENT-PRINCIPAL-NAME"
_ROLE_CLAIMS = frozenset({"roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"})
_NAME_CLAIMS = ("preferred_username", "name", "upn", "email")


@dataclass(frozen=True)
class Principal:
    """The signed-in caller as Easy Auth describes it."""

    name: str
    roles: frozenset[str]


def authentication_enabled() -> bool:
    """Whether App Service authentication runs in front of the app (the platform sets this)."""
    return os.environ.get("WEBSITE_AUTH_ENABLED", "").strip().lower() == "true"


def signed_in_principal(headers: Mapping[str, str]) -> Principal | None:
    """The platform-verified caller, or None when authentication is off or nobody is signed in."""
    if not authentication_enabled():
        return None
    claims_doc = _decoded(_header(headers, PRINCIPAL_HEADER))
    name = _header(headers, PRINCIPAL_NAME_HEADER) or _claim_name(claims_doc)
    if not name and not claims_doc:
        return None
    return Principal(name=name or "unknown", roles=_roles(claims_doc))


def decision_maker(headers: Mapping[str, str], claimed: str | None) -> str | None:
    """Who is deciding: the signed-in approver (403 without the role) or, with auth off, `claimed`."""
    if not authentication_enabled():
        return claimed
    principal = signed_in_principal(headers)
    if principal is None:
        raise ApiError(403, "forbidden", f"sign in with a principal holding the app role {APPROVER_ROLE}")
    if APPROVER_ROLE not in principal.roles:
        raise ApiError(
            403, "forbidden", f"'{principal.name}' lacks the app role {APPROVER_ROLE} needed to decide runs"
        )
    return principal.name


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return (value or "").strip()
    return ""


def _decoded(raw: str) -> dict[str, Any]:
    """The principal document, or {} when the header is absent or not base64 JSON."""
    if not raw:
        return {}
    try:
        document = json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _claims(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(claim.get("typ")), str(claim.get("val")))
        for claim in document.get("claims") or []
        if isinstance(claim, dict) and claim.get("val") is not None
    ]


def _roles(document: dict[str, Any]) -> frozenset[str]:
    role_types = _ROLE_CLAIMS | {str(document.get("role_typ") or "roles")}
    return frozenset(value for kind, value in _claims(document) if kind in role_types)


def _claim_name(document: dict[str, Any]) -> str:
    claims = dict(_claims(document))
    for kind in (str(document.get("name_typ") or ""), *_NAME_CLAIMS):
        if claims.get(kind):
            return claims[kind]
    return ""
