"""A date inside a validation message reads as every other date of the page: the active
language's DATE_FORMAT ("Nov. 28, 2026" / "28. listopadu 2026"), written when the message is
shown, never ISO ("2026-11-28"). The API keeps ISO (tests/api/test_dates_in_error_descriptions_are_iso.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agreements.models import Acceptance, AgreementTemplate
from agreements.validators import validate_agreed_on_or_after_publication, validate_not_in_future
from customers.models import Customer
from portal.dates import iso_dates, message_date
from tests.customers.conftest import attestation_data, new_customer_data
from tests.versions import PRAGUE, V2_PUBLISHED, publish_after

TODAY = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=PRAGUE)
CZECH = {"HTTP_ACCEPT_LANGUAGE": "cs"}


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(TODAY, tick=False)


def attest_url(customer) -> str:
    return reverse("customers:attest", args=[customer.tenant_id])


def test_a_message_writes_its_date_in_the_language_active_when_it_is_read():
    with pytest.raises(ValidationError) as raised:
        validate_not_in_future(datetime.date(2026, 11, 29))
    error = raised.value
    # Raised once, read in each language: the date follows the reader, not the raiser.
    with translation.override("en"):
        assert error.messages == [
            "The date the agreement was accepted can't be in the future (today is Nov. 28, 2026)."
        ]
    with translation.override("cs"):
        assert error.messages == [
            "Datum přijetí smlouvy nelze nastavit na budoucí datum (dnes je 28. listopadu 2026)."
        ]
    with iso_dates():
        assert "(today is 2026-11-28)" in error.messages[0]


def test_a_message_date_compares_by_its_day():
    assert message_date(datetime.date(2026, 1, 2)) == message_date(datetime.date(2026, 1, 2))
    assert message_date(datetime.datetime(2026, 1, 2, 23, 0)).value == datetime.date(2026, 1, 2)
    assert (
        len({message_date(datetime.date(2026, 1, 2)), message_date(datetime.date(2026, 1, 2))}) == 1
    )


def test_the_publication_rule_writes_both_dates(template_cz):
    v2 = publish_after(template_cz, V2_PUBLISHED)
    with pytest.raises(ValidationError) as raised:
        validate_agreed_on_or_after_publication(datetime.date(2026, 8, 1), v2)
    with translation.override("cs"):
        assert (
            "zveřejněna 1. září 2026, takže nemohla být přijata 1. srpna 2026."
            in (raised.value.messages[0])
        )


@pytest.mark.parametrize(
    ("headers", "today"),
    [({}, "today is Nov. 28, 2026"), (CZECH, "dnes je 28. listopadu 2026")],
)
def test_the_attest_form_says_today_in_the_pages_language(client, sam, acme, headers, today):
    client.force_login(sam)
    response = client.post(attest_url(acme), attestation_data(date_agreed="2026-11-29"), **headers)
    assert response.status_code == 400
    assert today in response.text
    assert "2026-11-28)" not in response.text  # (the date input's max stays ISO, as HTML needs)
    assert not Acceptance.objects.exists()


def test_the_version_in_force_hint_is_written_in_czech(client, sam, acme, template_cz):
    v2 = publish_after(template_cz, V2_PUBLISHED)
    client.force_login(sam)
    response = client.post(attest_url(acme), attestation_data(date_agreed="2026-08-01"), **CZECH)
    assert response.status_code == 400
    text = response.text
    assert (
        f"Verze {v2.version_rank} Zákaznické smlouvy Microsoftu byla zveřejněna 1. září 2026"
        in text
    )
    assert "1. srpna 2026" in text
    assert "zveřejněna 2026-09-01" not in text and "přijata 2026-08-01" not in text
    assert not Acceptance.objects.exists()


def test_new_customer_writes_the_first_publication_in_english(client, sam, template_cz):
    client.force_login(sam)
    response = client.post(reverse("customers:new"), new_customer_data(date_agreed="2019-12-31"))
    assert response.status_code == 400
    assert (
        "No version had been published for this country by Dec. 31, 2019: the first was "
        "published on Jan. 1, 2020. Correct the date." in response.text
    )
    assert not Customer.objects.exists()


def test_the_admin_writes_a_deadline_before_publication_in_czech(client, operator, template_cz):
    """The operators' admin: the rule's date reads as the admin's language does."""
    client.force_login(operator)
    response = client.post(
        reverse("admin:agreements_agreementtemplate_add"),
        {
            "agreement_type": "MicrosoftCustomerAgreement",
            "version_rank": template_cz.version_rank + 1,
            "title": "Microsoft Customer Agreement",
            "published_on": "2027-01-01",
            "requires_reacceptance": "on",
            "reacceptance_deadline": "2026-12-01",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-country": "CZ",
            "documents-0-language": "cs-CZ",
            "documents-0-content_type": "text/plain; charset=utf-8",
            "documents-0-file": SimpleUploadedFile("mca.txt", b"Verze 2.", "text/plain"),
        },
        **CZECH,
    )
    assert response.status_code == 200
    assert "(1. ledna 2027)" in response.text
    assert "2027-01-01)" not in response.text
    assert not AgreementTemplate.objects.filter(version_rank=template_cz.version_rank + 1).exists()
