from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal import permissions

# (url name, label, predicate): the partner navigation, each entry shown only
# to the roles its predicate admits. The views check the same predicates.
AGENT_NAVIGATION = [
    ("dashboard", _("Dashboard"), permissions.is_agent),
    ("customers:list", _("Customers"), permissions.is_agent),
    ("invitations:list", _("Invitations"), permissions.can_invite),
    ("bulk:list", _("Bulk jobs"), permissions.sees_bulk_attestation),
    ("campaigns:list", _("Campaigns"), permissions.is_agent),
    ("orders:list", _("Orders"), permissions.is_agent),
    ("orders:offers", _("Offers"), permissions.is_agent),
    ("agreements:templates", _("Agreement templates"), permissions.is_agent),
    ("tokens:list", _("API tokens"), permissions.is_agent),
    ("agents:list", _("Agents"), permissions.can_manage_agents),
    ("agents:audit", _("Audit log"), permissions.can_manage_agents),
]


def _resolvable(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request) -> dict:
    """The partner navigation, and the layout pages shared by both sites extend
    (error pages, the lockout page): the admin center's under /admin-center/."""
    # Once per request: a page's fragments are rendered with the request too (portal.fragments).
    if (known := getattr(request, "_portal_navigation", None)) is not None:
        return known
    known = _navigation(request)
    request._portal_navigation = known
    return known


def _navigation(request) -> dict:
    user = getattr(request, "user", None)
    in_admin_center = request.path.startswith(reverse("admin_center:home"))
    site_base = "admin_center/base.html" if in_admin_center else "base.html"
    if user is None or not permissions.is_agent(user):
        return {"navigation": [], "site_base": site_base}
    items = []
    for name, label, predicate in AGENT_NAVIGATION:
        url = _resolvable(name)
        if url and predicate(user):
            items.append(
                {"url": url, "label": label, "active": request.path.startswith(url) and url != "/"}
            )
    return {"navigation": items, "site_base": site_base}
