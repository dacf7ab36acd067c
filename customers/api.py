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
from drf_spectacular.utils import extend_schema, extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.response import Response

from customers import selectors
from customers.forms import country_problem, domain_problem
from customers.models import AgreementStatus, Customer, CustomerLanguage, domain_validator
from customers.regions import needs_state
from customers.services import create_customer
from portal import permissions
from portal.api.errors import CUSTOMER_NOT_FOUND, ApiError, forbidden, invalid_input
from portal.api.idempotency import idempotent
from portal.api.pagination import (
    collection,
    keyset_page,
    next_link,
    page_size,
    paging_parameters,
)
from portal.api.schema import (
    CORRELATION_HEADERS,
    REQUEST_ID_HEADER,
    LinkField,
    ObjectAttributesField,
    TextOrBlankField,
    WireChoiceField,
    collection_serializer,
    errors,
)
from portal.api.views import ApiView

# A relationship's agreement status on the wire (the customer and the agreement records).
AGREEMENT_STATUS_NAMES: dict[str, str] = {
    AgreementStatus.ATTESTED: "attested",
    AgreementStatus.ACCEPTED: "acceptedDirectly",
    AgreementStatus.INVITED: "invited",
    AgreementStatus.BLOCKED: "blocked",
    AgreementStatus.DUE: "reacceptanceDue",
    AgreementStatus.NONE: "notOnRecord",
}

# --- Input: a new customer -------------------------------------------------------


class AddressSerializer(serializers.Serializer):
    country = CountryField()
    city = serializers.CharField(max_length=100)
    addressLine1 = serializers.CharField(max_length=200)  # noqa: N815
    postalCode = serializers.CharField(max_length=20)  # noqa: N815
    # A US address's state (USPS code); required there, ignored elsewhere.
    state = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")

    def validate_country(self, value: str) -> str:
        # A customer there could never have an acceptance on record, so never order.
        if problem := country_problem(value):
            raise serializers.ValidationError(problem)
        return value


class CompanyProfileSerializer(serializers.Serializer):
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


# --- Output: the customer as the API shows it --------------------------------------


class CustomerCompanyProfileSerializer(serializers.Serializer):
    tenantId = serializers.UUIDField(source="tenant_id")  # noqa: N815
    companyName = serializers.CharField(source="company_name")  # noqa: N815
    domain = serializers.CharField()


class CustomerAddressSerializer(serializers.Serializer):
    country = CountryField()
    city = serializers.CharField()
    addressLine1 = serializers.CharField(source="address_line1")  # noqa: N815
    postalCode = serializers.CharField(source="postal_code")  # noqa: N815
    state = serializers.CharField()


class CustomerBillingProfileSerializer(serializers.Serializer):
    firstName = serializers.CharField(source="contact_first_name")  # noqa: N815
    lastName = serializers.CharField(source="contact_last_name")  # noqa: N815
    email = serializers.CharField(source="contact_email")
    phoneNumber = TextOrBlankField(source="contact_phone")  # noqa: N815
    culture = serializers.SerializerMethodField(help_text="For example cs-CZ.")
    language = serializers.ChoiceField(choices=CustomerLanguage.values)
    defaultAddress = CustomerAddressSerializer(source="*")  # noqa: N815

    def get_culture(self, customer: Customer) -> str:
        return f"{customer.language}-{customer.country.code}"


class CustomerLinksSerializer(serializers.Serializer):
    self = LinkField("api:customer", lookup="tenant_id")


class CustomerSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="tenant_id")
    companyProfile = CustomerCompanyProfileSerializer(source="*")  # noqa: N815
    billingProfile = CustomerBillingProfileSerializer(source="*")  # noqa: N815
    links = CustomerLinksSerializer(source="*")
    attributes = ObjectAttributesField("Customer")


class CustomerDetailSerializer(CustomerSerializer):
    """One customer, with its agreement status as the caller's partner sees it."""

    agreementStatus = WireChoiceField(  # noqa: N815
        AGREEMENT_STATUS_NAMES,
        source="effective_agreement_status",
        help_text="reacceptanceDue: the acceptance on record is of a version older than one "
        "that requires re-acceptance (or dated before its cut-off).",
    )


class UserCredentialsSerializer(serializers.Serializer):
    userName = serializers.CharField()  # noqa: N815
    password = serializers.CharField()


# The customer as created, and this once its admin's credentials, given in the context.
class CreatedCustomerSerializer(CustomerSerializer):
    userCredentials = serializers.SerializerMethodField()  # noqa: N815

    @extend_schema_field(UserCredentialsSerializer)
    def get_userCredentials(self, customer: Customer) -> dict:  # noqa: N802
        return UserCredentialsSerializer(self.context["credentials"]).data


CustomerCollection = collection_serializer(CustomerSerializer, "CustomerCollection", paged=True)


# Model field → the API's name for it, so a model-level error names what the caller sent.
CUSTOMER_FIELDS = {
    "company_name": "companyProfile.companyName",
    "domain": "companyProfile.domain",
    "country": "billingProfile.defaultAddress.country",
    "address_line1": "billingProfile.defaultAddress.addressLine1",
    "city": "billingProfile.defaultAddress.city",
    "postal_code": "billingProfile.defaultAddress.postalCode",
    "state": "billingProfile.defaultAddress.state",
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
            *paging_parameters(),
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
        return Response(collection(CustomerSerializer(customers, many=True).data, links))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list, the stubs say ReturnDict

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
                    state=address["state"].upper() if needs_state(address["country"]) else "",
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
        credentials = {"userName": admin.email, "password": password}
        response = Response(
            CreatedCustomerSerializer(customer, context={"credentials": credentials}).data,
            status=201,
        )
        # R7: the password is shown once; a replayed retry gets everything but it.
        # Read by portal.api.idempotency, which stores it for replays in place of response.data.
        response.stored_data = CreatedCustomerSerializer(  # type: ignore[attr-defined]
            customer, context={"credentials": {**credentials, "password": ""}}
        ).data
        return response


class CustomerDetail(ApiView):
    @extend_schema(
        operation_id="getCustomer",
        summary="One customer",
        parameters=CORRELATION_HEADERS,
        responses={200: CustomerDetailSerializer, **errors(404)},
    )
    def get(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        customer = relationship.customer
        # For the serializer, not a column.
        customer.effective_agreement_status = relationship.effective_agreement_status
        return Response(CustomerDetailSerializer(customer).data)
