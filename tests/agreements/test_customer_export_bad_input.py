"""A filter the customers list wouldn't accept makes no export: 400 that says which."""

import pytest

from tests.agreements.export import export


@pytest.mark.parametrize(
    "query", ["?status=signed", "?country=XX", "?sort=sideways", "?q=" + "x" * 201]
)
def test_an_invalid_filter_is_refused_with_400(client, alice, acme, query):
    response = export(client, alice, query)
    assert response.status_code == 400
    assert "The export can't be made" in response.content.decode()


def test_an_empty_filter_is_no_filter(client, alice, acme):
    response = export(client, alice, "?q=&status=&country=")
    assert response.status_code == 200
