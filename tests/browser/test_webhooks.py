"""Webhooks in real Chromium, axe-clean in English and Czech: an admin agent adds an endpoint
(a real HTTP server on a local port), copies the secret shown once, sends a test event and sees
it in the delivery log; the signature verifies with the secret it copied."""

import hashlib
import hmac
import json

import pytest

from tests import factories as f
from tests.alerts.http_server import http_server
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_adds_an_endpoint_and_sends_a_test_event(live_server, page, alice):
    with http_server() as (url, receiver):
        sign_in(page, live_server.url, alice.email, f.PASSWORD)
        page.goto(f"{live_server.url}/notifications/")
        page.get_by_role("link", name="Webhooks").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Webhooks"
        assert_accessible(page)
        page.get_by_role("link", name="Add an endpoint").click()
        # Plain http to another machine is refused with a clear message.
        page.get_by_label("URL").fill("http://psa.example/hooks")
        page.get_by_label("A customer accepted the agreement directly").check()
        page.get_by_role("button", name="Add endpoint").click()
        assert page.get_by_text("The URL must start with https://").count() == 1
        assert_accessible(page)
        page.get_by_label("URL").fill(f"{url}/hooks")
        page.get_by_label("Description").fill("PSA tickets")
        page.get_by_role("button", name="Add endpoint").click()

        secret = page.get_by_role("textbox", name="Secret").input_value()
        assert secret.startswith("whsec_")
        assert_accessible(page)
        page.get_by_role("button", name="Send test event").click()
        assert page.get_by_text("A test event is on its way.").count() == 1
        log = page.locator("[data-delivery-log]")
        assert "test-created" in log.inner_text()
        assert "200" in log.inner_text()
        # Shown once: the page after the next has no secret.
        assert page.get_by_role("textbox", name="Secret").count() == 0
        page.get_by_text("How to check a delivery's signature").click()
        assert_accessible(page)

        [request] = receiver.received
        timestamp, signature = (
            part.split("=", 1)[1] for part in request.headers["MCA-Signature"].split(",")
        )
        expected = hmac.new(
            secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256
        ).hexdigest()
        assert hmac.compare_digest(expected, signature)
        assert json.loads(request.body)["EventName"] == "test-created"

        switch_language(page, "cs")
        assert page.get_by_role("heading", level=1).inner_text() == "Koncový bod webhooku"
        assert page.get_by_role("button", name="Poslat testovací událost").count() == 1
        assert_accessible(page)
        page.get_by_role("link", name="Upravit koncový bod").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Upravit koncový bod"
        assert_accessible(page)
        page.get_by_role("link", name="Zpět na koncový bod").click()
        page.get_by_role("link", name="Zpět na webhooky").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Webhooky"
        assert_accessible(page)
        page.get_by_role("link", name="Přidat koncový bod").click()
        assert_accessible(page)
