"""The Orders list with no order yet says who places one, per role: those who may order are
pointed at New order; a reseller's agents are told their indirect provider orders (by name);
helpdesk and billing agents that only admin and sales agents do. English and Czech."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMPTY = {
    "en": {
        "orders": "No orders yet. Start one with New order, or from a customer's Account "
        "info page.",
        "provider": "No orders yet. Orders for your customers are placed by your indirect "
        "provider, Fabrikam Distribution.",
        "others": "No orders yet. Orders are placed by admin and sales agents, with New order or "
        "from a customer's Account info page.",
    },
    "cs": {
        "orders": "Zatím žádné objednávky. Začněte tlačítkem Nová objednávka nebo ze stránky "
        "Informace o účtu zákazníka.",
        "provider": "Zatím žádné objednávky. Objednávky pro vaše zákazníky zadává váš nepřímý "
        "poskytovatel Fabrikam Distribution.",
        "others": "Zatím žádné objednávky. Objednávky zadávají správci a obchodníci tlačítkem "
        "Nová objednávka nebo ze stránky Informace o účtu zákazníka.",
    },
}
OUT_OF_DATE = "Orders are placed from a customer"


@pytest.mark.parametrize("language", ["en", "cs"])
@pytest.mark.parametrize(
    ("agent", "kind"),
    [
        ("alice", "orders"),
        ("sam", "orders"),
        ("frank", "orders"),
        ("nora", "provider"),
        ("hana", "others"),
        ("bill", "others"),
    ],
)
def test_the_empty_list_says_who_places_orders(request, client, agent, kind, language):
    client.force_login(request.getfixturevalue(agent))
    client.cookies["django_language"] = language
    response = client.get(reverse("orders:list"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.text
    assert EMPTY[language][kind] in html
    assert OUT_OF_DATE not in html
    for other in set(EMPTY[language]) - {kind}:
        assert EMPTY[language][other] not in html


def test_a_search_that_finds_nothing_still_says_so(client, nora):
    client.force_login(nora)
    html = client.get(reverse("orders:list"), {"q": "zzz"}).text
    assert "No orders match your search." in html
    assert EMPTY["en"]["provider"] not in html
