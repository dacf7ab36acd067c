"""The agent's notifications and its alert settings."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alerts.forms import PreferencesForm
from alerts.models import ADMIN_EVENTS, ROLE_DEFAULTS, AlertPreference, Delivery, Event
from alerts.services import mark_all_read
from portal import permissions
from portal.decorators import AgentRequest, agent_required
from portal.pagination import BoundedPaginator

PAGE_SIZE = 25


@agent_required
@require_GET
def notification_list(request: AgentRequest):
    rows = request.user.notifications.order_by("-created_at", "-id")
    page = BoundedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/list.html",
        {"page": page, "may_manage_webhooks": permissions.can_manage_webhooks(request.user)},
    )


@agent_required
@require_POST
def read_all(request: AgentRequest):
    mark_all_read(request.user)
    return redirect("alerts:list")


def _events(request: AgentRequest) -> list[str]:
    """The events the agent may hear of: admin agents' own (a webhook disabled) only to them."""
    if permissions.can_manage_webhooks(request.user):
        return list(Event.values)
    return [event for event in Event.values if event not in ADMIN_EVENTS]


def _choices(request: AgentRequest) -> dict[str, str]:
    """Each event's delivery for this agent: its own choice, else its role's. One query."""
    chosen = dict(
        AlertPreference.objects.filter(user=request.user).values_list("event", "delivery")
    )
    default = ROLE_DEFAULTS.get(request.user.role, Delivery.DIGEST)
    return {event: chosen.get(event, default) for event in _events(request)}


@agent_required
@require_http_methods(["GET", "POST"])
def preferences(request: AgentRequest):
    """How the agent hears of each event; all saved or, for a bad value, nothing (400)."""
    form = PreferencesForm(request.POST or None, initial_choices=_choices(request))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "alerts/preferences.html", {"form": form}, status=400)
        with transaction.atomic():
            for event in _events(request):
                AlertPreference.objects.update_or_create(
                    user=request.user, event=event, defaults={"delivery": form.cleaned_data[event]}
                )
        messages.success(request, _("Your alert settings are saved."))
        return redirect("alerts:preferences")
    return render(request, "alerts/preferences.html", {"form": form})
