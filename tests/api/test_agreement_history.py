import datetime

import pytest
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def url(customer, query="?agreementType=MicrosoftCustomerAgreement"):
    return f"/v1/customers/{customer.tenant_id}/agreements{query}"


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_reads_the_history_newest_first(api_as, persona, request, acme, alice):
    today = timezone.localdate()
    f.attest(acme, alice, date_agreed=today - datetime.timedelta(days=5), first_name="Old")
    f.attest(acme, alice, date_agreed=today - datetime.timedelta(days=1), first_name="New")
    response = api_as(request.getfixturevalue(persona)).get(url(acme))
    assert response.status_code == 200
    body = response.json()
    assert body["totalCount"] == 2
    assert [i["primaryContact"]["firstName"] for i in body["items"]] == ["New", "Old"]
    assert body["items"][0]["method"] == "partnerAttestation"


def test_direct_acceptance_is_part_of_the_history(api_as, alice, contoso, acme, acme_admin):
    f.accept_directly(acme, acme_admin, contoso)
    items = api_as(alice).get(url(acme)).json()["items"]
    assert [item["method"] for item in items] == ["directAcceptance"]


def test_a_reseller_sees_its_providers_attestation(api_as, nora, frank, initech):
    f.attest(initech, frank)
    assert api_as(nora).get(url(initech)).json()["totalCount"] == 1


def test_records_of_another_partner_are_not_shown(
    api_as, alice, lisa, contoso, litware, template_cz
):
    shared = f.CustomerFactory()
    f.RelationshipFactory(partner=contoso, customer=shared)
    f.RelationshipFactory(partner=litware, customer=shared)
    f.attest(shared, lisa)
    assert api_as(alice).get(url(shared)).json()["totalCount"] == 0


def test_a_star_type_lists_everything(api_as, alice, acme):
    f.attest(acme, alice)
    assert api_as(alice).get(url(acme, "?agreementType=*")).json()["totalCount"] == 1


def test_an_unknown_type_is_400(api_as, alice, acme):
    assert_error(api_as(alice).get(url(acme, "?agreementType=Nope")), 400, 800002)


def test_another_partners_customer_is_404(api_as, alice, globex):
    assert_error(api_as(alice).get(url(globex)), 404, 60003)


def test_the_history_needs_a_token(anonymous_api, acme):
    assert_error(anonymous_api.get(url(acme)), 401)
