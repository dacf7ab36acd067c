"""POST /v1/customers refuses a country without a published agreement, like the web form."""

import pytest

from customers.models import Customer, Relationship
from portal.models import IdempotencyRecord, User
from tests import factories as f
from tests.api.conftest import assert_error
from tests.api.payloads import new_customer

pytestmark = pytest.mark.django_db

FIELD = "billingProfile.defaultAddress.country"
REFUSAL = "No Microsoft Customer Agreement is published for this country yet"


def in_france() -> dict:
    return new_customer(billingProfile__defaultAddress__country="FR")


@pytest.mark.parametrize("persona", ["alice", "sam", "nora"])
def test_a_customer_in_a_country_without_an_agreement_is_refused_and_nothing_is_saved(
    api_as, persona, request, template_cz
):
    response = api_as(request.getfixturevalue(persona)).post_json("/v1/customers", in_france())
    body = assert_error(response, 400, 800002)
    assert body["description"].startswith(f"{FIELD}: {REFUSAL}")
    assert body["data"] == [body["description"]]
    assert not Customer.objects.exists()
    assert not Relationship.objects.exists()
    assert not User.objects.filter(customer__isnull=False).exists()


def test_the_api_refuses_in_the_web_forms_words(api_as, alice, template_cz):
    from customers.services import country_problem

    body = assert_error(api_as(alice).post_json("/v1/customers", in_france()), 400, 800002)
    assert body["data"] == [f"{FIELD}: {country_problem('FR')}"]
    assert "Ask an operator to publish it." in body["description"]


def test_once_the_agreement_is_published_for_the_country_the_customer_is_created(
    api_as, alice, template_cz
):
    api = api_as(alice)
    assert_error(api.post_json("/v1/customers", in_france()), 400, 800002)
    f.AgreementDocumentFactory(template=template_cz, country="FR", language="fr-FR")
    response = api.post_json("/v1/customers", in_france())
    assert response.status_code == 201, response.content
    assert Customer.objects.get().country.code == "FR"


def test_a_refusal_under_a_request_id_is_stored_as_the_answer_and_saves_nothing_else(
    api_as, alice, template_cz
):
    api = api_as(alice)
    first = api.post_json("/v1/customers", in_france(), headers={"MS-RequestId": "fr-1"})
    retry = api.post_json("/v1/customers", in_france(), headers={"MS-RequestId": "fr-1"})
    assert_error(first, 400, 800002)
    assert retry.json() == first.json()
    assert retry["MS-Idempotent-Replay"] == "true"
    assert IdempotencyRecord.objects.get().status_code == 400
    assert not Customer.objects.exists()


def test_helpdesk_is_still_refused_with_403_before_the_country_is_looked_at(
    api_as, hana, template_cz
):
    assert_error(api_as(hana).post_json("/v1/customers", in_france()), 403, 403)
    assert not Customer.objects.exists()
