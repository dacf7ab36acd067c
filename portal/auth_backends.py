"""Sign-in by email and password (Django's ModelBackend), with the signed-in user's partner read
in the same query: every page's navigation asks what the partner may do (R3). Every request
reads them again, so that query is written out and prepared (portal.rows): the ORM took four
times as long to build and compile it as the database to answer."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from portal.models import Partner, User
from portal.rows import Columns, Prepared, run_together

_USER = Columns(User, "u")
_PARTNER = Columns(Partner, "p")
_SIGNED_IN = Prepared(
    "signed_in_user",
    f'SELECT {_USER.sql}, {_PARTNER.sql} FROM "{User._meta.db_table}" u '
    f'LEFT JOIN "{Partner._meta.db_table}" p ON p.id = u.partner_id WHERE u.id = %s',
)
_USER_PARTNER = User._meta.get_field("partner")


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        connection = connections[router.db_for_read(User)]
        [rows] = run_together(connection, [_SIGNED_IN(user_id)])
        if not rows:
            return None
        user = _USER.build(rows[0][: _USER.width], connection)
        partner = None
        if user.partner_id is not None:
            partner = _PARTNER.build(rows[0][_USER.width :], connection)
        # As select_related("partner") leaves it: read, not fetched again.
        _USER_PARTNER.set_cached_value(user, partner)
        return user if self.user_can_authenticate(user) else None
