"""Integer app settings the API reads at call time, refused with the setting's name when invalid."""

import os

from api.errors import ConfigurationError


def int_setting(name: str, default: int, low: int, high: int) -> int:
    """The integer setting `name` in [low, high], or `default` when unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"setting {name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigurationError(f"setting {name} must be between {low} and {high}, got {value}")
    return value
