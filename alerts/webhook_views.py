"""Webhook endpoints: admin agents register their partner's, see each one's delivery log, send
a test event, rotate the secret, enable a disabled one again, delete one. Other agents get
403; another partner's endpoint is 404."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alerts import webhooks
from alerts.forms import WebhookEndpointForm
from alerts.models import Event, WebhookAttempt, WebhookEndpoint
from portal import permissions
from portal.decorators import AgentRequest, agent_required, require
from portal.once import ShownOnce
from portal.pagination import BoundedPaginator

# The secret waits here only between the POST that makes it and the page that shows it.
NEW_SECRETS = ShownOnce("webhooks:new_secret")
LOG_PAGE_SIZE = 25


def _endpoints(request: AgentRequest):
    assert request.user.partner_id is not None  # an agent
    return WebhookEndpoint.objects.filter(partner_id=request.user.partner_id)


def _endpoint(request: AgentRequest, public_id: uuid.UUID) -> WebhookEndpoint:
    return get_object_or_404(_endpoints(request), public_id=public_id)


def _labels(events: list[str]) -> list[str]:
    return [str(Event(event).label) for event in events if event in Event.values]


@agent_required
@require(permissions.can_manage_webhooks)
@require_GET
def endpoint_list(request: AgentRequest):
    endpoints = list(_endpoints(request).order_by("created_at", "id"))
    for endpoint in endpoints:
        endpoint.event_labels = _labels(endpoint.events)
    return render(
        request,
        "alerts/webhooks/list.html",
        {
            "endpoints": endpoints,
            "may_add": len(endpoints) < webhooks.MAX_ENDPOINTS_PER_PARTNER,
        },
    )


@agent_required
@require(permissions.can_manage_webhooks)
@require_http_methods(["GET", "POST"])
def endpoint_new(request: AgentRequest):
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST":
        if _endpoints(request).count() >= webhooks.MAX_ENDPOINTS_PER_PARTNER:
            form.add_error(
                None,
                _("A partner may have at most %(count)s endpoints: delete one first.")
                % {"count": webhooks.MAX_ENDPOINTS_PER_PARTNER},
            )
        if form.is_valid():
            assert request.user.partner_id is not None  # an agent
            endpoint, secret = webhooks.register(
                partner_id=request.user.partner_id,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
            NEW_SECRETS.keep(request, endpoint.public_id, secret)
            return redirect("alerts:webhook", endpoint.public_id)
        return render(request, "alerts/webhooks/new.html", {"form": form}, status=400)
    return render(request, "alerts/webhooks/new.html", {"form": form})


@agent_required
@require(permissions.can_manage_webhooks)
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: AgentRequest, public_id: uuid.UUID):
    """Change the URL, the description or the events; the secret stays."""
    endpoint = _endpoint(request, public_id)
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = WebhookEndpointForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            endpoint.url = form.cleaned_data["url"]
            endpoint.description = form.cleaned_data["description"]
            endpoint.events = sorted(form.cleaned_data["events"])
            endpoint.save(update_fields=["url", "description", "events"])
            messages.success(request, _("The endpoint is saved."))
            return redirect("alerts:webhook", endpoint.public_id)
        status = 400
    else:
        status = 200
    return render(
        request, "alerts/webhooks/edit.html", {"form": form, "endpoint": endpoint}, status=status
    )


@never_cache
@agent_required
@require(permissions.can_manage_webhooks)
@require_GET
def endpoint_detail(request: AgentRequest, public_id: uuid.UUID):
    endpoint = _endpoint(request, public_id)
    log = (
        WebhookAttempt.objects.filter(endpoint=endpoint)
        .select_related("delivery")
        .order_by("-started_at", "-id")
    )
    page = BoundedPaginator(log, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/webhooks/detail.html",
        {
            "endpoint": endpoint,
            "event_labels": _labels(endpoint.events),
            "secret": NEW_SECRETS.take(request, endpoint.public_id),
            "page": page,
        },
    )


@agent_required
@require(permissions.can_manage_webhooks)
@require_POST
def send_test(request: AgentRequest, public_id: uuid.UUID):
    endpoint = _endpoint(request, public_id)
    if not endpoint.is_active:
        messages.error(request, _("The endpoint is disabled: enable it before testing it."))
    elif not webhooks.test_events_left(endpoint):
        messages.error(request, _("At most two test events a minute: try again shortly."))
    else:
        webhooks.send_test(endpoint)
        messages.success(
            request, _("A test event is on its way. Its attempts appear in the log below.")
        )
    return redirect("alerts:webhook", endpoint.public_id)


@agent_required
@require(permissions.can_manage_webhooks)
@require_POST
def rotate_secret(request: AgentRequest, public_id: uuid.UUID):
    endpoint = _endpoint(request, public_id)
    secret = webhooks.rotate_secret(endpoint)
    NEW_SECRETS.keep(request, endpoint.public_id, secret)
    messages.success(
        request,
        _("The secret is rotated. The old one keeps signing beside it for 24 hours."),
    )
    return redirect("alerts:webhook", endpoint.public_id)


@agent_required
@require(permissions.can_manage_webhooks)
@require_POST
def enable(request: AgentRequest, public_id: uuid.UUID):
    endpoint = _endpoint(request, public_id)
    webhooks.enable(endpoint)
    messages.success(request, _("The endpoint is enabled again and gets new events."))
    return redirect("alerts:webhook", endpoint.public_id)


@agent_required
@require(permissions.can_manage_webhooks)
@require_POST
def delete(request: AgentRequest, public_id: uuid.UUID):
    endpoint = _endpoint(request, public_id)
    endpoint.delete()
    messages.success(request, _("The endpoint %(url)s is deleted.") % {"url": endpoint.url})
    return redirect("alerts:webhooks")
