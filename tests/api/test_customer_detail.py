import pytest

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_reads_its_customer(api_as, persona, request, acme):
    response = api_as(request.getfixturevalue(persona)).get(f"/v1/customers/{acme.tenant_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(acme.tenant_id)
    assert body["billingProfile"]["email"] == acme.contact_email
    assert body["billingProfile"]["phoneNumber"] == "+420601123456"
    assert body["attributes"] == {"objectType": "Customer"}


def test_a_provider_reads_its_resellers_customer(api_as, frank, initech):
    assert api_as(frank).get(f"/v1/customers/{initech.tenant_id}").status_code == 200


def test_another_partners_customer_is_404(api_as, alice, globex):
    body = assert_error(api_as(alice).get(f"/v1/customers/{globex.tenant_id}"), 404, 60003)
    assert "customer" in body["description"]


def test_a_reseller_does_not_see_its_providers_own_customers(api_as, nora, fabrikam, template_cz):
    from tests import factories as f

    own = f.CustomerFactory()
    f.RelationshipFactory(partner=fabrikam, customer=own)
    assert_error(api_as(nora).get(f"/v1/customers/{own.tenant_id}"), 404, 60003)


def test_an_unknown_tenant_is_404(api_as, alice, acme):
    response = api_as(alice).get("/v1/customers/00000000-0000-0000-0000-000000000000")
    assert_error(response, 404, 60003)


def test_reading_a_customer_needs_a_token(anonymous_api, acme):
    assert_error(anonymous_api.get(f"/v1/customers/{acme.tenant_id}"), 401)
