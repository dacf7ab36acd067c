from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str | None:
    """The caller's address, trusting X-Forwarded-For only through TRUSTED_PROXY_COUNT proxies."""
    count = settings.TRUSTED_PROXY_COUNT
    ip, _routable = get_client_ip(
        request,
        proxy_count=count or None,
        request_header_order=["X_FORWARDED_FOR", "REMOTE_ADDR"] if count else ["REMOTE_ADDR"],
    )
    return ip


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


def sign_in_name(request, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failed sign-ins under: lower-cased, as sign-in itself
    ignores case (UserManager.get_by_natural_key), so another spelling is the same account."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    name = source.get(field) if source else None
    return name.strip().lower() if isinstance(name, str) else name
