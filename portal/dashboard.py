"""The dashboard's sections, filled by the apps above portal (agreements: the attestation
queue). Builders take ``(request)`` and return a ``portal.fragments.Fragment``.

``queue_rows``: rows that apps beside portfolio add to its "Needs your action" queue (signing:
links declined, expired or revoked). Builders take ``(request)`` and return a Fragment — a
heading and a list in the queue's markup, each row with the action the agent's role allows —
or None when they have nothing; portfolio shows them after the blocked customers and the
refused orders and before the lapsing invitations, in ``order``.
"""

from portal.fragments import Fragment, Fragments

sections = Fragments()
register = sections.register

queue_rows = Fragments()

__all__ = ["Fragment", "queue_rows", "register", "sections"]
