"""Password reset by email (Django's own views with the portal's templates) for agents and
customer admins, and an invited agent's first password; mounted twice, for the partner portal
and the admin center (``site``), so each page and link stays within its own site."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal import passwords
from portal.audit import record_audit
from portal.models import AuditAction
from portal.net import client_ip

PORTAL = "portal"
ADMIN_CENTER = "admin_center"


class ResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NewPasswordForm(SetPasswordForm):
    """Django's form (both fields, the password validators), with the portal's labels."""


class SiteMixin:
    site = PORTAL
    request: HttpRequest

    def url(self, name: str) -> str:
        namespace = "admin_center_password" if self.site == ADMIN_CENTER else "password"
        return reverse(f"{namespace}:{name}")

    def sign_in_url(self) -> str:
        return reverse("admin_center:login" if self.site == ADMIN_CENTER else "login")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            site=self.site,
            sign_in_url=self.sign_in_url(),
            reset_minutes=settings.PASSWORD_RESET_TIMEOUT // 60,
        )
        return context


@method_decorator(login_not_required, name="dispatch")
class ResetRequestView(SiteMixin, auth_views.PasswordResetView):
    """The same answer, after the same work, whether or not the email has an account (no
    enumeration, by the page or by its time); limited per address and per email, counted from
    the audit log."""

    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"

    def get_success_url(self) -> str:
        return self.url("sent")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if passwords.reset_requests_limited(ip_address=client_ip(self.request), email=email):
            form.add_error(
                None,
                _(
                    "Too many password reset requests. Wait an hour, or ask an admin agent of "
                    "your partner to send you a reset."
                )
                if self.site == PORTAL
                else _("Too many password reset requests. Wait an hour and try again."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        with transaction.atomic():
            # Only what was asked: the same work for any address (passwords.send_reset, a
            # background task, finds the account and sends the email, or finds none).
            passwords.request_reset(email, language=get_language(), request=self.request)
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class ResetSentView(SiteMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class ResetConfirmView(SiteMixin, auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    token_generator = passwords.reset_tokens
    action = AuditAction.PASSWORD_RESET_DONE

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active:
            return None
        # A customer admin's link works at the admin center, an agent's at the portal.
        on_site = user.customer_id if self.site == ADMIN_CENTER else user.partner_id
        return user if on_site else None

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            # An expired, used or altered link.
            response.status_code = 400
        return response

    def get_success_url(self) -> str:
        return self.url("complete")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            if user.must_change_password:
                # The password is the person's own now, not the one a partner handed over.
                user.must_change_password = False
                user.save(update_fields=["must_change_password"])
            # Proof of the mailbox lifts a lockout of failed sign-ins.
            axes_reset(username=user.email.lower())
            record_audit(action=self.action, actor=user, target=user, request=self.request)
        return response


@method_decorator(login_not_required, name="dispatch")
class SetPasswordView(ResetConfirmView):
    """An invited agent chooses a first password (the invitation's own token)."""

    token_generator = passwords.invitation_tokens
    template_name = "registration/password_set.html"
    action = AuditAction.PASSWORD_SET

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.partner_id else None


@method_decorator(login_not_required, name="dispatch")
class ResetCompleteView(SiteMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
