"""Account info's history comes a page at a time: the newest records first, older ones behind
accessible links, and a page costs the same however long the history is (issue 11)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.views import HISTORY_PAGE_SIZE
from tests import factories as f

pytestmark = pytest.mark.django_db


def url(customer, query=""):
    return reverse("customers:detail", args=[customer.tenant_id]) + query


def names(response) -> list[str]:
    return [record.first_name for record in response.context["history"]]


def older_link(response) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', response.text)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def long_history(acme, alice):
    return f.attest_many(acme, alice, 1000)


def test_account_info_shows_the_newest_records_of_a_long_history(client, alice, acme, long_history):
    client.force_login(alice)
    response = client.get(url(acme))
    assert names(response) == [f"Record{n:04d}" for n in range(1000, 1000 - HISTORY_PAGE_SIZE, -1)]
    assert response.context["latest"].first_name == "Record1000"
    assert "Records 1–20 of 1000" in response.text
    assert "Page 1 of 50" in response.text


def test_older_records_links_reach_the_oldest_record(client, alice, acme, long_history):
    client.force_login(alice)
    response = client.get(url(acme))
    seen = names(response)
    while link := older_link(response):
        assert link.endswith("#history-heading")
        response = client.get(url(acme, link.split("#")[0]))
        assert response.status_code == 200
        assert len(response.context["history"]) <= HISTORY_PAGE_SIZE
        seen += names(response)
    assert seen == [f"Record{n:04d}" for n in range(1000, 0, -1)]
    # The last page still says what is on record now, and offers the way back.
    assert response.context["latest"].first_name == "Record1000"
    assert 'rel="prev"' in response.text and "Newer records" in response.text
    assert "Older records" not in response.text


def test_the_receipt_link_of_a_record_on_a_later_page_downloads_its_receipt(
    client, alice, acme, long_history
):
    client.force_login(alice)
    oldest = long_history[0]
    response = client.get(url(acme, "?history=50"))
    link = reverse("customers:receipt", args=[acme.tenant_id, oldest.public_id])
    assert f'href="{link}" download' in response.text
    receipt = client.get(link)
    assert receipt.status_code == 200
    assert receipt.json()["record"]["recordId"] == str(oldest.public_id)
    assert receipt.json()["chainHash"] == oldest.chain_hash


def test_every_row_of_a_page_links_its_own_receipt(client, alice, acme, long_history):
    client.force_login(alice)
    response = client.get(url(acme, "?history=2"))
    for record in response.context["history"]:
        link = reverse("customers:receipt", args=[acme.tenant_id, record.public_id])
        assert f'href="{link}" download' in response.text


def test_the_page_navigation_is_a_labelled_nav_that_keeps_other_parameters(
    client, alice, acme, long_history
):
    client.force_login(alice)
    response = client.get(url(acme, "?history=2&tab=x"))
    assert '<nav aria-label="Pages of the history">' in response.text
    assert 'aria-current="page"' in response.text
    assert older_link(response) == "?history=3&tab=x#history-heading"


def test_a_page_past_the_end_shows_the_oldest_records_and_nonsense_the_newest(
    client, alice, acme, long_history
):
    client.force_login(alice)
    assert names(client.get(url(acme, "?history=999")))[-1] == "Record0001"
    assert names(client.get(url(acme, "?history=nope")))[0] == "Record1000"


def test_a_short_history_has_no_page_links(client, alice, acme):
    f.attest(acme, alice)
    client.force_login(alice)
    response = client.get(url(acme))
    assert "Pages of the history" not in response.text
    assert len(response.context["history"]) == 1


def test_the_page_links_read_in_czech(client, alice, acme, long_history):
    client.force_login(alice)
    client.cookies["django_language"] = "cs"
    text = client.get(url(acme, "?history=2")).text
    assert "Novější záznamy" in text
    assert "Starší záznamy" in text
    assert "Záznamy 21–40 z 1000" in text


def test_a_phone_number_shows_as_stored(client, alice, acme):
    f.attest(acme, alice, phone="+420601123456")
    client.force_login(alice)
    response = client.get(url(acme))
    assert response.text.count("jana@example.cz, +420601123456") == 2  # latest and the row


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_account_info_costs_the_same_queries_for_1_or_1000_records(
    client, alice, acme, django_assert_num_queries
):
    # Two customers of one partner: one with a record, one with a thousand.
    short = f.CustomerFactory()
    f.RelationshipFactory(partner=alice.partner, customer=short)
    f.attest(short, alice)
    f.attest_many(acme, alice, 1000)
    client.force_login(alice)
    client.get(url(short))
    with django_assert_num_queries(queries(client, url(short))):
        client.get(url(acme))


def test_a_later_page_costs_the_same_however_deep(
    client, alice, acme, long_history, django_assert_num_queries
):
    client.force_login(alice)
    client.get(url(acme))
    with django_assert_num_queries(queries(client, url(acme, "?history=2"))):
        client.get(url(acme, "?history=50"))


def test_another_partners_customer_is_still_not_found(client, lisa, acme, long_history):
    client.force_login(lisa)
    assert client.get(url(acme, "?history=2")).status_code == 404
