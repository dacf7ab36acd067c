"""Each open New customer page has a draft of its own: Create makes the customer on screen."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from invitations.onboarding import NEW_CUSTOMER_DRAFTS
from tests.customers.conftest import new_customer_data, row_counts

NEW_CUSTOMER_DRAFTS_KEY = NEW_CUSTOMER_DRAFTS.key
MAX_NEW_CUSTOMER_DRAFTS = NEW_CUSTOMER_DRAFTS.limit

NEW = reverse("customers:new")
GONE = "That new customer is no longer open"


def start(client, **overrides) -> str:
    response = client.post(NEW, new_customer_data(**overrides))
    assert response.status_code == 302, response.text
    return response["Location"]


def draft_id_of(review_url: str) -> str:
    return review_url.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def sam_in(client, sam, template_cz):
    client.force_login(sam)
    return client


def two_tabs(client) -> tuple[str, str]:
    tab_a = start(client, company_name="Tab A Company", domain="tab-a")
    tab_b = start(client, company_name="Tab B Company", domain="tab-b")
    return tab_a, tab_b


def test_each_review_page_shows_its_own_draft(sam_in):
    tab_a, tab_b = two_tabs(sam_in)
    assert tab_a != tab_b
    assert "Tab A Company" in sam_in.get(tab_a).text
    assert "Tab B Company" not in sam_in.get(tab_a).text
    assert "Tab B Company" in sam_in.get(tab_b).text


def test_creating_the_first_of_two_drafts_creates_the_first(sam_in):
    tab_a, tab_b = two_tabs(sam_in)
    response = sam_in.post(tab_a)
    created = Customer.objects.get()
    assert created.company_name == "Tab A Company"
    assert created.domain == "tab-a.onmicrosoft.com"
    assert response["Location"] == reverse("customers:created", args=[created.tenant_id])
    # The other tab's draft is untouched and creates its own customer.
    assert "Tab B Company" in sam_in.get(tab_b).text
    sam_in.post(tab_b)
    assert set(Customer.objects.values_list("company_name", flat=True)) == {
        "Tab A Company",
        "Tab B Company",
    }


def test_creating_consumes_only_that_draft(sam_in):
    tab_a, tab_b = two_tabs(sam_in)
    sam_in.post(tab_a)
    assert list(sam_in.session[NEW_CUSTOMER_DRAFTS_KEY]) == [draft_id_of(tab_b)]


def test_create_again_after_back_or_reload_creates_nothing_and_says_why(sam_in):
    review = start(sam_in)
    sam_in.post(review)
    before = row_counts()
    again = sam_in.post(review, follow=True)
    assert again.redirect_chain == [(NEW, 302)]
    assert GONE in again.text
    assert row_counts() == before
    reload = sam_in.get(review, follow=True)
    assert reload.redirect_chain == [(NEW, 302)]
    assert GONE in reload.text


def test_an_unknown_draft_goes_back_to_the_form_with_a_message(sam_in):
    unknown = reverse("customers:review", args=[uuid.uuid4()])
    before = row_counts()
    response = sam_in.post(unknown, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(NEW, 302)]
    assert GONE in response.text
    assert row_counts() == before


def test_a_malformed_draft_id_is_not_found(sam_in):
    assert sam_in.get("/customers/new/review/not-a-uuid/").status_code == 404


def test_another_session_cannot_use_the_draft(sam_in, sam):
    review = start(sam_in)
    other = Client()
    other.force_login(sam)
    before = row_counts()
    response = other.post(review)
    assert response.status_code == 302
    assert response["Location"] == NEW
    assert row_counts() == before


def test_the_session_keeps_only_the_newest_drafts(sam_in):
    reviews = [
        start(sam_in, company_name=f"Company {n}", domain=f"company-{n}")
        for n in range(MAX_NEW_CUSTOMER_DRAFTS + 2)
    ]
    drafts = sam_in.session[NEW_CUSTOMER_DRAFTS_KEY]
    assert list(drafts) == [draft_id_of(url) for url in reviews[2:]]
    assert sam_in.get(reviews[0])["Location"] == NEW
    assert "Company 6" in sam_in.get(reviews[-1]).text


def test_editing_a_draft_replaces_it_and_leaves_the_other_alone(sam_in):
    tab_a, tab_b = two_tabs(sam_in)
    draft_a = draft_id_of(tab_a)
    edit = sam_in.get(NEW, {"draft": draft_a})
    assert 'value="Tab A Company"' in edit.text
    assert f'name="draft" value="{draft_a}"' in edit.text
    response = sam_in.post(
        NEW, {**new_customer_data(company_name="Tab A Renamed", domain="tab-a"), "draft": draft_a}
    )
    assert response["Location"] == tab_a
    assert len(sam_in.session[NEW_CUSTOMER_DRAFTS_KEY]) == 2
    assert "Tab A Renamed" in sam_in.get(tab_a).text
    assert "Tab B Company" in sam_in.get(tab_b).text


def test_resubmitting_the_form_of_a_created_draft_starts_a_new_draft(sam_in):
    review = start(sam_in)
    sam_in.post(review)
    response = sam_in.post(
        NEW, {**new_customer_data(domain="wingtip-two"), "draft": draft_id_of(review)}
    )
    assert response.status_code == 302
    assert response["Location"] != review


def test_editing_a_draft_that_is_gone_shows_an_empty_form_and_says_why(sam_in):
    response = sam_in.get(NEW, {"draft": str(uuid.uuid4())})
    assert response.status_code == 200
    assert GONE in response.text
    assert 'name="draft"' not in response.text
    assert 'value="Wingtip Toys s.r.o."' not in response.text


def test_a_draft_invalid_at_review_comes_back_with_its_id(sam_in, template_cz):
    review = start(sam_in)
    template_cz.documents.all().delete()
    response = sam_in.get(review)
    assert response.status_code == 400
    assert f'name="draft" value="{draft_id_of(review)}"' in response.text
