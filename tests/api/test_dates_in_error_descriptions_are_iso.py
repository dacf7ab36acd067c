"""The API is read by programs: a date inside an error's description is ISO 8601, as dateAgreed
and every other date field are, whatever the language of its words (the web writes the page's
DATE_FORMAT: tests/agreements/test_dates_in_messages_follow_the_language.py)."""

import datetime

import pytest

from agreements.models import Acceptance
from tests.api.conftest import assert_error
from tests.api.payloads import attestation
from tests.versions import PRAGUE, V2_PUBLISHED, publish_after

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=PRAGUE)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/agreements"


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_future_date_names_today_in_iso(api_as, sam, acme, template_cz, language):
    response = api_as(sam).post_json(
        url(acme),
        attestation(template_cz, dateAgreed="2026-11-29"),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    body = assert_error(response, 400, 800002)
    assert "2026-11-28)" in body["description"], body
    assert "listopadu" not in body["description"] and "Nov." not in body["description"]
    assert not Acceptance.objects.exists()


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_date_before_publication_names_both_dates_in_iso(
    api_as, sam, acme, template_cz, language
):
    v2 = publish_after(template_cz, V2_PUBLISHED)
    response = api_as(sam).post_json(
        url(acme), attestation(v2, dateAgreed="2026-08-01"), HTTP_ACCEPT_LANGUAGE=language
    )
    body = assert_error(response, 400, 800002)
    assert "2026-09-01" in body["description"] and "2026-08-01" in body["description"], body
    assert "září" not in body["description"] and "Sept." not in body["description"]
    assert not Acceptance.objects.exists()


def test_the_web_is_not_left_writing_iso_after_an_api_call(client, api_as, sam, acme, template_cz):
    api_as(sam).post_json(url(acme), attestation(template_cz, dateAgreed="2026-11-29"))
    client.force_login(sam)
    response = client.post(
        f"/customers/{acme.tenant_id}/agreement/update/",
        {
            "first_name": "Eva",
            "last_name": "Dvořáková",
            "email": "eva@acme.example",
            "phone": "",
            "date_agreed": "2026-11-29",
        },
    )
    assert "today is Nov. 28, 2026" in response.text
