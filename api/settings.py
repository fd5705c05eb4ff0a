"""Integer app settings the API reads at call time, refused with the setting's name when invalid.

`api/startup_settings.py` reads each of them once at start-up too, so a bad value stops the app
instead of failing a request.
"""

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
        value = None
    if value is None or not low <= value <= high:
        raise ConfigurationError(
            f"setting {name} must be a whole number from {low} to {high} (unset: {default}), got {raw!r}"
        )
    return value
