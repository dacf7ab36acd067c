"""No address answers 5xx, whatever is put in its path, query string or body (issue 10, item 5).

The walk visits every URL pattern the root URLconf knows, so a page added later is covered
without touching this file: each converter gets hostile values, each request gets hostile
values for every query key a view or form reads. It runs as anonymous, as an agent, as a
customer admin and as an operator, on SQLite and on PostgreSQL (which refuses NUL in text).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.views.static import serve

from portal.models import ApiToken
from tests import factories as f

pytestmark = pytest.mark.django_db

# As they travel on the wire (the test client percent-decodes the path like a server does).
HOSTILE = [
    "%00",  # NUL: PostgreSQL refuses it in text
    "a%00b",
    "%ED%A0%80",  # a UTF-8-encoded lone surrogate: not valid UTF-8
    "%C0%AF",  # an overlong "/"
    "%FF%FE",
    "x" * 2000,
    "..%2F..%2Fetc%2Fpasswd",
    "'%20OR%20'1'='1",
    "%22%3E%3Cscript%3E",
    "-1",
    "99999999999999999999999999",
    "00000000-0000-0000-0000-000000000000",
]
# Query values are repeated for every key, so the long one stays moderate.
HOSTILE_QUERY = [value if len(value) < 100 else "y" * 300 for value in HOSTILE]

# Query keys the Django admin reads (search, ordering, page, filters, popups, autocomplete).
ADMIN_QUERY_KEYS = [
    "q", "o", "p", "e", "all", "_to_field", "_popup", "_changelist_filters",
    "term", "app_label", "model_name", "field_name", "next",
]  # fmt: skip

# Keys whose value picks what a view does with the rest (the admin center's invitation type,
# the API's agreement type): the walk sends them benign once, so the hostile values of the
# other keys reach the code behind them.
SELECTORS = {
    "invType": "ResellerRelationship",
    "agreementType": "MicrosoftCustomerAgreement",
    "country": "CZ",
    "language": "cs-CZ",
}

APPS = ["portal", "customers", "agreements", "orders", "invitations", "admin_center", "demo"]
READ_KEY = re.compile(
    r"""(?:GET|query_params|POST|data)(?:\.get|\.getlist)?\(\s*["']([A-Za-z_][\w-]*)["']"""
    r"""|(?:GET|query_params)\[["']([A-Za-z_][\w-]*)["']\]"""
)


def query_keys() -> list[str]:
    """Every key a view reads from the query string, and every field of every form."""
    keys = set(ADMIN_QUERY_KEYS)
    root = Path(settings.BASE_DIR)
    for app in APPS:
        for source in (root / app).rglob("*.py"):
            for match in READ_KEY.finditer(source.read_text(encoding="utf-8")):
                keys.add(match.group(1) or match.group(2))
    get_resolver().url_patterns  # noqa: B018 - importing every view imports every form

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in [*subclasses(forms.Form), *subclasses(forms.ModelForm)]:
        if form.__module__.split(".")[0] in APPS:
            keys.update(getattr(form, "base_fields", {}))
    return sorted(keys)


# --- the walk -----------------------------------------------------------------------

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def _named_groups(regex: str) -> list[tuple[int, int, str]]:
    """(start, end, body) of each ``(?P<name>body)`` in ``regex``, parentheses balanced."""
    groups = []
    for match in re.finditer(r"\(\?P<\w+>", regex):
        depth, index = 1, match.end()
        while depth and index < len(regex):
            depth += {"(": 1, ")": -1}.get(regex[index], 0) if regex[index - 1] != "\\" else 0
            index += 1
        groups.append((match.start(), index, regex[match.end() : index - 1]))
    return groups


def _fill_regex(regex: str, value: str, benign: bool) -> str:
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    for start, end, body in reversed(_named_groups(regex)):
        choice = value
        if benign:
            choice = body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else "1"
        regex = regex[:start] + choice + regex[end:]
    return regex.replace(".*", value).replace("\\", "")


def _fill_route(route: str, value: str, benign_values: dict[str, str] | None) -> str:
    def fill(match: re.Match) -> str:
        if benign_values is None:
            return value
        return benign_values.get(match["name"]) or benign_values.get(match["kind"] or "str", "1")

    return CONVERTER.sub(fill, route)


def _pieces(patterns, prefix: tuple = ()) -> Iterator[tuple]:
    for pattern in patterns:
        here = (*prefix, pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _pieces(pattern.url_patterns, here)
        elif isinstance(pattern, URLPattern) and pattern.callback is not serve:
            # Not django.views.static.serve: the URLconf adds it for /media/ only when it is
            # imported with DEBUG on, and Django says never to deploy it.
            yield here


def _has_parameters(pieces: tuple) -> bool:
    return any(
        CONVERTER.search(str(piece))
        if isinstance(piece, RoutePattern)
        else "(" in str(piece) or ".*" in str(piece)
        for piece in pieces
    )


def _path(pieces: tuple, value: str, benign_values: dict[str, str] | None) -> str:
    parts = []
    for piece in pieces:
        if isinstance(piece, RoutePattern):
            parts.append(_fill_route(str(piece), value, benign_values))
        else:
            parts.append(_fill_regex(piece._regex, value, benign=benign_values is not None))
    return "/" + "".join(parts)


def addresses(benign_values: dict[str, str]) -> Iterator[str]:
    """Every pattern with each hostile path value, and with benign path values and each
    hostile query string."""
    keys = query_keys()
    for pieces in _pieces(get_resolver().url_patterns):
        if _has_parameters(pieces):
            for value in HOSTILE:
                yield _path(pieces, value, None)
        plain = _path(pieces, "1", benign_values)
        for value in HOSTILE_QUERY:
            hostile = {key: value for key in keys}
            variants = (
                [hostile] if plain.startswith("/admin/") else [hostile, {**hostile, **SELECTORS}]
            )
            for query in variants:
                yield plain + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_walk_reaches_every_pattern_and_the_addresses_that_once_failed(world, template_cz):
    walked = list(addresses(world["benign"]))
    patterns = list(_pieces(get_resolver().url_patterns))
    assert len(patterns) > 150  # the portal's pages, the API and the Django admin
    assert len(walked) > len(patterns) * len(HOSTILE_QUERY)
    for address in (
        "/admin-center/relationship/%00/",
        "/admin-center/partners/%00/",
        "/admin/portal/user/%00/change/",
    ):
        assert address in walked, address
    document = f"/v1/agreementtemplates/{template_cz.template_id}/document?"
    assert any(a.startswith(document) and "country=%00" in a for a in walked)
    assert any("invType=ResellerRelationship" in a and "partnerId=%00" in a for a in walked)


# --- personas ------------------------------------------------------------------------


@pytest.fixture
def world(alice, acme, acme_admin, acme_invitation, operator, order_for, contoso, template_cz):
    """Something behind each address, so a benign path value finds a real object and the
    hostile query values reach the code behind it."""
    order = order_for(acme, contoso)
    record = f.attest(acme, alice, date_agreed=timezone.localdate())
    token, secret = ApiToken.issue(user=alice, name="walker")
    invitation, _path_of_link, raw_token = acme_invitation
    by_name = {
        "tenant_id": acme.tenant_id,
        "template_id": template_cz.template_id,
        "public_id": invitation.public_id,
        "order_id": order.order_id,
        "record_id": record.public_id,
        "draft_id": uuid.uuid4(),
        "token": raw_token,
        "partner_id": contoso.partner_id,
        "country": "CZ",
        "pk": token.pk,
        "id": alice.pk,
        "object_id": alice.pk,
    }
    by_kind = {"uuid": acme.tenant_id, "int": 1, "str": 1, "path": 1}
    return {
        "benign": {key: str(value) for key, value in {**by_kind, **by_name}.items()},
        "secret": secret,
    }


def client_for(persona: str, world, request) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        user = request.getfixturevalue(
            {"agent": "alice", "customer admin": "acme_admin"}.get(persona, persona)
        )
        client.force_login(user)
    if persona == "agent":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world['secret']}"
    return client


PERSONAS = ["anonymous", "agent", "customer admin", "operator"]


def server_errors(client: Client, requests: Iterator[tuple[str, str, dict]]) -> list[str]:
    failures = []
    for method, address, extra in requests:
        response = getattr(client, method)(address, **extra)
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {address[:160]} -> {response.status_code}")
    return failures


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_address_answers_a_server_error_to_hostile_paths_or_queries(persona, world, request):
    client = client_for(persona, world, request)
    requests = (("get", address, {}) for address in addresses(world["benign"]))
    failures = server_errors(client, requests)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


FORM_TYPE = "application/x-www-form-urlencoded"
HOSTILE_FORM = {"name": "a\x00b", "q": "\x00", "next": "/\x00", "partner_id": "\x00"}
HOSTILE_JSON = ['{"name": "a\\u0000b"}', '{"name": "\\ud800"}', '{"\\udfff": 1}', '["\\u0000"]']


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_address_answers_a_server_error_to_hostile_bodies(persona, world, request):
    client = client_for(persona, world, request)
    keys = query_keys()
    form = {**{key: "\x00" for key in keys}, **HOSTILE_FORM}

    def requests() -> Iterator[tuple[str, str, dict]]:
        for pieces in _pieces(get_resolver().url_patterns):
            address = _path(pieces, "1", world["benign"])
            if address.startswith("/v1/"):  # the API takes JSON only
                for body in HOSTILE_JSON:
                    yield "post", address, {"data": body, "content_type": "application/json"}
            else:
                yield "post", address, {"data": form}  # multipart, as browsers send files
                yield "post", address, {"data": urlencode(form), "content_type": FORM_TYPE}

    failures = server_errors(client, requests())
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


# --- what the guard answers ------------------------------------------------------------


def test_a_nul_in_an_admin_center_address_is_a_bad_request(client):
    response = client.get("/admin-center/relationship/%00/")
    assert response.status_code == 400
    assert "Bad request" in response.text


def test_a_nul_in_the_admin_center_query_is_a_bad_request(client):
    response = client.get("/admin-center/?invType=ResellerRelationship&partnerId=%00")
    assert response.status_code == 400


def test_a_customer_admin_asking_for_a_partner_with_a_nul_gets_a_bad_request(client, acme_admin):
    client.force_login(acme_admin)
    assert client.get("/admin-center/partners/%00/").status_code == 400


def test_the_api_answers_a_nul_in_the_query_in_its_own_error_shape(client, alice, template_cz):
    _token, secret = ApiToken.issue(user=alice, name="script")
    response = client.get(
        f"/v1/agreementtemplates/{template_cz.template_id}/document?country=%00",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "description", "data", "source"}
    assert body["code"] == 800002
    assert "query string" in body["description"]


@pytest.mark.parametrize("body", ['{"companyName": "\\ud800"}', '{"companyName": "a\\u0000"}'])
def test_the_api_refuses_a_json_body_with_a_character_no_database_stores(client, alice, body):
    _token, secret = ApiToken.issue(user=alice, name="script")
    response = client.post(
        "/v1/customers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == 800002
    assert "body" in response.json()["description"]


def test_a_form_with_a_nul_is_refused_before_it_reaches_the_view(client, alice):
    client.force_login(alice)
    response = client.post("/api-tokens/", {"name": "billing\x00export"})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=alice).exists()


def test_a_session_cookie_with_a_nul_is_a_bad_request(client):
    # An octal escape in a quoted cookie value is how a NUL rides in a Cookie header.
    cookie = f'{settings.SESSION_COOKIE_NAME}="abcdefgh\\000ijklmnopqrstuvwxyz"'
    assert client.get("/dashboard/", HTTP_COOKIE=cookie).status_code == 400


def test_czech_text_in_the_query_passes_the_guard(client, alice, acme):
    client.force_login(alice)
    response = client.get(
        "/customers/?q=Acme%20P%C5%99%C3%ADli%C5%A1%20%C5%BElu%C5%A5ou%C4%8Dk%C3%BD"
    )
    assert response.status_code == 200


def test_an_escaped_surrogate_pair_in_json_is_one_real_character_and_passes(client, alice):
    _token, secret = ApiToken.issue(user=alice, name="script")
    # json.dumps escapes the emoji as a surrogate pair: a valid character, not a lone half.
    body = json.dumps({"companyName": "Smile \U0001f600 s.r.o."})
    assert "\\ud83d\\ude00" in body
    response = client.post(
        "/v1/customers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400  # the rest of the customer is missing...
    assert "character" not in response.json()["description"]  # ...but not refused by the guard


def test_a_valid_uuid_of_nothing_is_still_a_plain_not_found(client, alice):
    client.force_login(alice)
    assert client.get(f"/customers/{uuid.uuid4()}/").status_code == 404
