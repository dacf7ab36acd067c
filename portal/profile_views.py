"""Partner profile: an admin agent keeps its own partner's contact details, which the partner's
customers read in the admin center. Always the agent's own partner (no id in the address, so
no other partner's can be reached); other roles 403."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portal import permissions
from portal.decorators import agent_required, require
from portal.forms import PartnerContactForm
from portal.models import AuditAction, AuditEntry
from portal.profile import settings_sections, update_contact_details

# The latest changes shown under the form; the audit log has them all.
HISTORY = 10


@never_cache
@agent_required
@require(permissions.can_edit_partner_profile)
@require_http_methods(["GET", "POST"])
def partner_profile(request):
    partner = request.user.partner
    # The form works on a copy: a refused POST leaves the partner as saved for the rest of
    # the page (the header, the navigation).
    form = PartnerContactForm(request.POST or None, instance=copy.copy(partner))
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_contact_details(
                partner=partner, by=request.user, values=form.changed_values(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("Your contact details were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("agents:profile")
    history = list(
        AuditEntry.objects.filter(
            partner_id=partner.pk, action=AuditAction.PROFILE_CHANGED
        ).order_by("-created_at", "-id")[:HISTORY]
    )
    return render(
        request,
        "portal/partner_profile.html",
        {
            "partner": partner,
            "form": form,
            "history": history,
            "sections": settings_sections.render(request),
        },
        status=400 if form.is_bound else 200,
    )
