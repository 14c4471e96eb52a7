"""Starting Debian's Chromium for the browser tests (never ``playwright install``)."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
NO_CHROMIUM = "Chromium is not installed (apt-get install chromium; .ci/run does it as root)"


def launch(playwright):
    """A headless Chromium from the system, with the flags that work in a container."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
