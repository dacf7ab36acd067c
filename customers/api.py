"""Customers over the REST API: list, read and create, and a customer's billing profile (read
and replace).

The same services and predicates as the web pages: creating goes through
customers.services.create_customer, replacing the billing profile through
customers.services.update_customer (Edit details' service: the same history, locks and
rules), every lookup through customers.selectors.get_relationship_for (another partner's
customer is 404).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django_countries.serializer_fields import CountryField
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.response import Response

from customers import selectors
from customers.forms import country_problem, domain_problem
from customers.models import AgreementStatus, Customer, CustomerLanguage, domain_validator
from customers.regions import needs_state, state_problem
from customers.services import (
    DetailsChanged,
    create_customer,
    details_version,
    update_customer,
)
from portal import permissions
from portal.api.errors import CUSTOMER_NOT_FOUND, ApiError, forbidden, invalid_input, messages_of
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
from portal.forms import PHONE_INVALID

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

POSTAL_CODE_HELP = (
    "Checked against the country's form where it is well known (customers.addresses): CZ and "
    "SK 123 45 or 12345, kept as 123 45; DE 12345; AT 1234; PL 12-345. Others are kept as sent."
)


class AddressSerializer(serializers.Serializer):
    country = CountryField()
    city = serializers.CharField(max_length=100)
    addressLine1 = serializers.CharField(max_length=200)  # noqa: N815
    postalCode = serializers.CharField(max_length=20, help_text=POSTAL_CODE_HELP)  # noqa: N815
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


# --- A customer's billing profile (Partner Center's CustomerBillingProfile) ---------------
# GET reads it, PUT replaces it whole: what Edit details corrects (company name, address,
# language, primary contact), through the same service. The tenant ID, domain and country
# never change. The etag (attributes.etag, and the ETag header) is the version of the details
# read; a PUT must send it back and is refused (412) when the details changed meanwhile.

BILLING_PROFILE_OBJECT_TYPE = "CustomerBillingProfile"


class BillingProfileAttributesSerializer(serializers.Serializer):
    etag = serializers.CharField(
        help_text="The version of the details: send it back to change them."
    )
    objectType = serializers.CharField()  # noqa: N815


@extend_schema_field(BillingProfileAttributesSerializer)
class BillingProfileAttributesField(serializers.Field):
    """``"attributes": {"etag", "objectType"}``: the etag is the details' version."""

    def __init__(self) -> None:
        super().__init__(source="*")

    def to_representation(self, value: Customer) -> dict:
        return {"etag": details_version(value), "objectType": BILLING_PROFILE_OBJECT_TYPE}


class BillingProfileAddressSerializer(serializers.Serializer):
    country = CountryField()
    region = serializers.SerializerMethodField(help_text="Not kept: always empty.")
    city = serializers.CharField()
    state = serializers.CharField(help_text="A US address's state (USPS code); empty elsewhere.")
    addressLine1 = serializers.CharField(source="address_line1")  # noqa: N815
    addressLine2 = serializers.SerializerMethodField(help_text="Not kept: always empty.")  # noqa: N815
    postalCode = serializers.CharField(source="postal_code")  # noqa: N815
    # The address's contact is the customer's primary contact.
    firstName = serializers.CharField(source="contact_first_name")  # noqa: N815
    lastName = serializers.CharField(source="contact_last_name")  # noqa: N815
    phoneNumber = TextOrBlankField(source="contact_phone")  # noqa: N815

    def get_region(self, customer: Customer) -> str:
        return ""

    def get_addressLine2(self, customer: Customer) -> str:  # noqa: N802
        return ""


class BillingProfileLinksSerializer(serializers.Serializer):
    self = LinkField("api:customer-billing-profile", lookup="tenant_id")


class BillingProfileResourceSerializer(serializers.Serializer):
    """The billing profile as GET and PUT answer it."""

    id = serializers.UUIDField(source="tenant_id", help_text="The customer's tenant ID.")
    firstName = serializers.CharField(source="contact_first_name")  # noqa: N815
    lastName = serializers.CharField(source="contact_last_name")  # noqa: N815
    email = serializers.CharField(source="contact_email")
    culture = serializers.SerializerMethodField(help_text="For example cs-CZ.")
    language = serializers.ChoiceField(choices=CustomerLanguage.values)
    companyName = serializers.CharField(source="company_name")  # noqa: N815
    defaultAddress = BillingProfileAddressSerializer(source="*")  # noqa: N815
    links = BillingProfileLinksSerializer(source="*")
    attributes = BillingProfileAttributesField()

    def get_culture(self, customer: Customer) -> str:
        return f"{customer.language}-{customer.country.code}"


@extend_schema_field({"type": "string", "maxLength": 0, "nullable": True})
class NotKeptField(serializers.CharField):
    """A Partner Center field the portal keeps no value for: accepted empty (or null), as GET
    gives it, and refused otherwise rather than dropped unseen."""

    def __init__(self, message: str) -> None:
        super().__init__(required=False, allow_blank=True, allow_null=True, trim_whitespace=False)
        self.message = message

    def to_internal_value(self, data):
        if data not in ("", None):
            raise serializers.ValidationError(self.message)
        return ""


class BillingProfileAddressUpdateSerializer(serializers.Serializer):
    country = CountryField()  # the customer's: it never changes
    region = NotKeptField(
        "The portal keeps no region: send it empty (a US address names its state)."
    )
    city = serializers.CharField(max_length=100)
    # A US address's state (USPS code); required there, ignored elsewhere (as on creation).
    state = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    addressLine1 = serializers.CharField(max_length=200)  # noqa: N815
    addressLine2 = NotKeptField(  # noqa: N815
        "The portal keeps one address line: put the whole street address in addressLine1."
    )
    postalCode = serializers.CharField(max_length=20, help_text=POSTAL_CODE_HELP)  # noqa: N815
    # The address's contact is the primary contact: left out, or the same names.
    firstName = serializers.CharField(max_length=100, required=False)  # noqa: N815
    lastName = serializers.CharField(max_length=100, required=False)  # noqa: N815
    phoneNumber = PhoneNumberField(  # noqa: N815
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": PHONE_INVALID},
    )


class BillingProfileUpdateAttributesSerializer(serializers.Serializer):
    etag = serializers.CharField(
        max_length=100, help_text="attributes.etag of the billing profile as last read."
    )
    objectType = serializers.CharField(required=False)  # noqa: N815


class BillingProfileUpdateSerializer(serializers.Serializer):
    """The whole billing profile, as GET gives it, with the corrections made."""

    id = serializers.UUIDField(required=False, help_text="The tenant ID: it never changes.")
    firstName = serializers.CharField(max_length=100)  # noqa: N815
    lastName = serializers.CharField(max_length=100)  # noqa: N815
    email = serializers.EmailField(max_length=254)
    culture = serializers.RegexField(
        r"^[a-z]{2}-[A-Z]{2}$",
        required=False,
        help_text="Follows the language and the country; not taken from a request.",
    )
    language = serializers.ChoiceField(choices=CustomerLanguage.values)
    companyName = serializers.CharField(max_length=200)  # noqa: N815
    defaultAddress = BillingProfileAddressUpdateSerializer()  # noqa: N815
    attributes = BillingProfileUpdateAttributesSerializer()

    def validate(self, data: dict) -> dict:
        address = data["defaultAddress"]
        problems = {}
        for name in ("firstName", "lastName"):
            if name in address and address[name] != data[name]:
                problems[name] = (
                    f"The address's contact is the primary contact: send the same {name} "
                    f"as the profile's ({data[name]}), or leave it out."
                )
        if problems:
            raise serializers.ValidationError({"defaultAddress": problems})
        return data


# Model field → this resource's name for it, so a model-level error names what was sent.
BILLING_PROFILE_FIELDS = {
    "company_name": "companyName",
    "address_line1": "defaultAddress.addressLine1",
    "city": "defaultAddress.city",
    "postal_code": "defaultAddress.postalCode",
    "state": "defaultAddress.state",
    "language": "language",
    "contact_first_name": "firstName",
    "contact_last_name": "lastName",
    "contact_email": "email",
    "contact_phone": "defaultAddress.phoneNumber",
}


def unchangeable_problems(customer: Customer, body: object, given: dict) -> list[str]:
    """What the request would change of the tenant ID, domain or country, which never change.

    The domain is no field of the billing profile; a request that names one anyway (at the
    top, or in a companyProfile as the customer resource has it) is refused when it differs
    rather than silently ignored.
    """
    problems = []
    if "id" in given and given["id"] != customer.tenant_id:
        problems.append(
            f"id: A customer's tenant ID never changes: this one is {customer.tenant_id}."
        )
    body = body if isinstance(body, dict) else {}
    company = body.get("companyProfile")
    for name, domain in (
        ("domain", body.get("domain")),
        ("companyProfile.domain", company.get("domain") if isinstance(company, dict) else None),
    ):
        if domain is not None and str(domain).strip().lower() != customer.domain:
            problems.append(
                f"{name}: A customer's domain never changes: this one is {customer.domain}."
            )
    country = given["defaultAddress"]["country"]
    if country != customer.country.code:
        problems.append(
            "defaultAddress.country: A customer's country never changes (its agreements follow "
            f"it): this one is {customer.country.code}."
        )
    return problems


def if_match_differs(request, etag: str) -> bool:
    """Whether an If-Match header, when sent, names another version than the body's etag."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return False
    tags = [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]
    return etag not in tags


def stale_description(error: DetailsChanged) -> str:
    """Portal/api_urls.py maps DetailsChanged to 412 with this description."""
    return (
        messages_of(error) + " Read the billing profile again (GET), make the change to what is "
        "there now and send it with the new attributes.etag."
    )


def billing_profile_response(customer: Customer) -> Response:
    body = BillingProfileResourceSerializer(customer).data
    return Response(body, headers={"ETag": f'"{body["attributes"]["etag"]}"'})


IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="Optional, as Partner Center's: the etag (quoted or not) or *; when it names "
    "another version than attributes.etag, 412.",
)


class CustomerBillingProfile(ApiView):
    """A customer's billing profile, Partner Center's CustomerBillingProfile: read by every
    agent who sees the customer, replaced by its admin and sales agents (Edit details' rule)."""

    @extend_schema(
        operation_id="getCustomerBillingProfile",
        summary="A customer's billing profile: company name, address, language, primary contact",
        parameters=CORRELATION_HEADERS,
        responses={200: BillingProfileResourceSerializer, **errors(404)},
    )
    def get(self, request, tenant_id):
        return billing_profile_response(relationship_or_404(request, tenant_id).customer)

    @extend_schema(
        operation_id="updateCustomerBillingProfile",
        summary="Replace a customer's billing profile (admin and sales agents); the tenant ID, "
        "domain and country never change",
        description="Send the whole profile as GET gives it, with attributes.etag as read. "
        "Every changed field is kept in the customer's history (Account info), as Edit "
        "details does. 412 when the details changed since that etag was read.",
        parameters=[IF_MATCH_HEADER, REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=BillingProfileUpdateSerializer,
        responses={
            200: BillingProfileResourceSerializer,
            **errors(403, 404, 412, 413, 415, 422),
        },
    )
    @idempotent
    def put(self, request, tenant_id):
        if not permissions.can_edit_customer(request.user):
            raise forbidden()
        customer = relationship_or_404(request, tenant_id).customer
        given = BillingProfileUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        profile = given.validated_data
        address = profile["defaultAddress"]
        problems = unchangeable_problems(customer, request.data, profile)
        state = address["state"].upper() if needs_state(customer.country) else ""
        if needs_state(customer.country) and (problem := state_problem(customer.country, state)):
            problems.append(f"defaultAddress.state: {problem}")
        if problems:
            raise invalid_input(" ".join(problems), problems)
        etag = profile["attributes"]["etag"]
        if if_match_differs(request, etag):
            raise ApiError(
                412, 412, "If-Match names another version than attributes.etag: send one etag."
            )
        try:
            update_customer(
                customer=customer,
                changed_by=request.user,
                expected_version=etag,
                values={
                    "company_name": profile["companyName"],
                    "address_line1": address["addressLine1"],
                    "city": address["city"],
                    "postal_code": address["postalCode"],
                    "state": state,
                    "language": profile["language"],
                    "contact_first_name": profile["firstName"],
                    "contact_last_name": profile["lastName"],
                    "contact_email": profile["email"],
                    "contact_phone": address.get("phoneNumber") or "",
                },
            )
        except DetailsChanged:
            raise  # a ValidationError too, but 412 (portal/api_urls.py), not a renamed 400
        except DjangoValidationError as error:
            raise renamed(error, BILLING_PROFILE_FIELDS) from error
        return billing_profile_response(customer)
