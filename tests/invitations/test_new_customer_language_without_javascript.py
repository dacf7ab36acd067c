"""New customer without JavaScript (or when it fails): the language starts on "The country's
language", which the server resolves as the form is saved, so a Czech customer gets Czech and a
US one English whatever the portal's language; the review step shows the resolved language."""

import re

import pytest
from django.urls import reverse

from customers.models import Customer
from tests import factories as f
from tests.customers.conftest import new_customer_data

NEW = reverse("customers:new")
REQUEST = reverse("invitations:request_relationship")
US = {"country": "US", "state": "WA", "city": "Seattle", "postal_code": "98052"}
SELECTED = re.compile(
    r'<select name="(?:new-)?language"[^>]*>\s*<option value="" selected>([^<]+)<'
)


@pytest.fixture
def agent(client, sam, template_cz):
    client.force_login(sam)
    return client


def as_a_browser_without_script_sends(client, language_cookie: str | None = None, **overrides):
    """The form as the page renders it, posted unchanged but for what the agent typed: the
    language select still on its first, pre-selected choice."""
    if language_cookie:
        client.cookies["django_language"] = language_cookie
    page = client.get(NEW).text
    assert SELECTED.search(page), "the language select starts on the country's language"
    return client.post(NEW, new_customer_data(language="", **overrides))


@pytest.mark.parametrize(
    ("ui", "label"), [("en", "The country&#x27;s language"), ("cs", "Jazyk země")]
)
def test_the_first_choice_is_the_countrys_language_and_it_is_selected(agent, ui, label):
    agent.cookies["django_language"] = ui
    assert SELECTED.search(agent.get(NEW).text).group(1) == label


DE = {"country": "DE", "city": "Berlin", "postal_code": "10115"}


@pytest.mark.parametrize(
    ("ui", "overrides", "expected", "shown"),
    [
        ("en", {}, "cs", "Czech"),
        ("cs", {}, "cs", "Čeština"),
        ("en", US, "en", "English"),
        ("cs", US, "en", "Angličtina"),
        ("en", DE, "de", "German"),
    ],
)
def test_the_server_resolves_the_countrys_language_and_the_review_shows_it(
    agent, template_cz, ui, overrides, expected, shown
):
    f.AgreementDocumentFactory(template=template_cz, country="DE", language="de-DE")
    review = as_a_browser_without_script_sends(agent, ui, **overrides)
    assert review.status_code == 302, review.text
    page = agent.get(review["Location"]).text
    assert re.search(rf"(Language|Jazyk)</dt><dd[^>]*>{shown}</dd>", page), page
    assert agent.post(review["Location"]).status_code == 302
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").language == expected


def test_a_language_the_agent_chose_is_kept(agent):
    review = agent.post(NEW, new_customer_data(language="en"))
    agent.post(review["Location"])
    assert Customer.objects.get(domain="wingtip.onmicrosoft.com").language == "en"


def test_the_relationship_requests_new_customer_starts_on_the_countrys_language(agent):
    assert SELECTED.search(agent.get(REQUEST).text).group(1) == "The country&#x27;s language"
