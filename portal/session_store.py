"""Django's database sessions, each request's lookup written out and prepared (portal.rows):
the ORM built and compiled the same one-row SELECT on every page, three times what the
database took to answer it. Stored, saved and ended as Django's own (what it inherits)."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from portal.rows import Columns, Prepared, run_together

_SESSION = Columns(Session, "s")
_EXPIRE_DATE = Session._meta.get_field("expire_date")
_LIVE_SESSION = Prepared(
    "live_session",
    f'SELECT {_SESSION.sql} FROM "{Session._meta.db_table}" s '
    "WHERE s.session_key = %s AND s.expire_date > %s",
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        """The session unless it has expired (as Django's: None, and no key, if not)."""
        connection = connections[router.db_for_read(Session)]
        now = _EXPIRE_DATE.get_db_prep_value(timezone.now(), connection)
        [rows] = run_together(connection, [_LIVE_SESSION(self.session_key, now)])
        if not rows:
            self._session_key = None
            return None
        return _SESSION.build(rows[0], connection)
