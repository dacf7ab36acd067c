import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def url(customer):
    return f"/v1/customers/{customer.tenant_id}/directSignedMicrosoftCustomerAgreementStatus"


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_not_signed_until_the_customer_accepts(api_as, persona, request, acme):
    response = api_as(request.getfixturevalue(persona)).get(url(acme))
    assert response.status_code == 200
    assert response.json() == {"isSigned": False}


def test_signed_after_direct_acceptance(api_as, hana, contoso, acme, acme_admin):
    f.accept_directly(acme, acme_admin, contoso)
    assert api_as(hana).get(url(acme)).json() == {"isSigned": True}


def test_a_partner_attestation_is_not_a_direct_signature(api_as, alice, acme):
    f.attest(acme, alice)
    assert api_as(alice).get(url(acme)).json() == {"isSigned": False}


def test_another_partners_customer_is_404(api_as, alice, globex):
    assert_error(api_as(alice).get(url(globex)), 404, 60003)


def test_the_status_needs_a_token(anonymous_api, acme):
    assert_error(anonymous_api.get(url(acme)), 401)
