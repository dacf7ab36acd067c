"""Only the signing page may be framed, and only by the origins its partner's admin lists."""

import pytest

from signing.models import FramingSettings

pytestmark = pytest.mark.django_db


def test_without_origins_the_signing_page_refuses_framing(client, acme, start_signing):
    _request, path = start_signing(acme)
    response = client.get(path)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_partners_origins_may_frame_its_signing_page(client, contoso, acme, start_signing):
    FramingSettings.objects.create(
        partner=contoso, allowed_origins="https://www.contoso.example\nhttps://shop.contoso.example"
    )
    _request, path = start_signing(acme)
    response = client.get(path)
    assert (
        "frame-ancestors https://www.contoso.example https://shop.contoso.example"
        in response["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_another_partners_origins_dont_frame_this_one(client, litware, acme, start_signing):
    FramingSettings.objects.create(partner=litware, allowed_origins="https://litware.example")
    _request, path = start_signing(acme)
    assert "frame-ancestors 'none'" in client.get(path)["Content-Security-Policy"]


def test_every_other_page_still_refuses_framing(client, sam, contoso, acme):
    FramingSettings.objects.create(partner=contoso, allowed_origins="https://www.contoso.example")
    client.force_login(sam)
    response = client.get(f"/customers/{acme.tenant_id}/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_partners_admin_lists_the_origins(client, alice, contoso):
    client.force_login(alice)
    assert client.get("/signing/embedding/").status_code == 200
    response = client.post(
        "/signing/embedding/", {"allowed_origins": "https://www.contoso.example/\n\n"}
    )
    assert response.status_code == 302
    assert FramingSettings.objects.get(partner=contoso).origins == ["https://www.contoso.example"]


def test_a_bad_origin_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        "/signing/embedding/", {"allowed_origins": "https://ok.example\njavascript:alert(1) 'self'"}
    )
    assert response.status_code == 400
    assert not FramingSettings.objects.exists()


@pytest.mark.parametrize("persona", ["sam", "hana", "bill"])
def test_only_admin_agents_change_the_origins(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/signing/embedding/").status_code == 403
    assert client.post("/signing/embedding/", {"allowed_origins": ""}).status_code == 403
