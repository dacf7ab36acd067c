"""Account info is one page built from several rooms: each app above customers adds a panel.

Builders take ``(request, relationship)`` — the relationship through which the agent sees
the customer — and return a ``portal.fragments.Fragment``. agreements, invitations and
orders register theirs from ``AppConfig.ready()``.
"""

from portal.fragments import Fragment, Fragments

account_info = Fragments()
register = account_info.register

__all__ = ["Fragment", "account_info", "register"]
