"""The customer-facing admin center: sign-in, first password change, home."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from portal.decorators import customer_admin_required


class CustomerSignInForm(AuthenticationForm):
    """Admin-center sign-in: customer admins only; agents use Partner Center."""

    username = forms.EmailField(
        label=_("Sign-in name"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct sign-in name and password."),
        "not_customer": _(
            "This sign-in is for customer admins. Partner agents sign in to the partner portal."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.customer_id:
            raise forms.ValidationError(self.error_messages["not_customer"], code="not_customer")


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = CustomerSignInForm
    template_name = "admin_center/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return str(reverse_lazy("admin_center:home"))


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("admin_center:login")


@method_decorator(customer_admin_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "admin_center/password_change.html"
    success_url = reverse_lazy("admin_center:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        candidate = self.request.POST.get("next") or self.request.GET.get("next")
        from django.utils.http import url_has_allowed_host_and_scheme

        if (
            candidate
            and candidate.startswith("/admin-center/")
            and url_has_allowed_host_and_scheme(candidate, allowed_hosts={self.request.get_host()})
        ):
            return candidate
        return str(self.success_url)


@customer_admin_required
def home(request):
    return render(request, "admin_center/home.html", {"customer": request.user.customer})
