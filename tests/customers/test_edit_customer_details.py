"""Account info → Edit details: admin and sales agents correct a customer's company name,
address, language and primary contact; every change is kept (who, when, old → new) and shown
on Account info; the tenant ID, domain and country never change."""

import uuid

import pytest
from django.urls import reverse

from customers.models import Customer, CustomerChange, Relationship
from customers.selectors import CHANGES_PAGE_SIZE
from customers.services import update_customer
from tests import factories as f
from tests.customers.listing import URL as LIST_URL
from tests.customers.listing import names

pytestmark = pytest.mark.django_db


def edit_url(customer):
    return reverse("customers:edit", args=[customer.tenant_id])


def detail_url(customer, query=""):
    return reverse("customers:detail", args=[customer.tenant_id]) + query


def details(customer, **overrides) -> dict:
    """The edit form as it comes, filled with the customer's details and the overrides."""
    data = {
        "company_name": customer.company_name,
        "address_line1": customer.address_line1,
        "city": customer.city,
        "postal_code": customer.postal_code,
        "language": customer.language,
        "contact_first_name": customer.contact_first_name,
        "contact_last_name": customer.contact_last_name,
        "contact_email": customer.contact_email,
        "contact_phone": str(customer.contact_phone or ""),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_can_edit_a_customers_details(request, client, acme, persona):
    agent = request.getfixturevalue(persona)
    client.force_login(agent)
    assert client.get(edit_url(acme)).status_code == 200
    response = client.post(
        edit_url(acme),
        details(acme, company_name="Acme Praha s.r.o.", city="Brno", postal_code="602 00"),
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(acme)
    acme.refresh_from_db()
    assert (acme.company_name, acme.city, acme.postal_code) == (
        "Acme Praha s.r.o.",
        "Brno",
        "602 00",
    )
    changes = {c.field: (c.old_value, c.new_value, c.changed_by) for c in acme.changes.all()}
    assert changes == {
        "company_name": ("Acme s.r.o.", "Acme Praha s.r.o.", agent),
        "city": ("Praha", "Brno", agent),
        "postal_code": ("110 00", "602 00", agent),
    }


def test_the_primary_contact_and_language_can_be_corrected(client, sam, acme):
    client.force_login(sam)
    client.post(
        edit_url(acme),
        details(
            acme,
            contact_first_name="Eva",
            contact_last_name="Horáková",
            contact_email="eva@acme.example",
            contact_phone="+420 602 000 111",
            language="en",
        ),
    )
    acme.refresh_from_db()
    assert acme.contact_name == "Eva Horáková"
    assert acme.contact_email == "eva@acme.example"
    assert str(acme.contact_phone) == "+420602000111"
    assert acme.language == "en"


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_agents_cannot_edit(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(acme)).status_code == 403
    assert client.post(edit_url(acme), details(acme, company_name="Taken over")).status_code == 403
    acme.refresh_from_db()
    assert acme.company_name == "Acme s.r.o."
    assert not CustomerChange.objects.exists()


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_account_info_offers_no_edit_link_to_read_only_roles(request, client, acme, persona):
    client.force_login(request.getfixturevalue(persona))
    assert edit_url(acme) not in client.get(detail_url(acme)).text


def test_account_info_offers_the_edit_link_to_a_sales_agent(client, sam, acme):
    client.force_login(sam)
    assert f'href="{edit_url(acme)}"' in client.get(detail_url(acme)).text


def test_another_partners_customer_is_not_found(client, alice, globex):
    client.force_login(alice)
    assert client.get(edit_url(globex)).status_code == 404
    assert client.post(edit_url(globex), details(globex, company_name="Mine")).status_code == 404
    globex.refresh_from_db()
    assert globex.company_name == "Globex"


def test_an_unknown_tenant_is_not_found(client, alice):
    client.force_login(alice)
    assert client.get(f"/customers/{uuid.uuid4()}/edit/").status_code == 404


def test_a_customer_admin_cannot_edit(client, acme_admin, acme):
    client.force_login(acme_admin)
    assert client.post(edit_url(acme), details(acme, company_name="Self")).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, acme):
    response = client.get(edit_url(acme))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_reseller_edits_its_own_customer(client, nora, initech):
    client.force_login(nora)
    client.post(edit_url(initech), details(initech, company_name="Initech Europe"))
    initech.refresh_from_db()
    assert initech.company_name == "Initech Europe"


def test_a_provider_edits_its_resellers_customer(client, frank, initech):
    client.force_login(frank)
    assert client.post(edit_url(initech), details(initech, city="Ostrava")).status_code == 302
    initech.refresh_from_db()
    assert initech.city == "Ostrava"


def test_a_reseller_cannot_edit_its_providers_customer(client, nora, fabrikam, template_cz):
    own = f.CustomerFactory(company_name="Fabrikam's own")
    f.RelationshipFactory(partner=fabrikam, customer=own)
    client.force_login(nora)
    assert client.get(edit_url(own)).status_code == 404


def test_a_crafted_post_cannot_change_the_tenant_id_domain_or_country(client, alice, acme):
    tenant_id, domain = acme.tenant_id, acme.domain
    client.force_login(alice)
    response = client.post(
        edit_url(acme),
        details(
            acme,
            company_name="Acme Renamed",
            tenant_id=str(uuid.uuid4()),
            domain="stolen.onmicrosoft.com",
            country="US",
            state="CA",
            created_by=str(alice.pk),
        ),
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert (acme.tenant_id, acme.domain, acme.country.code) == (tenant_id, domain, "CZ")
    assert acme.state == ""
    assert acme.company_name == "Acme Renamed"
    assert set(acme.changes.values_list("field", flat=True)) == {"company_name"}


def test_the_service_ignores_fields_that_are_not_editable(alice, acme):
    domain = acme.domain
    changes = update_customer(
        customer=acme, changed_by=alice, values={"domain": "x.onmicrosoft.com", "city": "Brno"}
    )
    acme.refresh_from_db()
    assert [change.field for change in changes] == ["city"]
    assert acme.domain == domain


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company_name", "", "This field is required."),
        ("contact_email", "not-an-email", "Enter a valid email address."),
        ("contact_phone", "12", "Enter a valid phone number"),
        ("language", "xx", "Select a valid choice."),
        ("postal_code", "1" * 21, "Ensure this value has at most 20 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, alice, acme, field, value, message
):
    client.force_login(alice)
    response = client.post(edit_url(acme), details(acme, city="Brno", **{field: value}))
    assert response.status_code == 400
    assert message in response.text
    acme.refresh_from_db()
    assert acme.city == "Praha"
    assert not CustomerChange.objects.exists()


def test_saving_without_a_change_records_nothing(client, alice, acme):
    client.force_login(alice)
    response = client.post(edit_url(acme), details(acme), follow=True)
    assert "Nothing was changed." in response.text
    assert not CustomerChange.objects.exists()


def test_the_edited_name_is_found_by_the_customers_search_and_the_old_one_is_not(
    client, alice, acme
):
    client.force_login(alice)
    client.post(edit_url(acme), details(acme, company_name="Zelenářství Dvořák"))
    relationship = Relationship.objects.get(customer=acme)
    assert "zelenarstvi dvorak" in relationship.search_text
    assert relationship.customer_sort_name == "zelenarstvi dvorak"
    assert names(client.get(LIST_URL, {"q": "zelenarstvi"})) == ["Zelenářství Dvořák"]
    # The domain keeps "acme"; the old name as a whole is no longer found.
    assert names(client.get(LIST_URL, {"q": "Acme s.r.o."})) == []


def test_an_edited_contact_is_found_by_the_search(client, alice, acme):
    client.force_login(alice)
    client.post(edit_url(acme), details(acme, contact_email="petra@zeleny.example"))
    assert names(client.get(LIST_URL, {"q": "petra@zeleny"})) == ["Acme s.r.o."]


def test_the_list_sorts_by_the_edited_name(client, alice, acme, contoso):
    f.RelationshipFactory(partner=contoso, customer=f.CustomerFactory(company_name="Beta a.s."))
    client.force_login(alice)
    assert names(client.get(LIST_URL, {"sort": "name"})) == ["Acme s.r.o.", "Beta a.s."]
    client.post(edit_url(acme), details(acme, company_name="Žabka s.r.o."))
    assert names(client.get(LIST_URL, {"sort": "name"})) == ["Beta a.s.", "Žabka s.r.o."]


def test_every_partners_relationship_keeps_the_new_name(alice, acme, litware):
    other = f.RelationshipFactory(partner=litware, customer=acme)
    update_customer(customer=acme, changed_by=alice, values={"company_name": "Acme Nova"})
    other.refresh_from_db()
    assert other.customer_sort_name == "acme nova"


# --- the history on Account info ---------------------------------------------------------


def test_account_info_shows_who_changed_what_from_what_to_what(client, alice, sam, acme):
    update_customer(customer=acme, changed_by=sam, values={"city": "Brno", "language": "en"})
    client.force_login(alice)
    text = client.get(detail_url(acme)).text
    section = text.split('id="changes-heading"')[1]
    assert "Sam" in section
    assert "Praha" in section and "Brno" in section
    # The language reads as its name, not its code.
    assert "Czech" in section and "English" in section


def test_another_partners_agent_is_not_named_in_the_history(client, alice, lisa, acme, litware):
    f.RelationshipFactory(partner=litware, customer=acme)
    update_customer(customer=acme, changed_by=lisa, values={"city": "Plzeň"})
    client.force_login(alice)
    section = client.get(detail_url(acme)).text.split('id="changes-heading"')[1]
    assert "Plzeň" in section
    assert "Another partner" in section
    assert "Lisa" not in section and "litware" not in section.lower()


def test_a_provider_sees_which_of_its_resellers_agents_changed_a_customer(
    client, frank, nora, initech
):
    update_customer(customer=initech, changed_by=nora, values={"city": "Olomouc"})
    client.force_login(frank)
    section = client.get(detail_url(initech)).text.split('id="changes-heading"')[1]
    assert "Nora" in section


def test_the_history_comes_a_page_at_a_time_newest_first(client, alice, acme):
    for number in range(CHANGES_PAGE_SIZE + 3):
        update_customer(customer=acme, changed_by=alice, values={"city": f"City {number:02d}"})
    client.force_login(alice)
    first = client.get(detail_url(acme)).context["changes"]
    assert [row.new_value for row in first.rows][:2] == ["City 12", "City 11"]
    assert first.has_next
    second = client.get(detail_url(acme, "?changes=2")).context["changes"]
    assert [row.new_value for row in second.rows] == ["City 02", "City 01", "City 00"]
    assert not second.has_next
    assert 'rel="prev"' in client.get(detail_url(acme, "?changes=2")).text
    # A page that is no number is the first.
    assert client.get(detail_url(acme, "?changes=x")).context["changes"].number == 1


def test_account_info_costs_the_same_queries_for_one_change_or_many(
    client, alice, acme, django_assert_num_queries
):
    update_customer(customer=acme, changed_by=alice, values={"city": "Brno"})
    client.force_login(alice)
    client.get(detail_url(acme))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(detail_url(acme))
    for number in range(40):
        update_customer(customer=acme, changed_by=alice, values={"city": f"City {number}"})
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(detail_url(acme, "?changes=3"))


def test_the_edit_page_has_a_fixed_query_budget(client, alice, acme, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        client.get(edit_url(acme))


def test_the_edit_page_shows_the_tenant_id_domain_and_country_but_no_field_for_them(
    client, alice, acme
):
    client.force_login(alice)
    text = client.get(edit_url(acme)).text
    assert str(acme.tenant_id) in text and acme.domain in text
    assert 'name="domain"' not in text and 'name="country"' not in text
    assert 'name="tenant_id"' not in text
    # A Czech address has no state.
    assert 'name="state"' not in text


def test_the_edit_page_and_history_read_in_czech(client, alice, acme):
    update_customer(customer=acme, changed_by=alice, values={"city": "Brno"})
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    assert "Upravit údaje" in client.get(detail_url(acme)).text
    assert "Historie změn" in client.get(detail_url(acme)).text
    assert "Název společnosti" in client.get(edit_url(acme)).text


# --- a US customer's state ---------------------------------------------------------------


@pytest.fixture
def contoso_us(contoso, template_cz):
    customer = f.CustomerFactory(
        company_name="Fourth Coffee",
        country="US",
        state="WA",
        city="Seattle",
        postal_code="98052",
        address_line1="1 Pike Place",
        language="en",
    )
    f.RelationshipFactory(partner=contoso, customer=customer)
    return customer


def test_a_us_customers_state_can_be_changed(client, alice, contoso_us):
    client.force_login(alice)
    response = client.post(
        edit_url(contoso_us), details(contoso_us, state="OR", city="Portland", postal_code="97201")
    )
    assert response.status_code == 302
    contoso_us.refresh_from_db()
    assert contoso_us.state == "OR"
    assert contoso_us.postal_address == "1 Pike Place, Portland, OR 97201"
    assert "1 Pike Place<br>Portland, OR 97201" in client.get(detail_url(contoso_us)).text


@pytest.mark.parametrize(("state", "message"), [("", "Choose the state"), ("XX", "valid choice")])
def test_a_us_customer_needs_a_state_from_the_list(client, alice, contoso_us, state, message):
    client.force_login(alice)
    response = client.post(edit_url(contoso_us), details(contoso_us, state=state))
    assert response.status_code == 400
    assert message in response.text
    contoso_us.refresh_from_db()
    assert contoso_us.state == "WA"


def test_a_czech_address_puts_the_postal_code_before_the_city(acme):
    assert acme.postal_address == "Václavské náměstí 1, 110 00 Praha"


def test_the_service_refuses_a_state_outside_the_list(alice, contoso_us):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        update_customer(customer=contoso_us, changed_by=alice, values={"state": "ZZ"})
    contoso_us.refresh_from_db()
    assert contoso_us.state == "WA"
    assert not Customer.objects.get(pk=contoso_us.pk).changes.exists()


# --- an operator's correction in the Django admin --------------------------------------------


def admin_form(customer, **overrides) -> dict:
    data = {
        "company_name": customer.company_name,
        "address_line1": customer.address_line1,
        "city": customer.city,
        "postal_code": customer.postal_code,
        "state": customer.state,
        "language": customer.language,
        "contact_first_name": customer.contact_first_name,
        "contact_last_name": customer.contact_last_name,
        "contact_email": customer.contact_email,
        "contact_phone": str(customer.contact_phone or ""),
        "relationships-TOTAL_FORMS": "0",
        "relationships-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_operators_correction_is_in_the_history_and_the_domain_stays(
    client, operator, alice, acme
):
    domain = acme.domain
    client.force_login(operator)
    url = reverse("admin:customers_customer_change", args=[acme.pk])
    page = client.get(url).text
    assert 'name="domain"' not in page and 'name="country"' not in page
    response = client.post(
        url, admin_form(acme, city="Kolín", domain="moved.onmicrosoft.com", country="US")
    )
    assert response.status_code == 302, response.text[:3000]
    acme.refresh_from_db()
    assert (acme.city, acme.domain, acme.country.code) == ("Kolín", domain, "CZ")
    change = acme.changes.get()
    assert (change.field, change.old_value, change.new_value) == ("city", "Praha", "Kolín")
    assert change.changed_by == operator and change.partner is None
    client.force_login(alice)
    section = client.get(detail_url(acme)).text.split('id="changes-heading"')[1]
    assert "A portal operator" in section
    assert "operator@" not in section


def test_the_admin_refuses_a_us_customer_without_a_state(client, operator, contoso_us):
    client.force_login(operator)
    url = reverse("admin:customers_customer_change", args=[contoso_us.pk])
    response = client.post(url, admin_form(contoso_us, state=""))
    assert response.status_code == 200
    assert "Choose the state of a US address." in response.text
    contoso_us.refresh_from_db()
    assert contoso_us.state == "WA"
