"""Where the model calls go, as an error message names it: the provider's own settings and values.

A failed model call is fixed by changing a setting, so its error names the setting and the value in
use: `model 'gpt-4o' (OPENAI_MODEL)`, `the model endpoint https://host/v1 (OPENAI_BASE_URL)`, and
for a 401 the setting that holds the key (never the key itself).

`ModelSettings.endpoint` builds the one for the configured provider; `UNNAMED` stands in where no
settings are known. This module imports nothing of the app's, so `agents.errors` and
`agents.settings` can both use it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ModelEndpoint:
    """The model in use and where its requests go, with the settings that choose them.

    `credential_hint` says what to check after a 401, `access_hint` after a 403.
    """

    model: str = ""
    model_setting: str = "AZURE_OPENAI_MODEL / OPENAI_MODEL"
    url: str = ""
    url_setting: str = "AZURE_OPENAI_ENDPOINT / OPENAI_BASE_URL"
    credential_hint: str = "the API key or `az login` / the managed identity"
    access_hint: str = "the identity needs the Cognitive Services OpenAI User role"

    @property
    def where(self) -> str:
        """`the model endpoint <url> (<setting>)`, or just `the model endpoint` when unknown."""
        return f"the model endpoint {self.url} ({self.url_setting})" if self.url else "the model endpoint"

    @property
    def model_named(self) -> str:
        """`model '<name>' (<setting>)`, or `the model (<settings>)` when unknown."""
        name = f"model {self.model!r}" if self.model else "the model"
        return f"{name} ({self.model_setting})"


UNNAMED = ModelEndpoint()
