"""Idempotent POSTs and PUTs: ``MS-RequestId`` makes a retry replay the first answer."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.errors import ApiError, invalid_input
from portal.models import IdempotencyRecord

IDEMPOTENCY_WINDOW = datetime.timedelta(hours=24)


def _request_fingerprint(request) -> str:
    """The method, path and parsed body: a retry with reformatted JSON is still the same call."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    payload = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(payload.encode()).hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.status_code)
    response["MS-Idempotent-Replay"] = "true"
    return response


def idempotent(handler: Callable) -> Callable:
    """A POST (or PUT) with ``MS-RequestId`` runs once per agent and id within 24 hours.

    The record is inserted first, in the same transaction as the work: a
    concurrent twin blocks on the unique index until the first commits, then
    finds the stored answer and replays it. Errors the client caused (4xx) are
    stored too; an unexpected 500 rolls everything back so a retry can succeed.
    """

    @functools.wraps(handler)
    def wrapper(view: APIView, request, *args, **kwargs) -> Response:
        request_id = request.headers.get("MS-RequestId", "").strip()
        if not request_id:
            return handler(view, request, *args, **kwargs)
        if len(request_id) > 100:
            raise invalid_input("MS-RequestId: at most 100 characters.")
        fingerprint = _request_fingerprint(request)
        with transaction.atomic():
            record = _claim(request.user, request_id, fingerprint)
            if record.status_code:
                if record.request_hash != fingerprint:
                    raise ApiError(
                        422,
                        422,
                        "MS-RequestId was already used with a different request in the last "
                        "24 hours. Use a new request id for a new request.",
                    )
                return _replay(record)
            try:
                with transaction.atomic():
                    response = handler(view, request, *args, **kwargs)
            except (
                exceptions.APIException,
                DjangoValidationError,
                DjangoPermissionDenied,
                Http404,
            ) as error:
                response = view.handle_exception(error)
                # What the error asks to keep although the call's work rolled back (the
                # order gate's refusal), written beside the stored answer.
                for keep in getattr(error, "after_rollback", ()):
                    keep()
            record.status_code = response.status_code
            stored = getattr(response, "stored_data", response.data)
            record.response_body = json.loads(JSONRenderer().render(stored) or b"null")
            record.save(update_fields=["status_code", "response_body"])
        return response

    return wrapper


def _claim(user, request_id: str, fingerprint: str) -> IdempotencyRecord:
    """This agent's record for the id: the stored one, or a new in-progress one (status 0)."""
    # The agent's expired records go as it makes new ones: the table stays a day deep.
    IdempotencyRecord.objects.filter(
        user=user, created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, request_id=request_id, request_hash=fingerprint, status_code=0
            )
    except IntegrityError:
        # The twin committed first (we waited on its row): read its answer, locked.
        return IdempotencyRecord.objects.select_for_update().get(user=user, request_id=request_id)
