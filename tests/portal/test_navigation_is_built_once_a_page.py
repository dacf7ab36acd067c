"""The navigation is built once a request, though a page renders its fragments (dashboard
sections, list actions) with the request, each through the context processors."""

from django.urls import reverse

from portal import context_processors


def test_the_navigation_is_built_once_for_a_page_with_fragments(client, alice, monkeypatch):
    built = []
    original = context_processors._navigation

    def counted(request):
        built.append(request.path)
        return original(request)

    monkeypatch.setattr(context_processors, "_navigation", counted)
    client.force_login(alice)
    for name in ("dashboard", "customers:list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert reverse("customers:list") in response.text
    assert built == [reverse("dashboard"), reverse("customers:list")]
