"""API clients for the personas: each holds a real token issued through ApiToken.issue."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from portal.models import ApiToken


class ApiClient(Client):
    """A test client that speaks JSON and sends its bearer token on every call."""

    def __init__(self, secret: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        super().__init__(headers=headers, **kwargs)

    def post_json(self, path: str, body, **extra):
        return self.post(path, json.dumps(body), content_type="application/json", **extra)

    def put_json(self, path: str, body, **extra):
        return self.put(path, json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def api_as(db):
    def make(user, *, name: str = "test") -> ApiClient:
        _token, secret = ApiToken.issue(user=user, name=name)
        return ApiClient(secret)

    return make


@pytest.fixture
def anonymous_api(db) -> ApiClient:
    return ApiClient()


def assert_error(response, status: int, code: int | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "description", "data", "source"}
    if code is not None:
        assert body["code"] == code, body
    assert body["description"]
    return body
