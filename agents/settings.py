"""Model settings read from the environment, validated once so start-up fails fast.

`function_app.py` calls `load_model_settings()` at import: a provider with a missing setting
stops the app with a message naming that setting instead of failing on the first agent call.
"""

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from agents.endpoint import UNNAMED, ModelEndpoint
from agents.errors import ConfigurationError

T = TypeVar("T")

PROVIDERS = ("offline", "azure_openai", "openai")
APIS = ("chat_completions", "responses")
OFFLINE_MODEL_ID = "offline-1"
# Where AGENT_MODEL_PROVIDER=openai sends requests when OPENAI_BASE_URL is unset (start-up logs it).
DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1"

# Settings each provider cannot work without, in the order a user would fill them in.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "offline": (),
    "azure_openai": ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_MODEL"),
    "openai": ("OPENAI_API_KEY", "OPENAI_MODEL"),
}


@dataclass(frozen=True)
class ModelSettings:
    """Everything the model factory and the activities need to know about the model.

    Frozen and hashable so it can key the per-process client cache: a changed environment
    (tests, a restarted worker) gets a fresh client instead of a stale one.
    """

    provider: str = "offline"
    api: str = "chat_completions"
    timeout_s: float = 120.0
    offline_delay_ms: float = 0.0
    azure_endpoint: str = ""
    azure_model: str = ""
    azure_client_id: str = ""
    openai_base_url: str = ""
    openai_api_key: str = field(default="", repr=False)
    openai_model: str = ""

    @property
    def model_name(self) -> str:
        """The model id reported in every AgentResult (`model`)."""
        if self.provider == "azure_openai":
            return self.azure_model
        if self.provider == "openai":
            return self.openai_model
        return OFFLINE_MODEL_ID

    @property
    def endpoint(self) -> ModelEndpoint:
        """The model and where its requests go, as error messages name them (never a secret)."""
        if self.provider == "azure_openai":
            return ModelEndpoint(
                model=self.azure_model,
                model_setting="AZURE_OPENAI_MODEL",
                url=self.azure_endpoint,
                url_setting="AZURE_OPENAI_ENDPOINT",
                credential_hint="`az login` locally; in Azure the managed identity (AZURE_CLIENT_ID)",
                access_hint="the identity needs the Cognitive Services OpenAI User role on this resource",
                secrets=(self.openai_api_key,),
            )
        if self.provider == "openai":
            return ModelEndpoint(
                model=self.openai_model,
                model_setting="OPENAI_MODEL",
                url=self.openai_base_url,
                url_setting="OPENAI_BASE_URL",
                credential_hint="OPENAI_API_KEY",
                access_hint=f"check that the key in OPENAI_API_KEY may use model {self.openai_model!r}",
                secrets=(self.openai_api_key,),
            )
        return UNNAMED


def load_model_settings(environ: Mapping[str, str] | None = None) -> ModelSettings:
    """Read and validate the model settings; raise `ConfigurationError` naming every bad setting,
    one per line, so a user fixes them all in one go instead of one per start-up."""
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def read(name: str, default: str = "") -> str:
        return (env.get(name) or default).strip()

    def checked(validate: Callable[[], T], fallback: T) -> T:
        try:
            return validate()
        except ConfigurationError as error:
            problems.append(str(error))
            return fallback

    provider = checked(
        lambda: _choice(read("AGENT_MODEL_PROVIDER", "offline"), "AGENT_MODEL_PROVIDER", PROVIDERS), ""
    )
    api = checked(lambda: _choice(read("AGENT_MODEL_API", "chat_completions"), "AGENT_MODEL_API", APIS), "")
    missing = [name for name in _REQUIRED.get(provider, ()) if not read(name)]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        problems.append(f"{' and '.join(missing)} {verb} required when AGENT_MODEL_PROVIDER={provider}")
    # Only the provider in use reaches its endpoint: another provider's leftovers are not checked.
    if provider == "azure_openai" and "AZURE_OPENAI_ENDPOINT" not in missing:
        checked(lambda: _url(read("AZURE_OPENAI_ENDPOINT"), "AZURE_OPENAI_ENDPOINT"), "")
    if provider == "openai":
        checked(lambda: _url(read("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL), "OPENAI_BASE_URL"), "")
    timeout_s = checked(
        lambda: _number(read("AGENT_MODEL_TIMEOUT_S", "120"), "AGENT_MODEL_TIMEOUT_S", allow_zero=False), 0.0
    )
    offline_delay_ms = checked(
        lambda: _number(read("OFFLINE_MODEL_DELAY_MS", "0"), "OFFLINE_MODEL_DELAY_MS", allow_zero=True), 0.0
    )
    if problems:
        raise ConfigurationError("\n".join(problems))
    return ModelSettings(
        provider=provider,
        api=api,
        timeout_s=timeout_s,
        offline_delay_ms=offline_delay_ms,
        azure_endpoint=read("AZURE_OPENAI_ENDPOINT"),
        azure_model=read("AZURE_OPENAI_MODEL"),
        azure_client_id=read("AZURE_CLIENT_ID"),
        openai_base_url=read("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL) if provider == "openai" else "",
        openai_api_key=read("OPENAI_API_KEY"),
        openai_model=read("OPENAI_MODEL"),
    )


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigurationError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def _number(value: str, name: str, *, allow_zero: bool) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number (got {value!r})") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        limit = "zero or more" if allow_zero else "greater than zero"
        raise ConfigurationError(f"{name} must be {limit} (got {value!r})")
    return number


# The user info (`user:password@`) of an absolute URL.
_USERINFO = re.compile(r"(?<=//)[^/?#@\s]*@")
# What each endpoint setting looks like, quoted when a value is refused.
_URL_EXAMPLES = {
    "AZURE_OPENAI_ENDPOINT": "https://<resource>.openai.azure.com/",
    "OPENAI_BASE_URL": "https://api.openai.com/v1 or http://localhost:11434/v1",
}


def _url(value: str, name: str) -> str:
    """`value` if it is an absolute http(s) URL with a host and no user info; else an error naming
    `name` that quotes the value without its user info (a credential)."""
    shown = _USERINFO.sub("", value, count=1)
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        valid = valid and not any(char.isspace() for char in value)
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        valid = False
    if not valid:
        raise ConfigurationError(
            f"{name} must be an absolute http:// or https:// URL with a host, like {_URL_EXAMPLES[name]} "
            f"(got {shown!r})"
        )
    if shown != value:  # httpx would send user:password as basic auth, not the key or token
        raise ConfigurationError(
            f"{name} must not carry credentials (user:password@): the model clients would send them "
            f"instead of the key or token, and the endpoint would refuse every call (got {shown!r})"
        )
    return value
