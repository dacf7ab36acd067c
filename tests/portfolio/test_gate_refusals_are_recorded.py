"""The order gate's refusals are kept (orders.GateRefusal), on the web and through the API,
though the refused order's own transaction rolls back."""

import pytest

from orders.models import GateRefusal, Order
from portal.models import ApiToken
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(db):
    return f.OfferFactory(offer_id="MS-365-E3", unit_price="36.00", countries=["CZ", "US"])


def test_a_web_order_refused_by_the_gate_is_recorded(client, sam, contoso, acme, licence):
    client.force_login(sam)
    chosen = client.post(f"/customers/{acme.tenant_id}/orders/new/", {f"quantity_{licence.pk}": 1})
    assert chosen.status_code == 302, chosen.content[:500]
    response = client.post(chosen.url + "place/")
    assert response.status_code == 403
    refusal = GateRefusal.objects.get()
    assert (refusal.partner, refusal.customer, refusal.agent, refusal.channel) == (
        contoso,
        acme,
        sam,
        "web",
    )
    assert not Order.objects.exists()


def test_an_api_order_refused_by_the_gate_is_recorded(sam, contoso, acme, licence):
    _token, secret = ApiToken.issue(user=sam, name="test")
    response = ApiClient(secret).post_json(
        f"/v1/customers/{acme.tenant_id}/orders",
        {"lineItems": [{"offerId": licence.offer_id, "quantity": 1}]},
    )
    assert response.status_code == 403 and response.json()["code"] == 13605
    refusal = GateRefusal.objects.get()
    assert (refusal.partner, refusal.customer, refusal.channel) == (contoso, acme, "api")


def test_an_order_the_gate_lets_through_records_no_refusal(client, sam, acme, licence):
    f.attest(acme, sam)
    client.force_login(sam)
    chosen = client.post(f"/customers/{acme.tenant_id}/orders/new/", {f"quantity_{licence.pk}": 1})
    assert client.post(chosen.url + "place/").status_code == 302
    assert not GateRefusal.objects.exists()


def test_an_api_order_with_a_request_id_refused_by_the_gate_is_recorded_once(
    sam, contoso, acme, licence
):
    """The idempotency record's transaction rolls back the call's work: the refusal is
    recorded after that rollback, and a replay of the same request records nothing more."""
    _token, secret = ApiToken.issue(user=sam, name="test")
    api = ApiClient(secret)
    body = {"lineItems": [{"offerId": licence.offer_id, "quantity": 1}]}
    headers = {"HTTP_MS_REQUESTID": "order-refused-1"}
    first = api.post_json(f"/v1/customers/{acme.tenant_id}/orders", body, **headers)
    assert first.status_code == 403 and first.json()["code"] == 13605
    refusal = GateRefusal.objects.get()
    assert (refusal.partner, refusal.customer, refusal.agent, refusal.channel) == (
        contoso,
        acme,
        sam,
        "api",
    )
    replay = api.post_json(f"/v1/customers/{acme.tenant_id}/orders", body, **headers)
    assert replay.status_code == 403 and replay["MS-Idempotent-Replay"] == "true"
    assert GateRefusal.objects.count() == 1
    assert not Order.objects.exists()


def test_api_refusals_count_in_the_dashboards_queue(client, sam, acme, licence):
    _token, secret = ApiToken.issue(user=sam, name="test")
    ApiClient(secret).post_json(
        f"/v1/customers/{acme.tenant_id}/orders",
        {"lineItems": [{"offerId": licence.offer_id, "quantity": 1}]},
        HTTP_MS_REQUESTID="order-refused-2",
    )
    client.force_login(sam)
    page = client.get("/dashboard/").content.decode()
    assert 'data-queue="refusals"' in page and acme.company_name in page
