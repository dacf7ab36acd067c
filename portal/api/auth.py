"""Bearer-token authentication for the REST API: one token per agent, stored as SHA-256."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from portal.hashing import hash_token
from portal.models import ApiToken

# Writing on every call would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>'."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("The token is not valid.") from error
        token = (
            ApiToken.objects.filter(revoked_at__isnull=True, token_hash=hash_token(secret))
            .select_related("user__partner__provider")
            .first()
        )
        if token is None or not token.user.is_active or not token.user.partner_id:
            raise exceptions.AuthenticationFailed("The token is not valid or has been revoked.")
        now = timezone.now()
        if token.expires_at <= now:
            # Only the holder of the secret learns this: the token exists but is past its date.
            raise exceptions.AuthenticationFailed(
                f"The token expired on {token.expires_at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} "
                "UTC. Create a new one on the API tokens page."
            )
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Present so that a missing or bad token answers 401, not 403.
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An agent's API token: `python manage.py issue_api_token EMAIL` "
            "or the API tokens page.",
        }
