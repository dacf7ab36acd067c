"""Names and countries in the collation order of the page's language (ICU): in Czech "ch" comes
after "h" and "č", "ř", "š", "ž" after "c", "r", "s", "z"; in English they are plain letters.
Every country select (the customers list's filter, New customer, Offers, Agreement templates)
and the admin center's partners."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal.collation import collation_key, country_choices, sorted_by_name
from tests import factories as f

CZECH_ORDER = ["Cyprus", "Čad", "Dánsko", "Hongkong", "Chile", "Rusko", "Řecko", "Zambie", "Žabka"]


def test_czech_names_sort_by_the_czech_alphabet():
    shuffled = sorted(CZECH_ORDER, reverse=True)
    assert sorted_by_name(shuffled, language="cs") == CZECH_ORDER


def test_english_names_sort_by_letters_with_accents_as_ties():
    assert sorted_by_name(["Zambia", "Åland Islands", "Chile", "Čad", "Cyprus"], language="en") == [
        "Åland Islands",
        "Čad",
        "Chile",
        "Cyprus",
        "Zambia",
    ]


def test_the_key_follows_the_active_language(settings):
    from django.utils import translation

    with translation.override("cs"):
        assert sorted(["Chile", "Hongkong"], key=collation_key()) == ["Hongkong", "Chile"]
    with translation.override("en"):
        assert sorted(["Hongkong", "Chile"], key=collation_key()) == ["Chile", "Hongkong"]


def test_countries_in_czech_put_chile_after_hongkong_and_cad_after_cyprus():
    names = [name for _code, name in country_choices("cs")]
    assert names.index("Hongkong") < names.index("Chile") < names.index("Chorvatsko")
    assert names.index("Chorvatsko") < names.index("Indie")
    assert names.index("Čad") > names.index("Curaçao") and names.index("Čad") < names.index(
        "Dánsko"
    )
    assert names.index("Rusko") < names.index("Řecko") < names.index("Salvador")


def option_names(html: str, name: str = "country") -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.fixture
def in_czech(client, sam):
    client.force_login(sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("customers:list"),
        reverse("customers:new"),
        reverse("orders:offers"),
        reverse("agreements:templates"),
    ],
)
def test_every_country_select_is_in_czech_order(in_czech, url):
    names = option_names(in_czech.get(url).text)
    assert names.index("Hongkong") < names.index("Chile") < names.index("Indie")
    assert names.index("Curaçao") < names.index("Čad") < names.index("Dánsko")


def test_the_new_customer_country_asks_for_a_choice_not_dashes(client, sam):
    client.force_login(sam)
    html = client.get(reverse("customers:new")).text
    assert option_names(html)[0] == "Choose a country"
    assert "---------" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    assert option_names(client.get(reverse("customers:new")).text)[0] == "Vyberte zemi"


def test_filters_say_all_in_czech(in_czech):
    customers = in_czech.get(reverse("customers:list")).text
    assert option_names(customers, "status")[0] == "Všechny stavy"
    assert option_names(customers)[0] == "Všechny země"
    offers = in_czech.get(reverse("orders:offers")).text
    assert option_names(offers)[0] == "Všechny země"
    assert option_names(offers, "product_type")[0] == "Všechny typy produktů"
    assert "Jakákoli" not in customers + offers and "Jakýkoli" not in customers + offers


def test_the_admin_center_lists_partners_in_czech_order(client, acme, acme_admin, contoso):
    for name in ("Chmel Partner", "Hvězda Partner", "Čáp Partner"):
        f.RelationshipFactory(customer=acme, partner=f.PartnerFactory(name=name))
    client.force_login(acme_admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    for url in (reverse("admin_center:partners"), reverse("admin_center:home")):
        html = client.get(url).text
        places = [html.index(name) for name in ("Čáp", "Hvězda", "Chmel")]
        assert places == sorted(places), url
