import pytest

from tests import factories as f
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def contoso_customers(contoso, names):
    for name in names:
        customer = f.CustomerFactory(company_name=name)
        f.RelationshipFactory(partner=contoso, customer=customer)


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_lists_its_partners_customers(api_as, persona, request, acme, globex):
    response = api_as(request.getfixturevalue(persona)).get("/v1/customers")
    assert response.status_code == 200
    body = response.json()
    assert body["totalCount"] == 1
    assert body["attributes"] == {"objectType": "Collection"}
    item = body["items"][0]
    assert item["id"] == str(acme.tenant_id)
    assert item["companyProfile"] == {
        "tenantId": str(acme.tenant_id),
        "companyName": "Acme s.r.o.",
        "domain": "acme.onmicrosoft.com",
    }
    assert item["billingProfile"]["defaultAddress"]["country"] == "CZ"
    assert item["links"]["self"] == {"uri": f"/v1/customers/{acme.tenant_id}", "method": "GET"}
    assert "links" not in body


def test_another_partners_customers_are_never_listed(api_as, lisa, acme, globex):
    items = api_as(lisa).get("/v1/customers").json()["items"]
    assert [item["id"] for item in items] == [str(globex.tenant_id)]


def test_a_provider_lists_its_resellers_customers(api_as, frank, initech, acme):
    items = api_as(frank).get("/v1/customers").json()["items"]
    assert [item["id"] for item in items] == [str(initech.tenant_id)]


def test_pages_continue_through_links_next(api_as, alice, contoso):
    contoso_customers(contoso, ["Alpha", "Bravo", "Charlie", "Delta", "Echo"])
    api = api_as(alice)
    first = api.get("/v1/customers?size=2").json()
    assert [i["companyProfile"]["companyName"] for i in first["items"]] == ["Alpha", "Bravo"]
    second = api.get(first["links"]["next"]["uri"]).json()
    assert [i["companyProfile"]["companyName"] for i in second["items"]] == ["Charlie", "Delta"]
    header = second["links"]["next"]["headers"][0]
    assert header["key"] == "MS-ContinuationToken"
    third = api.get("/v1/customers?size=2", headers={header["key"]: header["value"]}).json()
    assert [i["companyProfile"]["companyName"] for i in third["items"]] == ["Echo"]
    assert "links" not in third


def test_continuation_is_stable_under_inserts(api_as, alice, contoso):
    contoso_customers(contoso, ["Bravo", "Delta", "Foxtrot", "Hotel"])
    api = api_as(alice)
    first = api.get("/v1/customers?size=2").json()
    assert [i["companyProfile"]["companyName"] for i in first["items"]] == ["Bravo", "Delta"]
    # Inserted before and after the cursor: nothing is skipped or repeated.
    contoso_customers(contoso, ["Alpha", "Charlie", "Echo"])
    second = api.get(first["links"]["next"]["uri"]).json()
    assert [i["companyProfile"]["companyName"] for i in second["items"]] == ["Echo", "Foxtrot"]
    third = api.get(second["links"]["next"]["uri"]).json()
    assert [i["companyProfile"]["companyName"] for i in third["items"]] == ["Hotel"]


def test_equal_company_names_page_by_id(api_as, alice, contoso):
    contoso_customers(contoso, ["Same"] * 3)
    api = api_as(alice)
    first = api.get("/v1/customers?size=2").json()
    rest = api.get(first["links"]["next"]["uri"]).json()
    ids = [i["id"] for i in first["items"] + rest["items"]]
    assert len(set(ids)) == 3


def test_a_forged_continuation_token_is_400(api_as, alice, acme):
    response = api_as(alice).get("/v1/customers", headers={"MS-ContinuationToken": "forged"})
    body = assert_error(response, 400, 800002)
    assert "ContinuationToken" in body["description"]


def test_a_continuation_token_of_another_partner_is_400(api_as, alice, lisa, contoso, globex):
    contoso_customers(contoso, ["Alpha", "Bravo"])
    token = api_as(alice).get("/v1/customers?size=1").json()["links"]["next"]["headers"][0]
    response = api_as(lisa).get("/v1/customers", headers={token["key"]: token["value"]})
    assert_error(response, 400, 800002)


@pytest.mark.parametrize("size", ["0", "501", "ten", "-1"])
def test_a_bad_page_size_is_400(api_as, alice, acme, size):
    body = assert_error(api_as(alice).get(f"/v1/customers?size={size}"), 400, 800002)
    assert "size" in body["description"]


def test_listing_customers_needs_a_token(anonymous_api, acme):
    assert_error(anonymous_api.get("/v1/customers"), 401)
