"""The agents page and the audit log: admin agents only (DESIGN.md section 2); another
partner's agent is 404 (looked up within the admin's own partner)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import agents as services
from portal import permissions
from portal.csv_cells import BOM, inert
from portal.decorators import agent_required, require
from portal.models import ApiToken, AuditAction, AuditEntry, Role, User, profile_field_label
from portal.pagination import BoundedPaginator

AUDIT_PAGE_SIZE = 50
AGENT_HISTORY = 10
EXPORT_BATCH = 2_000

admin_agents_only = require(permissions.can_manage_agents)


class InviteAgentForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"), max_length=254)
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Role.choices, initial=Role.SALES_AGENT
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.email


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("All actions")), *AuditAction.choices],
    )
    agent = AgentChoiceField(
        label=gettext_lazy("Agent"),
        required=False,
        queryset=User.objects.none(),
        empty_label=gettext_lazy("All agents"),
        to_field_name="pk",
    )

    def __init__(self, *args, partner_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        agent_field = self.fields["agent"]
        assert isinstance(agent_field, forms.ModelChoiceField)
        agent_field.queryset = User.objects.filter(partner_id=partner_id).order_by("email")


def _agent(request, pk: int) -> User:
    """One of the admin's own partner's agents, else 404 (R4's rule for agents)."""
    return get_object_or_404(services.agents_of(request.user.partner_id), pk=pk)


@never_cache
@agent_required
@admin_agents_only
@require_http_methods(["GET", "POST"])
def agent_list(request):
    form = InviteAgentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                agent = services.invite_agent(by=request.user, request=request, **form.cleaned_data)
            except services.AgentActionError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _(
                        "%(email)s is invited: the email with a link to choose a password is on its way."
                    )
                    % {"email": agent.email},
                )
                return redirect("agents:list")
    return render(
        request,
        "portal/agents.html",
        {
            "rows": services.agent_rows(request.user.partner_id),
            "form": form,
            "invitation_days": settings.AGENT_INVITATION_DAYS,
        },
        status=status,
    )


def _detail(request, agent: User, *, error: str = "", role_form: RoleForm | None = None):
    locked = services.locked_out([agent.email])
    history = list(
        AuditEntry.objects.filter(partner_id=request.user.partner_id)
        .filter(Q(target=agent) | Q(actor=agent))
        .order_by("-created_at", "-id")[:AGENT_HISTORY]
    )
    tokens = list(ApiToken.objects.filter(user=agent).order_by("revoked_at", "-created_at")[:50])
    return render(
        request,
        "portal/agent_detail.html",
        {
            "agent": agent,
            "status": services.status_of(agent, locked),
            "is_self": agent.pk == request.user.pk,
            "role_form": role_form or RoleForm(initial={"role": agent.role}),
            "tokens": tokens,
            "history": history,
            "error": error,
        },
        status=400 if error or role_form is not None else 200,
    )


@never_cache
@agent_required
@admin_agents_only
@require_GET
def agent_detail(request, pk: int):
    return _detail(request, _agent(request, pk))


def _act(request, pk: int, action, done: str):
    agent = _agent(request, pk)
    try:
        action(by=request.user, agent=agent, request=request)
    except services.AgentActionError as error:
        return _detail(request, agent, error=str(error))
    messages.success(request, done % {"email": agent.email})
    return redirect("agents:detail", pk=agent.pk)


@agent_required
@admin_agents_only
@require_POST
def change_role(request, pk: int):
    agent = _agent(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _detail(request, agent, role_form=form)
    try:
        services.change_role(
            by=request.user, agent=agent, role=form.cleaned_data["role"], request=request
        )
    except services.AgentActionError as error:
        form.add_error("role", str(error))
        return _detail(request, agent, role_form=form)
    messages.success(
        request,
        _("%(email)s is now: %(role)s.") % {"email": agent.email, "role": Role(agent.role).label},
    )
    return redirect("agents:detail", pk=agent.pk)


@agent_required
@admin_agents_only
@require_POST
def deactivate(request, pk: int):
    return _act(
        request,
        pk,
        services.deactivate,
        _("%(email)s is deactivated: signed out everywhere, API tokens revoked."),
    )


@agent_required
@admin_agents_only
@require_POST
def reactivate(request, pk: int):
    return _act(
        request,
        pk,
        services.reactivate,
        _("%(email)s is active again. Their earlier API tokens stay revoked."),
    )


@agent_required
@admin_agents_only
@require_POST
def unlock(request, pk: int):
    return _act(request, pk, services.unlock, _("%(email)s can sign in again."))


@agent_required
@admin_agents_only
@require_POST
def send_reset(request, pk: int):
    return _act(
        request,
        pk,
        services.send_password_reset,
        _("A password reset email to %(email)s is on its way."),
    )


@agent_required
@admin_agents_only
@require_POST
def resend_invitation(request, pk: int):
    return _act(
        request,
        pk,
        services.resend_invitation,
        _("A new invitation to %(email)s is on its way; the earlier link no longer works."),
    )


def _audit_entries(request) -> tuple[AuditFilterForm, QuerySet[AuditEntry], bool]:
    form = AuditFilterForm(request.GET or None, partner_id=request.user.partner_id)
    entries = AuditEntry.objects.filter(partner_id=request.user.partner_id)
    valid = form.is_valid() if form.is_bound else True
    if form.is_bound and valid:
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["agent"] is not None:
            agent = form.cleaned_data["agent"]
            entries = entries.filter(Q(actor=agent) | Q(target=agent))
    return form, entries.order_by("-created_at", "-id"), valid


@never_cache
@agent_required
@admin_agents_only
@require_GET
def audit_log(request):
    form, entries, valid = _audit_entries(request)
    page = BoundedPaginator(entries if valid else entries.none(), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_log.html",
        {"form": form, "page": page, "export_query": query.urlencode()},
        status=200 if valid else 400,
    )


def audit_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    """The CSV file, a batch at a time (keyset-paged: no OFFSET, no whole table in memory)."""
    labels = {value: str(label) for value, label in AuditAction.choices}
    # A contact detail's entry records the field's name: the file names it as the page does.
    profile_changed = AuditAction.PROFILE_CHANGED.value
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("When (UTC)"), _("Action"), _("By"), _("Target"), _("Details"), _("IP address")]
    )
    yield BOM + buffer.getvalue()
    last: tuple | None = None
    while True:
        batch = entries
        if last is not None:
            batch = batch.filter(Q(created_at__lt=last[0]) | Q(created_at=last[0], id__lt=last[1]))
        rows = list(
            batch.values_list(
                "id", "created_at", "action", "actor_email", "target_label", "details", "ip_address"
            )[:EXPORT_BATCH]
        )
        if not rows:
            return
        buffer.seek(0)
        buffer.truncate()
        for _pk, created_at, action, actor, target, details, ip in rows:
            writer.writerow(
                [
                    created_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    labels.get(action, action),
                    inert(actor),
                    inert(profile_field_label(target) if action == profile_changed else target),
                    inert(details),
                    ip or "",
                ]
            )
        yield buffer.getvalue()
        last = (rows[-1][1], rows[-1][0])


@agent_required
@admin_agents_only
@require_GET
def audit_export(request):
    form, entries, valid = _audit_entries(request)
    if not valid:
        return render(
            request,
            "portal/audit_log.html",
            {"form": form, "page": None, "export_query": ""},
            status=400,
        )
    response = StreamingHttpResponse(audit_lines(entries), content_type="text/csv; charset=utf-8")
    filename = f"audit-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
