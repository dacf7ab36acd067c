"""An unknown filter value on the invitations list: 400 with the form's error, like the
customers list; an empty one is no filter."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["?kind=gift", "?status=lost", "?sort=sideways", "?q=" + "x" * 201]
)
def test_an_unknown_value_answers_400_and_says_why(client, sam, query):
    client.force_login(sam)
    response = client.get(f"/invitations/{query}")
    assert response.status_code == 400
    assert "is-invalid" in response.text


def test_empty_values_are_no_filter(client, sam):
    client.force_login(sam)
    assert client.get("/invitations/?q=&kind=&status=").status_code == 200
