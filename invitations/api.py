"""The partner's reseller relationship link (B2) over the REST API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from invitations.email import relationship_request_link
from portal import permissions
from portal.api.errors import forbidden
from portal.api.schema import CORRELATION_HEADERS, errors
from portal.api.views import ApiView

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
        link = relationship_request_link(request.user.partner)
        return Response(RelationshipRequestSerializer({"url": link}).data)
