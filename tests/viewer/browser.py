"""Debian's Chromium driven by Playwright for Python: found on the PATH, never downloaded.

Playwright's own browser download cannot be reached from a sandboxed machine or CI, so the page is
tested in the distribution's `chromium` (installed by `make chromium`). A machine without it fails
the tests with the command that installs it: a browser test that silently skipped would hide a
broken page.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

INSTALL_STEP = "make chromium  (runs: apt-get update && apt-get install -y chromium, as root)"
# Flags a sandboxed, offline machine needs: no setuid sandbox as root, no calls home.
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage"]


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """$CHROMIUM_PATH, else the first Chromium-family browser on the PATH (Debian's `chromium` first)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).is_file():
        return configured
    return next((found for found in map(shutil.which, BROWSERS) if found), None)


def chromium_path() -> str:
    """The browser the tests drive; fails (never skips) with the install command when there is none."""
    found = find_chromium()
    if found is None:
        pytest.fail(
            f"Chromium was not found for the browser tests; install it with: {INSTALL_STEP}", pytrace=False
        )
    return found


if __name__ == "__main__":  # `make chromium` asks this before installing anything
    sys.exit(0 if find_chromium() else 1)
