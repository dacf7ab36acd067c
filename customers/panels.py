"""Account info is one page built from several rooms: each app above customers adds a panel.

Builders take ``(request, relationship)`` — the relationship through which the agent sees
the customer — and return a ``portal.fragments.Fragment``. agreements, invitations and
orders register theirs from ``AppConfig.ready()``. The customers list's actions are built the
same way.
"""

from portal.fragments import Fragment, Fragments

account_info = Fragments()
register = account_info.register

# The customers list's actions beside "New customer": builders take ``(request)`` and read the
# list's search and filters from ``request.GET`` (agreements: the export).
list_actions = Fragments()

# Actions on the customers selected on the list (invitations: bulk invitations; signing: bulk
# signing links). When any builder answers, the list shows a checkbox per row. The first
# (invitations) renders the form with the id "customers-bulk" that the checkboxes and "all
# matching" belong to; a later one adds buttons to it (form="customers-bulk" with its own
# formaction), answering only for agents the first answers for too.
list_bulk_actions = Fragments()

__all__ = ["Fragment", "account_info", "list_actions", "list_bulk_actions", "register"]
