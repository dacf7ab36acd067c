"""Country dropdowns are named and sorted in the agent's language, not the one at start-up."""

import re

import pytest
from django.conf import settings
from django.urls import reverse


def country_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="country".*?</select>', html, re.S)[0]
    return [
        (code, name.strip())
        for code, name in re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]*)</option>', select)
    ]


def codes(options) -> list[str]:
    return [code for code, _name in options]


@pytest.fixture
def in_czech(client, sam):
    client.force_login(sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    return client


@pytest.mark.parametrize("url", [reverse("customers:list"), reverse("agreements:templates")])
def test_country_names_are_czech_on_czech_pages(in_czech, url):
    options = dict(country_options(in_czech.get(url).text))
    assert options["CZ"] == "Česko"
    assert options["DE"] == "Německo"


@pytest.mark.parametrize("url", [reverse("customers:list"), reverse("agreements:templates")])
def test_country_options_are_sorted_by_their_czech_names(in_czech, url):
    order = codes(country_options(in_czech.get(url).text))
    # Německo (Germany) comes before Rakousko (Austria) in Czech, after it in English.
    assert order.index("DE") < order.index("AT")


@pytest.mark.parametrize("url", [reverse("customers:list"), reverse("agreements:templates")])
def test_the_same_form_is_english_again_for_an_english_page(in_czech, url):
    in_czech.get(url)
    in_czech.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    options = country_options(in_czech.get(url).text)
    assert dict(options)["CZ"] == "Czechia"
    assert codes(options).index("AT") < codes(options).index("DE")


def test_the_filter_still_narrows_by_country(in_czech, sam, acme, globex):
    from customers.models import Relationship

    countries = dict(
        Relationship.objects.filter(partner=sam.partner).values_list(
            "customer__company_name", "customer__country"
        )
    )
    assert countries, "the personas need customers of their own"
    name, country = next(iter(countries.items()))
    response = in_czech.get(reverse("customers:list"), {"country": country})
    assert response.status_code == 200
    assert name in response.text


def test_an_unknown_country_is_refused_by_both_forms(in_czech):
    assert in_czech.get(reverse("customers:list"), {"country": "XX"}).status_code == 400
    assert in_czech.get(reverse("agreements:templates"), {"country": "XX"}).status_code == 400


def test_each_row_names_its_country_in_the_pages_language(in_czech, sam, acme):
    tbody = in_czech.get(reverse("customers:list")).text.split("<tbody>")[1]
    assert ">Česko</td>" in tbody
    assert f'href="/customers/{acme.tenant_id}/"' in tbody
