"""A customer's address is written in its country's order, one way everywhere
(customers.addresses, ``{% postal_address %}``): "Seattle, WA 98052" in the US, the post town
and the postcode on lines of their own in the UK, "110 00 Praha" in most of Europe."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from customers.addresses import address_lines, one_line
from customers.models import Customer
from tests import factories as f


def address(country: str, city: str, postal_code: str, state: str = "") -> Customer:
    return Customer(
        country=country,
        address_line1="1 Main Street",
        city=city,
        postal_code=postal_code,
        state=state,
    )


@pytest.mark.parametrize(
    ("country", "city", "postal_code", "state", "lines"),
    [
        ("US", "Seattle", "98052", "WA", ["1 Main Street", "Seattle, WA 98052"]),
        ("GB", "London", "sw1a 1aa", "", ["1 Main Street", "London", "SW1A 1AA"]),
        ("IE", "Dublin", "D02 X285", "", ["1 Main Street", "Dublin", "D02 X285"]),
        ("CZ", "Praha", "110 00", "", ["1 Main Street", "110 00 Praha"]),
        ("SK", "Bratislava", "811 01", "", ["1 Main Street", "811 01 Bratislava"]),
        ("DE", "Berlin", "10115", "", ["1 Main Street", "10115 Berlin"]),
        ("AT", "Wien", "1010", "", ["1 Main Street", "1010 Wien"]),
        ("FR", "Paris", "75001", "", ["1 Main Street", "75001 Paris"]),
        ("PL", "Warszawa", "00-001", "", ["1 Main Street", "00-001 Warszawa"]),
        ("NL", "Amsterdam", "1012 ab", "", ["1 Main Street", "1012 AB Amsterdam"]),
        ("CA", "Toronto", "m5v 2t6", "", ["1 Main Street", "Toronto M5V 2T6"]),
        # Not in the table: the most common order.
        ("BR", "São Paulo", "01000-000", "", ["1 Main Street", "01000-000 São Paulo"]),
    ],
)
def test_each_country_writes_its_own_order(country, city, postal_code, state, lines):
    assert address_lines(address(country, city, postal_code, state)) == lines


def test_a_part_left_blank_leaves_no_stray_comma_or_line():
    assert address_lines(address("US", "Seattle", "98052")) == ["1 Main Street", "Seattle, 98052"]
    assert address_lines(address("GB", "London", "")) == ["1 Main Street", "London"]


def test_on_one_line_the_lines_are_joined_by_commas():
    assert one_line(address("GB", "London", "SW1A 1AA")) == "1 Main Street, London, SW1A 1AA"
    assert address("CZ", "Praha", "110 00").postal_address == "1 Main Street, 110 00 Praha"


def test_the_tag_writes_a_line_each_and_escapes_them():
    customer = address("GB", "<b>London</b>", "SW1A 1AA")
    html = Template("{% load addresses %}{% postal_address customer %}").render(
        Context({"customer": customer})
    )
    assert "1 Main Street<br>&lt;b&gt;London&lt;/b&gt;<br>SW1A 1AA" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "city", "postal_code", "state", "written"),
    [
        ("GB", "London", "SW1A 1AA", "", "Na Příkopě 1<br>London<br>SW1A 1AA"),
        ("US", "Seattle", "98052", "WA", "Na Příkopě 1<br>Seattle, WA 98052"),
        ("CZ", "Praha", "110 00", "", "Na Příkopě 1<br>110 00 Praha"),
    ],
)
def test_account_info_writes_the_address_in_its_countrys_order(
    client, sam, contoso, template_cz, country, city, postal_code, state, written
):
    customer = f.CustomerFactory(
        country=country,
        address_line1="Na Příkopě 1",
        city=city,
        postal_code=postal_code,
        state=state,
    )
    f.RelationshipFactory(partner=contoso, customer=customer)
    client.force_login(sam)
    page = client.get(reverse("customers:detail", args=[customer.tenant_id])).text
    assert f'<span class="postal-address" data-postal-address>{written}</span>' in page
