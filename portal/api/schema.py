"""Serializers and fields shared by the endpoints' output serializers and their OpenAPI schema."""

from __future__ import annotations

import threading
from typing import Any

from django.core.validators import RegexValidator
from django.urls import reverse
from django_countries import countries
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
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


# What any call can be answered, whatever the operation: 400 when it carries a character no
# database stores (portal.middleware refuses those before any view), 406 when its Accept
# header rules out JSON.
ANY_CALL = (400, 406)


def errors(*codes: int, authenticated: bool = True) -> dict:
    """The error answers of an operation, each with the error body: ``errors(404, 409)``."""
    statuses = (*ANY_CALL, 401, *codes) if authenticated else (*ANY_CALL, *codes)
    return dict.fromkeys(sorted(set(statuses)), ErrorSerializer)


CORRELATION_HEADERS = [
    OpenApiParameter("MS-CorrelationId", str, OpenApiParameter.HEADER, description="Echoed back."),
]
REQUEST_ID_HEADER = OpenApiParameter(
    "MS-RequestId",
    {"type": "string", "maxLength": 100},
    OpenApiParameter.HEADER,
    description="Makes the call idempotent: a retry within 24 hours replays the first answer.",
)


def country_parameter(description: str, *, required: bool = False) -> OpenApiParameter:
    """An ISO 3166-1 alpha-2 country code in the query, as the catalog knows them."""
    return OpenApiParameter(
        "country",
        {"type": "string", "enum": [code for code, _name in countries]},
        required=required,
        description=description,
    )


# --- What the schema says of every input field ------------------------------------
# drf-spectacular describes a field by its type and its validators; these say the rest
# of what DRF enforces on a request, so a client validating against the schema is never
# surprised by a 400.


# Some character other than white space, and no NUL anywhere (DRF refuses both). White space
# as Python strips it: a pattern's \s (ECMA's) leaves out \x1c-\x1f and \x85, which
# str.strip() removes, so they are named too.
NOT_BLANK_PATTERN = r"^[^\u0000]*[^\s\u0000\u001c-\u001f\u0085][^\u0000]*$"


class RequestTextSchema(OpenApiSerializerFieldExtension):
    """A text field of a request body: DRF trims it, refuses it blank and refuses NUL."""

    target_class = serializers.CharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if direction == "request" and schema.get("type") == "string" and not field.allow_blank:
            schema.setdefault("minLength", 1)
            # A format or a validator's pattern already rules out white space alone.
            described = "format" in schema or any(
                isinstance(validator, RegexValidator) for validator in field.validators
            )
            if field.trim_whitespace and not described:
                schema["pattern"] = NOT_BLANK_PATTERN
        return schema


# An E.164 number ("+420601123456"); libphonenumber decides whether it is a real one.
PHONE_NUMBER_PATTERN = r"^\+[1-9][0-9]{6,14}$"


class PhoneNumberSchema(OpenApiSerializerFieldExtension):
    """A phone number in international form, or "" for none where the field allows it."""

    target_class = PhoneNumberField
    match_subclasses = True
    priority = 1  # over RequestTextSchema, which also matches: PhoneNumberField is a CharField

    def map_serializer_field(self, auto_schema, direction):
        if direction != "request":
            return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        number = {"type": "string", "format": "phone", "pattern": PHONE_NUMBER_PATTERN}
        description = (
            "In international (E.164) form, e.g. +420601123456: a number libphonenumber "
            "knows to be valid. Other numbers are answered 400."
        )
        if not self.target.allow_blank:
            return {**number, "description": description}
        return {
            "oneOf": [number, {"type": "string", "maxLength": 0}],
            "description": description + ' "" for none.',
        }


class RequestListSchema(OpenApiSerializerFieldExtension):
    """A list of nested objects in a request (``many=True``), with the sizes DRF checks."""

    target_class = serializers.ListSerializer
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if direction == "request" and schema.get("type") == "array":
            if not field.allow_empty:
                schema["minItems"] = max(1, field.min_length or 0)
            elif field.min_length is not None:
                schema["minItems"] = field.min_length
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
        return schema


class Representer:
    """``serializer_class(instance).data`` by one serializer a thread keeps.

    A serializer made for one object builds and binds all its fields first (a nested
    serializer's too): about 0.3 ms for an agreement record, more than the rest of a write's
    answer. Representing an object keeps nothing in the fields, so one serializer, given a
    fresh context each time, gives the same answer (a list's serializer does the same with its
    child for every row)."""

    def __init__(self, serializer_class: type[serializers.Serializer]) -> None:
        self.serializer_class = serializer_class
        self._local = threading.local()

    def __call__(self, instance: object, context: dict[str, Any] | None = None) -> dict:
        serializer = getattr(self._local, "serializer", None)
        if serializer is None:
            serializer = self._local.serializer = self.serializer_class()
        serializer._context = dict(context or {})
        return serializer.to_representation(instance)
