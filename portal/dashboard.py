"""The dashboard's sections, filled by the apps above portal (agreements: the attestation
queue). Builders take ``(request)`` and return a ``portal.fragments.Fragment``."""

from portal.fragments import Fragment, Fragments

sections = Fragments()
register = sections.register

__all__ = ["Fragment", "register", "sections"]
