"""A record is true to its version: the date accepted may not precede the publication of the
version it names. The web forms name the version they record and, for an earlier date, say which
version was in force then and offer to record that one; the service refuses the rest."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from agreements.models import Acceptance, AcceptanceMethod, Channel
from agreements.services import Contact, record_acceptance
from customers.models import Customer
from orders.models import Order
from tests import factories as f
from tests.customers.conftest import attestation_data, new_customer_data
from tests.versions import PRAGUE, V2_PUBLISHED, V3_PUBLISHED, publish_after

TODAY = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=PRAGUE)
BEFORE_V2 = "2026-08-01"
BUTTON = re.compile(r'<button type="submit"[^>]*name="([\w-]*record_version)" value="([\w-]+)"')


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def v1(template_cz):
    return template_cz


@pytest.fixture
def v2(v1):
    return publish_after(v1, V2_PUBLISHED)


def attest_url(customer) -> str:
    return reverse("customers:attest", args=[customer.tenant_id])


def written(date: str | datetime.date) -> str:
    """A date as a page's message writes it (English: "Aug. 1, 2026"), never ISO."""
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    return date_format(date, "DATE_FORMAT")


def too_early(version, date: str) -> str:
    return (
        f"Version {version.version_rank} of the Microsoft Customer Agreement was published on "
        f"{written(version.published_on)}, so it can&#x27;t have been accepted on {written(date)}."
    )


# --- Account info → Update ----------------------------------------------------------------


def test_the_form_names_the_version_it_records(client, sam, acme, v2):
    client.force_login(sam)
    page = client.get(attest_url(acme))
    assert (
        f"This records acceptance of version {v2.version_rank} of the Microsoft Customer "
        "Agreement, published on Sept. 1, 2026." in page.text
    )
    assert f'name="version" value="{v2.template_id}"' in page.text


def test_an_earlier_date_says_which_version_was_in_force_and_saves_nothing(
    client, sam, acme, v1, v2
):
    client.force_login(sam)
    response = client.post(attest_url(acme), attestation_data(date_agreed=BEFORE_V2))
    assert response.status_code == 400
    assert too_early(v2, BEFORE_V2) in response.text
    assert (
        f"On {written(BEFORE_V2)} version {v1.version_rank} was in force: record version "
        f"{v1.version_rank} instead, or correct the date." in response.text
    )
    assert BUTTON.search(response.text).groups() == ("record_version", str(v1.template_id))
    assert f"Record version {v1.version_rank} instead" in response.text
    assert not Acceptance.objects.exists()


def test_record_the_version_in_force_instead(client, sam, acme, v1, v2):
    client.force_login(sam)
    data = attestation_data(date_agreed=BEFORE_V2, version=str(v2.template_id))
    response = client.post(attest_url(acme), {**data, "record_version": str(v1.template_id)})
    assert response.status_code == 302
    record = Acceptance.objects.get()
    assert (record.template, record.date_agreed) == (v1, datetime.date(2026, 8, 1))


def test_or_correct_the_date_and_record_the_latest(client, sam, acme, v2):
    client.force_login(sam)
    response = client.post(attest_url(acme), attestation_data(date_agreed="2026-09-01"))
    assert response.status_code == 302
    assert Acceptance.objects.get().template == v2


@pytest.mark.parametrize("date", ["2019-12-31", "1900-01-01", "0001-01-01"])
def test_no_date_before_the_first_version_is_accepted(client, sam, acme, v1, v2, date):
    client.force_login(sam)
    response = client.post(attest_url(acme), attestation_data(date_agreed=date))
    assert response.status_code == 400
    assert (
        f"No version had been published for this country by {written(date)}: the first was "
        "published on Jan. 1, 2020. Correct the date." in response.text
    )
    assert not BUTTON.search(response.text)
    assert not Acceptance.objects.exists()


def test_choosing_the_in_force_version_cannot_reach_before_it_either(client, sam, acme, v1, v2):
    client.force_login(sam)
    data = attestation_data(date_agreed="2019-03-01", record_version=str(v1.template_id))
    response = client.post(attest_url(acme), data)
    assert response.status_code == 400
    assert too_early(v1, "2019-03-01") in response.text
    assert not Acceptance.objects.exists()


def test_the_version_shown_is_the_version_recorded_even_if_a_newer_one_appears(
    client, sam, acme, v2
):
    client.force_login(sam)
    # The page named v2; v3 is published (back-dated to today) before the agent saves.
    publish_after(v2, TODAY.date())
    data = attestation_data(date_agreed="2026-11-27", version=str(v2.template_id))
    assert client.post(attest_url(acme), data).status_code == 302
    assert Acceptance.objects.get().template == v2


def test_a_scheduled_version_cannot_be_slipped_in(client, sam, acme, v2):
    client.force_login(sam)
    v3 = publish_after(v2, V3_PUBLISHED)
    data = attestation_data(date_agreed="2026-11-27", record_version=str(v3.template_id))
    response = client.post(attest_url(acme), data)
    assert response.status_code == 400
    assert "That version of the Microsoft Customer Agreement isn&#x27;t published." in (
        response.text
    )
    assert not Acceptance.objects.exists()


def test_a_helpdesk_agent_still_cannot_attest(client, hana, acme, v1, v2):
    client.force_login(hana)
    data = attestation_data(date_agreed=BEFORE_V2, record_version=str(v1.template_id))
    assert client.post(attest_url(acme), data).status_code == 403
    assert not Acceptance.objects.exists()


# --- the service: every channel (bulk too) gets the same rule --------------------------------


@pytest.mark.parametrize("channel", [Channel.BULK, Channel.API, Channel.WEB])
def test_the_service_refuses_a_date_before_the_versions_publication(sam, acme, v2, channel):
    with pytest.raises(ValidationError) as raised:
        record_acceptance(
            customer=acme,
            partner=sam.partner,
            recorded_by=sam,
            method=AcceptanceMethod.PARTNER_ATTESTATION,
            channel=channel,
            contact=Contact("Eva", "Dvořáková", "eva@acme.example"),
            date_agreed=datetime.date(2026, 8, 1),
        )
    assert raised.value.code == "before_publication"
    assert "was published on Sept. 1, 2026" in raised.value.messages[0]
    assert not Acceptance.objects.exists()


# --- the order prompt ----------------------------------------------------------------------


def order_review(client, customer) -> str:
    offer = f.OfferFactory(countries=["CZ"])
    response = client.post(
        reverse("orders:new", args=[customer.tenant_id]), {f"quantity_{offer.pk}": 1}
    )
    assert response.status_code == 302
    return response.url


def prompted(**overrides) -> dict:
    return {
        "attest": "1",
        "attestation-first_name": "Jana",
        "attestation-last_name": "Nováková",
        "attestation-email": "jana@acme.example",
        "attestation-phone": "",
        **overrides,
    }


def test_the_order_prompt_names_the_version_and_offers_the_one_in_force(client, sam, acme, v1, v2):
    client.force_login(sam)
    review = order_review(client, acme)
    assert f"This records acceptance of version {v2.version_rank} " in client.get(review).text
    response = client.post(review + "place/", prompted(**{"attestation-date_agreed": BEFORE_V2}))
    assert response.status_code == 400
    assert too_early(v2, BEFORE_V2) in response.text
    assert BUTTON.search(response.text).groups() == (
        "attestation-record_version",
        str(v1.template_id),
    )
    assert not Acceptance.objects.exists() and not Order.objects.exists()

    response = client.post(
        review + "place/",
        prompted(
            **{
                "attestation-date_agreed": BEFORE_V2,
                "attestation-record_version": str(v1.template_id),
            }
        ),
    )
    assert response.status_code == 302
    assert Acceptance.objects.get().template == v1
    assert Order.objects.count() == 1


# --- New customer (A1) ---------------------------------------------------------------------


def test_new_customer_offers_the_version_in_force_and_records_it(client, sam, v1, v2):
    client.force_login(sam)
    new = reverse("customers:new")
    response = client.post(new, new_customer_data(date_agreed=BEFORE_V2))
    assert response.status_code == 400
    assert too_early(v2, BEFORE_V2) in response.text
    assert BUTTON.search(response.text).groups() == ("record_version", str(v1.template_id))
    assert not Customer.objects.exists()

    response = client.post(
        new, new_customer_data(date_agreed=BEFORE_V2, record_version=str(v1.template_id))
    )
    assert response.status_code == 302
    review = response["Location"]
    assert f"Version {v1.version_rank}, published on Jan. 1, 2020" in client.get(review).text
    assert client.post(review).status_code == 302
    record = Acceptance.objects.get()
    assert (record.template, record.customer.domain) == (v1, "wingtip.onmicrosoft.com")
