from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """A customer admin's handed-over password must be replaced at the first sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.customer_id
            and user.must_change_password
        ):
            allowed = {
                reverse("admin_center:password_change"),
                reverse("admin_center:logout"),
                reverse("logout"),
                reverse("set_language"),
            }
            if request.path not in allowed and not request.path.startswith(("/static/", "/admin/")):
                return redirect(
                    f"{reverse('admin_center:password_change')}?next={request.get_full_path()}"
                )
        return self.get_response(request)
