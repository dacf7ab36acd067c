"""Customers, their agreements and their direct-acceptance status over the REST API.

The same services and predicates as the web pages: creating goes through
customers.services.create_customer, attesting through
agreements.services.record_acceptance, every lookup through
portal.permissions.get_relationship_for (another partner's customer is 404).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_countries import countries
from django_countries.serializer_fields import CountryField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers
from rest_framework.response import Response

from agreements.api import AGREEMENT_TYPE_PARAMETER, agreement_link, agreement_type_filter
from agreements.models import (
    Acceptance,
    AcceptanceMethod,
    AgreementTemplate,
    AgreementType,
    Channel,
)
from agreements.services import Contact, record_acceptance, reseller_cannot_attest_message
from agreements.validators import validate_not_in_future
from customers.forms import country_problem, domain_problem
from customers.models import (
    Customer,
    CustomerLanguage,
    Offer,
    Order,
    OrderChannel,
    OrderLine,
    domain_validator,
)
from customers.orders import MAX_QUANTITY, OrderBlocked, place_order
from customers.services import create_customer
from invitations import services as invitation_services
from portal import permissions
from portal.api import (
    AGREEMENT_ALREADY_EXISTS,
    CORRELATION_HEADERS,
    CUSTOMER_NOT_FOUND,
    INVALID_INPUT,
    ORDER_NEEDS_ACCEPTANCE,
    REQUEST_ID_HEADER,
    RESELLER_CANNOT_ATTEST,
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
from portal.net import client_ip, user_agent

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
        return permissions.get_relationship_for(request.user, tenant_id)
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
            permissions.customers_for(request.user),
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
                channel=Channel.API,
                ip_address=client_ip(request),
                user_agent=user_agent(request),
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


# --- Agreements (attestation) ----------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class DateAgreedField(serializers.Field):
    """A date, or an ISO date-time read in the portal's time zone (the zone of R1)."""

    default_error_messages = {
        "invalid": "Enter a date (YYYY-MM-DD) or an ISO 8601 date-time.",
    }

    def to_internal_value(self, data) -> datetime.date:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            moment = parse_datetime(data)
            day = parse_date(data) if moment is None else None
        except ValueError:
            self.fail("invalid")
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.date()
        if day is None:
            self.fail("invalid")
        return day

    def to_representation(self, value: datetime.date) -> str:
        return value.isoformat()


class PrimaryContactSerializer(serializers.Serializer):
    firstName = serializers.CharField(max_length=100)  # noqa: N815
    lastName = serializers.CharField(max_length=100)  # noqa: N815
    email = serializers.EmailField(max_length=254)
    phoneNumber = PhoneNumberField(required=False, allow_blank=True, default="")  # noqa: N815


class NewAgreementSerializer(serializers.Serializer):
    primaryContact = PrimaryContactSerializer()  # noqa: N815
    templateId = serializers.UUIDField()  # noqa: N815
    dateAgreed = DateAgreedField(validators=[validate_not_in_future])  # noqa: N815
    type = serializers.ChoiceField(choices=AgreementType.values)

    def validate(self, data: dict) -> dict:
        template = AgreementTemplate.objects.filter(
            template_id=data["templateId"], agreement_type=data["type"]
        ).first()
        if template is None:
            raise serializers.ValidationError(
                {"templateId": f"No {data['type']} template with this id."}
            )
        data["template"] = template
        return data


class AgreementContactSerializer(serializers.Serializer):
    firstName = serializers.CharField()  # noqa: N815
    lastName = serializers.CharField()  # noqa: N815
    email = serializers.CharField()
    phoneNumber = serializers.CharField()  # noqa: N815


class AgreementSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    primaryContact = AgreementContactSerializer()  # noqa: N815
    templateId = serializers.UUIDField()  # noqa: N815
    dateAgreed = serializers.DateField()  # noqa: N815
    type = serializers.CharField()
    agreementLink = serializers.URLField()  # noqa: N815
    userId = serializers.CharField()  # noqa: N815
    method = serializers.ChoiceField(choices=["partnerAttestation", "directAcceptance"])
    recordedAt = serializers.DateTimeField()  # noqa: N815
    attributes = AttributesSerializer()


AgreementCollection = collection_serializer(AgreementSerializer, "AgreementCollection")

METHOD_NAMES = {
    AcceptanceMethod.PARTNER_ATTESTATION: "partnerAttestation",
    AcceptanceMethod.DIRECT_ACCEPTANCE: "directAcceptance",
}


def agreement_body(acceptance: Acceptance) -> dict:
    return {
        "id": str(acceptance.public_id),
        "primaryContact": {
            "firstName": acceptance.first_name,
            "lastName": acceptance.last_name,
            "email": acceptance.email,
            "phoneNumber": str(acceptance.phone) if acceptance.phone else "",
        },
        "templateId": str(acceptance.template.template_id),
        "dateAgreed": acceptance.date_agreed.isoformat(),
        "type": acceptance.template.agreement_type,
        "agreementLink": agreement_link(acceptance.template),
        "userId": str(acceptance.recorded_by_id),
        "method": METHOD_NAMES[acceptance.method],
        "recordedAt": acceptance.recorded_at.isoformat().replace("+00:00", "Z"),
        "attributes": {"objectType": "Agreement"},
    }


class CustomerAgreements(ApiView):
    @extend_schema(
        operation_id="listCustomerAgreements",
        summary="The customer's acceptance records that count for the caller, newest first",
        parameters=[AGREEMENT_TYPE_PARAMETER, *CORRELATION_HEADERS],
        responses={200: AgreementCollection, **errors(400, 404)},
    )
    def get(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        types = agreement_type_filter(request)
        records = Acceptance.objects.history(relationship.customer, relationship.partner).filter(
            template__agreement_type__in=types
        )
        return Response(collection([agreement_body(record) for record in records]))

    @extend_schema(
        operation_id="createCustomerAgreement",
        summary="Attest that the customer accepted the agreement",
        parameters=[REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=NewAgreementSerializer,
        responses={201: AgreementSerializer, **errors(400, 403, 404, 409, 413, 415, 422)},
    )
    @idempotent
    def post(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        if not permissions.can_attest(request.user):
            if permissions.can_request_attestation(request.user):
                raise ApiError(
                    403,
                    RESELLER_CANNOT_ATTEST,
                    reseller_cannot_attest_message(request.user.partner),
                )
            raise forbidden()
        given = NewAgreementSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        contact = given.validated_data["primaryContact"]
        try:
            acceptance = record_acceptance(
                customer=relationship.customer,
                partner=request.user.partner,
                recorded_by=request.user,
                method=AcceptanceMethod.PARTNER_ATTESTATION,
                channel=Channel.API,
                contact=Contact(
                    contact["firstName"],
                    contact["lastName"],
                    contact["email"],
                    contact.get("phoneNumber") or "",
                ),
                date_agreed=given.validated_data["dateAgreed"],
                template=given.validated_data["template"],
                ip_address=client_ip(request),
                user_agent=user_agent(request),
            )
        except DjangoValidationError as error:
            code = getattr(error, "code_number", INVALID_INPUT)
            if code == AGREEMENT_ALREADY_EXISTS:
                raise ApiError(
                    409,
                    AGREEMENT_ALREADY_EXISTS,
                    "PartnerConfirmedAgreementAlreadyExists: " + " ".join(error.messages),
                ) from error
            if code == RESELLER_CANNOT_ATTEST:
                raise ApiError(403, code, " ".join(error.messages)) from error
            raise invalid_input(
                "templateId: " + " ".join(error.messages),
                [f"templateId: {message}" for message in error.messages],
            ) from error
        return Response(agreement_body(acceptance), status=201)


class DirectSignedStatusSerializer(serializers.Serializer):
    isSigned = serializers.BooleanField()  # noqa: N815


class DirectSignedStatus(ApiView):
    @extend_schema(
        operation_id="getDirectSignedMicrosoftCustomerAgreementStatus",
        summary="Whether the customer accepted the agreement itself in the admin center",
        parameters=CORRELATION_HEADERS,
        responses={200: DirectSignedStatusSerializer, **errors(404)},
    )
    def get(self, request, tenant_id):
        customer = relationship_or_404(request, tenant_id).customer
        signed = Acceptance.objects.filter(
            customer=customer,
            method=AcceptanceMethod.DIRECT_ACCEPTANCE,
            template__agreement_type=AgreementType.MCA,
        ).exists()
        return Response({"isSigned": signed})


# --- Reseller relationship link -------------------------------------------------


class RelationshipRequestSerializer(serializers.Serializer):
    url = serializers.URLField()


class RelationshipRequest(ApiView):
    @extend_schema(
        operation_id="getRelationshipRequestLink",
        summary="The link a customer follows to accept a reseller relationship with the caller",
        parameters=CORRELATION_HEADERS,
        responses={200: RelationshipRequestSerializer, **errors(403)},
    )
    def get(self, request):
        if not permissions.can_invite(request.user):
            raise forbidden()
        return Response(
            {"url": invitation_services.relationship_request_link(request.user.partner)}
        )


# --- Offers ---------------------------------------------------------------------


class OfferSerializer(serializers.Serializer):
    id = serializers.CharField(source="offer_id")
    name = serializers.CharField()
    productType = serializers.CharField(source="product_type")  # noqa: N815
    unitPrice = serializers.DecimalField(  # noqa: N815
        source="unit_price", max_digits=10, decimal_places=2, coerce_to_string=True
    )
    currency = serializers.CharField()


OfferCollection = collection_serializer(OfferSerializer, "OfferCollection")


class OfferList(ApiView):
    @extend_schema(
        operation_id="listOffers",
        summary="The catalog: offers available in a country (every active offer without one)",
        parameters=[
            OpenApiParameter("country", str, description="ISO code, e.g. CZ."),
            *CORRELATION_HEADERS,
        ],
        responses={200: OfferCollection, **errors(400)},
    )
    def get(self, request):
        offers = Offer.objects.filter(is_active=True).order_by("product_type", "name", "id")
        country = request.query_params.get("country")
        if country is not None:
            country = country.strip().upper()
            if country not in countries:
                raise invalid_input("country: an ISO country code such as CZ.")
            offers = offers.sold_in(country)
        return Response(collection(OfferSerializer(offers, many=True).data))


# --- Orders -----------------------------------------------------------------------


# An order names each offer once, and the catalog is small: more lines than this is a mistake.
MAX_LINE_ITEMS = 100


class LineItemSerializer(serializers.Serializer):
    offerId = serializers.CharField(max_length=64)  # noqa: N815
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class NewOrderSerializer(serializers.Serializer):
    lineItems = LineItemSerializer(many=True, allow_empty=False, max_length=MAX_LINE_ITEMS)  # noqa: N815

    def validate_lineItems(self, items: list[dict]) -> list[tuple[Offer, int]]:  # noqa: N802
        wanted = {item["offerId"] for item in items}
        offers = {o.offer_id: o for o in Offer.objects.filter(offer_id__in=wanted)}
        # Each unknown id once, at its first line: a repeated id is one problem, not many.
        unknown: list[dict] = []
        reported: set[str] = set()
        for item in items:
            offer_id = item["offerId"]
            if offer_id in offers or offer_id in reported:
                unknown.append({})
            else:
                unknown.append({"offerId": f"No offer with the id {offer_id!r}."})
                reported.add(offer_id)
        if reported:
            raise serializers.ValidationError(unknown)
        return [(offers[item["offerId"]], item["quantity"]) for item in items]


class OrderLineItemSerializer(serializers.Serializer):
    lineItemNumber = serializers.IntegerField()  # noqa: N815
    offerId = serializers.CharField()  # noqa: N815
    quantity = serializers.IntegerField()
    unitPrice = serializers.CharField()  # noqa: N815
    currency = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    referenceCustomerId = serializers.UUIDField()  # noqa: N815
    lineItems = OrderLineItemSerializer(many=True)  # noqa: N815
    creationDate = serializers.DateTimeField()  # noqa: N815
    status = serializers.CharField()
    attributes = AttributesSerializer()


def order_body(order: Order, lines: list[OrderLine]) -> dict:
    return {
        "id": str(order.order_id),
        "referenceCustomerId": str(order.customer.tenant_id),
        "lineItems": [
            {
                "lineItemNumber": number,
                "offerId": line.offer.offer_id,
                "quantity": line.quantity,
                "unitPrice": str(line.unit_price),
                "currency": line.currency,
            }
            for number, line in enumerate(lines)
        ],
        "creationDate": order.placed_at.isoformat().replace("+00:00", "Z"),
        "status": "completed",
        "attributes": {"objectType": "Order"},
    }


class CustomerOrders(ApiView):
    @extend_schema(
        operation_id="createOrder",
        summary="Place a new order behind the order gate (403 with 13605 until the MCA is on record)",
        parameters=[REQUEST_ID_HEADER, *CORRELATION_HEADERS],
        request=NewOrderSerializer,
        responses={201: OrderSerializer, **errors(400, 403, 404, 413, 415, 422)},
    )
    @idempotent
    def post(self, request, tenant_id):
        relationship = relationship_or_404(request, tenant_id)
        if not permissions.can_order(request.user):
            if permissions.is_agent(request.user) and request.user.partner.is_reseller:
                raise ApiError(
                    403,
                    403,
                    "Orders for an indirect reseller's customers are placed by its indirect "
                    f"provider, {request.user.partner.provider.name}.",
                )
            raise forbidden()
        given = NewOrderSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            order = place_order(
                customer=relationship.customer,
                partner=relationship.partner,
                placed_by=request.user,
                lines=given.validated_data["lineItems"],
                channel=OrderChannel.API,
                ip_address=client_ip(request),
                user_agent=user_agent(request),
            )
        except OrderBlocked as blocked:
            decision = blocked.decision
            raise ApiError(
                403,
                ORDER_NEEDS_ACCEPTANCE,
                " ".join(part for part in (decision.reason, decision.unblock_hint) if part),
            ) from blocked
        except DjangoValidationError as error:
            problems = [f"lineItems: {message}" for message in error.messages]
            raise invalid_input(" ".join(problems), problems) from error
        lines = list(order.lines.select_related("offer").order_by("id"))
        return Response(order_body(order, lines), status=201)
