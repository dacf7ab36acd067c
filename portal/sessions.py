"""Signed-in sessions end after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE
after sign-in however busy: on the partner portal, the admin center and the operators' admin.

The clock starts at sign-in (the ``user_logged_in`` receiver below, connected in
PortalConfig.ready); the middleware moves it on and ends the session when it runs out.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

LAST_ACTIVITY = "portal:last_activity"
ENDS = "portal:session_ends"
# The last request is recorded at most once a minute, so reading a page doesn't write the
# session each time; a session may so end up to a minute early, never late.
RESOLUTION = 60
API_PREFIX = "/v1/"


def _now() -> int:
    return int(timezone.now().timestamp())


def start_clock(session, now: int) -> None:
    """Pin the session's end to SESSION_COOKIE_AGE from now: each save would otherwise push it
    further on, and recording activity saves the session."""
    ends = now + settings.SESSION_COOKIE_AGE
    session[LAST_ACTIVITY] = now
    session[ENDS] = ends
    session.set_expiry(datetime.datetime.fromtimestamp(ends, tz=datetime.UTC))


@receiver(user_logged_in, dispatch_uid="portal.sessions.start_clock")
def start_clock_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_clock(request.session, _now())


class IdleSessionTimeoutMiddleware:
    """Ends a signed-in session idle for SESSION_IDLE_TIMEOUT; the person lands on their
    site's sign-in page, told why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API authenticates each call by token; a browser session plays no part there.
        if request.path_info.startswith(API_PREFIX) or not request.user.is_authenticated:
            return self.get_response(request)
        timeout = settings.SESSION_IDLE_TIMEOUT
        now = _now()
        last = request.session.get(LAST_ACTIVITY)
        if isinstance(last, int) and now - last >= timeout:
            return self.sign_out(request, timeout)
        if ENDS not in request.session:
            # Signed in before this clock existed: it starts now.
            start_clock(request.session, now)
        elif not isinstance(last, int) or now - last >= min(RESOLUTION, timeout):
            request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def sign_out(request: HttpRequest, timeout: int) -> HttpResponse:
        logout(request)
        minutes = max(1, timeout // 60)
        messages.info(
            request,
            ngettext(
                "You were signed out after %(minutes)d minute without activity. "
                "Sign in again to continue.",
                "You were signed out after %(minutes)d minutes without activity. "
                "Sign in again to continue.",
                minutes,
            )
            % {"minutes": minutes},
        )
        if request.path_info.startswith(reverse("admin_center:home")):
            sign_in = reverse("admin_center:login")
        elif request.path_info.startswith(reverse("admin:index")):
            sign_in = reverse("admin:login")
        else:
            sign_in = resolve_url(settings.LOGIN_URL)
        # A GET comes back to where it was; what a POST carried is not replayed.
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), sign_in)
        return redirect(sign_in)
