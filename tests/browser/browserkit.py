"""Real-browser helpers: Debian's chromium driven by Playwright (never a
downloaded browser), a fresh profile per run, screenshots under
``test-artifacts/screenshots/``."""

from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]


@contextmanager
def chromium_context(executable: str, **options: Any) -> Iterator[Any]:
    """A Playwright browser context on the system chromium with a throw-away profile."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="ficshelf-chromium-") as profile, \
            sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, **options)
        try:
            yield ctx
        finally:
            ctx.close()


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as resp:  # loopback only
        return json.loads(resp.read())


def wait_until(page: Any, script: str, *, timeout: float = 30.0) -> Any:
    """Poll ``page.evaluate(script)`` until it is truthy. (Playwright's own
    ``wait_for_function`` evaluates strings with ``eval``, which the site's
    Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        page.wait_for_timeout(100)


def shot(page: Any, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
