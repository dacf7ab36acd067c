from django.urls import reverse

from tests import factories as f

URL = reverse("customers:domain_availability")


def test_a_free_domain_is_reported_available(client, sam):
    client.force_login(sam)
    response = client.get(URL, {"domain": "wingtip"})
    assert response.status_code == 200
    assert response.json() == {
        "domain": "wingtip.onmicrosoft.com",
        "available": True,
        "message": "wingtip.onmicrosoft.com is available.",
    }


def test_a_taken_domain_is_reported_unavailable_even_when_another_partner_owns_it(
    client, sam, globex
):
    client.force_login(sam)
    answer = client.get(URL, {"domain": "Globex.onmicrosoft.com"}).json()
    assert answer["available"] is False
    assert "already taken" in answer["message"]


def test_a_malformed_domain_is_reported_with_the_rule(client, sam):
    client.force_login(sam)
    answer = client.get(URL, {"domain": "-bad_name"}).json()
    assert answer["available"] is False
    assert "lower-case letters, digits and hyphens" in answer["message"]


def test_an_empty_domain_is_a_bad_request(client, sam):
    client.force_login(sam)
    response = client.get(URL, {"domain": " "})
    assert response.status_code == 400
    assert response.json()["available"] is False


def test_the_check_takes_one_query(client, sam, django_assert_max_num_queries):
    f.CustomerFactory(domain="taken.onmicrosoft.com")
    client.force_login(sam)
    with django_assert_max_num_queries(4):
        client.get(URL, {"domain": "taken"})
