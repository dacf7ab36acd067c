"""The API tokens page: agents create and revoke their own; admin agents see the partner's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal import permissions
from portal.audit import record_audit
from portal.decorators import agent_required
from portal.models import DEFAULT_TOKEN_LIFETIME, TOKEN_LIFETIMES, ApiToken, AuditAction, User
from portal.once import ShownOnce

# A partner with more tokens than this has a bigger problem than paging.
LIST_LIMIT = 200
# The new secret lives here only between the POST that creates it and the GET that shows it.
NEW_SECRETS = ShownOnce("tokens:new_secret")


def lifetime_choices() -> list[tuple[int, str]]:
    """The lifetimes offered, named in the active language: called as the form renders (a
    list built at import would be in whatever language was active then, English)."""
    return [
        (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in TOKEN_LIFETIMES
    ]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “billing export script”."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"),
        choices=lifetime_choices,
        coerce=int,
        initial=DEFAULT_TOKEN_LIFETIME,
        required=False,
        help_text=gettext_lazy("After this the API refuses the token; create a new one then."),
    )

    def clean_lifetime_days(self) -> int:
        # A form (or script) that doesn't say gets the default.
        return self.cleaned_data["lifetime_days"] or DEFAULT_TOKEN_LIFETIME


def tokens_visible_to(user: User) -> QuerySet[ApiToken]:
    """An agent's own tokens; an admin agent sees (and may revoke) every token of its partner."""
    if permissions.can_manage_agents(user) and user.partner_id is not None:
        return ApiToken.objects.filter(user__partner_id=user.partner_id)
    return ApiToken.objects.filter(user=user)


@never_cache
@agent_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """POST creates and redirects, so a reload can't create a second token; the secret waits
    in the session for the next GET, which shows it once and forgets it."""
    form = NewTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            token, new_secret = ApiToken.issue(
                user=request.user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
            record_audit(
                action=AuditAction.TOKEN_CREATED,
                actor=request.user,
                target=request.user,
                details=f"{token.name} ({token.hint}…)",
                request=request,
            )
        NEW_SECRETS.keep(request, request.user.pk, new_secret)
        return redirect("tokens:list")
    secret = NEW_SECRETS.take(request, request.user.pk) if request.method == "GET" else None
    tokens = list(
        tokens_visible_to(request.user)
        .select_related("user")
        .order_by("revoked_at", "-created_at", "-id")[:LIST_LIMIT]
    )
    return render(
        request,
        "tokens/list.html",
        {
            "form": form,
            "secret": secret,
            "tokens": tokens,
            "show_owner": permissions.can_manage_agents(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@agent_required
@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
    with transaction.atomic():
        token.revoke(by=request.user)
        record_audit(
            action=AuditAction.TOKEN_REVOKED,
            actor=request.user,
            target=token.user,
            details=f"{token.name} ({token.hint}…)",
            request=request,
        )
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:list")
