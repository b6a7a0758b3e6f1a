"""Playwright driving Debian's headless Chromium against pytest-django's live server.

Skipped, with the reason, when /usr/bin/chromium is missing; with
FACTCHECK_REQUIRE_SERVICES=1 (CI, which installs it) a missing Chromium fails instead.
Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_ARTICLE, missing

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# still plain synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"


def pytest_runtest_setup(item):
    if "browser" in item.keywords:
        _require_chromium()


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def chromium():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium, live_server):
    """open_page(username, password) -> a logged-in page in a fresh browser context."""
    contexts = []

    def _open(username: str, password: str):
        context = chromium.new_context(viewport={"width": 1500, "height": 1000})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def seed_article(transactional_db):
    """The demo corpus and the seed article, processed and corroborated (tasks run eagerly)."""
    from django.core.management import call_command

    from workers import ingest

    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", "--no-article", "--force", stdout=devnull)
    raw, fmt = ingest.read_path(str(SEED_ARTICLE))
    parsed = ingest.parse_article(
        raw, fmt=fmt, outlet="dagens.com", published="2025-01-31T09:25:00+01:00"
    )
    article, _ = ingest.ingest_article(parsed)
    article.refresh_from_db()
    return article
