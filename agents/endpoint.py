"""Where the model calls go, as an error message names it: the provider's own settings and values.

A failed model call is fixed by changing a setting, so its error names the setting and the value in
use: `model 'gpt-4o' (OPENAI_MODEL)`, `the model endpoint https://host/v1 (OPENAI_BASE_URL)`. It
never names a secret: the configured key and any bearer token are redacted from every message (a
server may echo the key in its error text, and the message is kept in the run's document, events and
steps and in the logs); a URL with user info is refused at start (`agents/settings.py`).

`ModelSettings.endpoint` builds the one for the configured provider; `UNNAMED` stands in where no
settings are known. This module imports nothing of the app's, so `agents.errors` and
`agents.settings` can both use it.
"""

import re
from dataclasses import dataclass, field

REDACTED = "[redacted]"
# Shorter "keys" are placeholders a local server ignores ("none", "x"); hiding every "x" in a message
# would garble it while protecting nothing.
MIN_SECRET_CHARS = 8
# A bearer token in an Authorization header a server echoes back: the key, the Entra token (long: a
# "bearer token" in prose is left alone).
_BEARER = re.compile(r"(?i)(\bbearer\s+)[\w.~+/=-]{16,}")


@dataclass(frozen=True)
class ModelEndpoint:
    """The model in use and where its requests go, with the settings that choose them.

    `credential_hint` says what to check after a 401, `access_hint` after a 403. `secrets` are
    redacted from every message; they never appear in `repr`.
    """

    model: str = ""
    model_setting: str = "AZURE_OPENAI_MODEL / OPENAI_MODEL"
    url: str = ""
    url_setting: str = "AZURE_OPENAI_ENDPOINT / OPENAI_BASE_URL"
    credential_hint: str = "the API key or `az login` / the managed identity"
    access_hint: str = "the identity needs the Cognitive Services OpenAI User role"
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def where(self) -> str:
        """`the model endpoint <url> (<setting>)`, or just `the model endpoint` when unknown."""
        return f"the model endpoint {self.url} ({self.url_setting})" if self.url else "the model endpoint"

    @property
    def model_named(self) -> str:
        """`model '<name>' (<setting>)`, or `the model (<settings>)` when unknown."""
        name = f"model {self.model!r}" if self.model else "the model"
        return f"{name} ({self.model_setting})"

    def redact(self, text: str) -> str:
        """`text` with every secret and bearer token replaced by `[redacted]`."""
        for secret in self.secrets:
            if len(secret) >= MIN_SECRET_CHARS:
                text = text.replace(secret, REDACTED)
        return _BEARER.sub(rf"\g<1>{REDACTED}", text)

    def exposes_secret(self, text: str) -> bool:
        """True when `text` holds something `redact` would hide."""
        return self.redact(text) != text


UNNAMED = ModelEndpoint()
