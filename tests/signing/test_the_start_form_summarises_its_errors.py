"""A tester found the "Send a signing link" form showing a bad email only beside its field: like
every other form, it now says at the top that something needs correcting (_form_errors.html),
in English and in Czech, and saves nothing."""

import re

import pytest

from signing.models import SigningRequest

pytestmark = pytest.mark.django_db

GOOD = {
    "first_name": "Jana",
    "last_name": "Nováková",
    "email": "jana@acme.example",
    "agreement": "CZ:cs-CZ",
    "expires_in_days": 14,
}


def summary(html: str) -> str:
    """The error summary above the form's fields ('' when there is none)."""
    form = html.split('<form method="post"', 1)[1].split("<fieldset", 1)[0]
    found = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', form, re.S)
    return found.group(1).strip() if found else ""


def test_a_bad_email_is_summarised_above_the_form(client, sam, acme):
    client.force_login(sam)
    response = client.post(
        f"/signing/customers/{acme.tenant_id}/start/", {**GOOD, "email": "not-an-email"}
    )
    assert response.status_code == 400
    assert summary(response.text) == "Please correct the errors below."
    assert "Enter a valid email address." in response.text
    assert not SigningRequest.objects.exists()


def test_in_czech_the_summary_is_czech(client, sam, acme):
    client.force_login(sam)
    client.cookies["django_language"] = "cs"
    response = client.post(
        f"/signing/customers/{acme.tenant_id}/start/",
        {**GOOD, "email": "not-an-email"},
        HTTP_ACCEPT_LANGUAGE="cs",
    )
    assert response.status_code == 400
    assert summary(response.text) == "Opravte prosím níže uvedené chyby."
    assert not SigningRequest.objects.exists()


def test_the_form_as_first_shown_has_no_summary(client, sam, acme):
    client.force_login(sam)
    response = client.get(f"/signing/customers/{acme.tenant_id}/start/")
    assert response.status_code == 200
    assert summary(response.text) == ""


def test_a_request_already_on_record_stays_a_warning_not_an_error(client, sam, acme, start_signing):
    from signing import services
    from signing.selectors import document_in_force
    from tests.signing.conftest import SIGNATORY

    # An open request for the same signatory is refused as a conflict, summarised as an error.
    services.start_signing(
        customer=acme,
        partner=sam.partner,
        started_by=sam,
        signatory=SIGNATORY,
        document=document_in_force("CZ", "cs-CZ"),
    )
    client.force_login(sam)
    response = client.post(f"/signing/customers/{acme.tenant_id}/start/", GOOD)
    assert response.status_code == 409
    assert summary(response.text) not in ("", "Please correct the errors below.")
    assert SigningRequest.objects.count() == 1
