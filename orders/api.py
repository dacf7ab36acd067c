"""The catalog and orders over the REST API, behind the order gate (R5)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django_countries import countries
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from customers.api import relationship_or_404
from orders.models import Offer, Order, OrderChannel
from orders.services import MAX_QUANTITY, OrderBlocked, place_order
from portal import permissions
from portal.api.errors import ApiError, field_error, forbidden, invalid_input
from portal.api.idempotency import idempotent
from portal.api.pagination import collection
from portal.api.schema import (
    CORRELATION_HEADERS,
    REQUEST_ID_HEADER,
    ObjectAttributesField,
    collection_serializer,
    country_parameter,
    errors,
)
from portal.api.views import ApiView
from portal.net import client_ip, user_agent

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
            country_parameter("ISO 3166-1 alpha-2 code, e.g. CZ."),
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
        return Response(collection(OfferSerializer(offers, many=True).data))  # type: ignore[arg-type]  # many=True gives a ListSerializer; its data is a list, the stubs say ReturnDict


# --- Orders -----------------------------------------------------------------------


# An order names each offer once, and the catalog is small: more lines than this is a mistake.
MAX_LINE_ITEMS = 100


class LineItemSerializer(serializers.Serializer):
    offerId = serializers.CharField(max_length=64)  # noqa: N815
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)


class NewOrderSerializer(serializers.Serializer):
    # many=True passes max_length on to the ListSerializer; the stubs don't know it.
    lineItems = LineItemSerializer(many=True, allow_empty=False, max_length=MAX_LINE_ITEMS)  # type: ignore[call-arg]  # noqa: N815

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
    lineItemNumber = serializers.IntegerField(source="number")  # noqa: N815
    offerId = serializers.CharField(source="offer.offer_id")  # noqa: N815
    quantity = serializers.IntegerField()
    unitPrice = serializers.CharField(source="unit_price")  # noqa: N815
    currency = serializers.CharField()


# An order from with_line_items(), which numbers its lines.
class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="order_id")
    referenceCustomerId = serializers.UUIDField(source="customer.tenant_id")  # noqa: N815
    lineItems = OrderLineItemSerializer(source="line_items", many=True)  # noqa: N815
    # In UTC ("…Z") whatever the portal's time zone.
    creationDate = serializers.DateTimeField(  # noqa: N815
        source="placed_at", default_timezone=datetime.UTC
    )
    status = serializers.SerializerMethodField()
    attributes = ObjectAttributesField("Order")

    def get_status(self, order: Order) -> str:
        # An order is placed whole, in one transaction: once it exists it is complete.
        return "completed"


def with_line_items(order: Order) -> Order:
    """The order with ``line_items``: its lines and their offers, each with its ``number``
    from 0 as Partner Center numbers them. One query."""
    line_items = list(order.lines.select_related("offer").order_by("id"))
    for number, line in enumerate(line_items):
        line.number = number  # type: ignore[attr-defined]  # for the serializer, not a column
    order.line_items = line_items  # type: ignore[attr-defined]  # for the serializer, not a column
    return order


def gate_refusal_description(blocked: OrderBlocked) -> str:
    """Why the gate refused and what would open it; portal/api_urls.py maps the refusal."""
    decision = blocked.decision
    return " ".join(part for part in (decision.reason, decision.unblock_hint) if part)


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
        except OrderBlocked:
            raise  # R5: the gate's refusal, answered from the table in portal/api_urls.py
        except DjangoValidationError as error:
            raise field_error("lineItems", error) from error
        return Response(OrderSerializer(with_line_items(order)).data, status=201)
