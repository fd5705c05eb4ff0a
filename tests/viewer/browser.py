"""Debian's Chromium driven by Playwright for Python: found on the PATH, never downloaded.

Playwright's own browser download cannot be reached from a sandboxed machine or CI, so the page is
tested in the distribution's `chromium` (installed by `make chromium`). A machine without it fails
the tests with the command that installs it: a browser test that silently skipped would hide a
broken page.
"""

import os
import shutil
from pathlib import Path

import pytest

INSTALL_STEP = "make chromium  (runs: apt-get update && apt-get install -y chromium, as root)"
# Flags a sandboxed, offline machine needs: no setuid sandbox as root, no calls home.
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    """The Chromium executable: $CHROMIUM_PATH, else `chromium` / `chromium-browser` on the PATH."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).is_file():
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        f"Chromium was not found for the browser tests; install it with: {INSTALL_STEP}", pytrace=False
    )
