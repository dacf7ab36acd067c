"""Serializers and fields shared by the endpoints' output serializers and their OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    description = serializers.CharField()
    # Partner Center's field names. DRF's metaclass moves declared fields into
    # _declared_fields, so they don't shadow Serializer.data or Field.source at runtime.
    data = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    source = serializers.CharField()  # type: ignore[assignment]


class LinkHeaderSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField()


class LinkSerializer(serializers.Serializer):
    uri = serializers.CharField()
    method = serializers.CharField()
    headers = LinkHeaderSerializer(many=True, required=False)


class AttributesSerializer(serializers.Serializer):
    objectType = serializers.CharField()  # noqa: N815 - Partner Center's wire name


# The output-only fields below are not marked read_only: output serializers are never
# given input, and read_only would wrap each one's schema in allOf for no gain.


@extend_schema_field(AttributesSerializer)
class ObjectAttributesField(serializers.Field):
    """Partner Center's ``"attributes": {"objectType": ...}``, the same for every object of a
    resource: ``attributes = ObjectAttributesField("Customer")``."""

    def __init__(self, object_type: str) -> None:
        super().__init__(source="*")
        self.object_type = object_type

    def to_representation(self, value: object) -> dict:
        return {"objectType": self.object_type}


@extend_schema_field(LinkSerializer)
class LinkField(serializers.Field):
    """``{"uri", "method": "GET"}`` to an API URL that takes the object's ``lookup`` attribute:
    ``self = LinkField("api:customer", lookup="tenant_id")``."""

    def __init__(self, url_name: str, *, lookup: str) -> None:
        super().__init__(source="*")
        self.url_name = url_name
        self.lookup = lookup

    def to_representation(self, value: object) -> dict:
        return {"uri": reverse(self.url_name, args=[getattr(value, self.lookup)]), "method": "GET"}


class WireChoiceField(serializers.ChoiceField):
    """A model's choice under the API's name for it: ``WireChoiceField({"model_value":
    "wireName"})``; the schema lists the wire names."""

    def __init__(self, names: dict[str, str], **kwargs) -> None:
        super().__init__(choices=list(names.values()), **kwargs)
        self.names = names

    def to_representation(self, value: str) -> str:
        return self.names[value]


class TextOrBlankField(serializers.CharField):
    """The value as text, and "" (never null) when it is empty: a blank phone number, say."""

    def get_attribute(self, instance: object) -> Any:
        return super().get_attribute(instance) or ""


def collection_serializer(item: type[serializers.Serializer], name: str, paged: bool = False):
    """The schema of a ``{"totalCount", "items", "links", "attributes"}`` collection."""
    fields: dict = {
        "totalCount": serializers.IntegerField(),
        "items": item(many=True),
        "attributes": AttributesSerializer(),
    }
    if paged:
        links = type(f"{name}Links", (serializers.Serializer,), {"next": LinkSerializer()})
        fields["links"] = links(required=False)
    return type(name, (serializers.Serializer,), fields)


def errors(*codes: int) -> dict:
    return dict.fromkeys((401, *codes), ErrorSerializer)


CORRELATION_HEADERS = [
    OpenApiParameter("MS-CorrelationId", str, OpenApiParameter.HEADER, description="Echoed back."),
]
REQUEST_ID_HEADER = OpenApiParameter(
    "MS-RequestId",
    str,
    OpenApiParameter.HEADER,
    description="Makes the POST idempotent: a retry within 24 hours replays the first answer.",
)
