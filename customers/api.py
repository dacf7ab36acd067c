"""Customers over the REST API: list, read and create.

The same services and predicates as the web pages: creating goes through
customers.services.create_customer, every lookup through
customers.selectors.get_relationship_for (another partner's customer is 404).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.response import Response

from customers import selectors
from customers.forms import country_problem, domain_problem
from customers.models import Customer, CustomerLanguage, domain_validator
from customers.services import create_customer
from portal import permissions
from portal.api import (
    CORRELATION_HEADERS,
    CUSTOMER_NOT_FOUND,
    REQUEST_ID_HEADER,
    ApiError,
    ApiView,
    AttributesSerializer,
    LinkSerializer,
    collection,
    collection_serializer,
    errors,
    forbidden,
    idempotent,
    invalid_input,
    keyset_page,
    next_link,
    page_size,
)

# --- Serializers --------------------------------------------------------------


class AddressSerializer(serializers.Serializer):
    country = CountryField()
    city = serializers.CharField(max_length=100)
    addressLine1 = serializers.CharField(max_length=200)  # noqa: N815
    postalCode = serializers.CharField(max_length=20)  # noqa: N815

    def validate_country(self, value: str) -> str:
        # A customer there could never have an acceptance on record, so never order.
        if problem := country_problem(value):
            raise serializers.ValidationError(problem)
        return value


class CompanyProfileSerializer(serializers.Serializer):
    tenantId = serializers.UUIDField(read_only=True)  # noqa: N815
    companyName = serializers.CharField(max_length=200)  # noqa: N815
    domain = serializers.CharField(max_length=80, validators=[domain_validator])

    def validate_domain(self, value: str) -> str:
        # The web form's check: the same rule and the same message.
        problem = domain_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class BillingProfileSerializer(serializers.Serializer):
    firstName = serializers.CharField(max_length=100)  # noqa: N815
    lastName = serializers.CharField(max_length=100)  # noqa: N815
    email = serializers.EmailField(max_length=254)
    phoneNumber = PhoneNumberField(required=False, allow_blank=True, default="")  # noqa: N815
    culture = serializers.RegexField(
        r"^[a-z]{2}-[A-Z]{2}$", required=False, help_text="For example cs-CZ."
    )
    language = serializers.ChoiceField(choices=CustomerLanguage.values)
    defaultAddress = AddressSerializer()  # noqa: N815


class NewCustomerSerializer(serializers.Serializer):
    companyProfile = CompanyProfileSerializer()  # noqa: N815
    billingProfile = BillingProfileSerializer()  # noqa: N815


class CustomerLinksSerializer(serializers.Serializer):
    self = LinkSerializer()


class CustomerSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    companyProfile = CompanyProfileSerializer()  # noqa: N815
    billingProfile = BillingProfileSerializer()  # noqa: N815
    links = CustomerLinksSerializer()
    attributes = AttributesSerializer()


class UserCredentialsSerializer(serializers.Serializer):
    userName = serializers.CharField()  # noqa: N815
    password = serializers.CharField()


class CreatedCustomerSerializer(CustomerSerializer):
    userCredentials = UserCredentialsSerializer()  # noqa: N815


CustomerCollection = collection_serializer(CustomerSerializer, "CustomerCollection", paged=True)


def customer_body(customer: Customer) -> dict:
    uri = reverse("api:customer", args=[customer.tenant_id])
    return {
        "id": str(customer.tenant_id),
        "companyProfile": {
            "tenantId": str(customer.tenant_id),
            "companyName": customer.company_name,
            "domain": customer.domain,
        },
        "billingProfile": {
            "firstName": customer.contact_first_name,
            "lastName": customer.contact_last_name,
            "email": customer.contact_email,
            "phoneNumber": str(customer.contact_phone) if customer.contact_phone else "",
            "culture": f"{customer.language}-{customer.country.code}",
            "language": customer.language,
            "defaultAddress": {
                "country": customer.country.code,
                "city": customer.city,
                "addressLine1": customer.address_line1,
                "postalCode": customer.postal_code,
            },
        },
        "links": {"self": {"uri": uri, "method": "GET"}},
        "attributes": {"objectType": "Customer"},
    }


# Model field → the API's name for it, so a model-level error names what the caller sent.
CUSTOMER_FIELDS = {
    "company_name": "companyProfile.companyName",
    "domain": "companyProfile.domain",
    "country": "billingProfile.defaultAddress.country",
    "address_line1": "billingProfile.defaultAddress.addressLine1",
    "city": "billingProfile.defaultAddress.city",
    "postal_code": "billingProfile.defaultAddress.postalCode",
    "language": "billingProfile.language",
    "contact_first_name": "billingProfile.firstName",
    "contact_last_name": "billingProfile.lastName",
    "contact_email": "billingProfile.email",
    "contact_phone": "billingProfile.phoneNumber",
}


def renamed(error: DjangoValidationError, names: dict[str, str]) -> ApiError:
    if not hasattr(error, "error_dict"):
        return invalid_input(" ".join(error.messages), list(error.messages))
    lines = [
        f"{names.get(field, field)}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return invalid_input(" ".join(lines), lines)


def relationship_or_404(request, tenant_id):
    """R4 through the one lookup helper, answered with Partner Center's 60003."""
    try:
        return selectors.get_relationship_for(request.user, tenant_id)
    except Http404 as error:
        raise ApiError(404, CUSTOMER_NOT_FOUND, "No customer with this id.") from error


# --- Customers ----------------------------------------------------------------


class CustomerList(ApiView):
    @extend_schema(
        operation_id="listCustomers",
        summary="The caller's partner's customers, by company name",
        parameters=[
            OpenApiParameter("size", int, description="Page size, 1–500 (default 100)."),
            OpenApiParameter(
                "continuationToken", str, description="Or send it as MS-ContinuationToken."
            ),
            OpenApiParameter("MS-ContinuationToken", str, OpenApiParameter.HEADER),
            *CORRELATION_HEADERS,
        ],
        responses={200: CustomerCollection, **errors(400)},
    )
    def get(self, request):
        size = page_size(request)
        customers, token = keyset_page(
            selectors.customers_for(request.user),
            request=request,
            size=size,
            key=("company_name", "id"),
            scope=f"customers.{request.user.partner_id}",
        )
        links = next_link(reverse("api:customers"), size, token) if token else None
        return Response(collection([customer_body(c) for c in customers], links))

    @extend_schema(
        operation_id="createCustomer",
        summary="Create a customer; the admin's password is returned this once",
        parameters=[REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=NewCustomerSerializer,
        responses={201: CreatedCustomerSerializer, **errors(400, 403, 413, 415, 422)},
    )
    @idempotent
    def post(self, request):
        if not permissions.can_create_customer(request.user):
            raise forbidden()
        given = NewCustomerSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        company, billing = (
            given.validated_data["companyProfile"],
            given.validated_data["billingProfile"],
        )
        address = billing["defaultAddress"]
        try:
            customer, admin, password = create_customer(
                partner=request.user.partner,
                created_by=request.user,
                customer=Customer(
                    company_name=company["companyName"],
                    domain=company["domain"],
                    country=address["country"],
                    address_line1=address["addressLine1"],
                    city=address["city"],
                    postal_code=address["postalCode"],
                    language=billing["language"],
                    contact_first_name=billing["firstName"],
                    contact_last_name=billing["lastName"],
                    contact_email=billing["email"],
                    contact_phone=billing.get("phoneNumber") or "",
                ),
            )
        except DjangoValidationError as error:
            raise renamed(error, CUSTOMER_FIELDS) from error
        except IntegrityError as error:
            # Another call took the domain between our check and our insert.
            raise invalid_input(
                "companyProfile.domain: This domain was taken a moment ago.",
                ["companyProfile.domain: This domain was taken a moment ago."],
            ) from error
        body = customer_body(customer)
        response = Response(
            {**body, "userCredentials": {"userName": admin.email, "password": password}},
            status=201,
        )
        # R7: the password is shown once; a replayed retry gets everything but it.
        response.stored_data = {
            **body,
            "userCredentials": {"userName": admin.email, "password": ""},
        }
        return response


class CustomerDetail(ApiView):
    @extend_schema(
        operation_id="getCustomer",
        summary="One customer",
        parameters=CORRELATION_HEADERS,
        responses={200: CustomerSerializer, **errors(404)},
    )
    def get(self, request, tenant_id):
        return Response(customer_body(relationship_or_404(request, tenant_id).customer))
