import os

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _open_page(chromium):
    """A page in its own context; yields it, then fails the test if the browser reported
    a Content-Security-Policy violation (something the portal's own pages tried to load)."""
    context = chromium.new_context(locale="en-US", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def page(chromium):
    yield from _open_page(chromium)


@pytest.fixture
def second_page(chromium):
    """A second, separate browser context: the customer beside the agent."""
    yield from _open_page(chromium)
