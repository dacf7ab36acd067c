"""View guards: each names a predicate of portal.permissions and answers 403 when it fails."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse_lazy

from portal import permissions
from portal.models import User


class AgentRequest(HttpRequest):
    """For annotations only: the request of a view behind @agent_required (and of the
    fragments its pages render), whose user that decorator guarantees is a signed-in agent
    (a ``User``, never ``AnonymousUser``). The object itself is a plain HttpRequest."""

    user: User


def agent_required(view: Callable) -> Callable:
    """Partner pages: signed-in agents only; customer admins and operators get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def require(predicate: Callable[..., bool]) -> Callable[[Callable], Callable]:
    """Stack under @agent_required: ``@require(permissions.can_attest)``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def customer_admin_required(view: Callable) -> Callable:
    """Admin-center pages: customer admins only; agents get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_customer_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper, login_url=reverse_lazy("admin_center:login"))


def customer_admin_or_visitor(view: Callable) -> Callable:
    """Admin-center landing pages (an invitation, a partner's link): open to a visitor who
    hasn't signed in yet and to customer admins; agents and operators get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_customer_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_not_required(wrapper)
