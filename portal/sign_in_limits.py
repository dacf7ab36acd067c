"""django-axes with two limits: per account and address, and per address alone.

axes counts failed sign-ins per combination of AXES_LOCKOUT_PARAMETERS but holds all of them to
the one AXES_FAILURE_LIMIT, so adding ["ip_address"] there would lock a whole office behind
one NAT out after five typos by different people. This handler keeps the per-account limit
and adds AXES_IP_FAILURE_LIMIT, higher, for one address trying many names.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.shortcuts import render


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_account = super().get_failures(request, credentials)
        per_address = self.failures_from_address(request)
        # axes compares the one number this returns with the per-account limit (on every
        # sign-in and after each failure): scale the address's count so that it reaches that
        # limit exactly when it reaches its own.
        account_limit = get_failure_limit(request, credentials)
        scaled = per_address * account_limit // settings.AXES_IP_FAILURE_LIMIT
        return max(per_account, scaled)

    @staticmethod
    def failures_from_address(request: HttpRequest) -> int:
        """Failed sign-ins from the caller's address under any name, within the cool-off."""
        address = getattr(request, "axes_ip_address", None)
        if address is None:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The lockout page (AXES_LOCKOUT_CALLABLE): it says for how long, and what helps now."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME or 0) * 60))
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"lockout_minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
