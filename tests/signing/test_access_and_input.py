"""Issue 15's acceptance, the rest of it: every agent page of signing links refuses anonymous
visitors (to sign-in) and customer admins (403), the API refuses a call without a token;
the start form defaults to the customer's country and language and 14 days and refuses bad
input whole; the signatory downloads the exact document, its SHA-256 as the ETag, while the
link is open."""

import hashlib

import pytest

from signing import services
from signing.models import SigningRequest
from tests import factories as f
from tests.signing.conftest import SIGNATORY

pytestmark = pytest.mark.django_db

URL = "/v1/attestations/enhanced"


def agent_pages(acme, request) -> list[tuple[str, str]]:
    return [
        ("get", f"/signing/customers/{acme.tenant_id}/start/"),
        ("post", f"/signing/customers/{acme.tenant_id}/start/"),
        ("get", f"/signing/requests/{request.public_id}/"),
        ("post", f"/signing/requests/{request.public_id}/send/"),
        ("post", f"/signing/requests/{request.public_id}/resend/"),
        ("post", f"/signing/requests/{request.public_id}/revoke/"),
        ("get", "/signing/embedding/"),
        ("get", "/signing/bulk/preview/?customer=1"),
        ("post", "/signing/bulk/start/"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, acme, start_signing):
    request, _path = start_signing(acme)
    for method, url in agent_pages(acme, request):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response.url, url
    request.refresh_from_db()
    assert request.status == "pending" and request.replaced_by_id is None


def test_a_customer_admin_is_refused(client, acme, acme_admin, start_signing):
    request, _path = start_signing(acme)
    client.force_login(acme_admin)
    for method, url in agent_pages(acme, request):
        assert getattr(client, method)(url).status_code == 403, url
    assert SigningRequest.objects.count() == 1


def test_the_api_refuses_a_call_without_a_token(anonymous_api, acme, start_signing):
    from tests.api.conftest import assert_error

    request, _path = start_signing(acme)
    assert_error(anonymous_api.post_json(URL, {"customerTenantId": str(acme.tenant_id)}), 401)
    assert_error(anonymous_api.get(f"{URL}/{request.public_id}"), 401)
    assert_error(anonymous_api.delete(f"{URL}/{request.public_id}"), 401)
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_start_form_defaults_to_the_customers_agreement_and_14_days(client, sam, contoso, acme):
    english = f.CustomerFactory(company_name="English Co", country="US", language="en")
    f.RelationshipFactory(partner=contoso, customer=english)
    client.force_login(sam)
    form = client.get(f"/signing/customers/{acme.tenant_id}/start/").context["form"]
    assert form.initial["agreement"] == "CZ:cs-CZ"
    assert form.initial["email"] == acme.contact_email
    assert form["expires_in_days"].value() == 14
    # The languages published for each country, of the version in force.
    assert {key for key, _label in form.fields["agreement"].choices} == {"CZ:cs-CZ", "US:en-US"}
    form = client.get(f"/signing/customers/{english.tenant_id}/start/").context["form"]
    assert form.initial["agreement"] == "US:en-US"


@pytest.mark.parametrize(
    "change",
    [
        {"expires_in_days": 0},
        {"expires_in_days": 31},
        {"email": "not-an-email"},
        {"first_name": ""},
        {"agreement": "DE:de-DE"},
        {"phone": "12"},
    ],
)
def test_bad_input_is_refused_whole(client, sam, acme, change):
    data = {
        "first_name": "Jana",
        "last_name": "Nováková",
        "email": "jana@acme.example",
        "agreement": "CZ:cs-CZ",
        "expires_in_days": 14,
        **change,
    }
    client.force_login(sam)
    response = client.post(f"/signing/customers/{acme.tenant_id}/start/", data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not SigningRequest.objects.exists()


def test_the_signatory_downloads_the_exact_document_while_the_link_is_open(
    client, acme, start_signing
):
    request, path = start_signing(acme, signatory=SIGNATORY, country="CZ", language="cs-CZ")
    response = client.get(path + "document/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == request.document.sha256
    assert response["ETag"] == f'"{request.document.sha256}"'
    assert "attachment" in response["Content-Disposition"]
    services.revoke_signing(request=request)
    assert client.get(path + "document/").status_code == 404
    assert client.get("/signing/sign/" + "x" * 43 + "/document/").status_code == 404
