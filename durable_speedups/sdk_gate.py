"""The one list of azure-functions-durable versions whose internals this repository was checked against.

Four pieces reach past the SDK's public API: the timestamp parser here (deployed), and devhost's SDK
patches, its in-process client calls and its extended sessions. Each switches itself off on a version
not listed below (the app still runs, only slower), which alone would let a pin in requirements.txt move
unnoticed; ``tests/durable_speedups/test_sdk_gate.py`` therefore fails whenever the installed SDK is not
listed, so a new version is read and checked, then added here, in one place.

It lives in ``durable_speedups`` because that package is deployed and devhost may import it, while
deployed code may never import devhost.
"""

import logging
from importlib import metadata

SDK_DISTRIBUTION = "azure-functions-durable"
CHECKED_SDK_VERSIONS = frozenset({"1.7.0"})

log = logging.getLogger("durable_speedups")
_warned: set[str] = set()  # features already reported as off, so a restart loop does not flood the log


def sdk_version() -> str | None:
    """The installed azure-functions-durable version, None when it is not installed."""
    try:
        return metadata.version(SDK_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def sdk_is_checked() -> bool:
    """Whether the installed SDK is one whose internals the patches were checked against."""
    return sdk_version() in CHECKED_SDK_VERSIONS


def allows(feature: str, otherwise: str) -> bool:
    """``sdk_is_checked()``, saying once per ``feature`` what happens instead when it is not.

    ``otherwise`` completes the warning, e.g. "every episode replays in full".
    """
    if sdk_is_checked():
        return True
    if feature not in _warned:
        _warned.add(feature)
        log.warning(
            "%s: %s %s is not a checked version (%s); %s",
            feature,
            SDK_DISTRIBUTION,
            sdk_version(),
            ", ".join(sorted(CHECKED_SDK_VERSIONS)),
            otherwise,
        )
    return False
