"""How the tests and the benchmark start headless Chromium (Debian's, driven by Playwright).

`playwright install` cannot download a browser here, so Playwright is pointed at an installed
Chromium: $CHROMIUM_PATH (scripts/dev sets it) or Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import os

# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# network refuses; as root it needs --no-sandbox.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def executable() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
