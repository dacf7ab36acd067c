"""Real Chromium through Playwright, and axe-core checks of every page visited."""

from __future__ import annotations

import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NO_TRANSITIONS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page) -> None:
    """axe-core finds no violation of WCAG 2.2 AA on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    # Check the page once it has loaded (a click may just have started a navigation), and its
    # colours as they settle, not half-way through a hover or focus transition.
    page.wait_for_load_state("load")
    page.add_style_tag(content=NO_TRANSITIONS)
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page, live_server_url: str, email: str, password: str, *, admin_center: bool = False):
    page.goto(f"{live_server_url}/{'admin-center/' if admin_center else ''}login/")
    page.get_by_label("Email address" if not admin_center else "Sign-in name").fill(email)
    page.get_by_label("Password").fill(password)
    # Wait for the answer to the POST: reading the page while it navigates gives "".
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def switch_language(page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    page.locator("form[action$='/i18n/setlang/'] button[type=submit]").click()
    page.wait_for_load_state()


def fill_account_info(
    page,
    *,
    prefix: str = "",
    company: str = "Wingtip Toys s.r.o.",
    domain: str = "wingtip",
    language: str | None = "cs",
    first_name: str = "Petr",
    email: str = "petr@wingtip.example",
) -> None:
    """The account-info fields every way of adding a customer shares (CustomerAccountForm);
    ``prefix`` is the form's (``new-`` on the B2 request page)."""

    def field(name: str):
        return page.locator(f"#id_{prefix}{name}")

    field("company_name").fill(company)
    field("domain").fill(domain)
    field("country").select_option("CZ")
    field("address_line1").fill("Na Příkopě 10")
    field("city").fill("Praha")
    field("postal_code").fill("110 00")
    if language is not None:
        field("language").select_option(language)
    field("contact_first_name").fill(first_name)
    field("contact_last_name").fill("Svoboda")
    field("contact_email").fill(email)
