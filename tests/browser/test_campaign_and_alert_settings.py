"""The re-acceptance campaign page and the alert settings in real Chromium: axe-clean in
English and Czech at 1280 and 390 px, the progress chart's text alternative, a filter, a
saved setting."""

import pytest

from alerts.models import AlertPreference, Delivery, Event
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language
from tests.browser.test_charts_on_a_phone import assert_landmarks_unique
from tests.campaigns.conftest import campaign_world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_campaign_page_is_accessible_in_english_and_czech(
    live_server,
    page,
    sam,
    campaign_world,  # noqa: F811
    width,
):
    version, _customers = campaign_world
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, sam.email, f.PASSWORD)
    page.goto(f"{live_server.url}/campaigns/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Version {version.version_rank}").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Re-acceptance campaign: version {version.version_rank}"
    chart = page.get_by_role("img", name="Customers who accepted again, by week")
    suffix = "-narrow" if width < 768 else ""  # the phone's layout below Bootstrap's md
    assert chart.get_attribute("aria-labelledby") == (
        f"progress{suffix}-title progress{suffix}-desc"
    )
    assert "1 of 4" in page.locator(f"#progress{suffix}-desc").text_content()
    page.get_by_text("The chart's data as a table").click()
    assert_accessible(page)
    assert_landmarks_unique(page)
    page.get_by_label("Where they stand").select_option("blocked")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    table = page.locator("[data-campaign-table]")
    assert "Blocked s.r.o." in table.inner_text()
    assert "Due s.r.o." not in table.inner_text()
    assert_accessible(page)
    switch_language(page, "cs")
    page.goto(f"{live_server.url}/campaigns/{version.template_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Kampaň opětovného přijetí: verze {version.version_rank}"
    )
    assert_accessible(page)
    assert_landmarks_unique(page)


def test_the_alert_settings_are_accessible_and_save(live_server, page, hana):
    sign_in(page, live_server.url, hana.email, f.PASSWORD)
    page.goto(f"{live_server.url}/notifications/settings/")
    field = page.get_by_label("An order was refused by the order gate")
    assert field.input_value() == Delivery.DIGEST
    assert_accessible(page)
    field.select_option(Delivery.IMMEDIATE)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your alert settings are saved.").count() == 1
    assert AlertPreference.objects.get(user=hana, event=Event.ORDER_REFUSED).delivery == (
        Delivery.IMMEDIATE
    )
    switch_language(page, "cs")
    page.goto(f"{live_server.url}/notifications/settings/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nastavení upozornění"
    assert_accessible(page)
    page.goto(f"{live_server.url}/notifications/")
    assert_accessible(page)
