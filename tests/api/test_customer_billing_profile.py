"""GET and PUT /v1/customers/{id}/profiles/billing: Partner Center's CustomerBillingProfile.

Read by every agent who sees the customer; replaced by its admin and sales agents through Edit
details' service (the same history, search copies and rules); the tenant ID, domain and country
never change; a stale etag is 412 and saves nothing."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, CustomerChange
from customers.services import details_version, update_customer
from portal.models import ApiToken
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error
from tests.customers.listing import URL as LIST_URL
from tests.customers.listing import names

pytestmark = pytest.mark.django_db


def url(customer) -> str:
    return f"/v1/customers/{customer.tenant_id}/profiles/billing"


def profile_of(api, customer) -> dict:
    response = api.get(url(customer))
    assert response.status_code == 200, response.content
    return response.json()


def edited(profile: dict, **changes) -> dict:
    """The profile as read, with ``defaultAddress__city="Brno"``-style changes (None drops)."""
    body = copy.deepcopy(profile)
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return body


def snapshot(customer) -> dict:
    return {
        field.name: getattr(Customer.objects.get(pk=customer.pk), field.name)
        for field in Customer._meta.fields
    }


# --- Reading ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "sam", "hana", "bill"])
def test_every_agent_reads_its_customers_billing_profile(api_as, request, persona, acme):
    response = api_as(request.getfixturevalue(persona)).get(url(acme))
    assert response.status_code == 200
    body = response.json()
    etag = details_version(acme)
    assert body == {
        "id": str(acme.tenant_id),
        "firstName": "Jana",
        "lastName": "Nováková",
        "email": acme.contact_email,
        "culture": "cs-CZ",
        "language": "cs",
        "companyName": "Acme s.r.o.",
        "defaultAddress": {
            "country": "CZ",
            "region": "",
            "city": "Praha",
            "state": "",
            "addressLine1": "Václavské náměstí 1",
            "addressLine2": "",
            "postalCode": "110 00",
            "firstName": "Jana",
            "lastName": "Nováková",
            "phoneNumber": "+420601123456",
        },
        "links": {"self": {"uri": url(acme), "method": "GET"}},
        "attributes": {"etag": etag, "objectType": "CustomerBillingProfile"},
    }
    assert response["ETag"] == f'"{etag}"'


def test_a_provider_reads_its_resellers_customers_profile(api_as, frank, initech):
    assert api_as(frank).get(url(initech)).status_code == 200


def test_another_partners_customer_is_404(api_as, alice, globex):
    assert_error(api_as(alice).get(url(globex)), 404, 60003)


def test_a_reseller_does_not_see_its_providers_own_customers_profile(api_as, nora, fabrikam):
    own = f.CustomerFactory()
    f.RelationshipFactory(partner=fabrikam, customer=own)
    assert_error(api_as(nora).get(url(own)), 404, 60003)


def test_an_unknown_tenant_is_404(api_as, alice, acme):
    response = api_as(alice).get(
        "/v1/customers/00000000-0000-0000-0000-000000000000/profiles/billing"
    )
    assert_error(response, 404, 60003)


def test_a_customer_admins_token_reads_nothing(acme_admin, acme):
    _token, secret = ApiToken.issue(user=acme_admin, name="sneaky")
    client = ApiClient(secret)
    assert_error(client.get(url(acme)), 401, 401)
    assert_error(client.put_json(url(acme), {}), 401, 401)


# --- Replacing: who may ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_replace_the_profile_and_each_change_is_kept(
    api_as, request, persona, acme
):
    agent = request.getfixturevalue(persona)
    api = api_as(agent)
    before = profile_of(api, acme)
    response = api.put_json(
        url(acme),
        edited(
            before,
            companyName="Acme Praha s.r.o.",
            defaultAddress__city="Brno",
            defaultAddress__postalCode="602 00",
            defaultAddress__phoneNumber="+420602000111",
        ),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["companyName"] == "Acme Praha s.r.o."
    assert body["defaultAddress"]["city"] == "Brno"
    assert body["defaultAddress"]["phoneNumber"] == "+420602000111"
    acme.refresh_from_db()
    assert body["attributes"]["etag"] == details_version(acme) != before["attributes"]["etag"]
    assert response["ETag"] == f'"{body["attributes"]["etag"]}"'
    # What GET gives now is what PUT answered.
    assert profile_of(api, acme) == body
    changes = {
        c.field: (c.old_value, c.new_value, c.changed_by, c.partner) for c in acme.changes.all()
    }
    assert changes == {
        "company_name": ("Acme s.r.o.", "Acme Praha s.r.o.", agent, agent.partner),
        "city": ("Praha", "Brno", agent, agent.partner),
        "postal_code": ("110 00", "602 00", agent, agent.partner),
        "contact_phone": ("+420601123456", "+420602000111", agent, agent.partner),
    }


def test_the_primary_contact_and_language_can_be_corrected(api_as, sam, acme):
    api = api_as(sam)
    body = edited(
        profile_of(api, acme),
        firstName="Eva",
        lastName="Horáková",
        email="eva@acme.example",
        language="en",
        defaultAddress__firstName="Eva",
        defaultAddress__lastName="Horáková",
        defaultAddress__phoneNumber="",
    )
    response = api.put_json(url(acme), body)
    assert response.status_code == 200, response.content
    assert response.json()["culture"] == "en-CZ"
    acme.refresh_from_db()
    assert (acme.contact_name, acme.contact_email, acme.language, str(acme.contact_phone)) == (
        "Eva Horáková",
        "eva@acme.example",
        "en",
        "",
    )
    assert set(acme.changes.values_list("field", flat=True)) == {
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "language",
        "contact_phone",
    }


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_agents_cannot_replace_it(api_as, alice, request, persona, acme):
    profile = profile_of(api_as(alice), acme)
    before = snapshot(acme)
    response = api_as(request.getfixturevalue(persona)).put_json(
        url(acme), edited(profile, companyName="Hacked")
    )
    assert_error(response, 403, 403)
    assert snapshot(acme) == before
    assert not CustomerChange.objects.exists()


def test_another_partners_agent_gets_404_and_nothing_changes(api_as, alice, lisa, acme):
    profile = profile_of(api_as(alice), acme)
    before = snapshot(acme)
    assert_error(api_as(lisa).put_json(url(acme), edited(profile, companyName="Mine")), 404, 60003)
    assert snapshot(acme) == before
    assert not CustomerChange.objects.exists()


def test_a_reseller_replaces_its_own_customers_profile(api_as, nora, initech):
    api = api_as(nora)
    response = api.put_json(
        url(initech), edited(profile_of(api, initech), companyName="Initech CZ")
    )
    assert response.status_code == 200, response.content
    assert initech.changes.get().partner == nora.partner


def test_a_provider_replaces_its_resellers_customers_profile(api_as, frank, initech):
    api = api_as(frank)
    response = api.put_json(
        url(initech), edited(profile_of(api, initech), companyName="Initech CZ")
    )
    assert response.status_code == 200, response.content
    change = initech.changes.get()
    assert (change.changed_by, change.partner) == (frank, frank.partner)


def test_a_reseller_cannot_replace_its_providers_customers_profile(api_as, frank, nora, fabrikam):
    own = f.CustomerFactory()
    f.RelationshipFactory(partner=fabrikam, customer=own)
    profile = profile_of(api_as(frank), own)
    assert_error(api_as(nora).put_json(url(own), edited(profile, companyName="X")), 404, 60003)
    assert not CustomerChange.objects.exists()


def test_replacing_needs_a_token(anonymous_api, acme):
    assert_error(anonymous_api.put_json(url(acme), {}), 401, 401)


# --- Replacing: what may change --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"defaultAddress__country": "DE"}, "defaultAddress.country"),
        ({"domain": "other.onmicrosoft.com"}, "domain"),
        ({"companyProfile": {"domain": "other.onmicrosoft.com"}}, "companyProfile.domain"),
        ({"id": "00000000-0000-0000-0000-000000000001"}, "id"),
    ],
    ids=["country", "domain", "domain in a companyProfile", "tenant id"],
)
def test_the_country_domain_and_tenant_id_never_change(api_as, alice, acme, changes, field):
    api = api_as(alice)
    before = snapshot(acme)
    body = edited(profile_of(api, acme), companyName="Acme Nová s.r.o.", **changes)
    error = assert_error(api.put_json(url(acme), body), 400, 800002)
    assert error["data"] and error["data"][0].startswith(f"{field}: ")
    assert "never changes" in error["description"]
    assert snapshot(acme) == before
    assert not CustomerChange.objects.exists()


def test_the_same_country_domain_and_id_sent_back_are_fine(api_as, alice, acme):
    api = api_as(alice)
    body = edited(
        profile_of(api, acme),
        companyName="Acme Nová s.r.o.",
        domain="ACME.onmicrosoft.com",
        companyProfile={"domain": "acme.onmicrosoft.com"},
    )
    assert api.put_json(url(acme), body).status_code == 200
    acme.refresh_from_db()
    assert (acme.domain, acme.country.code) == ("acme.onmicrosoft.com", "CZ")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"defaultAddress__phoneNumber": "601 123"}, "defaultAddress.phoneNumber"),
        ({"defaultAddress__phoneNumber": "+420 12"}, "defaultAddress.phoneNumber"),
        ({"firstName": None}, "firstName"),
        ({"lastName": "   "}, "lastName"),
        ({"email": "not-an-email"}, "email"),
        ({"email": None}, "email"),
        ({"companyName": None}, "companyName"),
        ({"companyName": "x" * 201}, "companyName"),
        ({"language": "fr"}, "language"),
        ({"culture": "czech"}, "culture"),
        ({"defaultAddress__city": None}, "defaultAddress.city"),
        ({"defaultAddress__addressLine1": ""}, "defaultAddress.addressLine1"),
        ({"defaultAddress__postalCode": "1" * 21}, "defaultAddress.postalCode"),
        ({"defaultAddress__country": None}, "defaultAddress.country"),
        ({"defaultAddress__addressLine2": "Building B"}, "defaultAddress.addressLine2"),
        ({"defaultAddress__region": "Jihomoravský"}, "defaultAddress.region"),
        ({"defaultAddress__firstName": "Someone"}, "defaultAddress.firstName"),
        ({"defaultAddress": None}, "defaultAddress"),
        ({"attributes__etag": None}, "attributes.etag"),
        ({"attributes": None}, "attributes"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_nothing_is_saved(
    api_as, alice, acme, changes, field
):
    api = api_as(alice)
    before = snapshot(acme)
    # A valid change beside the bad one: it must not be saved either.
    body = edited(profile_of(api, acme), **{"defaultAddress__city": "Brno", **changes})
    error = assert_error(api.put_json(url(acme), body), 400, 800002)
    assert any(line.startswith(f"{field}: ") for line in error["data"]), error
    assert snapshot(acme) == before
    assert not CustomerChange.objects.exists()


def test_a_bad_phone_number_is_told_with_the_example(api_as, alice, acme):
    api = api_as(alice)
    body = edited(profile_of(api, acme), defaultAddress__phoneNumber="12345")
    error = assert_error(api.put_json(url(acme), body), 400, 800002)
    assert "for example +420 601 123 456" in error["description"]


def test_a_body_that_is_not_an_object_is_400(api_as, alice, acme):
    assert_error(api_as(alice).put_json(url(acme), ["not", "a", "profile"]), 400, 800002)


def test_saving_the_profile_unchanged_records_nothing(api_as, alice, acme):
    api = api_as(alice)
    profile = profile_of(api, acme)
    response = api.put_json(url(acme), profile)
    assert response.status_code == 200
    assert response.json() == profile
    assert not CustomerChange.objects.exists()


@pytest.fixture
def fourth_coffee(contoso, template_cz):
    customer = f.CustomerFactory(
        company_name="Fourth Coffee",
        country="US",
        state="WA",
        city="Seattle",
        postal_code="98052",
        address_line1="1 Pike Place",
        language="en",
        contact_phone="+12065550100",
    )
    f.RelationshipFactory(partner=contoso, customer=customer)
    return customer


def test_a_us_customers_state_can_be_changed(api_as, alice, fourth_coffee):
    api = api_as(alice)
    profile = profile_of(api, fourth_coffee)
    assert profile["defaultAddress"]["state"] == "WA"
    body = edited(profile, defaultAddress__state="or", defaultAddress__city="Portland")
    assert api.put_json(url(fourth_coffee), body).status_code == 200
    fourth_coffee.refresh_from_db()
    assert fourth_coffee.state == "OR"


@pytest.mark.parametrize("state", ["", "XX", None])
def test_a_us_customer_needs_a_state_from_the_list(api_as, alice, fourth_coffee, state):
    api = api_as(alice)
    before = snapshot(fourth_coffee)
    body = edited(profile_of(api, fourth_coffee), defaultAddress__state=state)
    error = assert_error(api.put_json(url(fourth_coffee), body), 400, 800002)
    assert error["data"][0].startswith("defaultAddress.state: ")
    assert snapshot(fourth_coffee) == before


def test_another_countrys_address_keeps_no_state(api_as, alice, acme):
    api = api_as(alice)
    body = edited(profile_of(api, acme), defaultAddress__state="WA")
    response = api.put_json(url(acme), body)
    assert response.status_code == 200
    assert response.json()["defaultAddress"]["state"] == ""


# --- Optimistic concurrency -------------------------------------------------------------


def test_a_stale_etag_is_412_and_nothing_is_saved(api_as, alice, sam, acme):
    stale = profile_of(api_as(alice), acme)
    # A colleague saves first.
    colleague = api_as(sam)
    assert colleague.put_json(url(acme), edited(stale, companyName="Acme Sam")).status_code == 200
    before = snapshot(acme)
    error = assert_error(
        api_as(alice).put_json(url(acme), edited(stale, defaultAddress__city="Brno")), 412, 412
    )
    assert "changed since" in error["description"]
    assert "attributes.etag" in error["description"]
    assert snapshot(acme) == before
    assert list(acme.changes.values_list("field", flat=True)) == ["company_name"]
    # Read again, the same change goes through on top of the colleague's.
    fresh = profile_of(api_as(alice), acme)
    response = api_as(alice).put_json(url(acme), edited(fresh, defaultAddress__city="Brno"))
    assert response.status_code == 200
    acme.refresh_from_db()
    assert (acme.company_name, acme.city) == ("Acme Sam", "Brno")


def test_an_etag_from_before_an_edit_on_the_web_is_stale_too(api_as, client, alice, acme):
    stale = profile_of(api_as(alice), acme)
    client.force_login(alice)
    web_form = {
        "company_name": acme.company_name,
        "address_line1": acme.address_line1,
        "city": "Ostrava",
        "postal_code": acme.postal_code,
        "language": acme.language,
        "contact_first_name": acme.contact_first_name,
        "contact_last_name": acme.contact_last_name,
        "contact_email": acme.contact_email,
        "contact_phone": str(acme.contact_phone),
    }
    assert client.post(f"/customers/{acme.tenant_id}/edit/", web_form).status_code == 302
    response = api_as(alice).put_json(url(acme), edited(stale, companyName="Acme API"))
    assert_error(response, 412, 412)
    acme.refresh_from_db()
    assert (acme.company_name, acme.city) == ("Acme s.r.o.", "Ostrava")


def test_an_if_match_header_must_name_the_same_version(api_as, alice, acme):
    api = api_as(alice)
    profile = profile_of(api, acme)
    body = edited(profile, companyName="Acme If-Match")
    assert_error(api.put_json(url(acme), body, headers={"If-Match": '"0123"'}), 412, 412)
    assert not CustomerChange.objects.exists()
    etag = profile["attributes"]["etag"]
    assert api.put_json(url(acme), body, headers={"If-Match": f'"{etag}"'}).status_code == 200


def test_an_if_match_star_matches_any_version(api_as, alice, acme):
    api = api_as(alice)
    body = edited(profile_of(api, acme), companyName="Acme Star")
    assert api.put_json(url(acme), body, headers={"If-Match": "*"}).status_code == 200


def test_a_retry_with_the_same_request_id_replays_the_answer(api_as, alice, acme):
    api = api_as(alice)
    body = edited(profile_of(api, acme), companyName="Acme Retry")
    headers = {"MS-RequestId": "billing-retry-1"}
    first = api.put_json(url(acme), body, headers=headers)
    retry = api.put_json(url(acme), body, headers=headers)
    assert first.status_code == retry.status_code == 200
    assert retry["MS-Idempotent-Replay"] == "true"
    assert retry.json() == first.json()
    assert acme.changes.count() == 1


# --- What a change reaches ------------------------------------------------------------------


def test_the_new_name_is_found_by_the_customers_search_and_the_old_one_is_not(
    api_as, client, alice, acme
):
    api = api_as(alice)
    body = edited(profile_of(api, acme), companyName="Zelenářství Dvořák")
    assert api.put_json(url(acme), body).status_code == 200
    client.force_login(alice)
    assert names(client.get(LIST_URL, {"q": "zelenarstvi"})) == ["Zelenářství Dvořák"]
    assert names(client.get(LIST_URL, {"q": "Acme s.r.o."})) == []
    # And the customers API lists it by the new name.
    listed = api.get("/v1/customers").json()["items"]
    assert [c["companyProfile"]["companyName"] for c in listed] == ["Zelenářství Dvořák"]


def test_account_info_shows_the_change_made_through_the_api(api_as, client, alice, sam, acme):
    api = api_as(sam)
    body = edited(profile_of(api, acme), defaultAddress__city="Olomouc")
    assert api.put_json(url(acme), body).status_code == 200
    client.force_login(alice)
    page = client.get(f"/customers/{acme.tenant_id}/").text
    assert "Olomouc" in page
    assert "Praha" in page  # the old value, in the history


# --- Query budgets --------------------------------------------------------------------------


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content
    return len(captured)


def test_reading_costs_the_same_however_long_the_history(api_as, alice, acme):
    api = api_as(alice)
    api.get(url(acme))  # the token's last-used stamp is written once a minute
    few = queries(lambda: api.get(url(acme)))
    for n in range(10):
        update_customer(customer=acme, changed_by=alice, values={"city": f"City {n}"})
    assert queries(lambda: api.get(url(acme))) == few <= 2


def test_replacing_costs_the_same_for_one_changed_field_or_many(api_as, alice, acme, contoso):
    api = api_as(alice)
    profile = profile_of(api, acme)
    one = queries(lambda: api.put_json(url(acme), edited(profile, companyName="Acme One")))
    profile = profile_of(api, acme)
    many = edited(
        profile,
        companyName="Acme Many",
        firstName="Eva",
        lastName="Horáková",
        email="eva@acme.example",
        language="en",
        defaultAddress__city="Brno",
        defaultAddress__postalCode="602 00",
        defaultAddress__addressLine1="Masarykova 1",
        defaultAddress__phoneNumber="+420602000111",
        defaultAddress__firstName="Eva",
        defaultAddress__lastName="Horáková",
    )
    # On PostgreSQL one more: the customer's row lock (customers.locks).
    assert queries(lambda: api.put_json(url(acme), many)) == one <= 9
    assert acme.changes.count() == 10
