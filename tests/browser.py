"""Starting Debian's Chromium for the browser tests (never ``playwright install``)."""

from __future__ import annotations

from peacetalks.live_site import CHROMIUM_ARGS, chromium_path

CHROMIUM = str(chromium_path()) if chromium_path() else None
NO_CHROMIUM = "Chromium is not installed (apt-get install chromium; .ci/run does it as root)"


def launch(playwright):
    """A headless Chromium from the system, with the flags that work in a container."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
