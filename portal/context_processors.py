from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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
    ("agents:profile", _("Partner profile"), permissions.can_edit_partner_profile),
]

# Pages whose address lies outside the entry they belong to (their breadcrumb's first step):
# Request a reseller relationship lives under /invitations/ but is Partner Center's Customers
# action, and so is inviting from Account info; signing links (one from Account info, in bulk
# from the customers list) are a customer's too; the gate's refusals are the dashboard's queue
# in full; where the signing page may be embedded is a setting of the partner's, beside its
# profile. Every other page is the entry whose address is the longest start of its own.
SECTION_OF_PAGE = {
    "invitations:request_relationship": "customers:list",
    "invitations:invite_existing": "customers:list",
    "signing:start": "customers:list",
    "signing:link": "customers:list",
    "signing:send": "customers:list",
    "signing:resend": "customers:list",
    "signing:revoke": "customers:list",
    "signing:bulk_preview": "customers:list",
    "signing:bulk_start": "customers:list",
    "signing:bulk_job": "customers:list",
    "signing:framing": "agents:profile",
    "portfolio:refusals": "dashboard",
}

# The admin center's own, smaller navigation, for a signed-in customer admin.
CUSTOMER_NAVIGATION = [
    ("admin_center:home", _("Home"), permissions.is_customer_admin),
    ("admin_center:partners", _("Partners"), permissions.is_customer_admin),
]


def _resolvable(name: str) -> str | None:
    """The entry's address, or None where this site doesn't serve it. Found once per URLconf
    and script prefix, not on every page: a dozen reverse() calls cost a millisecond."""
    return _address(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _address(name: str, urlconf: str, prefix: str) -> str | None:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def _items(request, entries, root: str) -> list[dict]:
    """The entries the user may see; the page's own section (SECTION_OF_PAGE) is current, else
    the one whose address is the longest start of the page's (/orders/offers/ is Offers, not
    Orders too). The site's root is current only on itself."""
    items = [
        {"name": name, "url": url, "label": label, "active": False}
        for name, label, predicate in entries
        if (url := _resolvable(name)) and predicate(request.user)
    ]
    match = getattr(request, "resolver_match", None)
    if match is not None and (section := SECTION_OF_PAGE.get(match.view_name)):
        for item in items:
            item["active"] = item["name"] == section
        return items
    matching = [
        item
        for item in items
        if request.path == item["url"]
        or (item["url"] != root and request.path.startswith(item["url"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items


def navigation(request) -> dict:
    """The navigation of the site the page belongs to, and the layout pages shared by both
    sites extend (error pages, the lockout page): the admin center's under /admin-center/."""
    # Once per request: a page's fragments are rendered with the request too (portal.fragments).
    if (known := getattr(request, "_portal_navigation", None)) is not None:
        return known
    known = _navigation(request)
    request._portal_navigation = known
    return known


def _navigation(request) -> dict:
    user = getattr(request, "user", None)
    admin_center = reverse("admin_center:home")
    in_admin_center = request.path.startswith(admin_center)
    site_base = "admin_center/base.html" if in_admin_center else "base.html"
    if user is None:
        entries: list = []
    elif in_admin_center:
        entries = CUSTOMER_NAVIGATION if permissions.is_customer_admin(user) else []
    else:
        entries = AGENT_NAVIGATION if permissions.is_agent(user) else []
    root = admin_center if in_admin_center else "/"
    items = _items(request, entries, root) if entries else []
    return {"navigation": items, "site_base": site_base}
