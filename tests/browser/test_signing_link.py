"""Signing links end to end in real Chromium: the agent starts a link on Account info, the
signatory opens it in another browser (one at phone width), enters the code from the mail
outbox and accepts; the agent sees "Accepted by signatory" and can order. axe-core on every
page, English and Czech."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from agreements.models import Acceptance, AcceptanceMethod
from orders.models import Order
from tests import factories as f
from tests.browser.support import assert_accessible, sign_in, switch_language

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "en": {
        "start": "Send a signing link",
        "create": "Create the signing link",
        "copy": "Copy",
        "copied": "Copied.",
        "mailto": "Open in email",
        "send_code": "Send the code",
        "code": "Code from the email",
        "check": "Check the code",
        "job": "Job title (optional)",
        "confirm": "I have read the Microsoft Customer Agreement",
        "signature": "Type your full name as your signature",
        "accept": "Accept",
        "done": "is on record",
        "accepted": "Accepted by signatory",
        "review": "Next: Review",
        "place": "Place order",
    },
    "cs": {
        "start": "Poslat odkaz k podpisu",
        "create": "Vytvořit odkaz k podpisu",
        "copy": "Kopírovat",
        "copied": None,
        "mailto": "Otevřít v e-mailu",
        "send_code": "Poslat kód",
        "code": "Kód z e-mailu",
        "check": "Ověřit kód",
        "job": "Pracovní pozice (volitelné)",
        "confirm": "Přečetl(a) jsem si Zákaznickou smlouvu Microsoftu",
        "signature": "Jako podpis napište své celé jméno",
        "accept": "Přijmout",
        "done": "je zaznamenáno",
        "accepted": "Přijato podepisující osobou",
        "review": "Další: Kontrola",
        "place": "Zadat objednávku",
    },
}


def run_the_flow(live_server, page, signatory_page, agent, customer, language, agreement):
    words = TEXT[language]
    offer = f.OfferFactory(countries=["CZ"])
    sign_in(page, live_server.url, agent.email, f.PASSWORD)
    if language == "cs":
        switch_language(page, "cs")
    page.goto(live_server.url + reverse("customers:detail", args=[customer.tenant_id]))
    page.locator("#signing").get_by_role("link", name=words["start"]).click()
    page.wait_for_url("**/start/")
    page.locator("#id_agreement").select_option(agreement)
    page.locator("#id_email").fill("jana@acme.example")
    page.locator("#id_first_name").fill("Jana")
    page.locator("#id_last_name").fill("Nováková")
    assert_accessible(page)
    page.get_by_role("button", name=words["create"]).click()
    page.wait_for_url("**/signing/requests/**")
    link = page.locator("#signing-link").input_value()
    assert "/signing/sign/" in link
    mailto = page.get_by_role("link", name=words["mailto"]).get_attribute("href")
    assert mailto.startswith("mailto:jana@acme.example")
    page.get_by_role("button", name=words["copy"], exact=True).click()
    if words["copied"]:
        page.get_by_text(words["copied"]).wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == link
    assert_accessible(page)

    # The signatory, in a separate browser with no account.
    signatory_page.goto(link)
    assert_accessible(signatory_page)
    signatory_page.get_by_role("button", name=words["send_code"]).click()
    signatory_page.get_by_label(words["code"]).wait_for()
    code = re.search(r"^(\d{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)
    assert mail.outbox[-1].to == ["jana@acme.example"]
    assert_accessible(signatory_page)
    signatory_page.get_by_label(words["code"]).fill(code)
    signatory_page.get_by_role("button", name=words["check"]).click()
    signatory_page.get_by_label(words["signature"]).wait_for()
    assert_accessible(signatory_page)
    signatory_page.get_by_label(words["job"]).fill("CFO")
    signatory_page.get_by_label(words["confirm"]).check()
    signatory_page.get_by_label(words["signature"]).fill("Jana Nováková")
    signatory_page.get_by_role("button", name=words["accept"], exact=True).click()
    signatory_page.get_by_text(words["done"]).wait_for()
    assert_accessible(signatory_page)

    record = Acceptance.objects.get(customer=customer)
    assert record.method == AcceptanceMethod.SIGNATORY_ACCEPTANCE
    assert record.signatory["jobTitle"] == "CFO"

    # The agent sees it and can order.
    page.goto(live_server.url + reverse("customers:detail", args=[customer.tenant_id]))
    assert words["accepted"] in page.locator("#agreement").inner_text()
    assert_accessible(page)
    page.goto(live_server.url + reverse("orders:new", args=[customer.tenant_id]))
    page.locator("input[type=number]").first.fill("3")
    page.get_by_role("button", name=words["review"]).click()
    page.wait_for_url("**/orders/review/**")
    assert_accessible(page)
    page.get_by_role("button", name=words["place"]).click()
    page.wait_for_url("**/orders/*-*/")
    assert Order.objects.filter(customer=customer, lines__offer=offer).exists()


def test_a_signatory_accepts_at_a_link_in_english(
    live_server, settings, page, second_page, sam, acme
):
    settings.PORTAL_BASE_URL = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    run_the_flow(live_server, page, second_page, sam, acme, "en", "US:en-US")


def test_a_signatory_accepts_at_a_link_in_czech_on_a_phone(
    live_server, settings, page, second_page, alice, acme
):
    settings.PORTAL_BASE_URL = live_server.url
    second_page.set_viewport_size({"width": 390, "height": 844})
    run_the_flow(live_server, page, second_page, alice, acme, "cs", "CZ:cs-CZ")
