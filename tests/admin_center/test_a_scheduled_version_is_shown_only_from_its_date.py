"""C: the admin center shows, serves and records a version only from its publication date."""

import pytest

from agreements.models import Acceptance, AcceptanceMethod
from tests.admin_center.accepting import press_accept
from tests.versions import EVE_OF_V3, V2_PUBLISHED, V3_DAY, V3_PUBLISHED, publish_after, text_of


@pytest.fixture
def versions(template_cz):
    v2 = publish_after(template_cz, V2_PUBLISHED)
    v3 = publish_after(v2, V3_PUBLISHED)
    return template_cz, v2, v3


def download(client) -> str:
    response = client.get("/admin-center/agreement/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode().strip()


def test_before_its_date_the_customer_reads_and_accepts_the_previous_version(
    time_machine, client, invite, acme, acme_admin, versions
):
    _v1, v2, v3 = versions
    time_machine.move_to(EVE_OF_V3, tick=False)
    _invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    page = client.get(path)
    assert page.status_code == 200
    assert text_of(v2) in page.text
    assert text_of(v3) not in page.text
    assert download(client) == text_of(v2)

    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 302
    record = Acceptance.objects.get()
    assert (record.method, record.template) == (AcceptanceMethod.DIRECT_ACCEPTANCE, v2)
    assert record.document_sha256 == v2.documents.get().sha256


def test_from_its_date_the_customer_reads_and_accepts_the_new_version(
    time_machine, client, invite, acme, acme_admin, versions
):
    _v1, _v2, v3 = versions
    time_machine.move_to(V3_DAY, tick=False)
    _invitation, path, _token = invite(acme)
    client.force_login(acme_admin)
    assert text_of(v3) in client.get(path).text
    assert download(client) == text_of(v3)
    assert press_accept(client, path, {"accept_agreement": "on"}).status_code == 302
    assert Acceptance.objects.get().template == v3


def test_the_download_needs_a_customer_admin(time_machine, client, sam, versions):
    time_machine.move_to(EVE_OF_V3, tick=False)
    client.force_login(sam)
    assert client.get("/admin-center/agreement/").status_code == 403
