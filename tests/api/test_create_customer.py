import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from customers.models import Customer, Relationship
from portal.models import User
from tests.api.conftest import assert_error
from tests.api.payloads import new_customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["alice", "sam"])
def test_admin_and_sales_agents_create_customers(api_as, persona, request, contoso, template_cz):
    response = api_as(request.getfixturevalue(persona)).post_json("/v1/customers", new_customer())
    assert response.status_code == 201, response.content
    body = response.json()
    customer = Customer.objects.get(tenant_id=body["id"])
    assert customer.domain == "wingtip.onmicrosoft.com"
    assert (customer.city, customer.language, str(customer.contact_phone)) == (
        "Brno",
        "cs",
        "+420602000111",
    )
    assert Relationship.objects.filter(partner=contoso, customer=customer).exists()
    credentials = body["userCredentials"]
    assert credentials["userName"] == "admin@wingtip.onmicrosoft.com"
    admin = User.objects.get(email=credentials["userName"])
    assert admin.customer == customer and admin.must_change_password
    assert credentials["password"] not in admin.password
    assert (
        authenticate(
            RequestFactory().post("/"),
            username=credentials["userName"],
            password=credentials["password"],
        )
        == admin
    )


def test_the_password_is_never_returned_again(api_as, alice, template_cz):
    api = api_as(alice)
    created = api.post_json("/v1/customers", new_customer()).json()
    again = api.get(f"/v1/customers/{created['id']}").json()
    assert "userCredentials" not in again
    assert created["userCredentials"]["password"] not in str(api.get("/v1/customers").content)


@pytest.mark.parametrize("persona", ["hana", "bill"])
def test_helpdesk_and_billing_cannot_create_customers(api_as, persona, request, template_cz):
    response = api_as(request.getfixturevalue(persona)).post_json("/v1/customers", new_customer())
    assert_error(response, 403, 403)
    assert not Customer.objects.exists()


def test_a_reseller_creates_customers_its_provider_then_sees(
    api_as, nora, frank, northwind, template_cz
):
    response = api_as(nora).post_json("/v1/customers", new_customer())
    assert response.status_code == 201
    tenant = response.json()["id"]
    assert Relationship.objects.get(customer__tenant_id=tenant).partner == northwind
    assert api_as(frank).get(f"/v1/customers/{tenant}").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"companyProfile__companyName": None}, "companyProfile.companyName"),
        ({"companyProfile__domain": "Not A Domain"}, "companyProfile.domain"),
        ({"companyProfile__domain": "wingtip.example.com"}, "companyProfile.domain"),
        ({"billingProfile__firstName": ""}, "billingProfile.firstName"),
        ({"billingProfile__email": "not-an-email"}, "billingProfile.email"),
        ({"billingProfile__phoneNumber": "12"}, "billingProfile.phoneNumber"),
        ({"billingProfile__language": "xx"}, "billingProfile.language"),
        ({"billingProfile__culture": "czech"}, "billingProfile.culture"),
        (
            {"billingProfile__defaultAddress__country": "ZZ"},
            "billingProfile.defaultAddress.country",
        ),
        ({"billingProfile__defaultAddress__city": None}, "billingProfile.defaultAddress.city"),
        ({"billingProfile": None}, "billingProfile"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    api_as, alice, template_cz, changes, field
):
    response = api_as(alice).post_json("/v1/customers", new_customer(**changes))
    body = assert_error(response, 400, 800002)
    assert field in body["description"]
    assert any(line.startswith(field) for line in body["data"])
    assert not Customer.objects.exists()
    assert not User.objects.filter(customer__isnull=False).exists()


def test_a_taken_domain_is_400(api_as, alice, acme):
    response = api_as(alice).post_json(
        "/v1/customers", new_customer(companyProfile__domain="acme.onmicrosoft.com")
    )
    body = assert_error(response, 400, 800002)
    assert "companyProfile.domain" in body["description"]
    assert Customer.objects.count() == 1


def test_a_body_that_is_not_an_object_is_400(api_as, alice, template_cz):
    assert_error(api_as(alice).post_json("/v1/customers", ["x"]), 400, 800002)


def test_creating_a_customer_needs_a_token(anonymous_api, template_cz):
    assert_error(anonymous_api.post_json("/v1/customers", new_customer()), 401)
    assert not Customer.objects.exists()


def test_a_domain_taken_between_check_and_insert_is_400_not_500(
    api_as, alice, template_cz, monkeypatch
):
    from django.db import IntegrityError

    from customers import api as customers_api

    def racing(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(customers_api, "create_customer", racing)
    body = assert_error(api_as(alice).post_json("/v1/customers", new_customer()), 400, 800002)
    assert "companyProfile.domain" in body["description"]
