"""The headers App Service authentication (Easy Auth) sets for a signed-in Microsoft Entra ID user."""

import base64
import json


def principal_headers(name: str, *roles: str) -> dict[str, str]:
    """`X-MS-CLIENT-PRINCIPAL` (base64 JSON of the token's claims) and `X-MS-CLIENT-PRINCIPAL-NAME`."""
    claims = [{"typ": "name", "val": name}] + [{"typ": "roles", "val": role} for role in roles]
    document = {"auth_typ": "aad", "claims": claims, "name_typ": "name", "role_typ": "roles"}
    encoded = base64.b64encode(json.dumps(document).encode()).decode()
    return {"X-MS-CLIENT-PRINCIPAL": encoded, "X-MS-CLIENT-PRINCIPAL-NAME": name}
