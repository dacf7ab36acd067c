from django.shortcuts import redirect, render
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


class MethodNotAllowedPageMiddleware:
    """A view's method guard answers 405 with an empty body, which browsers show as a bare
    error; give people a page that says what to do. The API keeps its own JSON errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/v1/"):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class ContentSecurityPolicyMiddleware:
    """Scripts, styles and everything else only from the portal itself; no framing.

    The portal has no inline scripts, so a script injected into a page can't run. Styles
    allow inline attributes (Bootstrap's and the Django admin's). The API's Swagger page
    alone runs the inline script its vendor ships with.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.docs_policy = settings.CONTENT_SECURITY_POLICY_API_DOCS

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith("/v1/docs/")
            response["Content-Security-Policy"] = self.docs_policy if docs else self.policy
        return response
