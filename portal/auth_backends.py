"""Sign-in by email and password (Django's ModelBackend), with the signed-in user's partner read
in the same query: every page's navigation asks what the partner may do (R3)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from portal.models import User


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("partner").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
